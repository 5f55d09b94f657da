/**
 * no-unreleased-connection: connections that outlive their last reference (a module singleton
 * re-created per call, a connection overwritten or set to null while open), connections owned on
 * one branch of `?:`, loans handed down a `.then` chain, and what counts as a throw point between
 * a creation and the `try` that protects it.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';
import { handlerTs, untypedServiceTester } from '../analysis/modules-harness';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

const CONNECTION_ADVICE = 'close it in a finally block, or hand it to an owner that does';
const GENERIC_POOL = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 10 });`;

/** TypeScript cases: run untyped and typed. */
const valid: (string | Valid)[] = [
  // --- Singletons made once ---
  // The memoised singleton, in its three spellings, and an early return.
  `import Redis from 'ioredis';
let connection: Redis | undefined;
export function getConnection(): Redis {
  if (!connection) {
    connection = new Redis(process.env.REDIS_URL!);
  }
  return connection;
}`,
  `import Redis from 'ioredis';
let a: Redis | undefined;
let b: Redis | undefined;
export const getA = () => (a ??= new Redis());
export function getB() {
  b ||= new Redis();
  return b;
}`,
  `import Redis from 'ioredis';
let client: Redis | null = null;
export function redis(): Redis {
  if (client && client.status !== 'end') return client;
  client = new Redis({ lazyConnect: true });
  return client;
}`,
  // A flag instead of the variable still guards it.
  `import Redis from 'ioredis';
let client: Redis;
let ready = false;
export function getClient() {
  if (ready) return client;
  client = new Redis();
  ready = true;
  return client;
}`,
  // Closing the previous one before re-creating.
  `import Redis from 'ioredis';
let client: Redis | undefined;
export async function reconnect(url: string) {
  await client?.quit();
  client = new Redis(url);
  return client;
}`,
  // The previous one handed to a closer first.
  `import Redis from 'ioredis';
let client = new Redis();
export async function rotate(url: string) {
  const previous = client;
  client = new Redis(url);
  await previous.quit();
}`,
  // A registry keyed by id, with a matching delete and quit.
  `import Redis from 'ioredis';
const clients = new Map<string, Redis>();
const byTenant: Record<string, Redis> = {};
export function clientFor(id: string) {
  const client = new Redis({ db: Number(id) });
  clients.set(id, client);
  byTenant[id] = client;
  return client;
}
export async function release(id: string) {
  await clients.get(id)?.quit();
  clients.delete(id);
  delete byTenant[id];
}`,
  // Assignments that run once: module level, a constructor, a main() called once.
  `import Redis from 'ioredis';
let client = new Redis();
client = new Redis({ db: 1 });
let other: Redis;
async function main() {
  other = new Redis();
  await other.ping();
  return other;
}
main().catch(console.error);
export { client };`,
  `import Redis from 'ioredis';
export class Cache {
  private client: Redis;
  constructor(url: string) {
    this.client = new Redis(url);
  }
  get(key: string) {
    return this.client.get(key);
  }
  async close() {
    await this.client.quit();
  }
}`,
  // A connect() reached only from a start() run once at module level.
  `import { createClient } from 'redis';
let client: ReturnType<typeof createClient>;
async function connect() {
  client = createClient();
  await client.connect();
}
async function start() {
  await connect();
}
start().catch(console.error);
export const get = (key: string) => client.get(key);`,
  // Re-created when the old one has ended.
  `import Redis from 'ioredis';
let client = new Redis();
client.on('end', () => {
  client = new Redis();
});
export const current = () => client;`,
  // Set to null after closing it, or in a class whose close method quits it.
  `import Redis from 'ioredis';
export class Store {
  private client: Redis | null = new Redis();
  async shutdown() {
    await this.client?.quit();
    this.client = null;
  }
}`,
  `import Redis from 'ioredis';
let client: Redis | null = new Redis();
export async function close() {
  await client?.quit();
}
export function forget() {
  client = null;
}`,
  // A node-redis client re-created by a getter that never connects it holds no socket.
  `import { createClient } from 'redis';
let client: ReturnType<typeof createClient>;
export function makeClient() {
  client = createClient();
  return client;
}`,

  // --- One branch owns it ---
  `import Redis from 'ioredis';
declare function isClient(x: unknown): x is Redis;
export async function read(target: Redis | string, key: string) {
  const redis = isClient(target) ? target : new Redis(target);
  try {
    return await redis.get(key);
  } finally {
    if (redis !== target) await redis.quit();
  }
}`,
  // Handed back to the caller.
  `import Redis from 'ioredis';
declare function isClient(x: unknown): x is Redis;
export function toClient(target: Redis | string): Redis {
  const redis = isClient(target) ? target : new Redis(target);
  return redis;
}`,

  // --- Promise chains ---
  `${GENERIC_POOL}
export function touch(key: string) {
  return Promise.resolve()
    .then(() => pool.acquire())
    .then((client) => client.set(key, '1').finally(() => pool.release(client)));
}`,
  `${GENERIC_POOL}
export function touch(key: string) {
  return Promise.resolve()
    .then(() => pool.acquire())
    .then((client) =>
      client.set(key, '1').then(
        () => pool.release(client),
        (err) => {
          pool.release(client);
          throw err;
        },
      ),
    );
}`,

  // --- What cannot fail between the creation and the try ---
  // A same-file class whose constructor only stores its options.
  `import { createClient } from 'redis';
class Cache {
  private readonly prefix: string;
  constructor(private readonly options: { redis: unknown; prefix?: string }) {
    this.prefix = options.prefix ?? 'cache:';
  }
}
export async function warm() {
  const redis = createClient();
  await redis.connect();
  const cache = new Cache({ redis });
  try {
    await redis.set('warm', '1');
  } finally {
    await redis.quit();
  }
  return cache;
}`,
  // A class whose members are each plain or store a value that may not throw, mixed.
  `import { createClient } from 'redis';
class Cache {
  private entries = new Map<string, string>();
  constructor(private ttl = 60) {
    if (ttl < 0) this.ttl = 0;
  }
}
export async function warm() {
  const redis = createClient();
  await redis.connect();
  const cache = new Cache();
  try {
    await redis.set('warm', '1');
  } finally {
    await redis.quit();
  }
  return cache;
}`,
  // Getters of a started container.
  `import { createClient } from 'redis';
import { GenericContainer } from 'testcontainers';
export async function withContainer() {
  const container = await new GenericContainer('redis').withExposedPorts(6379).start();
  const redis = createClient({ url: 'redis://localhost' });
  await redis.connect();
  const port = container.getMappedPort(6379);
  try {
    await redis.set('port', String(port));
  } finally {
    await redis.quit();
  }
}`,
  // child.kill() in the finally, before the close.
  `import { createClient } from 'redis';
import { spawn } from 'node:child_process';
export async function withServer() {
  const server = spawn('redis-server', ['--port', '7000']);
  const redis = createClient({ url: 'redis://localhost:7000' });
  await redis.connect();
  try {
    await redis.set('a', 'b');
  } finally {
    server.kill('SIGTERM');
    await redis.quit();
  }
}`,
];

const invalid: Invalid[] = [
  // --- A singleton re-created on every call ---
  {
    code: `import Redis from 'ioredis';
let client: Redis | undefined;
export function getRedis(url: string): Redis {
  client = new Redis(url);
  return client;
}`,
    errors: [{ messageId: 'recreatedOnEveryCall', line: 4, data: { fn: '`getRedis`', place: 'client', what: 'ioredis client' } }],
  },
  // Both branches of a ternary re-create it.
  {
    code: `import Redis from 'ioredis';
let connection: Redis;
export const connect = (tls: boolean) => {
  connection = tls ? new Redis({ tls: {} }) : new Redis();
  return connection;
};`,
    errors: [{ messageId: 'recreatedOnEveryCall', line: 4, data: { fn: '`connect`', place: 'connection', what: 'ioredis client' } }],
  },
  // node-redis: connected by the getter, per call.
  {
    code: `import { createClient } from 'redis';
let client: ReturnType<typeof createClient>;
export async function redisClient() {
  client = createClient({ url: process.env.REDIS_URL });
  await client.connect();
  return client;
}`,
    errors: [{ messageId: 'recreatedOnEveryCall', line: 4 }],
  },

  // A retry helper re-creates through a local; each retry after the first drops a duplicate it made.
  {
    code: `import { createClient } from 'redis';
const redisClient = createClient();
let importRedis: typeof redisClient = redisClient;
async function recreateImportRedisClient(): Promise<void> {
  const nextClient = redisClient.duplicate();
  await nextClient.connect();
  importRedis = nextClient;
}
async function withImportRedisRetry<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    await recreateImportRedisClient();
    return operation();
  }
}
export const getJob = (id: string) => withImportRedisRetry(() => importRedis.get(id));`,
    errors: [{ messageId: 'recreatedOnEveryCall', line: 7, data: { fn: '`recreateImportRedisClient`', place: 'importRedis', what: 'node-redis duplicate client' } }],
  },

  // --- Overwritten while open ---
  {
    code: `import Redis from 'ioredis';
export class Subscriber {
  private redis = new Redis();
  async restart() {
    this.redis = new Redis();
    await this.redis.subscribe('events');
  }
}`,
    errors: [{ messageId: 'overwrittenWhileOpen', line: 5, data: { place: 'this.redis', line: 3, what: 'ioredis client' } }],
  },

  // --- Dropped while open ---
  {
    code: `import Redis from 'ioredis';
export class Cache {
  private client: Redis | null;
  constructor(url: string) {
    this.client = new Redis(url);
  }
  get(key: string) {
    return this.client!.get(key);
  }
  shutdown() {
    this.client = null;
  }
}`,
    errors: [{ messageId: 'droppedWhileOpen', line: 11, data: { place: 'this.client', line: 5, empty: 'null', what: 'ioredis client' } }],
  },

  // --- Owned on one branch, never closed ---
  {
    code: `import Redis from 'ioredis';
declare function isClient(x: unknown): x is Redis;
export async function read(target: Redis | string, key: string) {
  const redis = isClient(target) ? target : new Redis(target);
  return redis.get(key);
}`,
    errors: [{ messageId: 'neverReleased', line: 4, column: 45 }],
  },
  // ioredis' disconnect(true) reconnects: it closes nothing, here as for any loan.
  {
    code: `import Redis from 'ioredis';
declare function isClient(x: unknown): x is Redis;
export async function read(target: Redis | string, key: string) {
  const redis = isClient(target) ? target : new Redis(target);
  const value = await redis.get(key);
  redis.disconnect(true);
  return value;
}`,
    errors: [{ messageId: 'neverReleased', line: 4, column: 45 }],
  },

  // --- A loan released only when the chain succeeds ---
  {
    code: `${GENERIC_POOL}
export function touch(key: string) {
  return Promise.resolve()
    .then(() => pool.acquire())
    .then((client) => client.set(key, '1').then(() => pool.release(client)));
}`,
    errors: [{ messageId: 'notReleasedOnThrow', line: 6 }],
  },

  // --- Throw points that stay ---
  {
    code: `import { createClient } from 'redis';
export async function save(raw: string) {
  const redis = createClient();
  await redis.connect();
  const data = JSON.parse(raw);
  try {
    await redis.set('data', data.value);
  } finally {
    await redis.quit();
  }
}`,
    errors: [{ messageId: 'notReleasedOnThrow', line: 3, data: { what: 'node-redis client', advice: CONNECTION_ADVICE, operation: 'the call', line: 5 } , suggestions: [{ messageId: 'wrapInTryFinally', data: { name: 'redis', verb: 'Close' }, output: `import { createClient } from 'redis';
export async function save(raw: string) {
  const redis = createClient();
  await redis.connect();
  try {
    const data = JSON.parse(raw);
    await redis.set('data', data.value);
  } finally {
    await redis.quit();
  }
}` }] }],
  },
  // A same-file constructor that validates its options can throw.
  {
    code: `import { createClient } from 'redis';
class Cache {
  constructor(private readonly options: { redis: unknown }) {
    if (!options.redis) throw new Error('redis is required');
  }
}
export async function warm() {
  const redis = createClient();
  await redis.connect();
  const cache = new Cache({ redis });
  try {
    await redis.set('warm', '1');
  } finally {
    await redis.quit();
  }
  return cache;
}`,
    errors: [{ messageId: 'notReleasedOnThrow', line: 8, data: { what: 'node-redis client', advice: CONNECTION_ADVICE, operation: 'the constructor call', line: 10 } , suggestions: [{ messageId: 'wrapInTryFinally', data: { name: 'redis', verb: 'Close' }, output: `import { createClient } from 'redis';
class Cache {
  constructor(private readonly options: { redis: unknown }) {
    if (!options.redis) throw new Error('redis is required');
  }
}
export async function warm() {
  const redis = createClient();
  await redis.connect();
  try {
    const cache = new Cache({ redis });
    await redis.set('warm', '1');
    return cache;
  } finally {
    await redis.quit();
  }
}` }] }],
  },
  // A class with a base class: its constructor may do anything.
  {
    code: `import { createClient } from 'redis';
import { EventEmitter } from 'node:events';
class Cache extends EventEmitter {
  constructor(readonly redis: unknown) {
    super();
  }
}
export async function warm() {
  const redis = createClient();
  await redis.connect();
  const cache = new Cache(redis);
  try {
    await redis.set('warm', '1');
  } finally {
    await redis.quit();
  }
  return cache;
}`,
    errors: [{ messageId: 'notReleasedOnThrow', line: 9, data: { what: 'node-redis client', advice: CONNECTION_ADVICE, operation: 'the constructor call', line: 11 } , suggestions: [{ messageId: 'wrapInTryFinally', data: { name: 'redis', verb: 'Close' }, output: `import { createClient } from 'redis';
import { EventEmitter } from 'node:events';
class Cache extends EventEmitter {
  constructor(readonly redis: unknown) {
    super();
  }
}
export async function warm() {
  const redis = createClient();
  await redis.connect();
  try {
    const cache = new Cache(redis);
    await redis.set('warm', '1');
    return cache;
  } finally {
    await redis.quit();
  }
}` }] }],
  },
];

/** CommonJS cases (untyped only). */
const commonjsValid: Valid[] = [
  // A failed connect retried after disconnecting the previous client.
  `const redis = require('redis');
const redisClient = redis.createClient();
let importRedis = redisClient.duplicate();
async function connectImportRedis(attempt = 0) {
  try {
    await importRedis.connect();
  } catch (err) {
    if (attempt > 5) throw err;
    await importRedis.disconnect().catch(() => {});
    importRedis = redisClient.duplicate();
    return connectImportRedis(attempt + 1);
  }
}
module.exports = { connectImportRedis };`,
  // Closed in the shutdown before the reference is dropped.
  `const Redis = require('ioredis');
exports._client = new Redis();
exports.shutdown = async function () {
  await exports._client.quit();
  exports._client = null;
};`,
].map((code) => ({ code, ...commonjsOptions }));

const commonjsInvalid: Invalid[] = (
  [
  // The retry path re-creates without closing the client whose connect failed.
  {
    code: `const redis = require('redis');
const redisClient = redis.createClient();
let spotifyImportRedis = redisClient.duplicate();
async function connectImportRedis(attempt = 0) {
  try {
    await spotifyImportRedis.connect();
  } catch (err) {
    if (attempt > 5) throw err;
    spotifyImportRedis = redisClient.duplicate();
    return connectImportRedis(attempt + 1);
  }
}
module.exports = { connectImportRedis };`,
    errors: [{ messageId: 'overwrittenWhileOpen', line: 9, data: { place: 'spotifyImportRedis', line: 3, what: 'node-redis duplicate client' } }],
  },
  {
    code: `const Redis = require('ioredis');
exports._client = new Redis(process.env.REDIS_URL);
exports.shutdown = function () {
  exports._client = null;
};`,
    errors: [{ messageId: 'droppedWhileOpen', line: 4, data: { place: 'exports._client', line: 2, empty: 'null', what: 'ioredis client' } }],
  },
  ] satisfies Invalid[]
).map((test) => ({ ...test, ...commonjsOptions }));

untypedTester().run('no-unreleased-connection: lifetimes', rule, {
  valid: [...valid, ...commonjsValid],
  invalid: [...invalid, ...commonjsInvalid],
});

typedTester().run('no-unreleased-connection: lifetimes (typed)', rule, {
  valid: valid.map((test) => (typeof test === 'string' ? { code: test, filename: typedFile } : { ...test, filename: typedFile })),
  invalid: invalid.map((test) => ({ ...test, filename: typedFile })),
});

// A per-call factory of the project's own lib, kept in a module variable by a getter.
untypedServiceTester().run('no-unreleased-connection: lifetimes across modules', rule, {
  valid: [
    {
      filename: handlerTs,
      code: `import type Redis from 'ioredis';
import { createRedisInstance } from '../lib/redis';
let client: Redis | undefined;
export function connection() {
  client ??= createRedisInstance({ commandTimeout: 1000 });
  return client;
}`,
    },
    {
      filename: handlerTs,
      code: `import type Redis from 'ioredis';
import { getRedisConnection } from '../lib/redis';
let client: Redis;
export function connection() {
  client = getRedisConnection();
  return client;
}`,
    },
  ],
  invalid: [
    {
      filename: handlerTs,
      code: `import type Redis from 'ioredis';
import { createRedisInstance } from '../lib/redis';
let client: Redis;
export function connection() {
  client = createRedisInstance({ commandTimeout: 1000 });
  return client;
}`,
      errors: [{ messageId: 'recreatedOnEveryCall', line: 5, data: { fn: '`connection`', place: 'client', what: 'ioredis client' } }],
    },
  ],
});
