/**
 * no-unreleased-connection across modules: connections and loans that come from the project's
 * own modules (factories, getters, pools, re-exports, CommonJS, tsconfig paths), as the fixture
 * service under test/fixtures/modules/service writes them.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';
import { commonjs, handlerJs, handlerTs, modulesOff, typedServiceTester, untypedServiceTester } from '../analysis/modules-harness';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

function inFile<T extends object>(filename: string, options: object, tests: Omit<T, 'filename'>[]): T[] {
  return tests.map((test) => ({ filename, ...options, ...test }) as T);
}

const CONNECTION_ADVICE = 'close it in a finally block, or hand it to an owner that does';

const valid: Valid[] = [
  // A shared client from a getter is the module's, not the caller's.
  `import { getRedisConnection, getOrCreateRedis, getLazy } from '../lib/redis';
export async function read(key: string) {
  const a = getRedisConnection();
  const b = getOrCreateRedis();
  const c = getLazy();
  return [await a.get(key), await b.get(key), await c.get(key)];
}`,
  // A registry keyed by id keeps (and closes) its clients.
  `import { clientFor, registeredClient } from '../lib/redis';
export async function read(id: string) {
  const client = clientFor(id);
  const other = registeredClient(id);
  return [await client.get('k'), await other.get('k')];
}`,
  // A fresh connection closed on every path, directly or through the project's releaser.
  `import { createRedisInstance, closeQuietly } from '../lib/redis';
export async function read(key: string) {
  const redis = createRedisInstance({ commandTimeout: 1000 });
  try {
    return await redis.get(key);
  } finally {
    await closeQuietly(redis);
  }
}`,
  // A client owned by a service object that closes it in onApplicationShutdown.
  `import { RedisService } from '../lib/shutdown';
const service = new RedisService();
export async function read(key: string) {
  return service.getClient().get(key);
}`,
  // Kept on a field and closed in onClose.
  `import { createRedisInstance } from '../lib/redis';
export class Cache {
  private redis = createRedisInstance({ commandTimeout: 1000 });
  async onClose() {
    await this.redis.quit();
  }
}`,
  // A pool class whose acquire forwards to its inner pool: the class itself is not a recognised pool.
  `import { RedisPool } from '../lib/pool';
const pool = new RedisPool();
export async function read(key: string) {
  const client = await pool.acquire();
  return client.get(key);
}`,
  // A pool of plain objects from another module lends no connections.
  `import { workerPool } from '../lib/pool';
export async function work() {
  const worker = await workerPool.acquire();
  return worker.id;
}`,
  // createClient inside a pool factory's create: the pool owns what create returns.
  `import genericPool from 'generic-pool';
import { createRedisInstance } from '../lib/redis';
export const pool = genericPool.createPool(
  { create: async () => createRedisInstance({ commandTimeout: 1000 }), destroy: async (client) => { await client.quit(); } },
  { max: 4, acquireTimeoutMillis: 1000 },
);`,
  // A loan of a pool re-exported through the index, released in finally.
  `import { sharedPool } from '../lib';
export async function read(key: string) {
  const client = await sharedPool.acquire();
  try {
    return await client.get(key);
  } finally {
    await sharedPool.release(client);
  }
}`,
  // The module view switched off: the factory's connection is not known (what the rule said before).
  {
    code: `import { createRedisInstance } from '../lib/redis';
export async function read(key: string) {
  const redis = createRedisInstance({ commandTimeout: 1000 });
  return redis.get(key);
}`,
    settings: modulesOff,
  },
].map((test) => (typeof test === 'string' ? { code: test, filename: handlerTs } : { filename: handlerTs, ...test }));

const validCommonjs: Valid[] = [
  `const { getClient, client } = require('../lib/legacy');
async function read(key) {
  return [await getClient().get(key), await client.get(key)];
}
module.exports = { read };`,
].map((code) => ({ code, filename: handlerJs, ...commonjs }));

const invalid = inFile<Invalid>(handlerTs, {}, [
  // A fresh connection per request from a factory in another module, never closed.
  {
    code: `import { createRedisInstance } from '../lib/redis';
export async function read(key: string) {
  const redis = createRedisInstance({ commandTimeout: 1000 });
  return redis.get(key);
}`,
    errors: [
      { messageId: 'neverReleased', line: 3, data: { what: 'ioredis client', advice: CONNECTION_ADVICE }, suggestions: [{ messageId: 'wrapInTryFinally', output: `import { createRedisInstance } from '../lib/redis';
export async function read(key: string) {
  const redis = createRedisInstance({ commandTimeout: 1000 });
  try {
    return await redis.get(key);
  } finally {
    await redis.quit();
  }
}` }] },
    ],
  },
  // The same through a tsconfig paths alias, closed only when GET succeeds.
  {
    code: `import { createRedisInstance } from '@lib/redis';
export async function read(key: string) {
  const redis = createRedisInstance({ commandTimeout: 1000 });
  const value = await redis.get(key);
  await redis.quit();
  return value;
}`,
    errors: [
      { messageId: 'notReleasedOnThrow', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `import { createRedisInstance } from '@lib/redis';
export async function read(key: string) {
  const redis = createRedisInstance({ commandTimeout: 1000 });
  try {
    const value = await redis.get(key);
    return value;
  } finally {
    await redis.quit();
  }
}` }] },
    ],
  },
  // A dedicated duplicate from an async helper, quit only after BLPOP resolves.
  {
    code: `import { createSubscriber } from '../lib/redis';
export async function next() {
  const subscriber = await createSubscriber();
  const job = await subscriber.blpop('jobs', 5);
  await subscriber.quit();
  return job;
}`,
    errors: [
      { messageId: 'notReleasedOnThrow', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `import { createSubscriber } from '../lib/redis';
export async function next() {
  const subscriber = await createSubscriber();
  try {
    const job = await subscriber.blpop('jobs', 5);
    return job;
  } finally {
    await subscriber.quit();
  }
}` }] },
    ],
  },
  // A loan of a pool made by a local factory, re-exported through the index file.
  {
    code: `import { sharedPool } from '../lib';
export async function read(key: string) {
  const client = await sharedPool.acquire();
  const value = await client.get(key);
  await sharedPool.release(client);
  return value;
}`,
    errors: [
      { messageId: 'notReleasedOnThrow', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `import { sharedPool } from '../lib';
export async function read(key: string) {
  const client = await sharedPool.acquire();
  try {
    const value = await client.get(key);
    return value;
  } finally {
    await sharedPool.release(client);
  }
}` }, { messageId: 'useManagedCall', output: `import { sharedPool } from '../lib';
export async function read(key: string) {
  return sharedPool.use(async (client) => {
    const value = await client.get(key);
    return value;
  });
}` }] },
    ],
  },
  // A default-exported factory.
  {
    code: `import connectCache from '../lib/cache-factory';
export async function read(key: string) {
  const cache = await connectCache();
  return cache.get(key);
}`,
    errors: [
      { messageId: 'neverReleased', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `import connectCache from '../lib/cache-factory';
export async function read(key: string) {
  const cache = await connectCache();
  try {
    return await cache.get(key);
  } finally {
    await cache.close();
  }
}` }] },
    ],
  },
  // A same-class helper that duplicates the shared connection; quit only on success.
  {
    code: `import Redis from 'ioredis';
export class Dequeuer {
  private redis = new Redis({ commandTimeout: 2000 });
  #createBlockingDequeueClient() {
    return this.redis.duplicate();
  }
  async dequeue() {
    const blocking = this.#createBlockingDequeueClient();
    const job = await blocking.blpop('jobs', 1);
    await blocking.quit();
    return job;
  }
  async close() {
    await this.redis.quit();
  }
}`,
    errors: [
      { messageId: 'notReleasedOnThrow', line: 8, suggestions: [{ messageId: 'wrapInTryFinally', output: `import Redis from 'ioredis';
export class Dequeuer {
  private redis = new Redis({ commandTimeout: 2000 });
  #createBlockingDequeueClient() {
    return this.redis.duplicate();
  }
  async dequeue() {
    const blocking = this.#createBlockingDequeueClient();
    try {
      const job = await blocking.blpop('jobs', 1);
      return job;
    } finally {
      await blocking.quit();
    }
  }
  async close() {
    await this.redis.quit();
  }
}` }] },
    ],
  },
  // A wrapper declared in settings, from a package.
  {
    code: `import { createClient } from '@acme/redis';
export async function read(key: string) {
  const client = createClient();
  return client.get(key);
}`,
    settings: { redis: { factories: [{ from: 'package', package: '@acme/redis', name: 'createClient', library: 'ioredis' }] } },
    errors: [
      { messageId: 'neverReleased', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `import { createClient } from '@acme/redis';
export async function read(key: string) {
  const client = createClient();
  try {
    return await client.get(key);
  } finally {
    await client.quit();
  }
}` }] },
    ],
  },
]);

const invalidCommonjs = inFile<Invalid>(handlerJs, commonjs, [
  // CommonJS: `module.exports = { createConnection }` and `exports.connect = …`.
  {
    code: `const redis = require('../lib/legacy');
const { connect } = require('../lib/exports-style');
async function read(key) {
  const a = redis.createConnection({ commandTimeout: 1000 });
  const b = connect();
  return [await a.get(key), await b.get(key)];
}
module.exports = { read };`,
    errors: [
      { messageId: 'neverReleased', line: 4, suggestions: [{ messageId: 'wrapInTryFinally', output: `const redis = require('../lib/legacy');
const { connect } = require('../lib/exports-style');
async function read(key) {
  const a = redis.createConnection({ commandTimeout: 1000 });
  try {
    const b = connect();
    return await [await a.get(key), await b.get(key)];
  } finally {
    await a.quit();
  }
}
module.exports = { read };` }] },
      { messageId: 'neverReleased', line: 5, suggestions: [{ messageId: 'wrapInTryFinally', output: `const redis = require('../lib/legacy');
const { connect } = require('../lib/exports-style');
async function read(key) {
  const a = redis.createConnection({ commandTimeout: 1000 });
  const b = connect();
  try {
    return await [await a.get(key), await b.get(key)];
  } finally {
    await b.quit();
  }
}
module.exports = { read };` }] },
    ],
  },
]);

untypedServiceTester().run('no-unreleased-connection (modules)', rule, {
  valid: [...valid, ...validCommonjs],
  invalid: [...invalid, ...invalidCommonjs],
});

// Types only add: the same answers with a TypeScript program (CommonJS handlers are not in it).
typedServiceTester().run('no-unreleased-connection (modules, typed)', rule, {
  valid,
  invalid: invalid.filter((test) => !test.settings),
});
