import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

// The first typed case builds a TypeScript program: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const GENERIC_POOL = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 10 });`;
const GENERIC_POOL_CJS = `const { createPool } = require('generic-pool');
const Redis = require('ioredis');
const pool = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 10 });`;
const TARN = `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 0, max: 5 });`;
const SENTINEL = `import { createSentinel } from 'redis';
const sentinel = createSentinel({ name: 'main', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });`;
const POOL_ADVICE = 'release it in a finally block or use pool.use()';
const CONNECTION_ADVICE = 'close it in a finally block, or hand it to an owner that does';
const GP_LOAN = 'generic-pool loan';

const valid: (string | ValidTestCase<Options>)[] = [
  // --- Released on every path ---
  `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    return await client.get(key);
  } finally {
    await pool.release(client);
  }
}`,
  // CommonJS; destroy() gives a loan back too; catch that destroys and rethrows plus a normal release.
  {
    code: `${GENERIC_POOL_CJS}
async function get(key) {
  const client = await pool.acquire();
  try {
    const value = await client.get(key);
    await pool.release(client);
    return value;
  } catch (err) {
    await pool.destroy(client);
    throw err;
  }
}
module.exports = { get };`,
    ...commonjsOptions,
  },
  // A catch that swallows, then the release: nothing between can throw (console is exempt).
  `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  let value = null;
  try {
    value = await client.get(key);
  } catch (err) {
    console.error(err);
  }
  pool.release(client);
  return value;
}`,
  // try / catch / finally with returns everywhere.
  `${GENERIC_POOL}
export async function get(key, log) {
  const client = await pool.acquire();
  try { return await client.get(key); } catch (err) { log(err); return null; } finally { pool.release(client); }
}`,
  // Declared outside the try, guarded in finally (if, optional call, != null).
  `${GENERIC_POOL}
export async function get(key) {
  let client;
  try {
    client = await pool.acquire();
    return await client.get(key);
  } finally {
    if (client) await pool.release(client);
  }
}`,
  `import Redis from 'ioredis';
export async function get(key) {
  let redis;
  try {
    redis = new Redis();
    return await redis.get(key);
  } finally {
    redis?.disconnect();
  }
}`,
  `${GENERIC_POOL}
export async function get(key, want) {
  let client = null;
  if (want) client = await pool.acquire();
  if (client != null) await pool.release(client);
}`,
  // A test of the connection's own state: the branch that does not close means it is closed already.
  `import Redis from 'ioredis';
export async function get(key) {
  const redis = new Redis();
  try {
    return await redis.get(key);
  } finally {
    if (redis.status !== 'end') await redis.quit();
  }
}`,
  `import { createClient } from 'redis';
export async function get(key) {
  const client = await createClient().connect();
  try {
    return await client.get(key);
  } finally {
    if (client.isOpen) await client.close();
  }
}`,
  // Early return inside try/finally; labelled break and continue leave through the finally.
  `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    if (!key) return null;
    return await client.get(key);
  } finally {
    pool.release(client);
  }
}`,
  `${GENERIC_POOL}
export async function scan(groups) {
  outer: for (const group of groups) {
    const client = await pool.acquire();
    try {
      for (const key of group) {
        if (!key) continue outer;
        if (key === 'stop') break outer;
        await client.get(key);
      }
    } finally {
      pool.release(client);
    }
  }
}`,
  // Every case of a switch releases.
  `${GENERIC_POOL}
export async function run(kind) {
  const client = await pool.acquire();
  switch (kind) {
    case 1:
      pool.release(client);
      return 1;
    default:
      pool.release(client);
  }
  return 0;
}`,
  // Nested try blocks: the outer finally releases.
  `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    try {
      await client.get(key);
    } catch (err) {
      console.warn(err);
      return null;
    }
    return await client.set(key, '1');
  } finally {
    await pool.release(client);
  }
}`,
  // Aliases are the same loan.
  `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire();
  const client = conn;
  try { return await client.get(key); } finally { pool.release(client); }
}`,
  // An alias made in a callback is used in that callback, as the loan itself would be there.
  `${GENERIC_POOL}
export async function later() {
  const conn = await pool.acquire();
  setTimeout(() => {
    const client = conn;
    pool.release(client);
  }, 10);
}`,
  `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire();
  setTimeout(() => {
    const client = conn;
    client.get(key);
  }, 10);
  await pool.release(conn);
}`,
  // Callbacks that run inline borrow it.
  `${GENERIC_POOL}
export async function getAll(keys) {
  const client = await pool.acquire();
  try {
    return await Promise.all(keys.map((key) => client.get(key)));
  } finally {
    pool.release(client);
  }
}`,
  // tarn, a sentinel lease, glide.
  `${TARN}
export async function get(key) {
  const client = await pool.acquire().promise;
  try { return await client.get(key); } finally { pool.release(client); }
}`,
  `${SENTINEL}
export async function get(key) {
  const lease = await sentinel.acquire();
  try { return await lease.get(key); } finally { lease.release(); }
}`,
  `import { GlideClient } from '@valkey/valkey-glide';
export async function get(key) {
  const client = await GlideClient.createClient({ addresses: [{ host: 'localhost' }] });
  try { return await client.get(key); } finally { client.close(); }
}`,
  // node-redis: listeners and connect() before the try do not throw.
  `import { createClient } from 'redis';
export async function once(url) {
  const client = createClient({ url });
  client.on('error', (err) => console.error(err));
  await client.connect();
  try {
    await client.set('a', '1');
  } finally {
    await client.quit();
  }
}`,
  // A node-redis client never connected holds no socket.
  `import { createClient } from 'redis';
export function configure() {
  const client = createClient();
  client.on('error', () => {});
}`,
  // ioredis in a synchronous function: commands reject, they do not throw where they are called.
  `import Redis from 'ioredis';
export function fireAndForget() {
  const redis = new Redis();
  redis.set('a', '1');
  redis.disconnect();
}`,
  // disconnect(false) is a release (only a truthy argument reconnects).
  `import Redis from 'ioredis';
export function stop() {
  const redis = new Redis();
  redis.disconnect(false);
}`,
  // A per-call cluster, a duplicate, a node-redis pool, all closed in finally.
  `import Redis, { Cluster } from 'ioredis';
const base = new Redis();
export async function a() {
  const cluster = new Cluster([{ host: 'h', port: 6379 }]);
  try { await cluster.get('x'); } finally { cluster.disconnect(); }
}
export async function b() {
  const sub = base.duplicate();
  try { await sub.get('x'); } finally { await sub.quit(); }
}`,
  `import { createClientPool } from 'redis';
export async function batch() {
  const pool = await createClientPool({}, { maximum: 2 }).connect();
  try { await pool.get('x'); } finally { await pool.close(); }
}`,

  // --- A caught promise does not reject; loggers do not throw ---
  `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  const cached = await client.get(key).catch(() => null);
  const parsed = await client
    .get(key)
    .then((value) => JSON.parse(value))
    .catch((err) => console.warn(err));
  pool.release(client);
  return cached ?? parsed;
}`,
  `${GENERIC_POOL}
export class Repo {
  constructor(logger) { this.logger = logger; }
  async get(key) {
    const client = await pool.acquire();
    let value = null;
    try {
      value = await client.get(key);
    } catch (err) {
      this.logger.warn('read failed', err);
    }
    pool.release(client);
    return value;
  }
}`,
  // --- A local release helper releases where it is called ---
  `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  function done() {
    pool.release(client);
  }
  try {
    if (!key) {
      done();
      return null;
    }
    const value = await client.get(key);
    done();
    return value;
  } catch (err) {
    done();
    throw err;
  }
}`,
  // Registered as a callback by name: handed over where it is registered.
  `${GENERIC_POOL}
export async function middleware(req, next) {
  const client = await pool.acquire();
  req.on('close', onClose);
  function onClose() {
    pool.release(client);
  }
  if (!next) return;
  next(client);
}`,
  // --- Handed over on one branch, released on the other ---
  `${GENERIC_POOL}
export async function maybeKeep(flag, register) {
  const client = await pool.acquire();
  if (flag) {
    pool.release(client);
    return;
  }
  register(client);
}`,
  // Handed over, given back only when the hand-over fails: a release reached only through
  // an exception does not make the hand-over a loan.
  `${GENERIC_POOL}
export async function dispatch(worker) {
  const client = await pool.acquire();
  try {
    worker.enqueue(client);
  } catch (err) {
    pool.release(client);
    throw err;
  }
}`,
  // --- A function that only hands the value over is not faulted for a synchronous set-up call
  // before the hand-over (it throws only on a programming error) ---
  `import Redis from 'ioredis';
export function connect(options, metrics) {
  const redis = new Redis(options);
  metrics.register('redis', options.name);
  return redis;
}`,
  `import Redis from 'ioredis';
export function plugin(app, options) {
  const redis = new Redis(options);
  app.addHook('onClose', () => app.redis.quit());
  app.redis = redis;
}`,
  `import Redis from 'ioredis';
export function perRequest(req, res, next, metrics) {
  const redis = new Redis();
  metrics.increment('redis.open');
  res.on('finish', () => redis.quit());
  req.redis = redis;
  next();
}`,
  // --- finally blocks ESLint runs only on their normal path, or that end in a return ---
  `${GENERIC_POOL}
export async function each(keys) {
  for (const key of keys) {
    const client = await pool.acquire();
    try {
      await client.get(key);
    } catch (err) {
      continue;
    } finally {
      pool.release(client);
    }
  }
}`,
  `${GENERIC_POOL}
export async function ping() {
  const client = await pool.acquire();
  try {
    await client.ping();
  } finally {
    pool.release(client);
    return true;
  }
}`,

  // --- process.exit() ends every connection with the process ---
  `import Redis from 'ioredis';
export async function main() {
  const redis = new Redis();
  try {
    await redis.flushall();
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
  process.exit(0);
}`,
  // --- generic-pool 2's callback API is not the promise API the catalog describes ---
  `${GENERIC_POOL}
export function get(key, cb) {
  pool.acquire((err, client) => {
    if (err) return cb(err);
    client.get(key, (error, value) => {
      pool.release(client);
      cb(error, value);
    });
  });
}`,
  // --- Module level: long-lived singletons ---
  `import Redis from 'ioredis';
import { createClient } from 'redis';
import { createPool } from 'generic-pool';
const redis = new Redis();
const client = await createClient().connect();
const pool = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() });
const warm = await pool.acquire();
export async function get(key) { return (await redis.get(key)) ?? client.get(key); }`,

  // --- Ownership handed over ---
  `import Redis from 'ioredis';
export function make() { const redis = new Redis(); return redis; }
export function wrap() { const redis = new Redis(); return { redis }; }
export function list() { const redis = new Redis(); return [redis]; }
export function getter() { const redis = new Redis(); return () => redis; }
export async function connected() { const redis = new Redis({ lazyConnect: true }); await redis.connect(); return redis; }
export const arrow = () => new Redis();`,
  `import Redis from 'ioredis';
let shared;
const byName = new Map();
const all = [];
export class Holder { init() { const redis = new Redis(); this.redis = redis; } }
export function a() { const redis = new Redis(); shared = redis; }
export function b(name) { const redis = new Redis(); byName.set(name, redis); }
export function c() { const redis = new Redis(); all.push(redis); }
export function d(set) { const redis = new Redis(); set.add(redis); }`,
  // Passed to a function (option default), wrapped, yielded, resolving a promise.
  `import Redis from 'ioredis';
export function a(register) { const redis = new Redis(); register(redis); }
export function b(Session) { const redis = new Redis(); return new Session(redis).id; }
export function* c() { const redis = new Redis(); yield redis; }
export function d() {
  return new Promise((resolve) => {
    const redis = new Redis();
    redis.once('ready', () => resolve(redis));
  });
}
export function e() { const redis = new Redis(); return Promise.resolve(redis); }`,
  // The release is registered in a callback.
  `${GENERIC_POOL}
export async function a(key) {
  const client = await pool.acquire();
  return client.get(key).finally(() => pool.release(client));
}
export async function b() {
  const redis = new Redis();
  process.on('SIGTERM', () => redis.quit());
  await redis.get('x');
}
export function c(req) {
  const redis = new Redis();
  req.on('close', () => { redis.disconnect(); });
}
export async function d(res) {
  const client = await pool.acquire();
  res.on('finish', () => pool.release(client));
  await client.get('x');
}`,
  // A closure that outlives the call keeps it.
  `import Redis from 'ioredis';
export function heartbeat() {
  const redis = new Redis();
  setInterval(() => redis.ping(), 1000);
}`,
  // using / await using.
  `import Redis from 'ioredis';
export async function a() {
  await using redis = new Redis();
  await redis.get('x');
}`,
  // A subscriber connection is kept open on purpose.
  `import { createClient } from 'redis';
const client = createClient();
export async function listen(onMessage) {
  const subscriber = client.duplicate();
  await subscriber.connect();
  await subscriber.subscribe('events', onMessage);
}`,

  // --- Lifecycle-managed forms ---
  `${GENERIC_POOL}
import { createClientPool, createSentinel } from 'redis';
const clients = createClientPool();
const sentinel = createSentinel({ name: 'm', sentinelRootNodes: [] });
export async function all(key) {
  await pool.use((c) => c.get(key));
  await clients.execute((c) => c.get(key));
  await sentinel.use((c) => c.get(key));
}`,
  {
    code: `import { createClient } from 'redis';
const client = createClient();
export async function isolated(key) {
  return client.executeIsolated((c) => c.blPop(key, 0));
}`,
    settings: { redis: { versions: { redis: 4 } } },
  },

  // --- .then chains ---
  `${GENERIC_POOL}
export function a(key) {
  return pool.acquire().then(async (client) => {
    try { return await client.get(key); } finally { pool.release(client); }
  });
}
export function b(key) {
  return pool.acquire().then((client) => client.get(key).finally(() => pool.release(client)));
}
export function c(key) {
  return pool.acquire().then((client) =>
    client.get(key).then(
      (value) => { pool.release(client); return value; },
      (err) => { pool.destroy(client); throw err; },
    ),
  );
}
export function d(key) {
  return pool.acquire().then((client) =>
    client
      .get(key)
      .then((value) => { pool.release(client); return value; })
      .catch((err) => { pool.release(client); throw err; }),
  );
}`,

  // --- Class methods and async arrow functions ---
  `${GENERIC_POOL}
export class Repo {
  async get(key) {
    const client = await pool.acquire();
    try { return await client.get(key); } finally { pool.release(client); }
  }
  handler = async (key) => {
    const client = await pool.acquire();
    try { return await client.get(key); } finally { pool.release(client); }
  };
}`,

  // --- Not Redis loans: never reported ---
  `import Redlock from 'redlock';
import Redis from 'ioredis';
const redlock = new Redlock([new Redis()]);
export async function locked() {
  const lock = await redlock.acquire(['a'], 1000);
  await lock.extend(1000);
}`,
  `import pg from 'pg';
const pgPool = new pg.Pool();
export async function query() {
  const client = await pgPool.connect();
  await client.query('select 1');
}`,
  `import { Mutex, Semaphore } from 'async-mutex';
const mutex = new Mutex();
const semaphore = new Semaphore(2);
export async function critical() {
  const release = await mutex.acquire();
  const [, done] = await semaphore.acquire();
  await work();
}`,
  // A Redis-backed semaphore is a lock, not a connection loan.
  `import Redis from 'ioredis';
import { Mutex } from 'redis-semaphore';
const redis = new Redis();
export async function critical(work) {
  const mutex = new Mutex(redis, 'jobs');
  await mutex.acquire();
  await work();
}`,
  // A pool from an unknown module; a method named acquire on anything.
  `import { makePool } from './pools';
const pool = makePool();
export async function a() { const c = await pool.acquire(); await c.get('x'); }
export async function b(anything) { const c = await anything.acquire(); await c.get('x'); }`,
  // A generic-pool proven to lend something other than Redis.
  `import { createPool } from 'generic-pool';
import pg from 'pg';
const pool = createPool({ create: async () => new pg.Client(), destroy: (c) => c.end() });
export async function a() { const c = await pool.acquire(); await c.query('select 1'); }`,
  // A generic-pool of a class of this file that makes no Redis value (a child process wrapper).
  `import { createPool } from 'generic-pool';
import { spawn } from 'node:child_process';
class StatsServer {
  private child = spawn('python3', ['stats.py']);
  call(input: unknown) { this.child.stdin.write(JSON.stringify(input)); }
  destroy() { this.child.kill(); }
}
export const servers = createPool({ create: async () => new StatsServer(), destroy: async (s) => s.destroy() }, { max: 2 });
export async function run(input: unknown, record: (ms: number) => void) {
  const server = await servers.acquire();
  record(Date.now());
  try { return server.call(input); } finally { await servers.release(server); }
}`,
  // tarn's pool.destroy() ends the pool: not a loan release, and the pool is not a loan.
  `${TARN}
export async function shutdown() { await pool.destroy(); }`,

  // --- Options ---
  {
    code: `${GENERIC_POOL}
export async function a(key) {
  const client = await pool.acquire();
  try { await client.get(key); } finally { releaseClient(client); }
}
export async function b(key, pools) {
  const client = await pool.acquire();
  try { await client.get(key); } finally { pools.giveBack(client); }
}
export async function c(key) {
  const redis = new Redis();
  try { await redis.get(key); } finally { redis.shutdown(); }
}`,
    options: [{ releaseMethods: ['releaseClient', 'giveBack', 'shutdown'] }],
  },
  // Class fields are checked only when asked for.
  `import Redis from 'ioredis';
export class Cache {
  constructor() { this.redis = new Redis(); }
  get(key) { return this.redis.get(key); }
}`,
  {
    code: `import Redis from 'ioredis';
import { createClient } from 'redis';
export class Closes {
  redis = new Redis();
  async close() { await this.redis.quit(); }
}
export class Nest {
  client = createClient();
  async onModuleInit() { await this.client.connect(); }
  async onModuleDestroy() { await this.client.quit(); }
}
export class Disposable {
  redis = new Redis();
  async [Symbol.asyncDispose]() { await this.shutdownAll(); }
  async shutdownAll() { this.redis.disconnect(); }
}
export class Unconnected {
  client = createClient();
}
export class HandsOut {
  redis = new Redis();
  connection() { return this.redis; }
}
export class Derived extends Base {
  redis = new Redis();
}`,
    options: [{ checkClassFields: true }],
  },
];

type Invalid = InvalidTestCase<MessageIds, Options>;

const invalid: Invalid[] = [
  // A class of this file that wraps a Redis client, made in its constructor or handed to it:
  // its pool lends Redis connections, so the loan is checked.
  ...[
    `class Conn {
  private client = createClient();
  get(key: string) { return this.client.get(key); }
}
const pool = createPool({ create: async () => new Conn(), destroy: async () => {} }, { max: 2 });`,
    `class Conn {
  constructor(private client: { get(key: string): Promise<unknown> }) {}
  get(key: string) { return this.client.get(key); }
}
const pool = createPool({ create: async () => new Conn(createClient()), destroy: async () => {} }, { max: 2 });`,
  ].map((setup): Invalid => {
    const head = `import { createPool } from 'generic-pool';
import { createClient } from 'redis';
${setup}
export async function read(key: string, record: (ms: number) => void) {
  const conn = await pool.acquire();`;
    return {
      code: `${head}
  record(Date.now());
  try { return await conn.get(key); } finally { await pool.release(conn); }
}`,
      errors: [
        {
          messageId: 'notReleasedOnThrow',
          line: setup.split('\n').length + 4,
          suggestions: [
            {
              messageId: 'wrapInTryFinally',
              output: `${head}
  try {
    record(Date.now());
    return await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}`,
            },
          ],
        },
      ],
    };
  }),
  // --- Never released, with both suggestions ---
  {
    code: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  const value = await client.get(key);
  return value;
}`,
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: GP_LOAN, advice: POOL_ADVICE },
        line: 5,
        column: 24,
        endColumn: 38,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Release', name: 'client' },
            output: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    const value = await client.get(key);
    return value;
  } finally {
    await pool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            data: { call: 'pool.use(…)', name: 'client' },
            output: `${GENERIC_POOL}
export async function get(key) {
  return pool.use(async (client) => {
    const value = await client.get(key);
    return value;
  });
}`,
          },
        ],
      },
    ],
  },
  // --- Early return: the existing release moves into finally ---
  {
    code: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  if (!key) return null;
  // read it
  const value = await client.get(key);
  await pool.release(client);
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnReturn',
        data: { what: GP_LOAN, advice: POOL_ADVICE, line: 6 },
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    if (!key) return null;
    // read it
    const value = await client.get(key);
    return value;
  } finally {
    await pool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export async function get(key) {
  return pool.use(async (client) => {
    if (!key) return null;
    // read it
    const value = await client.get(key);
    return value;
  });
}`,
          },
        ],
      },
    ],
  },
  // --- CommonJS: anything between acquire and release may throw (JSON.parse, the command) ---
  {
    code: `${GENERIC_POOL_CJS}
async function get(key) {
  const client = await pool.acquire();
  const value = JSON.parse(await client.get(key));
  pool.release(client);
  return value;
}
module.exports = { get };`,
    ...commonjsOptions,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 6 },
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL_CJS}
async function get(key) {
  const client = await pool.acquire();
  try {
    const value = JSON.parse(await client.get(key));
    return value;
  } finally {
    pool.release(client);
  }
}
module.exports = { get };`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL_CJS}
async function get(key) {
  return pool.use(async (client) => {
    const value = JSON.parse(await client.get(key));
    return value;
  });
}
module.exports = { get };`,
          },
        ],
      },
    ],
  },
  // --- Loops: continue and break out of an iteration, the next iteration's acquire ---
  {
    code: `${GENERIC_POOL}
export async function all(keys) {
  for (const key of keys) {
    const client = await pool.acquire();
    if (key === 'skip') continue;
    await client.get(key);
    pool.release(client);
  }
}`,
    errors: [
      {
        messageId: 'notReleasedOnJump',
        data: { what: GP_LOAN, advice: POOL_ADVICE, keyword: 'continue', line: 7 },
        line: 6,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function all(keys) {
  for (const key of keys) {
    const client = await pool.acquire();
    try {
      if (key === 'skip') continue;
      await client.get(key);
    } finally {
      pool.release(client);
    }
  }
}`,
          },
        ],
      },
    ],
  },
  {
    code: `${GENERIC_POOL}
export async function first(keys) {
  for (const key of keys) {
    const client = await pool.acquire();
    if (key) break;
    pool.release(client);
  }
}`,
    errors: [
      {
        messageId: 'notReleasedOnJump',
        data: { what: GP_LOAN, advice: POOL_ADVICE, keyword: 'break', line: 7 },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function first(keys) {
  for (const key of keys) {
    const client = await pool.acquire();
    try {
      if (key) break;
    } finally {
      pool.release(client);
    }
  }
}`,
          },
        ],
      },
    ],
  },
  {
    code: `${GENERIC_POOL}
export async function each(keys) {
  let client;
  for (const key of keys) {
    client = await pool.acquire();
    if (key) await pool.release(client);
  }
}`,
    errors: [
      {
        messageId: 'notReleasedBeforeNextIteration',
        data: { what: GP_LOAN, advice: POOL_ADVICE, line: 6 },
        line: 7,
        column: 20,
        suggestions: [],
      },
    ],
  },
  // --- A branch that skips the release ---
  {
    code: `${GENERIC_POOL}
export async function maybe(flag) {
  const client = await pool.acquire();
  if (flag) {
    pool.release(client);
  }
}`,
    errors: [
      {
        messageId: 'notReleasedOnBranch',
        data: { what: GP_LOAN, advice: POOL_ADVICE, test: '`flag`', outcome: 'false', line: 6 },
        suggestions: [],
      },
    ],
  },
  // --- catch without rethrow: returns without releasing ---
  {
    code: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    const value = await client.get(key);
    pool.release(client);
    return value;
  } catch (err) {
    return null;
  }
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 7 },
        // The existing try/catch gets the finally; the release inside it goes.
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    const value = await client.get(key);
    return value;
  } catch (err) {
    return null;
  } finally {
    pool.release(client);
  }
}`,
          },
        ],
      },
    ],
  },
  // --- catch without rethrow: a call in the catch may throw before the release after it ---
  {
    code: `${GENERIC_POOL}
export async function get(key, report) {
  const client = await pool.acquire();
  let value = null;
  try {
    value = await client.get(key);
  } catch (err) {
    await report(err);
  }
  pool.release(client);
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 10 },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function get(key, report) {
  const client = await pool.acquire();
  let value = null;
  try {
    value = await client.get(key);
  } catch (err) {
    await report(err);
  } finally {
    pool.release(client);
  }
  return value;
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export async function get(key, report) {
  return pool.use(async (client) => {
    let value = null;
    try {
      value = await client.get(key);
    } catch (err) {
      await report(err);
    }
    return value;
  });
}`,
          },
        ],
      },
    ],
  },
  // --- Nested try blocks: an inner finally that does not release, a catch that rethrows ---
  {
    code: `${GENERIC_POOL}
export async function get(key, metrics, logger) {
  const client = await pool.acquire();
  try {
    try {
      await client.get(key);
    } finally {
      metrics.done();
    }
  } catch (err) {
    logger.error(err);
    throw err;
  }
  pool.release(client);
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrowStatement',
        data: { what: GP_LOAN, advice: POOL_ADVICE, line: 14 },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function get(key, metrics, logger) {
  const client = await pool.acquire();
  try {
    try {
      await client.get(key);
    } finally {
      metrics.done();
    }
  } catch (err) {
    logger.error(err);
    throw err;
  } finally {
    pool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export async function get(key, metrics, logger) {
  await pool.use(async (client) => {
    try {
      try {
        await client.get(key);
      } finally {
        metrics.done();
      }
    } catch (err) {
      logger.error(err);
      throw err;
    }
  });
}`,
          },
        ],
      },
    ],
  },
  // --- A throw statement before the release ---
  {
    code: `import Redis from 'ioredis';
export async function get(key) {
  const redis = new Redis();
  if (!key) throw new Error('no key');
  const value = await redis.get(key);
  redis.disconnect();
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrowStatement',
        data: { what: 'ioredis client', advice: CONNECTION_ADVICE, line: 4 },
        line: 3,
        column: 17,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'redis' },
            output: `import Redis from 'ioredis';
export async function get(key) {
  const redis = new Redis();
  try {
    if (!key) throw new Error('no key');
    const value = await redis.get(key);
    return value;
  } finally {
    redis.disconnect();
  }
}`,
          },
        ],
      },
    ],
  },
  // --- tarn ---
  {
    code: `${TARN}
export async function get(key) {
  const client = await pool.acquire().promise;
  const value = await client.get(key);
  pool.release(client);
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: 'tarn loan', advice: 'release it in a finally block', operation: 'the call', line: 6 },
        line: 5,
        column: 24,
        endColumn: 46,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${TARN}
export async function get(key) {
  const client = await pool.acquire().promise;
  try {
    const value = await client.get(key);
    return value;
  } finally {
    pool.release(client);
  }
}`,
          },
        ],
      },
    ],
  },
  // --- node-redis sentinel lease ---
  {
    code: `${SENTINEL}
export async function touch(key) {
  const lease = await sentinel.acquire();
  await lease.set(key, '1');
}`,
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: 'node-redis sentinel lease', advice: 'release it in a finally block or use sentinel.use()' },
        line: 4,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${SENTINEL}
export async function touch(key) {
  const lease = await sentinel.acquire();
  try {
    await lease.set(key, '1');
  } finally {
    await lease.release();
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            data: { call: 'sentinel.use(…)', name: 'lease' },
            output: `${SENTINEL}
export async function touch(key) {
  await sentinel.use(async (lease) => {
    await lease.set(key, '1');
  });
}`,
          },
        ],
      },
    ],
  },
  // --- Per-call connections ---
  {
    // node-redis: set-up stays before the try; a template literal keeps its lines.
    code: `import { createClient } from 'redis';
export async function once(url) {
  const client = createClient({ url });
  client.on('error', (err) => console.error(err));
  await client.connect();
  await client.set('greeting', \`hello
world\`);
}`,
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: 'node-redis client', advice: CONNECTION_ADVICE },
        line: 3,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import { createClient } from 'redis';
export async function once(url) {
  const client = createClient({ url });
  client.on('error', (err) => console.error(err));
  await client.connect();
  try {
    await client.set('greeting', \`hello
world\`);
  } finally {
    await client.close();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // node-redis 4 has no close(): quit().
    code: `import { createClient } from 'redis';
const client = createClient();
export async function isolated() {
  const copy = await client.duplicate().connect();
  await copy.get('x');
}`,
    settings: { redis: { versions: { redis: 4 } } },
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: 'node-redis duplicate client', advice: CONNECTION_ADVICE },
        line: 4,
        column: 22,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import { createClient } from 'redis';
const client = createClient();
export async function isolated() {
  const copy = await client.duplicate().connect();
  try {
    await copy.get('x');
  } finally {
    await copy.quit();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // disconnect(true) reconnects: the connection is never released.
    code: `import Redis from 'ioredis';
export async function bounce() {
  const redis = new Redis();
  await redis.set('a', '1');
  redis.disconnect(true);
}`,
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: 'ioredis client', advice: CONNECTION_ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import Redis from 'ioredis';
export async function bounce() {
  const redis = new Redis();
  try {
    await redis.set('a', '1');
    redis.disconnect(true);
  } finally {
    await redis.quit();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // glide's close() is synchronous; tabs are kept.
    code: `import { GlideClient } from '@valkey/valkey-glide';
export async function touch() {
\tconst client = await GlideClient.createClient({ addresses: [{ host: 'localhost' }] });
\tawait client.set('a', '1');
}`,
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: 'valkey-glide client', advice: CONNECTION_ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import { GlideClient } from '@valkey/valkey-glide';
export async function touch() {
\tconst client = await GlideClient.createClient({ addresses: [{ host: 'localhost' }] });
\ttry {
\t\tawait client.set('a', '1');
\t} finally {
\t\tclient.close();
\t}
}`,
          },
        ],
      },
    ],
  },
  {
    // iovalkey, ioredis clusters (both spellings), node-redis cluster and client pool.
    code: `import Valkey from 'iovalkey';
import Redis, { Cluster } from 'ioredis';
import { createCluster, createClientPool } from 'redis';
export async function a() { const v = new Valkey(); await v.get('x'); v.disconnect(); }
export async function b() { const c = new Cluster([]); await c.get('x'); c.disconnect(); }
export async function c() { const c = new Redis.Cluster([]); await c.get('x'); c.disconnect(); }
export async function d() { const c = await createCluster({ rootNodes: [] }).connect(); await c.get('x'); await c.close(); }
export async function e() { const p = await createClientPool().connect(); await p.get('x'); }`,
    errors: [
      // A body written on one line keeps to one line.
      { messageId: 'notReleasedOnThrow', data: { what: 'iovalkey client', advice: CONNECTION_ADVICE, operation: 'the call', line: 4 }, line: 4, suggestions: [{ messageId: 'wrapInTryFinally', output: `import Valkey from 'iovalkey';
import Redis, { Cluster } from 'ioredis';
import { createCluster, createClientPool } from 'redis';
export async function a() { const v = new Valkey(); try { await v.get('x'); } finally { v.disconnect(); } }
export async function b() { const c = new Cluster([]); await c.get('x'); c.disconnect(); }
export async function c() { const c = new Redis.Cluster([]); await c.get('x'); c.disconnect(); }
export async function d() { const c = await createCluster({ rootNodes: [] }).connect(); await c.get('x'); await c.close(); }
export async function e() { const p = await createClientPool().connect(); await p.get('x'); }` }] },
      { messageId: 'notReleasedOnThrow', data: { what: 'ioredis cluster client', advice: CONNECTION_ADVICE, operation: 'the call', line: 5 }, line: 5, suggestions: [{ messageId: 'wrapInTryFinally', output: `import Valkey from 'iovalkey';
import Redis, { Cluster } from 'ioredis';
import { createCluster, createClientPool } from 'redis';
export async function a() { const v = new Valkey(); await v.get('x'); v.disconnect(); }
export async function b() { const c = new Cluster([]); try { await c.get('x'); } finally { c.disconnect(); } }
export async function c() { const c = new Redis.Cluster([]); await c.get('x'); c.disconnect(); }
export async function d() { const c = await createCluster({ rootNodes: [] }).connect(); await c.get('x'); await c.close(); }
export async function e() { const p = await createClientPool().connect(); await p.get('x'); }` }] },
      { messageId: 'notReleasedOnThrow', data: { what: 'ioredis cluster client', advice: CONNECTION_ADVICE, operation: 'the call', line: 6 }, line: 6, suggestions: [{ messageId: 'wrapInTryFinally', output: `import Valkey from 'iovalkey';
import Redis, { Cluster } from 'ioredis';
import { createCluster, createClientPool } from 'redis';
export async function a() { const v = new Valkey(); await v.get('x'); v.disconnect(); }
export async function b() { const c = new Cluster([]); await c.get('x'); c.disconnect(); }
export async function c() { const c = new Redis.Cluster([]); try { await c.get('x'); } finally { c.disconnect(); } }
export async function d() { const c = await createCluster({ rootNodes: [] }).connect(); await c.get('x'); await c.close(); }
export async function e() { const p = await createClientPool().connect(); await p.get('x'); }` }] },
      { messageId: 'notReleasedOnThrow', data: { what: 'node-redis cluster client', advice: CONNECTION_ADVICE, operation: 'the call', line: 7 }, line: 7, suggestions: [{ messageId: 'wrapInTryFinally', output: `import Valkey from 'iovalkey';
import Redis, { Cluster } from 'ioredis';
import { createCluster, createClientPool } from 'redis';
export async function a() { const v = new Valkey(); await v.get('x'); v.disconnect(); }
export async function b() { const c = new Cluster([]); await c.get('x'); c.disconnect(); }
export async function c() { const c = new Redis.Cluster([]); await c.get('x'); c.disconnect(); }
export async function d() { const c = await createCluster({ rootNodes: [] }).connect(); try { await c.get('x'); } finally { await c.close(); } }
export async function e() { const p = await createClientPool().connect(); await p.get('x'); }` }] },
      { messageId: 'neverReleased', data: { what: 'node-redis client pool', advice: CONNECTION_ADVICE }, line: 8, suggestions: [{ messageId: 'wrapInTryFinally', output: `import Valkey from 'iovalkey';
import Redis, { Cluster } from 'ioredis';
import { createCluster, createClientPool } from 'redis';
export async function a() { const v = new Valkey(); await v.get('x'); v.disconnect(); }
export async function b() { const c = new Cluster([]); await c.get('x'); c.disconnect(); }
export async function c() { const c = new Redis.Cluster([]); await c.get('x'); c.disconnect(); }
export async function d() { const c = await createCluster({ rootNodes: [] }).connect(); await c.get('x'); await c.close(); }
export async function e() { const p = await createClientPool().connect(); try { await p.get('x'); } finally { await p.close(); } }` }] },
    ],
  },
  {
    // Made and dropped: nothing can ever release it.
    code: `${GENERIC_POOL}
export async function a() { await new Redis().get('x'); }
export async function b() { return (await pool.acquire()).get('x'); }
export async function c() { pool.acquire(); }`,
    errors: [
      { messageId: 'neverReleased', data: { what: 'ioredis client', advice: CONNECTION_ADVICE }, line: 4, column: 35 },
      { messageId: 'neverReleased', data: { what: GP_LOAN, advice: POOL_ADVICE }, line: 5, column: 43 },
      { messageId: 'neverReleased', data: { what: GP_LOAN, advice: POOL_ADVICE }, line: 6, column: 29 },
    ],
  },
  // --- .then chains ---
  {
    code: `${GENERIC_POOL}
export function a(key) {
  return pool.acquire().then((client) => client.get(key));
}
export function b(key) {
  return pool.acquire().then((client) =>
    client.get(key).then((value) => {
      pool.release(client);
      return value;
    }),
  );
}`,
    errors: [
      { messageId: 'neverReleased', data: { what: GP_LOAN, advice: POOL_ADVICE }, line: 5, column: 10, suggestions: [] },
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 9 },
        line: 8,
        column: 10,
        suggestions: [],
      },
    ],
  },
  // --- Async arrow functions and class methods ---
  {
    code: `import express from 'express';
import Redis from 'ioredis';
const app = express();
app.get('/', async (req, res) => {
  const redis = new Redis(process.env.REDIS_URL);
  const value = await redis.get(req.query.key);
  res.json({ value });
  await redis.quit();
});`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: 'ioredis client', advice: CONNECTION_ADVICE, operation: 'the call', line: 6 },
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import express from 'express';
import Redis from 'ioredis';
const app = express();
app.get('/', async (req, res) => {
  const redis = new Redis(process.env.REDIS_URL);
  try {
    const value = await redis.get(req.query.key);
    res.json({ value });
  } finally {
    await redis.quit();
  }
});`,
          },
        ],
      },
    ],
  },
  {
    code: `${GENERIC_POOL}
export class Repo {
  async get(key) {
    if (key) {
      const client = await pool.acquire();
      await client.get(key);
      return null;
    }
  }
  handler = async (key) => {
    const client = await pool.acquire();
    const value = await client.get(key);
    pool.release(client);
    return value;
  };
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 7,
        suggestions: [
          {
            // The try ends at the loan's last use: the return after it needs no connection.
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export class Repo {
  async get(key) {
    if (key) {
      const client = await pool.acquire();
      try {
        await client.get(key);
      } finally {
        await pool.release(client);
      }
      return null;
    }
  }
  handler = async (key) => {
    const client = await pool.acquire();
    const value = await client.get(key);
    pool.release(client);
    return value;
  };
}`,
          },
          {
            // The block ends in a return that ends the function: the managed call's result is returned.
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export class Repo {
  async get(key) {
    if (key) {
      return pool.use(async (client) => {
        await client.get(key);
        return null;
      });
    }
  }
  handler = async (key) => {
    const client = await pool.acquire();
    const value = await client.get(key);
    pool.release(client);
    return value;
  };
}`,
          },
        ],
      },
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 14 },
        line: 13,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export class Repo {
  async get(key) {
    if (key) {
      const client = await pool.acquire();
      await client.get(key);
      return null;
    }
  }
  handler = async (key) => {
    const client = await pool.acquire();
    try {
      const value = await client.get(key);
      return value;
    } finally {
      pool.release(client);
    }
  };
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export class Repo {
  async get(key) {
    if (key) {
      const client = await pool.acquire();
      await client.get(key);
      return null;
    }
  }
  handler = async (key) => {
    return pool.use(async (client) => {
      const value = await client.get(key);
      return value;
    });
  };
}`,
          },
        ],
      },
    ],
  },
  // --- A worker loop: the exception that ends it leaks the connection ---
  {
    code: `import Redis from 'ioredis';
export async function work(handle) {
  const redis = new Redis();
  for (;;) {
    const job = await redis.blpop('jobs', 0);
    await handle(job);
  }
}`,
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: 'ioredis client', advice: CONNECTION_ADVICE },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import Redis from 'ioredis';
export async function work(handle) {
  const redis = new Redis();
  try {
    for (;;) {
      const job = await redis.blpop('jobs', 0);
      await handle(job);
    }
  } finally {
    await redis.quit();
  }
}`,
          },
        ],
      },
    ],
  },
  // --- Options ---
  {
    // Passing it on borrows when callsTakeOwnership is off.
    code: `import Redis from 'ioredis';
export async function tracked(track) {
  const redis = new Redis();
  track(redis);
  await redis.get('x');
}`,
    options: [{ callsTakeOwnership: false }],
    errors: [
      {
        messageId: 'neverReleased',
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import Redis from 'ioredis';
export async function tracked(track) {
  const redis = new Redis();
  try {
    track(redis);
    await redis.get('x');
  } finally {
    await redis.quit();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // An extra release name only counts on this value.
    code: `${GENERIC_POOL}
export async function a(key, other) {
  const client = await pool.acquire();
  try { await client.get(key); } finally { releaseClient(other); }
}`,
    options: [{ releaseMethods: ['releaseClient'] }],
    errors: [
      {
        messageId: 'neverReleased',
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function a(key, other) {
  const client = await pool.acquire();
  try {
    try { await client.get(key); } finally { releaseClient(other); }
  } finally {
    await pool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export async function a(key, other) {
  await pool.use(async (client) => {
    try { await client.get(key); } finally { releaseClient(other); }
  });
}`,
          },
        ],
      },
    ],
  },
  {
    code: `import Redis from 'ioredis';
import { createClient } from 'redis';
export class Cache {
  constructor() { this.redis = new Redis(); }
  get(key) { return this.redis.get(key); }
}
export class Session {
  client = createClient();
  async start() { await this.client.connect(); }
  async close() { await this.store.flush(); }
}`,
    options: [{ checkClassFields: true }],
    errors: [
      {
        messageId: 'fieldNeverClosed',
        data: {
          className: '`Cache`',
          field: 'redis',
          what: 'ioredis client',
          methods: 'close, quit, disconnect, destroy, stop, shutdown, dispose, onModuleDestroy, onApplicationShutdown, onClose, [Symbol.asyncDispose], [Symbol.dispose]',
        },
        line: 4,
        column: 32,
      },
      { messageId: 'fieldNeverClosed', data: { className: '`Session`', field: 'client', what: 'node-redis client', methods: 'close, quit, disconnect, destroy, stop, shutdown, dispose, onModuleDestroy, onApplicationShutdown, onClose, [Symbol.asyncDispose], [Symbol.dispose]' }, line: 8 },
    ],
  },
  // --- A handler that rethrows: the caught promise still rejects ---
  {
    code: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  const value = await client.get(key).catch((err) => {
    throw new Error(String(err));
  });
  pool.release(client);
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 6 },
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  try {
    const value = await client.get(key).catch((err) => {
      throw new Error(String(err));
    });
    return value;
  } finally {
    pool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export async function get(key) {
  return pool.use(async (client) => {
    const value = await client.get(key).catch((err) => {
      throw new Error(String(err));
    });
    return value;
  });
}`,
          },
        ],
      },
    ],
  },
  // --- A release helper called only on the happy path, or forgotten on a return ---
  {
    code: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  const done = () => pool.release(client);
  const value = await client.get(key);
  done();
  return value;
}`,
    // `done` can't fail, so it stays before the try, where the finally can call it.
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 7 },
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  const done = () => pool.release(client);
  try {
    const value = await client.get(key);
    return value;
  } finally {
    done();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    code: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  function done() {
    pool.release(client);
  }
  try {
    if (!key) return null;
    const value = await client.get(key);
    done();
    return value;
  } catch (err) {
    done();
    throw err;
  }
}`,
    errors: [
      {
        messageId: 'notReleasedOnReturn',
        data: { what: GP_LOAN, advice: POOL_ADVICE, line: 10 },
        line: 5,
        // The helper stays before the try, and the existing try/catch gets the finally that calls it.
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  function done() {
    pool.release(client);
  }
  try {
    if (!key) return null;
    const value = await client.get(key);
    return value;
  } catch (err) {
    throw err;
  } finally {
    done();
  }
}`,
          },
        ],
      },
    ],
  },
  // --- Passed to a helper, or kept on a context, and then released: still this function's ---
  {
    code: `${GENERIC_POOL}
export async function getUser(id, loadUser) {
  const client = await pool.acquire();
  const user = await loadUser(client, id);
  pool.release(client);
  return user;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 6 },
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function getUser(id, loadUser) {
  const client = await pool.acquire();
  try {
    const user = await loadUser(client, id);
    return user;
  } finally {
    pool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `${GENERIC_POOL}
export async function getUser(id, loadUser) {
  return pool.use(async (client) => {
    const user = await loadUser(client, id);
    return user;
  });
}`,
          },
        ],
      },
    ],
  },
  {
    code: `${GENERIC_POOL}
export async function middleware(ctx, next) {
  const client = await pool.acquire();
  ctx.redis = client;
  await next();
  pool.release(client);
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 7 },
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function middleware(ctx, next) {
  const client = await pool.acquire();
  ctx.redis = client;
  try {
    await next();
  } finally {
    pool.release(client);
  }
}`,
          },
          // No managed call: the loan is stored outside (`ctx.redis`), which prefer-pool-use's plan leaves alone too.
        ],
      },
    ],
  },
  // --- Handed over, but an awaited command that fails first loses it ---
  {
    code: `import Redis from 'ioredis';
export async function connect(url) {
  const redis = new Redis(url);
  await redis.ping();
  return redis;
}`,
    errors: [{ messageId: 'notReleasedOnThrow', data: { what: 'ioredis client', advice: CONNECTION_ADVICE, operation: 'the call', line: 4 }, line: 3, suggestions: [] }],
  },
  // --- A caught exception that returns without the connection still loses it ---
  {
    code: `import { createClient } from 'redis';
export async function connect(url) {
  const client = createClient({ url });
  await client.connect();
  try {
    await client.ping();
  } catch {
    return null;
  }
  return client;
}`,
    errors: [{ messageId: 'notReleasedOnThrow', data: { what: 'node-redis client', advice: CONNECTION_ADVICE, operation: 'the call', line: 6 }, line: 3 }],
  },
  // --- A release that names what the try block would declare is not moved into finally ---
  {
    code: `${GENERIC_POOL}
export async function get(key) {
  const client = await pool.acquire();
  const conn = client;
  const value = await conn.get(key);
  pool.release(conn);
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 7 },
        line: 5,
        suggestions: [],
      },
    ],
  },
  // --- A script that exits on failure but leaves its connection open when it succeeds ---
  {
    code: `import Redis from 'ioredis';
export async function main() {
  const redis = new Redis();
  try {
    await redis.flushall();
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
}`,
    errors: [
      {
        messageId: 'notReleasedOnSomePath',
        data: { what: 'ioredis client', advice: CONNECTION_ADVICE },
        line: 3,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import Redis from 'ioredis';
export async function main() {
  const redis = new Redis();
  try {
    await redis.flushall();
  } catch (err) {
    console.error(err);
    process.exit(1);
  } finally {
    await redis.quit();
  }
}`,
          },
        ],
      },
    ],
  },
  // --- A continue that stays within the loan's life is not where it leaks ---
  {
    code: `${GENERIC_POOL}
export async function scan(keys, flag) {
  const client = await pool.acquire();
  for (const key of keys) {
    if (!key) continue;
    console.log(key);
  }
  if (flag) pool.release(client);
}`,
    errors: [
      {
        messageId: 'notReleasedOnBranch',
        data: { what: GP_LOAN, advice: POOL_ADVICE, test: '`flag`', outcome: 'false', line: 10 },
        line: 5,
        // The conditional release becomes the finally's (the branch has nothing else to do).
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `${GENERIC_POOL}
export async function scan(keys, flag) {
  const client = await pool.acquire();
  try {
    for (const key of keys) {
      if (!key) continue;
      console.log(key);
    }
  } finally {
    pool.release(client);
  }
}`,
          },
        ],
      },
    ],
  },
];

untypedTester().run('no-unreleased-connection', rule, { valid, invalid });

// Typed: the same cases with type information, and cases only types can recognise.
const typedValid: ValidTestCase<Options>[] = [
  `import type { Pool } from 'generic-pool';
interface Conn { query(sql: string): Promise<void> }
export async function other(pool: Pool<Conn>) {
  const conn = await pool.acquire();
  await conn.query('select 1');
}`,
  `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function get(pool: Pool<Redis>, key: string) {
  const client = await pool.acquire();
  try { return await client.get(key); } finally { await pool.release(client); }
}`,
  // A pool imported from another module that lends buffers.
  `import { bufferPool } from './unreleased-pools';
export async function fill() {
  const buffer = await bufferPool.acquire();
  buffer.fill(0);
}`,
  // A parameter typed as a client is the caller's, not a loan.
  `import type Redis from 'ioredis';
export async function get(redis: Redis, key: string) {
  return redis.get(key);
}`,
].map((code) => ({ code, filename: typedFile }));

const typedInvalid: Invalid[] = [
  {
    code: `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function get(pool: Pool<Redis>, key: string) {
  const client = await pool.acquire();
  return client.get(key);
}`,
    errors: [
      {
        messageId: 'neverReleased',
        data: { what: GP_LOAN, advice: POOL_ADVICE },
        line: 4,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function get(pool: Pool<Redis>, key: string) {
  const client = await pool.acquire();
  try {
    return await client.get(key);
  } finally {
    await pool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function get(pool: Pool<Redis>, key: string) {
  return pool.use(async (client) => {
    return client.get(key);
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // A pool imported from another module: only its type says it lends Redis connections.
    code: `import { redisPool } from './unreleased-pools';
export async function get(key: string) {
  const client = await redisPool.acquire();
  const value = await client.get(key);
  await redisPool.release(client);
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: 'release it in a finally block or use redisPool.use()', operation: 'the call', line: 4 },
        line: 3,
        column: 24,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import { redisPool } from './unreleased-pools';
export async function get(key: string) {
  const client = await redisPool.acquire();
  try {
    const value = await client.get(key);
    return value;
  } finally {
    await redisPool.release(client);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            data: { call: 'redisPool.use(…)', name: 'client' },
            output: `import { redisPool } from './unreleased-pools';
export async function get(key: string) {
  return redisPool.use(async (client) => {
    const value = await client.get(key);
    return value;
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // A pool whose resources the types do not tell: its loans must go back all the same.
    code: `import type { Pool } from 'generic-pool';
export async function run(pool: Pool<any>) {
  const resource = await pool.acquire();
  await resource.work();
  await pool.release(resource);
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: GP_LOAN, advice: POOL_ADVICE, operation: 'the call', line: 4 },
        line: 3,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import type { Pool } from 'generic-pool';
export async function run(pool: Pool<any>) {
  const resource = await pool.acquire();
  try {
    await resource.work();
  } finally {
    await pool.release(resource);
  }
}`,
          },
          {
            messageId: 'useManagedCall',
            output: `import type { Pool } from 'generic-pool';
export async function run(pool: Pool<any>) {
  await pool.use(async (resource) => {
    await resource.work();
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // A duplicate of a client known from its type.
    code: `import type { RedisClientType } from 'redis';
export async function isolated(client: RedisClientType) {
  const copy = client.duplicate();
  await copy.connect();
  const value = await copy.get('x');
  await copy.close();
  return value;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: 'node-redis duplicate client', advice: CONNECTION_ADVICE, operation: 'the call', line: 5 },
        line: 3,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import type { RedisClientType } from 'redis';
export async function isolated(client: RedisClientType) {
  const copy = client.duplicate();
  await copy.connect();
  try {
    const value = await copy.get('x');
    return value;
  } finally {
    await copy.close();
  }
}`,
          },
        ],
      },
    ],
  },
  {
    // With types, a property read through `!` on a value that may be missing may throw.
    code: `import Redis from 'ioredis';
export function size(settings: { limits?: { max: number } }) {
  const redis = new Redis();
  const max = settings.limits!.max;
  redis.disconnect();
  return max;
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        data: { what: 'ioredis client', advice: CONNECTION_ADVICE, operation: 'the property read', line: 4 },
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import Redis from 'ioredis';
export function size(settings: { limits?: { max: number } }) {
  const redis = new Redis();
  try {
    const max = settings.limits!.max;
    return max;
  } finally {
    redis.disconnect();
  }
}`,
          },
        ],
      },
    ],
  },
];

typedTester().run('no-unreleased-connection (typed)', rule, {
  valid: [
    ...valid.map((test) => (typeof test === 'string' ? { code: test, filename: typedFile } : { ...test, filename: typedFile })),
    ...typedValid,
  ],
  invalid: [...invalid.map((test) => ({ ...test, filename: typedFile })), ...typedInvalid],
});
