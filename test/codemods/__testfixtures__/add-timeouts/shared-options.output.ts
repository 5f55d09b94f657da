import Redis from 'ioredis';
import { Worker } from 'bullmq';

// Also the options BullMQ makes a Worker's connection from: a commandTimeout there would reject the Worker's waits.
const connection = { host: 'queue.internal', port: 6379 };

export const worker = new Worker('emails', async () => {}, { connection });
const queueClient = new Redis(connection);

export async function backlog(): Promise<number> {
  return queueClient.llen('bull:emails:wait');
}

// Exported: other modules may use it where a commandTimeout is wrong.
export const defaults = { host: 'cache.internal' };

export const cache = new Redis(defaults);

// Read by two clients that need different values.
const shared = { host: 'jobs.internal' };

export const jobs = new Redis(shared);
export const poller = new Redis(shared);

export async function poll(): Promise<[string, string] | null> {
  return poller.brpop('jobs', 30);
}
