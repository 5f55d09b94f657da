/**
 * Queue libraries as connection owners: Bull, bee-queue and BullMQ objects made per call and
 * never closed, connections handed to a queue that will not close them, and the hard negatives
 * (each library's own blocking connection, a queue made once and closed on shutdown, a started
 * consumer). All three ship types, so every case runs untyped and typed.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import noBlockingOnSharedClient from '../../rules/no-blocking-on-shared-client';
import noUnreleasedConnection, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';
import { typedFile, typedTester, untypedTester } from '../rule-tester';

// The first typed case builds a TypeScript program: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const ADVICE = 'close it in a finally block, or hand it to an owner that does';
const BULL = `import Queue from 'bull';\nconst REDIS_URL = 'redis://cache.internal:6379';`;
const BEE = `import BeeQueue from 'bee-queue';`;
const MQ = `import { Queue, Worker, QueueEvents } from 'bullmq';\nimport IORedis from 'ioredis';\nconst REDIS_URL = 'redis://cache.internal:6379';`;

const BULL_OVER_FACTORY = `${BULL}
import Redis from 'ioredis';
const client = new Redis(REDIS_URL);
const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
export async function send(data: object) {
  const queue = new Queue('emails', {
    createClient(type: string) {
      return type === 'client' ? client : subscriber;
    },
  });
  await queue.add(data);
}`;
// Its send() closing the queue in a finally, as the suggestion writes it.
const closedInFinally = (code: string) => code.replace('  await queue.add(data);', '  try {\n    await queue.add(data);\n  } finally {\n    await queue.close();\n  }');

const unreleasedValid: string[] = [
  // Made once at module level, closed on shutdown.
  `${BULL}
const emails = new Queue('emails', REDIS_URL);
process.on('SIGTERM', () => emails.close());
export async function send(data: object) {
  await emails.add(data);
}`,
  // Per call, closed on every path.
  `${BULL}
export async function send(data: object) {
  const queue = new Queue('emails', REDIS_URL);
  try {
    await queue.add(data);
  } finally {
    await queue.close();
  }
}`,
  // A consumer started in a function runs on its own: only listeners and a job handler.
  `${BULL}
export function startConsumer() {
  const queue = new Queue('emails', REDIS_URL);
  queue.on('failed', () => {});
  queue.process(async () => {});
}`,
  `${MQ}
export function startWorker() {
  const worker = new Worker('emails', async () => {}, { connection: { host: 'cache.internal', maxRetriesPerRequest: null } });
  worker.on('failed', () => {});
}`,
  `${MQ}
export function startWorker() {
  new Worker('emails', async () => {}, { connection: { host: 'cache.internal', maxRetriesPerRequest: null } });
}`,
  // Bull over the caller's createClient, made per call and closed: close() takes its listeners off the shared clients.
  closedInFinally(BULL_OVER_FACTORY),
  // A factory that makes fresh clients for a queue the caller keeps, or for one made once and
  // closed on shutdown: they live as long as the queue, and the process.
  `${BULL}
import Redis from 'ioredis';
export function makeQueue(name: string) {
  return new Queue(name, { createClient: () => new Redis(REDIS_URL) });
}
const emails = new Queue('emails', { createClient: () => new Redis(REDIS_URL) });
process.on('SIGTERM', () => emails.close());`,
  // A queue factory whose queue the callers memoise and a shutdown hook closes; the blocking
  // client its createClient makes lives as long as the process (Bull's own reuse pattern).
  `${BULL}
import Redis from 'ioredis';
import { shared, subscriber } from './redis';
import { onShutdown } from './shutdown';
export function createQueue(name: string) {
  const queue = new Queue(name, {
    createClient(type) {
      switch (type) {
        case 'client':
          return shared;
        case 'subscriber':
          return subscriber;
        case 'bclient':
          return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
        default:
          throw new Error('unexpected connection type ' + type);
      }
    },
  });
  onShutdown(name, async () => {
    await queue.close();
  });
  return queue;
}`,
  // Made once by a start function, closed only when the process is told to stop.
  `${BULL}
import Redis from 'ioredis';
export function start() {
  const queue = new Queue('emails', { createClient: () => new Redis(REDIS_URL) });
  process.on('SIGTERM', () => queue.close());
}`,
  // The same queue made once at module level.
  `${BULL}
import Redis from 'ioredis';
const client = new Redis(REDIS_URL);
const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
const emails = new Queue('emails', {
  createClient(type: string) {
    if (type === 'client') return client;
    if (type === 'subscriber') return subscriber;
    return new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
  },
});
export async function send(data: object) {
  await emails.add(data);
}`,
  // A BullMQ Queue given a shared client opens no connection of its own.
  `${MQ}
const shared = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
export async function send(data: object) {
  const queue = new Queue('emails', { connection: shared });
  await queue.add('send', data);
}`,
  // A connection handed to a BullMQ queue and closed by the caller too.
  `${MQ}
export async function send(data: object) {
  const connection = new IORedis(REDIS_URL);
  try {
    const queue = new Queue('emails', { connection });
    try {
      await queue.add('send', data);
    } finally {
      await queue.close();
    }
  } finally {
    await connection.quit();
  }
}`,
  // A connection that goes with the worker it serves (returned together).
  `${MQ}
export function startWorker() {
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker('emails', async () => {}, { connection });
  return { worker, connection };
}`,
  // bee-queue closes a client it was given when told to.
  `${BEE}
import { createClient } from 'redis';
export async function send(data: object) {
  const client = createClient();
  await client.connect();
  const queue = new BeeQueue('emails', { redis: client, quitCommandClient: true, isWorker: false });
  try {
    await queue.createJob(data).save();
  } finally {
    await queue.close();
  }
}`,
  // BullMQ disconnect() ends a queue object's one connection (Queue, QueueEvents made on one branch).
  `${MQ}
declare function isQueue(x: unknown): x is Queue;
export async function count(target: Queue | string) {
  const queue = isQueue(target) ? target : new Queue(target, { connection: { host: 'h' } });
  const n = await queue.count();
  await queue.disconnect();
  return n;
}`,
  `${MQ}
export async function ready(target: QueueEvents | string) {
  const events = typeof target !== 'string' ? target : new QueueEvents(target, { connection: { host: 'h' } });
  await events.waitUntilReady();
  await events.disconnect();
}`,
  // disconnect() ends the queue's main connection, which is the client it was given (closed or not
  // by close()): bullmq redis-connection.js \`disconnect\` ignores \`shared\`.
  `${MQ}
export async function purge(names: string[]) {
  for (const name of names) {
    const queue = new Queue(name, { connection: new IORedis(REDIS_URL) });
    try {
      await queue.obliterate();
    } finally {
      await queue.disconnect();
    }
  }
}`,
  `${MQ}
export async function send(data: object) {
  const connection = new IORedis(REDIS_URL);
  const queue = new Queue('emails', { connection });
  try {
    await queue.add('send', data);
  } finally {
    await queue.disconnect();
  }
}`,
];

const unreleasedInvalid: InvalidTestCase<MessageIds, Options>[] = [
  // A Worker's disconnect() ends its main connection only: the advice says to close() it.
  {
    code: `${MQ}
export async function drainOnce(name: string) {
  const worker = new Worker(name, null, { connection: { host: 'h', maxRetriesPerRequest: null } });
  await worker.pause();
  await worker.disconnect();
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 5,
        data: {
          what: 'BullMQ queue object',
          advice: '`disconnect()` ends only its main connection and leaves the blocking one open: close it with `close()`, in a finally block',
        },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${MQ}
export async function drainOnce(name: string) {
  const worker = new Worker(name, null, { connection: { host: 'h', maxRetriesPerRequest: null } });
  try {
    await worker.pause();
    await worker.disconnect();
  } finally {
    await worker.close();
  }
}`,
          },
        ],
      },
    ],
  },
  // A Worker's disconnect() ends its main connection only: the blocking one stays open.
  {
    code: `${MQ}
declare function isWorker(x: unknown): x is Worker;
export async function pause(target: Worker | string) {
  const worker = isWorker(target) ? target : new Worker(target, null, { connection: { host: 'h', maxRetriesPerRequest: null } });
  await worker.pause();
  await worker.disconnect();
}`,
    errors: [{ messageId: 'neverReleased', line: 6, column: 46 }],
  },
  // Bull per request: three connections each time, never closed.
  {
    code: `${BULL}
export async function send(data: object) {
  const queue = new Queue('emails', REDIS_URL);
  await queue.add(data);
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 4,
        data: { what: 'Bull queue object', advice: ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'queue' },
            output: `${BULL}
export async function send(data: object) {
  const queue = new Queue('emails', REDIS_URL);
  try {
    await queue.add(data);
  } finally {
    await queue.close();
  }
}`,
          },
        ],
      },
    ],
  },
  // Bull over the caller's createClient, per request and never closed: it opens nothing itself, but
  // leaves an 'error' handler on each shared client (removed only by close()) every call.
  {
    code: BULL_OVER_FACTORY,
    errors: [
      {
        messageId: 'neverReleased',
        line: 7,
        data: { what: 'Bull queue object', advice: ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'queue' },
            output: closedInFinally(BULL_OVER_FACTORY),
          },
        ],
      },
    ],
  },
  // Bull closes none of the clients its createClient option returns: closing the queue leaves a
  // fresh one open, with nobody to close it.
  {
    code: `${BULL}
import Redis from 'ioredis';
export async function send(data: object) {
  const queue = new Queue('emails', { createClient: () => new Redis(REDIS_URL) });
  try {
    await queue.add(data);
  } finally {
    await queue.close();
  }
}`,
    errors: [{ messageId: 'neverReleased', line: 5, data: { what: 'ioredis client', advice: ADVICE } }],
  },
  // Bull without `new`.
  {
    code: `${BULL}
export async function send(data: object) {
  await Queue('emails', REDIS_URL).add(data);
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 4,
        data: { what: 'Bull queue object', advice: ADVICE },
      },
    ],
  },
  {
    code: `${BEE}
export async function send(data: object) {
  const queue = new BeeQueue('emails', { redis: { host: 'cache.internal' }, isWorker: false });
  await queue.createJob(data).save();
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 3,
        data: { what: 'bee-queue queue object', advice: ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'queue' },
            output: `${BEE}
export async function send(data: object) {
  const queue = new BeeQueue('emails', { redis: { host: 'cache.internal' }, isWorker: false });
  try {
    await queue.createJob(data).save();
  } finally {
    await queue.close();
  }
}`,
          },
        ],
      },
    ],
  },
  // A QueueEvents always duplicates the connection it is given: one more per call.
  {
    code: `${MQ}
const shared = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
export async function waitFor(jobId: string) {
  const events = new QueueEvents('emails', { connection: shared });
  await events.waitUntilReady();
  return jobId;
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 6,
        data: { what: 'BullMQ queue object', advice: ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'events' },
            output: `${MQ}
const shared = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
export async function waitFor(jobId: string) {
  const events = new QueueEvents('emails', { connection: shared });
  try {
    await events.waitUntilReady();
  } finally {
    await events.close();
  }
  return jobId;
}`,
          },
        ],
      },
    ],
  },
  // BullMQ closes no connection it is given: closing the queue leaves this one open.
  {
    code: `${MQ}
export async function send(data: object) {
  const connection = new IORedis(REDIS_URL);
  const queue = new Queue('emails', { connection });
  await queue.add('send', data);
  await queue.close();
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 5,
        data: { what: 'ioredis client', advice: ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'connection' },
            output: `${MQ}
export async function send(data: object) {
  const connection = new IORedis(REDIS_URL);
  try {
    const queue = new Queue('emails', { connection });
    await queue.add('send', data);
    await queue.close();
  } finally {
    await connection.quit();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    code: `${MQ}
export async function send(data: object) {
  const queue = new Queue('emails', { connection: new IORedis(REDIS_URL) });
  await queue.add('send', data);
  await queue.close();
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 5,
        data: { what: 'ioredis client', advice: ADVICE },
      },
    ],
  },
  // bee-queue leaves a client it was given open unless quitCommandClient is set.
  {
    code: `${BEE}
import Redis from 'ioredis';
export async function send(data: object) {
  const client = new Redis();
  const queue = new BeeQueue('emails', { redis: client, isWorker: false });
  await queue.createJob(data).save();
  await queue.close();
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 4,
        data: { what: 'ioredis client', advice: ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'client' },
            output: `${BEE}
import Redis from 'ioredis';
export async function send(data: object) {
  const client = new Redis();
  try {
    const queue = new BeeQueue('emails', { redis: client, isWorker: false });
    await queue.createJob(data).save();
    await queue.close();
  } finally {
    await client.quit();
  }
}`,
          },
        ],
      },
      {
        messageId: 'notReleasedOnThrow',
        line: 5,
        data: { what: 'bee-queue queue object', advice: ADVICE, operation: 'the call', line: 6 },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'queue' },
            output: `${BEE}
import Redis from 'ioredis';
export async function send(data: object) {
  const client = new Redis();
  const queue = new BeeQueue('emails', { redis: client, isWorker: false });
  try {
    await queue.createJob(data).save();
  } finally {
    await queue.close();
  }
}`,
          },
        ],
      },
    ],
  },
];

untypedTester().run('no-unreleased-connection: queue libraries', noUnreleasedConnection, {
  valid: unreleasedValid,
  invalid: unreleasedInvalid,
});

typedTester().run('no-unreleased-connection: queue libraries (typed)', noUnreleasedConnection, {
  valid: unreleasedValid.map((code): ValidTestCase<Options> => ({ code, filename: typedFile })),
  invalid: unreleasedInvalid.map((test) => ({ ...test, filename: typedFile })),
});

// Each library's own blocking connection serves nothing else: no stall to report.
const blockingValid: string[] = [
  // Bull: process() blocks on the queue's own bclient, add() runs on its client.
  `${BULL}
const jobs = new Queue('jobs', REDIS_URL);
jobs.process(async (job) => job.data);
export async function enqueue(data: object) {
  await jobs.add(data);
}`,
  // bee-queue given a client: its bclient is a duplicate, so the shared client only runs commands.
  `${BEE}
import Redis from 'ioredis';
const client = new Redis();
const queue = new BeeQueue('jobs', { redis: client });
queue.process(async (job: { data: unknown }) => job.data);
export async function counter() {
  return client.get('counter');
}`,
  // BullMQ: a Worker and a Queue on one connection; the Worker blocks on its own duplicate.
  `${MQ}
const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
export const worker = new Worker('jobs', async () => {}, { connection });
export const queue = new Queue('jobs', { connection });
export async function counter() {
  return connection.get('counter');
}`,
];

untypedTester().run('no-blocking-on-shared-client: queue libraries', noBlockingOnSharedClient, {
  valid: blockingValid,
  invalid: [],
});

typedTester().run('no-blocking-on-shared-client: queue libraries (typed)', noBlockingOnSharedClient, {
  valid: blockingValid.map((code) => ({ code, filename: typedFile })),
  invalid: [],
});
