import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import * as tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it, vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-blocking-on-shared-client';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = string | ValidTestCase<Options>;

// The typed run starts a TypeScript project service; on a busy machine its first case is slow.
vi.setConfig({ testTimeout: 60_000 });

const v4 = { redis: { versions: { redis: 4 } } };

/** A blocking call on a client, with the message data the rule must produce. */
function blocking(line: number, command: string, name: string, sharing: string, duration: string, remedy: string) {
  return {
    messageId: 'blockingOnSharedClient' as const,
    line,
    data: { command, name, sharing, duration, remedy },
  };
}

// ---------------------------------------------------------------------------------------------
// Valid in both modes.
// ---------------------------------------------------------------------------------------------
const valid: Valid[] = [
  // A duplicate used only for blocking reads, plus its own listener and closing.
  `import Redis from 'ioredis';
   const redis = new Redis();
   const blocking = redis.duplicate();
   blocking.on('error', (err) => console.error(err));
   export const get = (key) => redis.get(key);
   export async function work() {
     for (;;) await blocking.blpop('jobs', 0);
   }
   process.on('SIGTERM', () => blocking.quit());`,
  // Its own constructor, used only for blocking and takeover commands.
  `import Redis from 'ioredis';
   const worker = new Redis({ protocol: 2 });
   worker.on('message', (channel, message) => console.log(channel, message));
   export async function run() {
     await worker.subscribe('jobs');
     await worker.unsubscribe('jobs');
     return worker.bzpopmin('delayed', 0);
   }`,
  // An exported duplicate is a second connection made on purpose (what the codemod writes).
  `import Redis from 'ioredis';
   export const redis = new Redis();
   export const redisBlocking = redis.duplicate();
   export const get = (key) => redis.get(key);
   export const next = () => redisBlocking.blpop('jobs', 0);`,
  // node-redis: the README's subscriber pattern, under RESP2 on 5 and 6.
  `import { createClient } from 'redis';
   const client = await createClient({ RESP: 2 }).on('error', console.error).connect();
   const subscriber = client.duplicate();
   await subscriber.connect();
   await subscriber.subscribe('news', (message) => console.log(message));
   await subscriber.pUnsubscribe('n*');
   export const get = (key) => client.get(key);`,
  // A connection created per call and closed.
  `import { createClient } from 'redis';
   export async function nextJob() {
     const client = await createClient().connect();
     try {
       await client.ping();
       return await client.blPop('jobs', 0);
     } finally {
       await client.close();
     }
   }`,
  `import Redis from 'ioredis';
   export async function nextJob(url) {
     const redis = new Redis(url);
     const job = await redis.brpop('jobs', 5);
     await redis.set('last', String(job));
     await redis.quit();
     return job;
   }`,
  // node-redis 6 BLESS commands are not blocking, whatever their prefix.
  `import { createClient } from 'redis';
   const client = createClient();
   export const a = () => client.blessGet('k');
   export const b = () => client.BLESS_SET('k', 'v');
   export const c = () => client.get('k');`,
  // XREAD and XREADGROUP without BLOCK return at once.
  `import Redis from 'ioredis';
   const redis = new Redis();
   export const get = (key) => redis.get(key);
   export const read = () => redis.xread('COUNT', 10, 'STREAMS', 'events', '0');
   export const group = () => redis.xreadgroup('GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', 'events', '>');`,
  `import { createClient } from 'redis';
   const client = createClient();
   export const get = (key) => client.get(key);
   export const read = () => client.xRead({ key: 'events', id: '0' }, { COUNT: 10 });
   export const group = () => client.xReadGroup('g', 'c', { key: 'events', id: '>' }, { COUNT: 1 });`,
  // BLOCK we can't see: stay silent.
  `import Redis from 'ioredis';
   const redis = new Redis();
   export const get = (key) => redis.get(key);
   export const read = (args) => redis.xread(...args);`,
  // Not Redis: local objects and classes with Redis-like methods, and other packages.
  `const queue = { blpop() {}, get() {} };
   queue.get('x');
   queue.blpop('jobs', 0);`,
  `class Queue { blpop() {} get() {} }
   const queue = new Queue();
   queue.get('x');
   queue.blpop('jobs', 0);`,
  `import { queue } from 'some-queue';
   export const next = () => queue.blpop('jobs', 0);`,
  // ioredis monitor() opens a connection of its own: not a takeover, and not work on this one.
  `import Redis from 'ioredis';
   const redis = new Redis();
   export const get = (key) => redis.get(key);
   export const watch = async () => (await redis.monitor()).on('monitor', console.log);`,
  `import Redis from 'ioredis';
   const worker = new Redis();
   export const watch = async () => (await worker.monitor()).on('monitor', console.log);
   export const next = () => worker.blpop('jobs', 0);`,
  // SUBSCRIBE on a shared client under RESP3 (node-redis 6 and ioredis 6 defaults) is allowed.
  `import { createClient } from 'redis';
   const client = await createClient().connect();
   await client.subscribe('news', (message) => console.log(message));
   export const get = (key) => client.get(key);`,
  `import Redis from 'ioredis';
   const redis = new Redis();
   redis.psubscribe('news.*');
   export const get = (key) => redis.get(key);`,
  // The protocol can't be read: silent.
  `import { createClient } from 'redis';
   const client = await createClient({ RESP: Number(process.env.RESP) }).connect();
   await client.subscribe('news', (message) => console.log(message));
   export const get = (key) => client.get(key);`,
  // A pool that serves only blocking work, or both on one loan.
  `import { createClientPool } from 'redis';
   const pool = await createClientPool().connect();
   export const next = () => pool.blPop('jobs', 0);
   export const other = () => pool.execute((client) => client.brPop('other', 0));`,
  `import { createPool } from 'generic-pool';
   import Redis from 'ioredis';
   const pool = createPool({ create: async () => new Redis(), destroy: (client) => client.quit() }, { max: 4 });
   export const next = () => pool.use(async (client) => {
     const job = await client.blpop('jobs', 0);
     await client.set('last', job);
   });`,
  // A pool of something else.
  `import { createPool } from 'generic-pool';
   const pool = createPool({ create: async () => ({ blpop() {}, get() {} }), destroy: async () => {} });
   export const a = () => pool.use((r) => r.get('x'));
   export const b = () => pool.use((r) => r.blpop('x', 0));`,
  // A class whose dedicated field does the blocking.
  `import Redis from 'ioredis';
   export class Jobs {
     redis = new Redis();
     blocker = this.redis.duplicate();
     size() { return this.redis.llen('jobs'); }
     next() { return this.blocker.blpop('jobs', 0); }
     close() { return this.blocker.quit(); }
   }`,
  // A class field from an untyped parameter: unknown.
  `export class Jobs {
     constructor(redis) { this.redis = redis; }
     size() { return this.redis.llen('jobs'); }
     next() { return this.redis.blpop('jobs', 0); }
   }`,
  // MULTI queues a blocking command without blocking.
  `import Redis from 'ioredis';
   const redis = new Redis();
   export const get = (key) => redis.get(key);
   export const tx = () => redis.multi().blpop('jobs', 0).exec();`,
  // A module-level client used only for blocking: dedicated.
  `import { GlideClient } from '@valkey/valkey-glide';
   const client = await GlideClient.createClient({ addresses: [{ host: 'localhost' }] });
   export const next = () => client.blpop(['jobs'], 0);
   export const close = () => client.close();`,
  // node-redis 4 isolated calls, executeIsolated and the isolation pool.
  {
    code: `import { createClient, commandOptions } from 'redis';
      const client = createClient();
      await client.connect();
      export const get = (key) => client.get(key);
      export const next = () => client.blPop(commandOptions({ isolated: true }), 'jobs', 0);
      export const raw = () => client.sendCommand(['BRPOP', 'jobs', '0'], { isolated: true });
      export const iso = () => client.executeIsolated((isolated) => isolated.bzPopMin('z', 0));`,
    settings: v4,
  },
];

// Methods that send nothing on the connection are not other work on it: ioredis script
// registration, node-redis socket unref.
valid.push(
  `import Redis from 'ioredis';
   const redis = new Redis();
   redis.defineCommand('ackJob', { numberOfKeys: 1, lua: 'return 1' });
   export async function work() { return redis.brpop('jobs', 5); }`,
  `import { createClient } from 'redis';
   const client = await createClient().on('error', console.error).connect();
   client.unref();
   export const next = () => client.blPop('jobs', 5);`,
  // Exported under a name that sets it aside for blocking work, as importers of it are told.
  `import Redis from 'ioredis';
   export const blockingRedis = new Redis();
   export const next = () => blockingRedis.blpop('jobs', 5);`,
);

// ---------------------------------------------------------------------------------------------
// Invalid in both modes.
// ---------------------------------------------------------------------------------------------
const invalid: Invalid[] = [
  {
    // Nothing in the file closes the client, so a duplicate made here would never be closed: no suggestion.
    code: `import Redis from 'ioredis';
const redis = new Redis();
export const get = (key) => redis.get(key);
export const next = () => redis.blpop('jobs', 5);`,
    errors: [{ ...blocking(4, 'BLPOP', 'redis', 'also used for GET at line 3', ' for up to 5 s', '`redis.duplicate()`'), suggestions: [] }],
  },
  {
    // A method named with a computed string is still a static name (and passes the text pre-check).
    code: `import Redis from 'ioredis';
const redis = new Redis();
export const get = (key) => redis.get(key);
export const next = () => redis['blpop']('jobs', 5);
process.on('SIGTERM', () => redis.quit());`,
    errors: [
      {
        ...blocking(4, 'BLPOP', 'redis', 'also used for GET at line 3', ' for up to 5 s', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking = redis.duplicate({ commandTimeout: 6000 });
export const get = (key) => redis.get(key);
export const next = () => redisBlocking['blpop']('jobs', 5);
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));`,
          },
        ],
      },
    ],
  },
  {
    // A proxy of the client (node-redis withCommandOptions) runs on it: the message names the client.
    code: `import { createClient } from 'redis';
const client = await createClient().on('error', console.error).connect();
export const get = (key) => client.get(key);
export const next = () => client.withCommandOptions({ timeout: 10000 }).blPop('jobs', 5);`,
    errors: [
      {
        ...blocking(4, 'BLPOP', 'client', 'also used for GET at line 3', ' for up to 5 s', '`client.duplicate()`'),
        suggestions: [],
      },
    ],
  },
  {
    // The issue's own message, with the duplicate suggestion.
    code: `import Redis from 'ioredis';
const redis = new Redis();
export async function cached(key) {
  return redis.get(key);
}
export async function nextJob() {
  return redis.blpop('jobs', 5);
}
process.on('SIGTERM', () => redis.quit());`,
    errors: [
      {
        ...blocking(7, 'BLPOP', 'redis', 'also used for GET at line 4', ' for up to 5 s', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            data: { command: 'BLPOP', dedicated: 'redisBlocking', name: 'redis' },
            output: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking = redis.duplicate({ commandTimeout: 6000 });
export async function cached(key) {
  return redis.get(key);
}
export async function nextJob() {
  return redisBlocking.blpop('jobs', 5);
}
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));`,
          },
        ],
      },
    ],
  },
  {
    // The error listener and the closing are repeated for the duplicate.
    code: `import Redis from 'ioredis';
const redis = new Redis(process.env.REDIS_URL);
redis.on('error', (err) => console.error('redis', err));
export const get = (key) => redis.get(key);
export async function work() {
  for (;;) {
    const job = await redis.brpop('jobs', 0);
    if (job) console.log(job);
  }
}
process.on('SIGTERM', async () => {
  await redis.quit();
});`,
    errors: [
      {
        ...blocking(7, 'BRPOP', 'redis', 'also used for GET at line 4', ' forever', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis = new Redis(process.env.REDIS_URL);
const redisBlocking = redis.duplicate();
redis.on('error', (err) => console.error('redis', err));
redisBlocking.on('error', (err) => console.error('redis', err));
export const get = (key) => redis.get(key);
export async function work() {
  for (;;) {
    const job = await redisBlocking.brpop('jobs', 0);
    if (job) console.log(job);
  }
}
process.on('SIGTERM', async () => {
  await redis.quit();
  await redisBlocking.quit();
});`,
          },
        ],
      },
    ],
  },
  {
    // node-redis: the README's one-line client; the duplicate is connected the same way.
    code: `import { createClient } from 'redis';
const client = await createClient({ url: process.env.REDIS_URL }).on('error', (err) => console.error(err)).connect();
export const lookup = (id) => client.hGetAll(\`user:\${id}\`);
export async function consume() {
  return client.blPop('events', 1.5);
}
process.on('SIGTERM', () => client.close());`,
    errors: [
      {
        ...blocking(5, 'BLPOP', 'client', 'also used for HGETALL at line 3', ' for up to 1.5 s', '`client.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import { createClient } from 'redis';
const client = await createClient({ url: process.env.REDIS_URL }).on('error', (err) => console.error(err)).connect();
const clientBlocking = await client.duplicate().on('error', (err) => console.error(err)).connect();
export const lookup = (id) => client.hGetAll(\`user:\${id}\`);
export async function consume() {
  return clientBlocking.blPop('events', 1.5);
}
process.on('SIGTERM', () => Promise.all([client.close(), clientBlocking.close()]));`,
          },
        ],
      },
    ],
  },
  {
    // node-redis: connect inside a start function, listener and closing as statements.
    code: `import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err) => console.error(err));
export async function start() {
  await client.connect();
}
export async function stop() {
  await client.close();
}
export const get = (key) => client.get(key);
export const next = () => client.BRPOP('events', 2);`,
    errors: [
      {
        ...blocking(11, 'BRPOP', 'client', 'also used for GET at line 10', ' for up to 2 s', '`client.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL });
const clientBlocking = client.duplicate();
client.on('error', (err) => console.error(err));
clientBlocking.on('error', (err) => console.error(err));
export async function start() {
  await client.connect();
  await clientBlocking.connect();
}
export async function stop() {
  await client.close();
  await clientBlocking.close();
}
export const get = (key) => client.get(key);
export const next = () => clientBlocking.BRPOP('events', 2);`,
          },
        ],
      },
    ],
  },
  {
    // node-redis with no connect in sight: a duplicate would never open, so no suggestion.
    code: `import { createClient } from 'redis';
import { connectAll } from './lifecycle';
const client = createClient();
connectAll([client]);
export const get = (key) => client.get(key);
export const next = () => client.bzPopMax('scores', 0);`,
    errors: [
      {
        ...blocking(6, 'BZPOPMAX', 'client', 'also used for GET at line 5', ' forever', '`client.duplicate()`'),
        suggestions: [],
      },
    ],
  },
  {
    // Two blocking calls: each suggestion stands on its own.
    code: `import Redis from 'ioredis';
const redis = new Redis();
export const get = (key) => redis.get(key);
export const a = () => redis.blpop('a', 0);
export const b = () => redis.bzpopmin('z', 0);
process.on('SIGTERM', () => redis.quit());`,
    errors: [
      {
        ...blocking(4, 'BLPOP', 'redis', 'also used for GET at line 3', ' forever', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking = redis.duplicate();
export const get = (key) => redis.get(key);
export const a = () => redisBlocking.blpop('a', 0);
export const b = () => redis.bzpopmin('z', 0);
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));`,
          },
        ],
      },
      {
        ...blocking(5, 'BZPOPMIN', 'redis', 'also used for GET at line 3', ' forever', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking = redis.duplicate();
export const get = (key) => redis.get(key);
export const a = () => redis.blpop('a', 0);
export const b = () => redisBlocking.bzpopmin('z', 0);
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));`,
          },
        ],
      },
    ],
  },
  {
    // After one suggestion was applied: the next one only moves its call.
    code: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking = redis.duplicate();
export const get = (key) => redis.get(key);
export const a = () => redisBlocking.blpop('a', 0);
export const b = () => redis.bzpopmin('z', 0);`,
    errors: [
      {
        ...blocking(6, 'BZPOPMIN', 'redis', 'also used for GET at line 4', ' forever', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking = redis.duplicate();
export const get = (key) => redis.get(key);
export const a = () => redisBlocking.blpop('a', 0);
export const b = () => redisBlocking.bzpopmin('z', 0);`,
          },
        ],
      },
    ],
  },
  {
    // The name is taken (here and at the call): the next free one.
    code: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking = true;
export const get = (key) => redis.get(key);
export function next() {
  const redisBlocking2 = 1;
  return redis.blpop('a', redisBlocking2);
}
process.on('SIGTERM', () => redis.quit());`,
    errors: [
      {
        ...blocking(7, 'BLPOP', 'redis', 'also used for GET at line 4', ' for up to 1 s', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            data: { command: 'BLPOP', dedicated: 'redisBlocking3', name: 'redis' },
            output: `import Redis from 'ioredis';
const redis = new Redis();
const redisBlocking3 = redis.duplicate({ commandTimeout: 5000 });
const redisBlocking = true;
export const get = (key) => redis.get(key);
export function next() {
  const redisBlocking2 = 1;
  return redisBlocking3.blpop('a', redisBlocking2);
}
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking3.quit()]));`,
          },
        ],
      },
    ],
  },
  {
    // Exported: other modules share it, even if this file only blocks on it.
    code: `import { createClient } from 'redis';
export const client = await createClient().connect();
export async function next() {
  return client.blPop('jobs', 0);
}
process.on('SIGTERM', () => client.close());`,
    errors: [
      {
        ...blocking(4, 'BLPOP', 'client', 'exported, so other modules share it', ' forever', '`client.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import { createClient } from 'redis';
export const client = await createClient().connect();
export const clientBlocking = await client.duplicate().connect();
export async function next() {
  return clientBlocking.blPop('jobs', 0);
}
process.on('SIGTERM', () => Promise.all([
  client.close(),
  clientBlocking.close()
]));`,
          },
        ],
      },
    ],
  },
  {
    // CommonJS: exported through module.exports.
    code: `const Redis = require('ioredis');
const redis = new Redis();
async function next() {
  return redis.blmpop(2, 1, 'jobs', 'LEFT');
}
module.exports = { redis, next };
process.on('SIGTERM', () => redis.quit());`,
    ...commonjsOptions,
    errors: [
      {
        ...blocking(4, 'BLMPOP', 'redis', 'exported, so other modules share it', ' for up to 2 s', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `const Redis = require('ioredis');
const redis = new Redis();
const redisBlocking = redis.duplicate({ commandTimeout: 5000 });
async function next() {
  return redisBlocking.blmpop(2, 1, 'jobs', 'LEFT');
}
module.exports = { redis, redisBlocking, next };
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));`,
          },
        ],
      },
    ],
  },
  {
    // TypeScript syntax around the client.
    code: `import Redis from 'ioredis';
const redis: Redis = new Redis({ lazyConnect: true }) as Redis;
export const get = (key: string): Promise<string | null> => redis.get(key);
export const next = (timeout: number) => (redis as Redis).brpop('jobs', timeout);
export const wait = () => redis!.wait(1, 250);
process.on('SIGTERM', () => redis.quit());`,
    errors: [
      {
        ...blocking(4, 'BRPOP', 'redis', 'also used for GET at line 3', '', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis: Redis = new Redis({ lazyConnect: true }) as Redis;
const redisBlocking = redis.duplicate();
export const get = (key: string): Promise<string | null> => redis.get(key);
export const next = (timeout: number) => (redisBlocking as Redis).brpop('jobs', timeout);
export const wait = () => redis!.wait(1, 250);
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));`,
          },
        ],
      },
      {
        ...blocking(5, 'WAIT', 'redis', 'also used for GET at line 3', ' for up to 250 ms', '`redis.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis: Redis = new Redis({ lazyConnect: true }) as Redis;
const redisBlocking = redis.duplicate();
export const get = (key: string): Promise<string | null> => redis.get(key);
export const next = (timeout: number) => (redis as Redis).brpop('jobs', timeout);
export const wait = () => redisBlocking!.wait(1, 250);
process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));`,
          },
        ],
      },
    ],
  },
  {
    // A module-level client assigned later: reported, nothing to duplicate from.
    code: `import Redis from 'ioredis';
let redis;
export function init(url) { redis = new Redis(url); }
export const get = (key) => redis.get(key);
export const next = () => redis.blpop('jobs', 0);`,
    errors: [{ ...blocking(5, 'BLPOP', 'redis', 'also used for GET at line 4', ' forever', '`redis.duplicate()`'), suggestions: [] }],
  },
  {
    // ioredis Cluster: one connection per node, the same stall.
    code: `import { Cluster } from 'ioredis';
const cluster = new Cluster([{ host: 'localhost', port: 7000 }]);
export const get = (key) => cluster.get(key);
export const next = () => cluster.bzpopmax('scores', 0.25);
process.on('SIGTERM', () => cluster.quit());`,
    errors: [
      {
        ...blocking(4, 'BZPOPMAX', 'cluster', 'also used for GET at line 3', ' for up to 250 ms', '`cluster.duplicate()`'),
        // The duplicate would need a commandTimeout above the wait, and a cluster takes it per node: made by hand.
        suggestions: [],
      },
    ],
  },
  {
    // valkey-glide: no duplicate(), so no suggestion; customCommand is recognised too.
    code: `import { GlideClient } from '@valkey/valkey-glide';
const client = await GlideClient.createClient({ addresses: [{ host: 'localhost' }] });
export const get = (key) => client.get(key);
export const next = () => client.blpop(['jobs'], 0);
export const raw = () => client.customCommand(['BRPOP', 'jobs', '3']);`,
    errors: [
      blocking(4, 'BLPOP', 'client', 'also used for GET at line 3', ' forever', 'a separate client'),
      blocking(5, 'BRPOP', 'client', 'also used for GET at line 3', ' for up to 3 s', 'a separate client'),
    ],
  },
  {
    // A duplicate that also serves ordinary commands is shared too.
    code: `import Redis from 'ioredis';
const redis = new Redis();
const worker = redis.duplicate();
export const count = () => worker.llen('jobs');
export const next = () => worker.blpop('jobs', 0);
process.on('SIGTERM', () => worker.quit());`,
    errors: [
      {
        ...blocking(5, 'BLPOP', 'worker', 'also used for LLEN at line 4', ' forever', '`worker.duplicate()`'),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import Redis from 'ioredis';
const redis = new Redis();
const worker = redis.duplicate();
const workerBlocking = worker.duplicate();
export const count = () => worker.llen('jobs');
export const next = () => workerBlocking.blpop('jobs', 0);
process.on('SIGTERM', () => Promise.all([
  worker.quit(),
  workerBlocking.quit()
]));`,
          },
        ],
      },
    ],
  },

  // ---- Class fields: every spelling, checked against the catalog's command and timeout. ----
  {
    code: `import Redis from 'ioredis';
export class Jobs {
  redis = new Redis();
  size() { return this.redis.llen('jobs'); }
  async drain(timeout) {
    await this.redis.blpop('a', 'b', 0);
    await this.redis.brpop('a', 2.5);
    await this.redis.brpoplpush('a', 'b', 1);
    await this.redis.blmove('a', 'b', 'LEFT', 'RIGHT', 0.5);
    await this.redis.blmovem('a', 'b', 'LEFT', 'LEFT', 3, 'COUNT', 2, 'OBO');
    await this.redis.blmpop(4, 1, 'a', 'LEFT');
    await this.redis.bzpopmin('z', 0);
    await this.redis.bzpopmax('z', 0.001);
    await this.redis.bzmpop(6, 1, 'z', 'MIN');
    await this.redis.xread('BLOCK', '0', 'STREAMS', 's', '$');
    await this.redis.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 2000, 'STREAMS', 's', '>');
    await this.redis.wait(1, 100);
    await this.redis.blpopBuffer('a', 0);
    await this.redis.xreadBuffer('COUNT', 1, 'BLOCK', 1500, 'STREAMS', 's', '$');
    await this.redis.call('blpop', 'a', 7);
    await this.redis.callBuffer('BZPOPMIN', 'z', 0);
    await this.redis.blpop('a', timeout);
    this.redis.brpop('a', 0, (err, result) => console.log(err, result));
  }
}`,
    errors: (
      [
        [6, 'BLPOP', ' forever'],
        [7, 'BRPOP', ' for up to 2.5 s'],
        [8, 'BRPOPLPUSH', ' for up to 1 s'],
        [9, 'BLMOVE', ' for up to 500 ms'],
        [10, 'BLMOVEM', ' for up to 3 s'],
        [11, 'BLMPOP', ' for up to 4 s'],
        [12, 'BZPOPMIN', ' forever'],
        [13, 'BZPOPMAX', ' for up to 1 ms'],
        [14, 'BZMPOP', ' for up to 6 s'],
        [15, 'XREAD', ' forever'],
        [16, 'XREADGROUP', ' for up to 2 s'],
        [17, 'WAIT', ' for up to 100 ms'],
        [18, 'BLPOP', ' forever'],
        [19, 'XREAD', ' for up to 1.5 s'],
        [20, 'BLPOP', ' for up to 7 s'],
        [21, 'BZPOPMIN', ' forever'],
        [22, 'BLPOP', ''],
        [23, 'BRPOP', ' forever'],
      ] as const
    ).map(([line, command, duration]) =>
      blocking(line, command, 'this.redis', 'also used for LLEN at line 4', duration, '`this.redis.duplicate()`'),
    ),
  },
  {
    code: `import { createClient } from 'redis';
export class Jobs {
  client = createClient();
  get(key) { return this.client.get(key); }
  async drain() {
    await this.client.blessGet('k');
    await this.client.xRead({ key: 's', id: '0' }, { COUNT: 1 });
    await this.client.blPop('a', 0);
    await this.client.BLPOP('a', 1);
    await this.client.brPop(['a', 'b'], 2);
    await this.client.brPopLPush('a', 'b', 0);
    await this.client.blMove('a', 'b', 'LEFT', 'RIGHT', 0.1);
    await this.client.blMoveM('a', 'b', 'LEFT', 'RIGHT', 3);
    await this.client.blmPop(5, ['a'], 'LEFT');
    await this.client.bzPopMin('z', 0);
    await this.client.BZPOPMAX('z', 8);
    await this.client.bzmPop(9, ['z'], 'MAX');
    await this.client.xRead({ key: 's', id: '$' }, { BLOCK: 0 });
    await this.client.xReadGroup('g', 'c', { key: 's', id: '>' }, { BLOCK: 1500, COUNT: 1 });
    await this.client.WAIT(1, 0);
    await this.client.sendCommand(['BLPOP', 'a', '4']);
    await this.client.sendCommand(['XREAD', 'BLOCK', '100', 'STREAMS', 's', '$']);
  }
}`,
    errors: (
      [
        [8, 'BLPOP', ' forever'],
        [9, 'BLPOP', ' for up to 1 s'],
        [10, 'BRPOP', ' for up to 2 s'],
        [11, 'BRPOPLPUSH', ' forever'],
        [12, 'BLMOVE', ' for up to 100 ms'],
        [13, 'BLMOVEM', ' for up to 3 s'],
        [14, 'BLMPOP', ' for up to 5 s'],
        [15, 'BZPOPMIN', ' forever'],
        [16, 'BZPOPMAX', ' for up to 8 s'],
        [17, 'BZMPOP', ' for up to 9 s'],
        [18, 'XREAD', ' forever'],
        [19, 'XREADGROUP', ' for up to 1.5 s'],
        [20, 'WAIT', ' forever'],
        [21, 'BLPOP', ' for up to 4 s'],
        [22, 'XREAD', ' for up to 100 ms'],
      ] as const
    ).map(([line, command, duration]) =>
      blocking(line, command, 'this.client', 'also used for GET at line 4', duration, '`this.client.duplicate()`'),
    ),
  },
  {
    code: `import { GlideClient } from '@valkey/valkey-glide';
export class Jobs {
  async connect() {
    this.client = await GlideClient.createClient({ addresses: [{ host: 'localhost' }] });
  }
  get(key) { return this.client.get(key); }
  async drain() {
    await this.client.xread({ s: '0' }, { count: 1 });
    await this.client.blpop(['a'], 0);
    await this.client.brpop(['a'], 1);
    await this.client.blmove('a', 'b', 'LEFT', 'RIGHT', 2);
    await this.client.blmpop(['a'], 'LEFT', 3);
    await this.client.bzpopmin(['z'], 0.5);
    await this.client.bzpopmax(['z'], 0);
    await this.client.bzmpop(['z'], 'MIN', 4);
    await this.client.xread({ s: '$' }, { block: 0 });
    await this.client.xreadgroup('g', 'c', { s: '>' }, { block: 250 });
    await this.client.wait(1, 10);
    await this.client.customCommand(['BZPOPMIN', 'z', '6']);
  }
}`,
    errors: (
      [
        [9, 'BLPOP', ' forever'],
        [10, 'BRPOP', ' for up to 1 s'],
        [11, 'BLMOVE', ' for up to 2 s'],
        [12, 'BLMPOP', ' for up to 3 s'],
        [13, 'BZPOPMIN', ' for up to 500 ms'],
        [14, 'BZPOPMAX', ' forever'],
        [15, 'BZMPOP', ' for up to 4 s'],
        [16, 'XREAD', ' forever'],
        [17, 'XREADGROUP', ' for up to 250 ms'],
        [18, 'WAIT', ' for up to 10 ms'],
        [19, 'BZPOPMIN', ' for up to 6 s'],
      ] as const
    ).map(([line, command, duration]) =>
      blocking(line, command, 'this.client', 'also used for GET at line 6', duration, 'a separate client'),
    ),
  },
  {
    // iovalkey spells them as ioredis does, and has WAITAOF.
    code: `import Valkey from 'iovalkey';
class Jobs {
  constructor() { this.valkey = new Valkey(); }
  set(k, v) { return this.valkey.set(k, v); }
  next() { return this.valkey.brpopBuffer('jobs', 0); }
  durable() { return this.valkey.waitaof(1, 0, 50); }
}`,
    errors: [
      blocking(5, 'BRPOP', 'this.valkey', 'also used for SET at line 4', ' forever', '`this.valkey.duplicate()`'),
      blocking(6, 'WAITAOF', 'this.valkey', 'also used for SET at line 4', ' for up to 50 ms', '`this.valkey.duplicate()`'),
    ],
  },

  // ---- node-redis 4: `isolated` is the other way out. ----
  {
    code: `import { createClient } from 'redis';
const client = createClient();
await client.connect();
export const get = (key) => client.get(key);
export const next = () => client.blPop('jobs', 0);
process.on('SIGTERM', () => client.quit());`,
    settings: v4,
    errors: [
      {
        ...blocking(
          5,
          'BLPOP',
          'client',
          'also used for GET at line 4',
          ' forever',
          '`commandOptions({ isolated: true })` or `client.duplicate()`',
        ),
        suggestions: [
          {
            messageId: 'moveToDedicated',
            output: `import { createClient } from 'redis';
const client = createClient();
const clientBlocking = client.duplicate();
await client.connect();
await clientBlocking.connect();
export const get = (key) => client.get(key);
export const next = () => clientBlocking.blPop('jobs', 0);
process.on('SIGTERM', () => Promise.all([
  client.quit(),
  clientBlocking.quit()
]));`,
          },
          {
            messageId: 'useIsolated',
            data: { command: 'BLPOP' },
            output: `import { createClient, commandOptions } from 'redis';
const client = createClient();
await client.connect();
export const get = (key) => client.get(key);
export const next = () => client.blPop(commandOptions({ isolated: true }), 'jobs', 0);
process.on('SIGTERM', () => client.quit());`,
          },
        ],
      },
    ],
  },
  {
    // Command options without `isolated` still run on the shared connection.
    code: `import * as redis from 'redis';
export class Jobs {
  client = redis.createClient();
  get(key) { return this.client.get(key); }
  next() { return this.client.brPop(redis.commandOptions({ returnBuffers: true }), 'jobs', 0); }
  raw() { return this.client.sendCommand(['BLPOP', 'jobs', '0']); }
  other() { return this.client.bzPopMin('z', 0); }
}`,
    settings: v4,
    errors: [
      {
        ...blocking(5, 'BRPOP', 'this.client', 'also used for GET at line 4', ' forever', '`commandOptions({ isolated: true })` or `this.client.duplicate()`'),
        suggestions: [],
      },
      {
        ...blocking(6, 'BLPOP', 'this.client', 'also used for GET at line 4', ' forever', '`commandOptions({ isolated: true })` or `this.client.duplicate()`'),
        suggestions: [],
      },
      {
        ...blocking(7, 'BZPOPMIN', 'this.client', 'also used for GET at line 4', ' forever', '`commandOptions({ isolated: true })` or `this.client.duplicate()`'),
        suggestions: [
          {
            messageId: 'useIsolated',
            output: `import * as redis from 'redis';
export class Jobs {
  client = redis.createClient();
  get(key) { return this.client.get(key); }
  next() { return this.client.brPop(redis.commandOptions({ returnBuffers: true }), 'jobs', 0); }
  raw() { return this.client.sendCommand(['BLPOP', 'jobs', '0']); }
  other() { return this.client.bzPopMin(redis.commandOptions({ isolated: true }), 'z', 0); }
}`,
          },
        ],
      },
    ],
  },
  {
    // CommonJS destructuring gets `commandOptions` added.
    code: `const { createClient } = require('redis');
class Jobs {
  constructor() { this.client = createClient(); }
  get(key) { return this.client.get(key); }
  next() { return this.client.blPop('jobs', 0); }
}
module.exports = { Jobs };`,
    ...commonjsOptions,
    settings: v4,
    errors: [
      {
        ...blocking(5, 'BLPOP', 'this.client', 'also used for GET at line 4', ' forever', '`commandOptions({ isolated: true })` or `this.client.duplicate()`'),
        suggestions: [
          {
            messageId: 'useIsolated',
            output: `const { createClient, commandOptions } = require('redis');
class Jobs {
  constructor() { this.client = createClient(); }
  get(key) { return this.client.get(key); }
  next() { return this.client.blPop(commandOptions({ isolated: true }), 'jobs', 0); }
}
module.exports = { Jobs };`,
          },
        ],
      },
    ],
  },

  // ---- Takeover commands. ----
  {
    code: `import { createClient } from 'redis';
const client = createClient({ RESP: 2 });
await client.connect();
await client.subscribe('news', (message) => console.log(message));
export const get = (key) => client.get(key);`,
    errors: [
      {
        messageId: 'takeoverOnSharedClient',
        line: 4,
        data: {
          command: 'SUBSCRIBE',
          name: 'client',
          sharing: 'also used for GET at line 5',
          mode: 'subscriber',
          condition: ' under RESP2',
          remedy: '`client.duplicate()`',
        },
        // A subscriber's listeners live on the client: moving SUBSCRIBE is left to the user.
        suggestions: [],
      },
    ],
  },
  {
    // node-redis 5 speaks RESP2 by default.
    code: `import { createClient } from 'redis';
export class Feed {
  client = createClient();
  start() { return this.client.sSubscribe('orders', console.log); }
  get(key) { return this.client.get(key); }
}`,
    settings: { redis: { versions: { redis: 5 } } },
    errors: [
      {
        messageId: 'takeoverOnSharedClient',
        line: 4,
        data: {
          command: 'SSUBSCRIBE',
          name: 'this.client',
          sharing: 'also used for GET at line 5',
          mode: 'subscriber',
          condition: ' under RESP2',
          remedy: '`this.client.duplicate()`',
        },
      },
    ],
  },
  {
    // ioredis with `protocol: 2`, and ioredis 5.
    code: `import Redis from 'ioredis';
export class Feed {
  redis = new Redis({ protocol: 2 });
  start() { return this.redis.psubscribe('orders.*'); }
  get(key) { return this.redis.get(key); }
}`,
    errors: [
      {
        messageId: 'takeoverOnSharedClient',
        line: 4,
        data: {
          command: 'PSUBSCRIBE',
          name: 'this.redis',
          sharing: 'also used for GET at line 5',
          mode: 'subscriber',
          condition: ' under RESP2',
          remedy: '`this.redis.duplicate()`',
        },
      },
    ],
  },
  {
    code: `import Redis from 'ioredis';
export class Feed {
  redis = new Redis();
  start() { return this.redis.call('SUBSCRIBE', 'orders'); }
  get(key) { return this.redis.get(key); }
}`,
    settings: { redis: { versions: { ioredis: 5 } } },
    errors: [
      {
        messageId: 'takeoverOnSharedClient',
        line: 4,
        data: {
          command: 'SUBSCRIBE',
          name: 'this.redis',
          sharing: 'also used for GET at line 5',
          mode: 'subscriber',
          condition: ' under RESP2',
          remedy: '`this.redis.duplicate()`',
        },
      },
    ],
  },
  {
    // A raw MONITOR does take the ioredis connection over.
    code: `import Redis from 'ioredis';
export class Debug {
  redis = new Redis();
  watch() { return this.redis.call('MONITOR'); }
  get(key) { return this.redis.get(key); }
}`,
    errors: [
      {
        messageId: 'takeoverOnSharedClient',
        line: 4,
        data: {
          command: 'MONITOR',
          name: 'this.redis',
          sharing: 'also used for GET at line 5',
          mode: 'monitor feed',
          condition: '',
          remedy: '`this.redis.duplicate()`',
        },
      },
    ],
  },
  {
    // MONITOR takes the connection over under either protocol.
    code: `import { createClient } from 'redis';
export class Debug {
  client = createClient();
  watch() { return this.client.monitor((line) => console.log(line)); }
  get(key) { return this.client.get(key); }
}`,
    errors: [
      {
        messageId: 'takeoverOnSharedClient',
        line: 4,
        data: {
          command: 'MONITOR',
          name: 'this.client',
          sharing: 'also used for GET at line 5',
          mode: 'monitor feed',
          condition: '',
          remedy: '`this.client.duplicate()`',
        },
      },
    ],
  },

  // ---- Pools. ----
  {
    code: `import { createClientPool } from 'redis';
const pool = await createClientPool().connect();
export const get = (key) => pool.get(key);
export const next = () => pool.blPop('jobs', 0);`,
    errors: [
      {
        messageId: 'blockingOnSharedPool',
        line: 4,
        data: { command: 'BLPOP', name: 'pool', sharing: 'which also serves GET at line 3', duration: ' forever' },
      },
    ],
  },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({ url: process.env.REDIS_URL }, { maximum: 10 });
await pool.connect();
export const profile = (id) => pool.execute((client) => client.hGetAll(\`user:\${id}\`));
export const next = () => pool.execute(async (client) => client.bzPopMin('delayed', 30));`,
    errors: [
      {
        messageId: 'blockingOnSharedPool',
        line: 5,
        data: { command: 'BZPOPMIN', name: 'pool', sharing: 'which also serves HGETALL at line 4', duration: ' for up to 30 s' },
      },
    ],
  },
  {
    code: `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis(), destroy: (client) => client.quit() }, { max: 10 });
export const get = (key) => pool.use((client) => client.get(key));
export async function next() {
  const client = await pool.acquire();
  try {
    return await client.blpop('jobs', 0);
  } finally {
    await pool.release(client);
  }
}`,
    errors: [
      {
        messageId: 'blockingOnSharedPool',
        line: 8,
        data: { command: 'BLPOP', name: 'pool', sharing: 'which also serves GET at line 4', duration: ' forever' },
      },
    ],
  },
  {
    code: `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (client) => client.disconnect(), min: 0, max: 5 });
export async function both() {
  const a = await pool.acquire().promise;
  await a.set('k', 'v');
  pool.release(a);
  const b = await pool.acquire().promise;
  await b.brpop('q', 0);
  pool.release(b);
}`,
    errors: [
      {
        messageId: 'blockingOnSharedPool',
        line: 9,
        data: { command: 'BRPOP', name: 'pool', sharing: 'which also serves SET at line 6', duration: ' forever' },
      },
    ],
  },
  {
    // A sentinel's master pool (one client by default).
    code: `import { createSentinel } from 'redis';
const sentinel = await createSentinel({ name: 'mymaster', sentinelRootNodes: [{ host: 'localhost', port: 26379 }] }).connect();
export const get = (key) => sentinel.get(key);
export const next = () => sentinel.use((client) => client.blPop('jobs', 0));`,
    errors: [
      {
        messageId: 'blockingOnSharedPool',
        line: 4,
        data: { command: 'BLPOP', name: 'sentinel', sharing: 'which also serves GET at line 3', duration: ' forever' },
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Without type information: clients imported from the application's own modules.
// ---------------------------------------------------------------------------------------------
const untypedValid: Valid[] = [
  // `wait` is too common a name to take as Redis.
  `import { barrier } from './sync';
   export const go = () => barrier.wait(1, 100);`,
  // A name that says the connection is set aside for blocking (what the codemod writes).
  `import { redisBlocking } from './redis';
   export const next = () => redisBlocking.blpop('jobs', 0);`,
  // Type-only imports and non-blocking calls.
  `import type { redis } from './redis';
   import { cache } from './cache';
   export const get = (key) => cache.get(key);
   export const read = () => cache.xread('COUNT', 1, 'STREAMS', 's', '0');`,
  // Subscribing is a common name elsewhere (RxJS): without types, not taken as Redis.
  `import { events } from './events';
   export const listen = () => events.subscribe('news');`,
  // Typed as a Redis client elsewhere: a parameter can't be known to be shared.
  `import Redis from 'ioredis';
   export async function work(redis) {
     await redis.get('x');
     return redis.blpop('jobs', 0);
   }`,
];

const untypedInvalid: Invalid[] = [
  {
    code: `import { redis } from './redis';
export async function work() {
  return redis.blpop('jobs', 0);
}`,
    errors: [
      blocking(3, 'BLPOP', 'redis', "imported from './redis', an app-wide client", ' forever', 'a separate client'),
    ],
  },
  {
    // node-redis spelling: only node-redis has it.
    code: `import client from '#lib/redis';
export const next = () => client.blPop('jobs', 2);`,
    errors: [blocking(2, 'BLPOP', 'client', "imported from '#lib/redis', an app-wide client", ' for up to 2 s', '`client.duplicate()`')],
  },
  {
    // Namespace imports and CommonJS.
    code: `import * as db from '../db';
export const next = () => db.redis.blmove('a', 'b', 'LEFT', 'RIGHT', 0);`,
    errors: [blocking(2, 'BLMOVE', 'db.redis', "imported from '../db', an app-wide client", ' forever', 'a separate client')],
  },
  {
    code: `const { redis } = require('./redis');
const cache = require('./cache');
const queue = require('./queue').connection;
async function work() {
  await redis.brpoplpush('a', 'b', 0);
  await cache.redis.call('BZPOPMIN', 'z', 1);
  await queue.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', 's', '>');
}
module.exports = { work };`,
    ...commonjsOptions,
    errors: [
      blocking(5, 'BRPOPLPUSH', 'redis', "imported from './redis', an app-wide client", ' forever', '`redis.duplicate()`'),
      blocking(6, 'BZPOPMIN', 'cache.redis', "imported from './cache', an app-wide client", ' for up to 1 s', '`cache.redis.duplicate()`'),
      blocking(7, 'XREADGROUP', 'queue', "imported from './queue', an app-wide client", ' forever', '`queue.duplicate()`'),
    ],
  },
  {
    // The module exports the client itself.
    code: `const redis = require('./redis');
exports.next = () => redis.blpopBuffer('jobs', 0);`,
    ...commonjsOptions,
    errors: [blocking(2, 'BLPOP', 'redis', "imported from './redis', an app-wide client", ' forever', '`redis.duplicate()`')],
  },
  {
    // Without types, a duplicate exported under a neutral name looks like any import.
    code: `import { jobsConnection } from './blocking-connections';
export const next = () => jobsConnection.blpop('jobs', 0);`,
    errors: [
      blocking(2, 'BLPOP', 'jobsConnection', "imported from './blocking-connections', an app-wide client", ' forever', 'a separate client'),
    ],
  },
  {
    // Once a blocking call shows the import is a client, its other calls are commands on it.
    code: `import { redis } from './redis';
import { logger } from './logger';
logger.info('starting');
redis.on('error', (err) => logger.error(err));
export const get = (key) => redis.get(key);
export const next = () => redis.blpop('jobs', 0);`,
    errors: [blocking(6, 'BLPOP', 'redis', 'also used for GET at line 5', ' forever', 'a separate client')],
  },
  {
    // "Non-blocking" in a name is not a dedicated connection.
    code: `import { nonBlockingRedis } from './redis';
export const next = () => nonBlockingRedis.bzpopmin('z', 0);`,
    errors: [blocking(2, 'BZPOPMIN', 'nonBlockingRedis', "imported from './redis', an app-wide client", ' forever', 'a separate client')],
  },
  {
    // Without types, any import whose blocking method a catalog library spells is taken as a
    // client (with types, blocking-fakes.ts's queue is not: see the typed cases).
    code: `import { memoryQueue } from './blocking-fakes';
export const next = () => memoryQueue.blpop('jobs', 0);`,
    errors: [blocking(2, 'BLPOP', 'memoryQueue', "imported from './blocking-fakes', an app-wide client", ' forever', 'a separate client')],
  },
  {
    // node-redis 4: the import of `commandOptions` is added.
    code: `import { client } from './redis';
export const next = () => client.blPop('jobs', 0);`,
    settings: v4,
    errors: [
      {
        ...blocking(2, 'BLPOP', 'client', "imported from './redis', an app-wide client", ' forever', '`commandOptions({ isolated: true })` or `client.duplicate()`'),
        suggestions: [
          {
            messageId: 'useIsolated',
            output: `import { client } from './redis';
import { commandOptions } from 'redis';
export const next = () => client.blPop(commandOptions({ isolated: true }), 'jobs', 0);`,
          },
        ],
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// With type information: clients and pools imported from fixture modules, typed parameters.
// ---------------------------------------------------------------------------------------------
const typedValid: Valid[] = [
  // A duplicate in the exporting module is a dedicated connection.
  `import { jobsConnection } from './blocking-connections';
   export const next = () => jobsConnection.blpop('jobs', 0);`,
  // Not Redis, whatever its methods are called.
  `import { memoryQueue } from './blocking-fakes';
   export const get = () => memoryQueue.get('x');
   export const next = () => memoryQueue.blpop('jobs', 0);`,
  // A typed parameter can't be known to be shared.
  `import Redis from 'ioredis';
   export async function work(redis: Redis) {
     await redis.get('x');
     return redis.blpop('jobs', 0);
   }`,
  // The imported client's protocol can't be read, so its subscriptions are not judged.
  `import { nodeRedis } from './shared-client';
   await nodeRedis.subscribe('news', (message) => console.log(message));`,
];

const typedInvalid: Invalid[] = [
  {
    code: `import { redis, nodeRedis } from './shared-client';
export async function work() {
  await redis.blpop('jobs', 0);
  await nodeRedis.blPop('jobs', 2);
}`,
    errors: [
      blocking(3, 'BLPOP', 'redis', "imported from './shared-client', an app-wide client", ' forever', '`redis.duplicate()`'),
      blocking(4, 'BLPOP', 'nodeRedis', "imported from './shared-client', an app-wide client", ' for up to 2 s', '`nodeRedis.duplicate()`'),
    ],
  },
  {
    // Default import; a non-blocking use in this file is the more telling reason.
    code: `import shared from './shared-client';
export const get = (key: string) => shared.get(key);
export const next = () => shared.xread('BLOCK', 100, 'STREAMS', 's', '$');`,
    errors: [blocking(3, 'XREAD', 'shared', 'also used for GET at line 2', ' for up to 100 ms', '`shared.duplicate()`')],
  },
  {
    // An imported client kept in a class field.
    code: `import { redis } from './shared-client';
export class Jobs {
  client = redis;
  next() { return this.client.bzpopmin('delayed', 0); }
}`,
    errors: [
      blocking(4, 'BZPOPMIN', 'this.client', "imported from './shared-client', an app-wide client", ' forever', '`this.client.duplicate()`'),
    ],
  },
  {
    // MONITOR on an imported node-redis client.
    code: `import { nodeRedis } from './shared-client';
export const watch = () => nodeRedis.monitor((line) => console.log(line));`,
    errors: [
      {
        messageId: 'takeoverOnSharedClient',
        line: 2,
        data: {
          command: 'MONITOR',
          name: 'nodeRedis',
          sharing: "imported from './shared-client', an app-wide client",
          mode: 'monitor feed',
          condition: '',
          remedy: '`nodeRedis.duplicate()`',
        },
      },
    ],
  },
  {
    // A class field from a typed constructor parameter, used both ways.
    code: `import Redis from 'ioredis';
export class Jobs {
  constructor(private readonly redis: Redis) {}
  size() { return this.redis.llen('jobs'); }
  next() { return this.redis.brpop('jobs', 1); }
}`,
    errors: [blocking(5, 'BRPOP', 'this.redis', 'also used for LLEN at line 4', ' for up to 1 s', '`this.redis.duplicate()`')],
  },
  {
    code: `import type { RedisClientType } from 'redis';
export class Jobs {
  private client: RedisClientType;
  constructor(client: RedisClientType) { this.client = client; }
  size() { return this.client.lLen('jobs'); }
  next() { return this.client.blPop('jobs', 0); }
}`,
    errors: [blocking(6, 'BLPOP', 'this.client', 'also used for LLEN at line 5', ' forever', '`this.client.duplicate()`')],
  },
  {
    // A generic-pool imported from another module, used both ways here.
    code: `import { redisPool } from './blocking-connections';
export const get = (key: string) => redisPool.use((client) => client.get(key));
export async function next() {
  const client = await redisPool.acquire();
  try {
    return await client.bzpopmin('delayed', 0);
  } finally {
    await redisPool.release(client);
  }
}`,
    errors: [
      {
        messageId: 'blockingOnSharedPool',
        line: 6,
        data: { command: 'BZPOPMIN', name: 'redisPool', sharing: 'which also serves GET at line 2', duration: ' forever' },
      },
    ],
  },
];

untypedTester().run('no-blocking-on-shared-client', rule, {
  valid: [...valid, ...untypedValid, ...typedInvalidButUntypedSilent()],
  invalid: [...invalid, ...untypedInvalid, ...typedInvalid.filter((test) => knownFromAnnotation(test.code))],
});

typedTester().run('no-blocking-on-shared-client (typed)', rule, {
  valid: [...valid, ...typedValid].map((test) =>
    typeof test === 'string' ? { code: test, filename: typedFile } : { ...test, filename: typedFile },
  ),
  invalid: [...invalid, ...typedInvalid].map((test) => ({ ...test, filename: typedFile })),
});

/** Typed findings that need the types: without them the rule stays silent. */
function typedInvalidButUntypedSilent(): Valid[] {
  return typedInvalid
    .filter((test) => !test.code.includes("from './shared-client'") && !test.code.includes("from './blocking-connections'"))
    .filter((test) => !knownFromAnnotation(test.code))
    .map((test) => ({ code: test.code }));
}

/** A plain parameter annotated with an imported catalog type (`client: RedisClientType`) is known untyped too. */
function knownFromAnnotation(code: string): boolean {
  return code.includes('constructor(client: RedisClientType) { this.client = client; }');
}

// The whole text users read, for one case of each message.
describe('no-blocking-on-shared-client: message text', () => {
  const linter = new Linter({ configType: 'flat' });
  const lint = (code: string) =>
    linter
      .verify(
        code,
        [
          {
            files: ['**/*.ts'],
            languageOptions: { parser: tsParser as never, sourceType: 'module' },
            plugins: { redis: { rules: { 'no-blocking-on-shared-client': rule } } as never },
            rules: { 'redis/no-blocking-on-shared-client': 'error' },
          },
        ],
        'file.ts',
      )
      .map((message) => message.message);

  it.each([
    [
      `import Redis from 'ioredis';
       const redis = new Redis();
       export const get = (key) => redis.get(key);
       export const next = () => redis.blpop('jobs', 5);`,
      'BLPOP on `redis` (also used for GET at line 3) stalls every other command on that connection for up to 5 s; give blocking reads their own connection (`redis.duplicate()`)',
    ],
    [
      `import { redis } from './redis';
       export const next = () => redis.brpoplpush('a', 'b', 0);`,
      "BRPOPLPUSH on `redis` (imported from './redis', an app-wide client) stalls every other command on that connection forever; give blocking reads their own connection (`redis.duplicate()`)",
    ],
    [
      `import { createClient } from 'redis';
       const client = await createClient({ RESP: 2 }).connect();
       await client.subscribe('news', console.log);
       export const get = (key) => client.get(key);`,
      'SUBSCRIBE on `client` (also used for GET at line 4) turns that connection into a subscriber that can run nothing else under RESP2; give it its own connection (`client.duplicate()`)',
    ],
    [
      `import { createClientPool } from 'redis';
       const pool = await createClientPool().connect();
       export const get = (key) => pool.get(key);
       export const next = () => pool.blPop('jobs', 0);`,
      'BLPOP through pool `pool` (which also serves GET at line 3) holds one of its connections forever while other work waits for a free one; give blocking reads a pool or a connection of their own',
    ],
  ])('%s', (code, message) => {
    expect(lint(code)).toEqual([message]);
  });
});
