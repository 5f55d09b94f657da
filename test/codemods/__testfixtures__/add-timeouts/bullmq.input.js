import Redis from 'ioredis';
import { Queue, QueueEvents, Worker } from 'bullmq';

// Worker and QueueEvents block on their connections on purpose: no commandTimeout there.
const workerConnection = new Redis({ maxRetriesPerRequest: null });
export const worker = new Worker('mail', async () => {}, { connection: workerConnection });

const eventsConnection = new Redis({ maxRetriesPerRequest: null });
export const events = new QueueEvents('mail', { connection: eventsConnection.duplicate() });

// Set up for BullMQ and exported: it may well be a Worker's connection elsewhere.
export const bullConnection = new Redis({ maxRetriesPerRequest: null });

// A Queue does not block: its connection is an ordinary client.
const queueConnection = new Redis();
export const queue = new Queue('mail', { connection: queueConnection });
