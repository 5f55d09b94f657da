import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/require-timeout';
import { typedFile, typedTester, untypedTester } from '../rule-tester';

type Valid = string | ValidTestCase<Options>;
type Invalid = InvalidTestCase<MessageIds, Options>;

// The first typed case builds the TypeScript program, which can take longer than vitest's 5 s
// default on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const redis4 = { redis: { versions: { redis: 4 } } };
const redis5 = { redis: { versions: { redis: 5 } } };
const ioredis5 = { redis: { versions: { ioredis: 5 } } };

const valid: Valid[] = [
  // ioredis: a command timeout, or an idle socket timeout, bounds every command.
  `import Redis from 'ioredis';
   const redis = new Redis({ commandTimeout: 2000 });`,
  `import Redis from 'ioredis';
   const redis = new Redis(6379, 'cache.internal', { socketTimeout: 10000 });`,
  // ioredis arms a commandTimeout of 0 at once, so every command fails: broken, but no hang.
  `import Redis from 'ioredis';
   const redis = new Redis({ commandTimeout: 0 });`,
  `import Redis from 'ioredis';
   const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 2000 });`,
  // ioredis merges every object argument, the earlier winning: a config's node object given
  // before static options may carry the timeout.
  `import IORedis from 'ioredis';
   export function connect(config) {
     return new IORedis(config.node, { lazyConnect: true, enableReadyCheck: true });
   }`,
  `import { Cluster } from 'ioredis';
   const cluster = new Cluster([{ host: 'a' }], { redisOptions: { commandTimeout: 1000 } });
   const copy = cluster.duplicate([], { redisOptions: { connectionName: 'copy' } });`,
  `const Redis = require('iovalkey');
   const redis = new Redis({ socketTimeout: 3000 });`,
  // Static evaluation: constants, arithmetic, Math.min, spreads of known objects.
  `import Redis from 'ioredis';
   const SECOND = 1000;
   const base = { host: 'cache' };
   const redis = new Redis({ ...base, commandTimeout: Math.min(2 * SECOND, 5000) });`,
  // A duplicate inherits its source's commandTimeout, or overrides it.
  `import Redis from 'ioredis';
   const redis = new Redis({ commandTimeout: 1000 });
   const sub = redis.duplicate();`,
  `import Redis from 'ioredis';
   const redis = new Redis({ commandTimeout: 1000 });
   const blocking = redis.duplicate({ commandTimeout: 30000 });
   await blocking.blpop('jobs', 10);`,
  // Options from elsewhere: imported config, unknown spreads, environment.
  `import Redis from 'ioredis';
   import { redisOptions } from './timeout-config';
   const a = new Redis(redisOptions);
   const b = new Redis({ ...redisOptions, lazyConnect: true });
   const c = new Redis({ commandTimeout: Number(process.env.REDIS_TIMEOUT) });`,
  `import { createClient } from 'redis';
   import { clientOptions } from './config';
   const client = createClient(clientOptions);`,
  `import { createPool } from 'generic-pool';
   import Redis from 'ioredis';
   import { poolOptions } from './timeout-config';
   const pool = createPool({ create: async () => new Redis({ commandTimeout: 1000 }), destroy: (c) => c.quit() }, poolOptions);`,
  // BullMQ blocking connections: maxRetriesPerRequest null is required, commandTimeout would break them.
  `import IORedis from 'ioredis';
   import { Worker } from 'bullmq';
   const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
   const worker = new Worker('emails', async (job) => job.data, { connection });`,
  `import Redis from 'ioredis';
   import { QueueEvents } from 'bullmq';
   const events = new QueueEvents('emails', { connection: new Redis({ maxRetriesPerRequest: null }) });`,
  `import Redis from 'ioredis';
   import * as bullmq from 'bullmq';
   const connection = new Redis({ maxRetriesPerRequest: null });
   const options = { connection, concurrency: 5 };
   const worker = new bullmq.Worker('emails', null, options);`,
  `import Redis from 'ioredis';
   import { Worker } from 'bullmq';
   const base = new Redis({ maxRetriesPerRequest: null });
   const worker = new Worker('emails', null, { connection: base.duplicate() });`,
  // A client set up for BullMQ that leaves this file may be a Worker connection elsewhere.
  `import Redis from 'ioredis';
   export const connection = new Redis({ maxRetriesPerRequest: null });`,
  `import Redis from 'ioredis';
   import { startWorkers } from './workers';
   const connection = new Redis({ maxRetriesPerRequest: null });
   startWorkers(connection);`,
  `import Redis from 'ioredis';
   class Jobs { redis = new Redis({ maxRetriesPerRequest: null }); }`,
  // Library defaults that already bound the wait: node-redis 6 (5 s), tarn (30 s), glide (250 ms).
  `import { createClient, createCluster } from 'redis';
   const client = createClient();
   const cluster = createCluster({ rootNodes: [{ url: 'redis://a' }] });`,
  `import { Pool } from 'tarn';
   import Redis from 'ioredis';
   const pool = new Pool({ create: () => new Redis({ commandTimeout: 1000 }), destroy: (c) => c.disconnect(), min: 0, max: 5 });`,
  `import { GlideClient } from '@valkey/valkey-glide';
   const a = await GlideClient.createClient({ addresses: [{ host: 'cache' }] });
   const b = await GlideClient.createClient({ addresses: [{ host: 'cache' }], requestTimeout: 0 });`,
  `import { createClientPool } from 'redis';
   const pool = createClientPool({}, { maximum: 10 });
   const other = createClientPool({}, { acquireTimeout: 5000 });`,
  // node-redis 6: a socket timeout still bounds a client whose command timeout is off.
  `import { createClient } from 'redis';
   const client = createClient({ commandOptions: { timeout: 0 }, socket: { socketTimeout: 30000 } });`,
  // node-redis 5: either option bounds commands.
  { code: `import { createClient } from 'redis';
   const a = createClient({ commandOptions: { timeout: 3000 } });
   const b = createClient({ socket: { socketTimeout: 10000 } });`, settings: redis5 },
  { code: `import { createClient } from 'redis';
   const client = createClient();`, settings: redis5, options: [{ nodeRedisCommandTimeout: 'explicit-only' }] },
  // node-redis 4 has no client-wide option: nothing to ask for by default.
  { code: `import { createClient } from 'redis';
   const client = createClient();`, settings: redis4 },
  // generic-pool: bounded, or not a pool of Redis clients, or a resource we can't see.
  `import { createPool } from 'generic-pool';
   import Redis from 'ioredis';
   const pool = createPool({ create: async () => new Redis({ commandTimeout: 1000 }), destroy: (c) => c.quit() }, { max: 10, acquireTimeoutMillis: 2000 });`,
  `import { createPool } from 'generic-pool';
   import { connect } from 'node:net';
   const sockets = createPool({ create: async () => connect(80, 'example.com'), destroy: async (s) => s.destroy() });`,
  `import { createPool } from 'generic-pool';
   import { makeConnection } from './db';
   const pool = createPool({ create: makeConnection, destroy: async (c) => c.close() });`,
  // Blocking commands with non-zero timeouts that fit inside the client's timeouts.
  `import Redis from 'ioredis';
   const redis = new Redis({ commandTimeout: 10000 });
   await redis.blpop('jobs', 5);
   await redis.xread('BLOCK', 2000, 'STREAMS', 'events', '$');
   await redis.xread('STREAMS', 'events', '0');
   await redis.bzpopmin('delayed', 0.5);`,
  `import { createClient } from 'redis';
   const client = createClient({ socket: { socketTimeout: 10000 } });
   await client.blPop('jobs', 5);
   await client.xRead({ key: 'events', id: '$' }, { BLOCK: 2000 });`,
  // A client-side safety net for blocking commands (ioredis >= 5.9.1 blockingTimeout).
  { code: `import Redis from 'ioredis';
   import { shared } from './config';
   const redis = new Redis({ ...shared, blockingTimeout: 30000 });
   await redis.blpop('jobs', 0);`, settings: ioredis5 },
  // Waiting forever on purpose.
  {
    code: `import Redis from 'ioredis';
   import { shared } from './config';
   const redis = new Redis(shared);
   await redis.blpop('jobs', 0);`,
    options: [{ allowInfiniteBlocking: true }],
  },
  // A client allowed to wait forever may not have a commandTimeout: any would cut BLPOP 0 short.
  {
    code: `import Redis from 'ioredis';
   const consumer = new Redis();
   export async function next() { return consumer.blpop('jobs', 0); }`,
    options: [{ allowInfiniteBlocking: true }],
  },
  // Not Redis: names alone are no evidence.
  `class Redis { constructor(options?: object) {} }
   const redis = new Redis();`,
  `function createPool(factory: object) { return factory; }
   const pool = createPool({ create: () => ({}) });`,
  `const queue = { blpop: (key: string, timeout: number) => null };
   queue.blpop('jobs', 0);`,
  // Conditional spreads whose every branch is a known literal: the answer is known.
  `import Redis from 'ioredis';
   const base = { host: 'cache.internal', commandTimeout: 2000 };
   export const redis = new Redis({ ...base, ...(process.env.TLS ? { tls: {} } : {}) });`,
  `import Redis from 'ioredis';
   export const redis = new Redis({ ...(process.env.SLOW ? { commandTimeout: 10000 } : { commandTimeout: 2000 }) });`,
  `import { createClient } from 'redis';
   export const client = createClient({ ...(process.env.TLS && { socket: { tls: true } }), commandOptions: { timeout: 2000 } });`,
  // A branch that may set the timeout to something unknown keeps the rule silent.
  `import Redis from 'ioredis';
   export const redis = new Redis({ ...(process.env.FAST ? { commandTimeout: 500 } : {}) });`,
  // blockingTimeout ends an endless wait first: a longer commandTimeout never rejects it.
  `import Redis from 'ioredis';
   const redis = new Redis({ blockingTimeout: 30000, commandTimeout: 31000 });
   await redis.blpop('jobs', 0);`,
];

const invalid: Invalid[] = [
  {
    code: `import Redis from 'ioredis';
const redis = new Redis();`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 2,
        column: 15,
        data: { subject: 'This ioredis client', option: 'commandTimeout' },
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'commandTimeout', value: 5000 },
            output: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 5000 });`,
          },
        ],
      },
    ],
  },
  {
    // Port and host: the options become a third argument.
    code: `import Redis from 'ioredis';
const redis = new Redis(6379, 'cache.internal');`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const redis = new Redis(6379, 'cache.internal', { commandTimeout: 5000 });`,
          },
        ],
      },
    ],
  },
  {
    // Named like a port and a host: not options, so the static options are all there is.
    code: `import IORedis from 'ioredis';
export function connect(answers) {
  return new IORedis(answers.port, answers.server, { lazyConnect: true });
}`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        suggestions: [
          {
            messageId: 'addOption',
            output: `import IORedis from 'ioredis';
export function connect(answers) {
  return new IORedis(answers.port, answers.server, {
    lazyConnect: true,
    commandTimeout: 5000
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // A URL from the environment is a string, not options.
    code: `import Redis from 'ioredis';
const redis = new Redis(process.env.REDIS_URL);`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 5000 });`,
          },
        ],
      },
    ],
  },
  {
    // Written into the existing literal, keeping its layout; the configured default is used.
    code: `import Redis from 'ioredis';
const redis = new Redis('redis://cache', {
  lazyConnect: true,
});`,
    options: [{ defaults: { commandTimeout: 1500 } }],
    errors: [
      {
        messageId: 'missingCommandTimeout',
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'commandTimeout', value: 1500 },
            output: `import Redis from 'ioredis';
const redis = new Redis('redis://cache', {
  lazyConnect: true,
  commandTimeout: 1500,
});`,
          },
        ],
      },
    ],
  },
  {
    // `new Redis` without parentheses, an empty literal, a trailing comma on one line.
    code: `import Redis from 'ioredis';
const a = new Redis;
const b = new Redis({});
const c = new Redis({ host: 'cache', });`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 2,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const a = new Redis({ commandTimeout: 5000 });
const b = new Redis({});
const c = new Redis({ host: 'cache', });`,
          },
        ],
      },
      {
        messageId: 'missingCommandTimeout',
        line: 3,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const a = new Redis;
const b = new Redis({ commandTimeout: 5000 });
const c = new Redis({ host: 'cache', });`,
          },
        ],
      },
      {
        messageId: 'missingCommandTimeout',
        line: 4,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const a = new Redis;
const b = new Redis({});
const c = new Redis({ host: 'cache', commandTimeout: 5000, });`,
          },
        ],
      },
    ],
  },
  {
    // A same-file options constant read only here takes the option.
    code: `import Redis from 'ioredis';
const options = { host: 'cache' };
const redis = new Redis(options);`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 3,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const options = { host: 'cache', commandTimeout: 5000 };
const redis = new Redis(options);`,
          },
        ],
      },
    ],
  },
  {
    // Options also read elsewhere (exported): no suggestion, the report stays.
    code: `import Redis from 'ioredis';
export const options = { host: 'cache' };
const redis = new Redis(options);`,
    errors: [{ messageId: 'missingCommandTimeout', line: 3, suggestions: [] }],
  },
  {
    // A cluster takes it in redisOptions.
    code: `import { Redis, Cluster } from 'ioredis';
const a = new Cluster([{ host: 'a' }], { redisOptions: { password: 'secret' } });
const b = new Cluster([{ host: 'a' }]);
const c = new Redis.Cluster([{ host: 'a' }], { scaleReads: 'slave' });`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 2,
        data: { subject: 'This ioredis cluster', option: 'redisOptions.commandTimeout' },
        suggestions: [
          {
            messageId: 'addOption',
            output: `import { Redis, Cluster } from 'ioredis';
const a = new Cluster([{ host: 'a' }], { redisOptions: { password: 'secret', commandTimeout: 5000 } });
const b = new Cluster([{ host: 'a' }]);
const c = new Redis.Cluster([{ host: 'a' }], { scaleReads: 'slave' });`,
          },
        ],
      },
      {
        messageId: 'missingCommandTimeout',
        line: 3,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import { Redis, Cluster } from 'ioredis';
const a = new Cluster([{ host: 'a' }], { redisOptions: { password: 'secret' } });
const b = new Cluster([{ host: 'a' }], { redisOptions: { commandTimeout: 5000 } });
const c = new Redis.Cluster([{ host: 'a' }], { scaleReads: 'slave' });`,
          },
        ],
      },
      {
        messageId: 'missingCommandTimeout',
        line: 4,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import { Redis, Cluster } from 'ioredis';
const a = new Cluster([{ host: 'a' }], { redisOptions: { password: 'secret' } });
const b = new Cluster([{ host: 'a' }]);
const c = new Redis.Cluster([{ host: 'a' }], {
  scaleReads: 'slave',
  redisOptions: { commandTimeout: 5000 }
});`,
          },
        ],
      },
    ],
  },
  {
    // The source is reported; its duplicate with its own commandTimeout and the plain duplicate are not
    // (fixing the source fixes the plain one).
    code: `import Redis from 'ioredis';
const redis = new Redis();
const blocking = redis.duplicate({ commandTimeout: 30000 });
const plain = redis.duplicate();`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 2,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 5000 });
const blocking = redis.duplicate({ commandTimeout: 30000 });
const plain = redis.duplicate();`,
          },
        ],
      },
    ],
  },
  {
    // The suggested commandTimeout leaves room for the blocking waits the client serves, including
    // through a duplicate that inherits it (not through one that sets its own).
    code: `import Redis from 'ioredis';
const redis = new Redis();
const blocking = redis.duplicate();
await blocking.blpop('jobs', 30);
const events = redis.duplicate({ commandTimeout: 120000 });
await events.xread('BLOCK', 60000, 'STREAMS', 'events', '$');`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 2,
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'commandTimeout', value: 31000 },
            output: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 31000 });
const blocking = redis.duplicate();
await blocking.blpop('jobs', 30);
const events = redis.duplicate({ commandTimeout: 120000 });
await events.xread('BLOCK', 60000, 'STREAMS', 'events', '$');`,
          },
        ],
      },
    ],
  },
  {
    // The Worker's connection is exempt; another duplicate of it serves ordinary commands.
    code: `import Redis from 'ioredis';
import { Worker } from 'bullmq';
const connection = new Redis({ maxRetriesPerRequest: null });
const worker = new Worker('emails', null, { connection });
const cache = connection.duplicate();`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 5,
        data: { subject: "This ioredis duplicate (it inherits its source's options)", option: 'commandTimeout' },
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
import { Worker } from 'bullmq';
const connection = new Redis({ maxRetriesPerRequest: null });
const worker = new Worker('emails', null, { connection });
const cache = connection.duplicate({ commandTimeout: 5000 });`,
          },
        ],
      },
    ],
  },
  {
    // A Queue does not block: null retries there only hide outages.
    code: `import Redis from 'ioredis';
import { Queue } from 'bullmq';
const connection = new Redis({ maxRetriesPerRequest: null });
const queue = new Queue('emails', { connection });`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 3,
        column: 20,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
import { Queue } from 'bullmq';
const connection = new Redis({
  maxRetriesPerRequest: null,
  commandTimeout: 5000
});
const queue = new Queue('emails', { connection });`,
          },
        ],
      },
      {
        messageId: 'retriesForever',
        line: 3,
        column: 32,
        data: { library: 'ioredis', defaultRetries: 20 },
        suggestions: [
          {
            messageId: 'setOption',
            data: { option: 'maxRetriesPerRequest', value: 20 },
            output: `import Redis from 'ioredis';
import { Queue } from 'bullmq';
const connection = new Redis({ maxRetriesPerRequest: 20 });
const queue = new Queue('emails', { connection });`,
          },
        ],
      },
    ],
  },
  {
    code: `import Redis from 'ioredis';
const redis = new Redis({ maxRetriesPerRequest: null, commandTimeout: 1000 });
export function get(key: string) { return redis.get(key); }`,
    options: [{ defaults: { maxRetriesPerRequest: 3 } }],
    errors: [
      {
        messageId: 'retriesForever',
        suggestions: [
          {
            messageId: 'setOption',
            output: `import Redis from 'ioredis';
const redis = new Redis({ maxRetriesPerRequest: 3, commandTimeout: 1000 });
export function get(key: string) { return redis.get(key); }`,
          },
        ],
      },
    ],
  },
  {
    // An explicit null turns the command timeout off: reported at the property.
    code: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: null });`,
    errors: [
      {
        messageId: 'commandTimeoutDisabled',
        column: 27,
        data: { option: 'commandTimeout', value: 'null', defaultNote: '', library: 'ioredis', kind: 'client' },
        suggestions: [
          {
            messageId: 'setOption',
            output: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 5000 });`,
          },
        ],
      },
    ],
  },
  {
    // An explicit undefined is the same as leaving it out; the suggestion sets it.
    code: `import Redis from 'ioredis';
const redis = new Redis({
  host: 'cache',
  commandTimeout: undefined
});`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 2,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import Redis from 'ioredis';
const redis = new Redis({
  host: 'cache',
  commandTimeout: 5000
});`,
          },
        ],
      },
    ],
  },
  {
    code: `const Redis = require('iovalkey');
const redis = new Redis({ port: 6380 });`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        data: { subject: 'This iovalkey client', option: 'commandTimeout' },
        suggestions: [
          {
            messageId: 'addOption',
            output: `const Redis = require('iovalkey');
const redis = new Redis({ port: 6380, commandTimeout: 5000 });`,
          },
        ],
      },
    ],
  },
  {
    // ioredis #1630: commandTimeout rejects a blocking wait the server still holds.
    code: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 1000 });
await redis.blpop('jobs', 5);
await redis.blpop('jobs', 0);
await redis.xread('BLOCK', 2000, 'STREAMS', 'events', '$');
await redis.blpop('jobs', 0.5);`,
    errors: [
      {
        messageId: 'commandTimeoutRejectsBlocking',
        line: 3,
        data: { limit: 1000, limitHuman: '1 s', command: 'BLPOP', wait: '5 s wait' },
      },
      {
        messageId: 'commandTimeoutRejectsBlocking',
        line: 4,
        data: { limit: 1000, limitHuman: '1 s', command: 'BLPOP', wait: 'endless wait (timeout 0)' },
      },
      {
        messageId: 'commandTimeoutRejectsBlocking',
        line: 5,
        data: { limit: 1000, limitHuman: '1 s', command: 'XREAD', wait: '2 s wait' },
      },
    ],
  },
  {
    // A timeout equal to the wait still fires first: the server's reply comes after it.
    code: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 5000, socketTimeout: 60000 });
await redis.blpop('jobs', 5);`,
    errors: [
      {
        messageId: 'commandTimeoutRejectsBlocking',
        line: 3,
        data: { limit: 5000, limitHuman: '5 s', command: 'BLPOP', wait: '5 s wait' },
      },
    ],
  },
  {
    // ioredis socketTimeout destroys the socket mid-wait and the command is resent, forever.
    code: `import Redis from 'ioredis';
const redis = new Redis({ socketTimeout: 500 });
await redis.brpop('jobs', 2);`,
    errors: [
      {
        messageId: 'socketTimeoutRestartsBlocking',
        line: 3,
        data: { limit: 500, limitHuman: '500 ms', command: 'BRPOP', wait: '2 s wait' },
      },
    ],
  },
  {
    // Under 0.002 s: forever on servers before 7.0.8, whatever the client's timeouts.
    code: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 5000 });
await redis.blpop('jobs', 0.001);`,
    errors: [{ messageId: 'nearZeroBlocking', line: 3, data: { command: 'BLPOP', value: 0.001 } }],
  },
  {
    // ... even when waiting forever is allowed.
    code: `import Redis from 'ioredis';
import { shared } from './config';
const redis = new Redis(shared);
await redis.call('bzpopmin', 'delayed', 0.0005);`,
    options: [{ allowInfiniteBlocking: true }],
    errors: [{ messageId: 'nearZeroBlocking', line: 4, data: { command: 'BZPOPMIN', value: 0.0005 } }],
  },
  {
    // Timeout 0 on a client whose options we can't see: the call itself asks to wait forever.
    code: `import Redis from 'ioredis';
import { shared } from './config';
const redis = new Redis(shared);
await redis.blpop('jobs', 0);
await redis.brpoplpush('jobs', 'busy', 0);
await redis.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', 'events', '>');`,
    errors: [
      { messageId: 'infiniteBlocking', line: 4, data: { command: 'BLPOP', unit: 'seconds' } },
      { messageId: 'infiniteBlocking', line: 5, data: { command: 'BRPOPLPUSH', unit: 'seconds' } },
      { messageId: 'infiniteBlocking', line: 6, data: { command: 'XREADGROUP', unit: 'ms' } },
    ],
  },
  {
    // Every commandTimeout would reject BLPOP 0 (ioredis #1630): the report stays, with no
    // suggestion, until the call's own timeout is finite.
    code: `import Redis from 'ioredis';
const redis = new Redis();
await redis.blpop('jobs', 0);`,
    errors: [
      { messageId: 'missingCommandTimeout', line: 2, suggestions: [] },
      { messageId: 'infiniteBlocking', line: 3 },
    ],
  },
  {
    // ... and with waiting forever allowed, a source whose duplicate waits forever is still
    // reported for its own commands, without a suggestion its duplicate would inherit.
    code: `import Redis from 'ioredis';
const redis = new Redis();
const blocking = redis.duplicate();
await redis.get('config');
await blocking.blpop('jobs', 0);`,
    options: [{ allowInfiniteBlocking: true }],
    errors: [{ messageId: 'missingCommandTimeout', line: 2, suggestions: [] }],
  },
  {
    // blockingTimeout ends an endless wait: the suggested commandTimeout leaves room for it.
    code: `import Redis from 'ioredis';
const redis = new Redis({ blockingTimeout: 30000 });
await redis.blpop('jobs', 0);`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 2,
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'commandTimeout', value: 31000 },
            output: `import Redis from 'ioredis';
const redis = new Redis({ blockingTimeout: 30000, commandTimeout: 31000 });
await redis.blpop('jobs', 0);`,
          },
        ],
      },
    ],
  },
  {
    // node-redis 6 bounds commands at 5 s unless told otherwise.
    code: `import { createClient } from 'redis';
const client = createClient({ commandOptions: { timeout: 0 } });`,
    errors: [
      {
        messageId: 'commandTimeoutDisabled',
        column: 49,
        data: {
          option: 'commandOptions.timeout',
          value: '0',
          defaultNote: ' (left unset it would be 5000 ms)',
          library: 'node-redis',
          kind: 'client',
        },
        suggestions: [
          {
            messageId: 'setOption',
            data: { option: 'commandOptions.timeout', value: 5000 },
            output: `import { createClient } from 'redis';
const client = createClient({ commandOptions: { timeout: 5000 } });`,
          },
        ],
      },
    ],
  },
  {
    // node-redis 5 has the option but no default; a pool's clients take client options too.
    code: `import { createClient, createClientPool } from 'redis';
const a = createClient();
const b = createClient({ url: 'redis://cache', commandOptions: { typeMapping: {} } });
const pool = createClientPool({}, { acquireTimeout: 0, maximum: 20 });
const copy = a.duplicate();`,
    settings: redis5,
    errors: [
      {
        messageId: 'missingNodeRedisCommandTimeout',
        line: 2,
        data: { major: 5, kind: 'client' },
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'commandOptions.timeout', value: 5000 },
            output: `import { createClient, createClientPool } from 'redis';
const a = createClient({ commandOptions: { timeout: 5000 } });
const b = createClient({ url: 'redis://cache', commandOptions: { typeMapping: {} } });
const pool = createClientPool({}, { acquireTimeout: 0, maximum: 20 });
const copy = a.duplicate();`,
          },
        ],
      },
      {
        messageId: 'missingNodeRedisCommandTimeout',
        line: 3,
        suggestions: [
          {
            messageId: 'addOption',
            output: `import { createClient, createClientPool } from 'redis';
const a = createClient();
const b = createClient({ url: 'redis://cache', commandOptions: { typeMapping: {}, timeout: 5000 } });
const pool = createClientPool({}, { acquireTimeout: 0, maximum: 20 });
const copy = a.duplicate();`,
          },
        ],
      },
      {
        messageId: 'missingNodeRedisCommandTimeout',
        line: 4,
        column: 14,
        data: { major: 5, kind: 'pool' },
        suggestions: [
          {
            messageId: 'addOption',
            output: `import { createClient, createClientPool } from 'redis';
const a = createClient();
const b = createClient({ url: 'redis://cache', commandOptions: { typeMapping: {} } });
const pool = createClientPool({
  commandOptions: { timeout: 5000 }
}, { acquireTimeout: 0, maximum: 20 });
const copy = a.duplicate();`,
          },
        ],
      },
      {
        messageId: 'acquireTimeoutDisabled',
        line: 4,
        column: 37,
        data: {
          option: 'acquireTimeout',
          value: '0',
          meaning:
            'means wait forever in node-redis: once all 20 clients are busy, a command on this pool waits for a free client forever (left unset it would be 3000 ms).',
        },
        suggestions: [
          {
            messageId: 'setOption',
            data: { option: 'acquireTimeout', value: 5000 },
            output: `import { createClient, createClientPool } from 'redis';
const a = createClient();
const b = createClient({ url: 'redis://cache', commandOptions: { typeMapping: {} } });
const pool = createClientPool({}, { acquireTimeout: 5000, maximum: 20 });
const copy = a.duplicate();`,
          },
        ],
      },
    ],
  },
  {
    // Explicit values that turn the timeout off are reported in every mode.
    code: `import { createClient } from 'redis';
const client = createClient({ commandOptions: { timeout: 0 } });`,
    settings: redis5,
    options: [{ nodeRedisCommandTimeout: 'explicit-only' }],
    errors: [{ messageId: 'commandTimeoutDisabled', data: { option: 'commandOptions.timeout', value: '0', defaultNote: '', library: 'node-redis', kind: 'client' }, suggestions: [{ messageId: 'setOption', output: `import { createClient } from 'redis';
const client = createClient({ commandOptions: { timeout: 5000 } });` }] }],
  },
  {
    // node-redis 4 only when asked: there is no option to add, so no suggestion; the duplicate is
    // covered by its source's report.
    code: `import { createClient } from 'redis';
const client = createClient();
const copy = client.duplicate();`,
    settings: redis4,
    options: [{ nodeRedisCommandTimeout: 'always' }],
    errors: [{ messageId: 'noClientWideCommandTimeout', line: 2, data: { major: 4, kind: 'client' }, suggestions: [] }],
  },
  {
    // node-redis socketTimeout fires while the server holds a blocking call, and the client closes.
    code: `import { createClient, createClientPool, createCluster } from 'redis';
const client = createClient({ socket: { socketTimeout: 1000 } });
await client.blPop('jobs', 5);
await client.xRead({ key: 'events', id: '$' }, { BLOCK: 0 });
const pool = createClientPool({ socket: { socketTimeout: 2000 } });
await pool.blPop('jobs', 10);
const cluster = createCluster({ rootNodes: [{ url: 'redis://a' }], defaults: { socket: { socketTimeout: 3000 } } });
await cluster.bzPopMin('delayed', 0);`,
    errors: [
      {
        messageId: 'socketTimeoutClosesClient',
        line: 3,
        data: { limit: 1000, limitHuman: '1 s', command: 'BLPOP', wait: '5 s wait' },
      },
      {
        messageId: 'socketTimeoutClosesClient',
        line: 4,
        data: { limit: 1000, limitHuman: '1 s', command: 'XREAD', wait: 'endless wait (timeout 0)' },
      },
      {
        messageId: 'socketTimeoutClosesClient',
        line: 6,
        data: { limit: 2000, limitHuman: '2 s', command: 'BLPOP', wait: '10 s wait' },
      },
      {
        messageId: 'socketTimeoutClosesClient',
        line: 8,
        data: { limit: 3000, limitHuman: '3 s', command: 'BZPOPMIN', wait: 'endless wait (timeout 0)' },
      },
    ],
  },
  {
    // A duplicate that replaces `socket` does not inherit the source's socketTimeout.
    code: `import { createClient } from 'redis';
const client = createClient({ socket: { socketTimeout: 1000 } });
const blocking = client.duplicate({ socket: { host: 'cache' } });
await blocking.blPop('jobs', 0);`,
    errors: [{ messageId: 'infiniteBlocking', line: 4 }],
  },
  {
    code: `import { createClient, commandOptions } from 'redis';
const client = createClient();
await client.sendCommand(['BLPOP', 'jobs', '0']);
await client.blPop(commandOptions({ isolated: true }), 'jobs', 0);`,
    settings: redis4,
    errors: [
      { messageId: 'infiniteBlocking', line: 3, data: { command: 'BLPOP', unit: 'seconds' } },
      { messageId: 'infiniteBlocking', line: 4, data: { command: 'BLPOP', unit: 'seconds' } },
    ],
  },
  {
    // glide: a blocking timeout of 0 removes glide's own limit.
    code: `import { GlideClient } from '@valkey/valkey-glide';
const client = await GlideClient.createClient({ addresses: [{ host: 'cache' }] });
await client.blpop(['jobs'], 0);
await client.blpop(['jobs'], 5);`,
    errors: [{ messageId: 'infiniteBlocking', line: 3, data: { command: 'BLPOP', unit: 'seconds' } }],
  },
  {
    // generic-pool of Redis clients: no acquire timeout, or 0, waits forever.
    code: `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const factory = { create: async () => new Redis({ commandTimeout: 1000 }), destroy: async (c: Redis) => { await c.quit(); } };
const a = createPool(factory, { max: 10 });
const b = createPool(factory);
const c = createPool(factory, { acquireTimeoutMillis: 0 });`,
    errors: [
      {
        messageId: 'missingAcquireTimeout',
        line: 4,
        data: { capacity: 'all 10 resources are' },
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'acquireTimeoutMillis', value: 5000 },
            output: `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const factory = { create: async () => new Redis({ commandTimeout: 1000 }), destroy: async (c: Redis) => { await c.quit(); } };
const a = createPool(factory, { max: 10, acquireTimeoutMillis: 5000 });
const b = createPool(factory);
const c = createPool(factory, { acquireTimeoutMillis: 0 });`,
          },
        ],
      },
      {
        messageId: 'missingAcquireTimeout',
        line: 5,
        data: { capacity: "its one resource (generic-pool's default max) is" },
        suggestions: [
          {
            messageId: 'addOption',
            output: `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const factory = { create: async () => new Redis({ commandTimeout: 1000 }), destroy: async (c: Redis) => { await c.quit(); } };
const a = createPool(factory, { max: 10 });
const b = createPool(factory, { acquireTimeoutMillis: 5000 });
const c = createPool(factory, { acquireTimeoutMillis: 0 });`,
          },
        ],
      },
      {
        messageId: 'acquireTimeoutDisabled',
        line: 6,
        column: 33,
        suggestions: [
          {
            messageId: 'setOption',
            output: `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const factory = { create: async () => new Redis({ commandTimeout: 1000 }), destroy: async (c: Redis) => { await c.quit(); } };
const a = createPool(factory, { max: 10 });
const b = createPool(factory);
const c = createPool(factory, { acquireTimeoutMillis: 5000 });`,
          },
        ],
      },
    ],
  },
  {
    // A pool whose create() connects a node-redis client and returns it.
    code: `import { createPool } from 'generic-pool';
import { createClient } from 'redis';
const pool = createPool(
  {
    create: async () => {
      const client = createClient();
      await client.connect();
      return client;
    },
    destroy: async (client) => client.close(),
  },
  {
    max: 5,
  },
);`,
    options: [{ defaults: { acquireTimeoutMillis: 2500 } }],
    errors: [
      {
        messageId: 'missingAcquireTimeout',
        line: 3,
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'acquireTimeoutMillis', value: 2500 },
            output: `import { createPool } from 'generic-pool';
import { createClient } from 'redis';
const pool = createPool(
  {
    create: async () => {
      const client = createClient();
      await client.connect();
      return client;
    },
    destroy: async (client) => client.close(),
  },
  {
    max: 5,
    acquireTimeoutMillis: 2500,
  },
);`,
          },
        ],
      },
    ],
  },
  {
    // A conditional spread of known literals, none of which bounds commands: the answer is known.
    code: `import Redis from 'ioredis';
const base = { host: 'cache.internal' };
export const redis = new Redis({ ...base, ...(process.env.TLS ? { tls: {} } : {}) });`,
    errors: [
      {
        messageId: 'missingCommandTimeout',
        line: 3,
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'commandTimeout', value: 5000 },
            output: `import Redis from 'ioredis';
const base = { host: 'cache.internal' };
export const redis = new Redis({
  ...base,
  ...(process.env.TLS ? { tls: {} } : {}),
  commandTimeout: 5000
});`,
          },
        ],
      },
    ],
  },
  {
    // node-redis 5: a `&&` spread that brings only TLS settings leaves commands unbounded.
    code: `import { createClient } from 'redis';
export const client = createClient({ url: process.env.URL, ...(process.env.TLS && { socket: { tls: true } }) });`,
    settings: redis5,
    errors: [
      {
        messageId: 'missingNodeRedisCommandTimeout',
        suggestions: [
          {
            messageId: 'addOption',
            data: { option: 'commandOptions.timeout', value: 5000 },
            output: `import { createClient } from 'redis';
export const client = createClient({
  url: process.env.URL,
  ...(process.env.TLS && { socket: { tls: true } }),
  commandOptions: { timeout: 5000 }
});`,
          },
        ],
      },
    ],
  },
  {
    // blockingTimeout ends the endless wait after 30 s: a commandTimeout of 20 s fires first.
    code: `import Redis from 'ioredis';
const redis = new Redis({ blockingTimeout: 30000, commandTimeout: 20000 });
await redis.blpop('jobs', 0);`,
    errors: [{ messageId: 'commandTimeoutRejectsBlocking', line: 3, data: { limit: 20000, limitHuman: '20 s', command: 'BLPOP', wait: '30 s wait' } }],
  },
];

untypedTester().run('require-timeout', rule, { valid, invalid });

// With type information: values known only from their declared type.
const typedValid: Valid[] = [
  `import type Redis from 'ioredis';
   export async function next(redis: Redis) { return redis.blpop('jobs', 5); }`,
  {
    code: `import type Redis from 'ioredis';
   export async function next(redis: Redis) { return redis.blpop('jobs', 0); }`,
    options: [{ allowInfiniteBlocking: true }],
  },
  `import Redis from 'ioredis';
   import { redisOptions } from './timeout-config';
   const redis = new Redis(redisOptions);
   const url: string = process.env.REDIS_URL ?? 'redis://localhost';
   export const other = new Redis(url, redisOptions);`,
];

const typedInvalid: Invalid[] = [
  {
    code: `import type Redis from 'ioredis';
export async function next(redis: Redis) { return redis.blpop('jobs', 0); }`,
    errors: [{ messageId: 'infiniteBlocking', line: 2, data: { command: 'BLPOP', unit: 'seconds' } }],
  },
  {
    code: `import type { RedisClientType } from 'redis';
export async function next(client: RedisClientType) { return client.blPop('jobs', 0); }`,
    errors: [{ messageId: 'infiniteBlocking', line: 2 }],
  },
  {
    // A client imported from another module: its options are not visible here.
    code: `import { redis } from './shared-client';
export async function next() { return redis.brpop('jobs', 0); }`,
    errors: [{ messageId: 'infiniteBlocking', line: 2, data: { command: 'BRPOP', unit: 'seconds' } }],
  },
];

typedTester().run('require-timeout (typed)', rule, {
  valid: [...valid, ...typedValid].map((test) =>
    typeof test === 'string' ? { code: test, filename: typedFile } : { ...test, filename: typedFile },
  ),
  invalid: [...invalid, ...typedInvalid].map((test) => ({ ...test, filename: typedFile })),
});

// A URL with an environment fallback, directly or through a constant, is not an options object.
untypedTester().run('require-timeout (URL arguments)', rule, {
  valid: [
    `import Redis from 'ioredis';
     const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
     export const redis = new Redis(URL, { commandTimeout: 1000 });`,
  ],
  invalid: [
    {
      code: `import Redis from 'ioredis';
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');`,
      errors: [{ messageId: 'missingCommandTimeout', suggestions: [{ messageId: 'addOption', output: `import Redis from 'ioredis';
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  commandTimeout: 5000
});` }] }],
    },
    {
      code: `import Redis from 'ioredis';
const URL = process.env.REDIS_URL || \`redis://\${process.env.HOST}:6379\`;
export const redis = new Redis(URL);`,
      errors: [{ messageId: 'missingCommandTimeout', suggestions: [{ messageId: 'addOption', output: `import Redis from 'ioredis';
const URL = process.env.REDIS_URL || \`redis://\${process.env.HOST}:6379\`;
export const redis = new Redis(URL, { commandTimeout: 5000 });` }] }],
    },
  ],
});
