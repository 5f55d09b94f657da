/**
 * no-unreleased-connection on shapes taken from real services (notes: real-code.md M2-M4, D1,
 * node-url-shortener, igbo_api, open-mercato): functions returned without a close, values handed
 * out through a callback factory, per-request clients kept on the request, module variables
 * re-created behind a guard that covers one branch, and constructor functions whose prototype
 * methods replace or drop the connection.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

/** igbo_api's middleware: `res.on('finish', afterResponse)` passes no client, so nothing closes it. */
const AFTER_RESPONSE = `import { createClient } from 'redis';
const afterResponse = (redisClient?: { quit(): unknown }) => {
  if (redisClient) redisClient.quit();
};`;

/** igbo_api's middleware, before (a client per request) and after its fix (a module variable). */
const igboMiddleware = (before: string, assignment: string) => `${AFTER_RESPONSE}
${before}
export async function attachRedis(req: { redisClient?: unknown }, res: { on(e: string, h: () => void): void }, next: () => void) {
  ${assignment}
    ? createClient({ socket: { host: process.env.REDIS_HOST } })
    : process.env.FIREBASE_FUNCTIONS
      ? createClient({ url: 'redis://localhost:6379' })
      : { on: () => undefined, connect: () => undefined, isFake: true };
  redisClient.on('error', (err: unknown) => console.log('Redis Client Error', err));
  redisClient.connect();
  res.on('finish', afterResponse);
  res.on('close', afterResponse);
  req.redisClient = redisClient;
  return next();
}`;

const IORedisBus = (returned: string) => `import Redis from 'ioredis';
export function createBus(url: string) {
  const client = new Redis(url, { commandTimeout: 1000 });
  async function emit(key: string) {
    await client.incr(key);
  }
  return ${returned};
}`;

/** TypeScript cases: run untyped and typed. */
/** A Fetch API route streaming a subscription, whose signal's abort calls `listener.<onAbort>`. */
function fetchRoute(param: string, signal: string, onAbort: string): string {
  return `import { createClient } from 'redis';
const sub = createClient();
export async function GET(${param}) {
  const listener = sub.duplicate();
  listener.on('error', () => {});
  await listener.connect();
  const stream = new ReadableStream({
    async start(controller) {
      await listener.subscribe('refresh', (message) => controller.enqueue(message));
      ${signal}.addEventListener('abort', () => {
        void listener.${onAbort};
        controller.close();
      });
    },
  });
  return new Response(stream);
}`;
}

const valid: Valid[] = [
  // Server-sent events: a subscriber per request, closed when the request ends.
  `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 1000 });
export function events(req: { on(e: string, h: () => void): void }, res: { write(s: string): void }) {
  const sub = redis.duplicate();
  sub.subscribe('updates');
  sub.on('message', (channel: string, message: string) => res.write(message));
  req.on('close', () => sub.quit());
}`,
  // A route handler of the Fetch API: the subscriber is closed when the request's signal aborts.
  fetchRoute('{ signal }: { signal: AbortSignal }', 'signal?', 'quit()'),
  // Not routes: a cache's callback, and a listener registered at start-up.
  `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 1000 });
export function start(cache: { get(key: string, cb: (value: string) => void): void }, bus: { on(e: string, h: () => void): void }) {
  cache.get('config', (value: string) => {
    const sub = redis.duplicate();
    sub.subscribe(value);
  });
  bus.on('ready', () => {
    const sub = redis.duplicate();
    sub.subscribe('updates');
  });
}`,
  // One subscriber made at start-up, used for the life of the process.
  `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 1000 });
export function listen(onUpdate: (message: string) => void) {
  const sub = redis.duplicate();
  sub.subscribe('updates');
  sub.on('message', (channel: string, message: string) => onUpdate(message));
}`,
  // A module loader's helper: a lazy client connected inside a promise made in place. The promise
  // can't reject (its executor is async and takes no reject), so nothing between the creation
  // and the return can fail; a sleep in a retry loop is the same.
  `import Redis from 'ioredis';
export async function getConnection(url: string, redisOptions?: object) {
  const connection = new Redis(url, { lazyConnect: true, commandTimeout: 1000, ...(redisOptions ?? {}) });
  await new Promise(async (resolve) => {
    await connection.connect(resolve);
  });
  return connection;
}`,
  `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis({ commandTimeout: 1000 }), destroy: async (c) => { await c.quit(); } }, { max: 4 });
export async function poll(key: string) {
  const conn = await pool.acquire();
  await new Promise((r) => setTimeout(r, 100));
  try {
    return await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}`,
  // The returned object can close its client, or hands the client itself out.
  IORedisBus('{ emit, close: () => client.quit() }'),
  IORedisBus('{ emit, client }'),
  // A factory run once at start-up makes a singleton.
  `${IORedisBus('{ emit }')}
export const bus = createBus(process.env.REDIS_URL!);`,
  // Closed when the response ends, through the client or through the request.
  `import { createClient } from 'redis';
export async function attachRedis(req: { redis?: unknown }, res: { on(e: string, h: () => void): void }, next: () => void) {
  const client = createClient({ url: process.env.REDIS_URL });
  await client.connect();
  res.on('finish', () => void client.quit());
  req.redis = client;
  return next();
}`,
  `import { createClient, type RedisClientType } from 'redis';
export async function attachRedis(req: { redis: RedisClientType }, res: { on(e: string, h: () => void): void }, next: () => void) {
  const client = createClient({ url: process.env.REDIS_URL }) as RedisClientType;
  await client.connect();
  res.on('finish', () => void req.redis.quit());
  req.redis = client;
  return next();
}`,
  // No end-of-request hook here: a later middleware of another file may close it.
  `import { createClient } from 'redis';
export async function attachRedis(req: { redis?: unknown }, res: unknown, next: () => void) {
  const client = createClient({ url: process.env.REDIS_URL });
  await client.connect();
  req.redis = client;
  return next();
}`,
  // The memoised singleton handed to every request, whatever the hook does.
  `${AFTER_RESPONSE}
let redisClient: ReturnType<typeof createClient> | undefined;
export default async (req: { redisClient?: unknown }, res: { on(e: string, h: () => void): void }, next: () => void) => {
  if (!redisClient) {
    redisClient = createClient({ url: process.env.REDIS_URL });
    await redisClient.connect();
  }
  res.on('finish', afterResponse);
  req.redisClient = redisClient;
  return next();
};`,
  // A ternary whose guard covers every branch that makes one, or that keeps the open one.
  `import Redis from 'ioredis';
let client: Redis | undefined;
export function handle(key: string) {
  client = !client ? new Redis(process.env.REDIS_URL!) : process.env.LOCAL ? client : client;
  return client.get(key);
}`,
  `import Redis from 'ioredis';
let client: Redis | undefined;
export function handle(key: string, stale: boolean) {
  client = stale ? new Redis(process.env.REDIS_URL!) : client;
  return client!.get(key);
}`,
  // Made by a start-up function that hands nothing out, and used by another.
  `import Redis from 'ioredis';
let client: Redis | undefined;
export function connect() {
  client = new Redis(process.env.REDIS_URL!);
}
export function handle(key: string) {
  return client!.get(key);
}`,
  // A registry keyed by id.
  `import Redis from 'ioredis';
const clients: Record<string, Redis> = {};
export function handle(req: { tenant: string; redis?: Redis }, res: { on(e: string, h: () => void): void }) {
  clients[req.tenant] ??= new Redis(process.env.REDIS_URL!);
  res.on('finish', () => undefined);
  req.redis = clients[req.tenant];
}`,
].map((code) => ({ code }));

const invalid: Invalid[] = [
  // Server-sent events: a subscriber per request that the end of the request only unsubscribes.
  {
    code: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 1000 });
export function events(req: { on(e: string, h: () => void): void }, res: { write(s: string): void }) {
  const sub = redis.duplicate();
  sub.subscribe('updates');
  sub.on('message', (channel: string, message: string) => res.write(message));
  req.on('close', () => {
    sub.unsubscribe('updates');
  });
}`,
    errors: [{ messageId: 'openedPerRequest', line: 4, data: { what: 'ioredis duplicate client' } }],
  },
  // The same handler when the abort only unsubscribes.
  { code: fetchRoute('req: { signal: AbortSignal }', 'req.signal', "unsubscribe('refresh')"), errors: [{ messageId: 'openedPerRequest', line: 4 }] },
  { code: fetchRoute('{ signal }: { signal: AbortSignal }', 'signal', "unsubscribe('refresh')"), errors: [{ messageId: 'openedPerRequest', line: 4 }] },
  // A route's handler that never cleans up: a subscriber per request, left open.
  {
    code: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 1000 });
export function routes(app: { get(path: string, handler: (req: unknown, res: { write(s: string): void }) => void): void }) {
  app.get('/stream', (req, res) => {
    const sub = redis.duplicate();
    sub.subscribe('updates');
    sub.on('message', (channel: string, message: string) => res.write(message));
  });
  app.get(\`/stream/\${'jobs'}\`, async (req, res) => {
    const sub = redis.duplicate();
    await sub.subscribe('jobs');
    sub.on('message', (channel: string, message: string) => res.write(message));
  });
}`,
    errors: [
      { messageId: 'openedPerRequest', line: 5 },
      { messageId: 'openedPerRequest', line: 10 },
    ],
  },
  // socket.io: a subscriber per client connection, only unsubscribed when it disconnects.
  {
    code: `import Redis from 'ioredis';
const redis = new Redis({ commandTimeout: 1000 });
export function attach(io: { on(e: string, h: (socket: { on(e: string, h: () => void): void; emit(e: string, m: string): void }) => void): void }) {
  io.on('connection', (socket) => {
    const sub = redis.duplicate();
    sub.subscribe('news');
    sub.on('message', (channel: string, message: string) => socket.emit('news', message));
    socket.on('disconnect', () => sub.unsubscribe());
  });
}`,
    errors: [{ messageId: 'openedPerRequest', line: 5 }],
  },
  {
    code: `import { createClient } from 'redis';
const client = createClient();
export async function events(req: { on(e: string, h: () => void): void }, res: { write(s: string): void }) {
  const sub = client.duplicate();
  sub.on('error', () => {});
  await sub.connect();
  await sub.subscribe('updates', (message) => res.write(message));
  req.on('close', async () => {
    await sub.unsubscribe('updates');
  });
}`,
    errors: [{ messageId: 'openedPerRequest', line: 4 }],
  },
  // The same sleep with a reject the executor may call is a throw point.
  {
    code: `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis({ commandTimeout: 1000 }), destroy: async (c) => { await c.quit(); } }, { max: 4 });
export async function poll(key: string, signal: AbortSignal) {
  const conn = await pool.acquire();
  await new Promise((resolve, reject) => { signal.onabort = reject; setTimeout(resolve, 100); });
  try {
    return await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}`,
    errors: [
      {
        messageId: 'notReleasedOnThrow',
        line: 5,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis({ commandTimeout: 1000 }), destroy: async (c) => { await c.quit(); } }, { max: 4 });
export async function poll(key: string, signal: AbortSignal) {
  const conn = await pool.acquire();
  try {
    await new Promise((resolve, reject) => { signal.onabort = reject; setTimeout(resolve, 100); });
    return await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}`,
          },
        ],
      },
    ],
  },
  // open-mercato's events strategy: closures over a client, returned with no close.
  {
    code: `import Redis from 'ioredis';
export function createRedisStrategy(url: string) {
  const client = new Redis(url, { commandTimeout: 1000 });
  async function emit(event: string) {
    await client.incr(event);
  }
  const clearQueue = async () => client.del('events:queue');
  function on(_event: string) {}
  return { emit, on, clearQueue };
}`,
    errors: [{ messageId: 'keptByReturnedFunctions', line: 3, data: { what: 'ioredis client', line: 9 }, suggestions: [] }],
  },
  // igbo_api before the fix: a client per request on either branch, kept on the request.
  {
    code: igboMiddleware('', 'const redisClient = process.env.REDIS_HOST'),
    errors: [
      { messageId: 'keptOnRequest', line: 8, data: { what: 'node-redis client', target: 'req.redisClient' } },
      { messageId: 'keptOnRequest', line: 10, data: { what: 'node-redis client', target: 'req.redisClient' } },
    ],
  },
  {
    code: `${AFTER_RESPONSE}
export async function attachRedis(req: { redis?: unknown }, res: { on(e: string, h: () => void): void }, next: () => void) {
  const client = createClient({ url: process.env.REDIS_URL });
  client.on('error', console.error);
  await client.connect();
  res.on('finish', afterResponse);
  req.redis = client;
  return next();
}`,
    errors: [{ messageId: 'keptOnRequest', line: 6, data: { what: 'node-redis client', target: 'req.redis' } }],
  },
  // igbo_api's fix: the `!redisClient` guard covers the first branch only.
  {
    code: igboMiddleware('let redisClient: any;', 'redisClient = process.env.REDIS_HOST && !redisClient'),
    errors: [{ messageId: 'recreatedOnEveryCall', line: 7, data: { fn: '`attachRedis`', place: 'redisClient', what: 'node-redis client' } }],
  },
  // A module variable re-created by a handler that works on it.
  {
    code: `import Redis from 'ioredis';
let client: Redis;
export async function handle(key: string) {
  client = new Redis(process.env.REDIS_URL!);
  return client.get(key);
}`,
    errors: [{ messageId: 'recreatedOnEveryCall', line: 4, data: { fn: '`handle`', place: 'client', what: 'ioredis client' } }],
  },
];

/** node_redis 3 connects on createClient(). */
const V3 = { redis: { versions: { redis: 3 } } };

const MODEL = `var redis = require('redis');
function Model(cfg) {
  this.db = redis.createClient(cfg.port, cfg.host);
  this.db.on('error', function () {});
}
Model.prototype.find = function (k, cb) {
  this.db.get(k, cb);
};`;

/** CommonJS cases with node_redis 3: untyped only. */
const commonjsValid: Valid[] = [
  // The callback keeps the instance, or the factory is used other than by calling it.
  `${MODEL}
var models = [];
function getModel(cb) { cb(null, new Model({})); }
exports.expand = function (k, cb) {
  getModel(function (err, m) { models.push(m); m.find(k, cb); });
};`,
  `${MODEL}
function getModel(cb) { cb(null, new Model({})); }
exports.getModel = getModel;
exports.expand = function (k, cb) {
  getModel(function (err, m) { m.find(k, cb); });
};`,
  // One instance for the module.
  `${MODEL}
var model = new Model({});
function getModel(cb) { cb(null, model); }
exports.expand = function (k, cb) {
  getModel(function (err, m) { m.find(k, cb); });
};`,
  // The callers close the client the factory hands them.
  `var redis = require('redis');
function getClient(cb) { cb(null, redis.createClient()); }
exports.expand = function (k, cb) {
  getClient(function (err, c) {
    c.get(k, function (e, v) { c.quit(); cb(e, v); });
  });
};`,
  // Prototype methods that close before replacing or dropping.
  `var redis = require('redis');
function Store(cfg) {
  this.db = redis.createClient(cfg.port, cfg.host);
}
Store.prototype = {
  reconnect: function (cfg) {
    this.db.quit();
    this.db = redis.createClient(cfg.port, cfg.host);
  },
  close: function () {
    this.db.quit();
    this.db = null;
  },
};
module.exports = Store;`,
].map((code) => ({ code, settings: V3, ...commonjsOptions }));

const commonjsInvalid: Invalid[] = (
  [
    // node-url-shortener: a Model per call through a callback factory, used and dropped.
    {
      code: `${MODEL}
function getModel(cb) { cb(null, new Model({})); }
exports.expand = function (k, cb) {
  getModel(function (err, m) {
    if (err) return cb(err);
    m.find(k, cb);
  });
};`,
      errors: [{ messageId: 'instanceNeverClosed', line: 3, data: { className: 'Model', field: 'db', what: 'node_redis client', line: 9 } }],
    },
    {
      code: `var redis = require('redis');
function getClient(cb) { cb(null, redis.createClient()); }
function getConnected(cb) {
  var c = redis.createClient();
  c.on('error', function () {});
  cb(null, c);
}
exports.expand = function (k, cb) {
  getClient(function (err, c) { c.get(k, cb); });
  getConnected((err, c) => c.get(k, cb));
};`,
      errors: [
        { messageId: 'neverReleased', line: 2 },
        { messageId: 'neverReleased', line: 4 },
      ],
    },
    // node-url-shortener's model, exported as it is declared, made per request in the same file.
    {
      code: `var redis = require('redis');
var RedisModel = module.exports = function (config) {
  this.db = redis.createClient(config.port, config.host);
};
RedisModel.prototype.findUrl = function (url, callback) {
  this.db.get('nus:url:' + url, callback);
};
RedisModel.expand = function (req, res) {
  new RedisModel({}).findUrl(req.query.url, function (err, reply) { res.send(reply); });
};`,
      errors: [{ messageId: 'instanceNeverClosed', line: 3, data: { className: 'RedisModel', field: 'db', what: 'node_redis client', line: 9 } }],
    },
    // A prototype method replaces the constructor's client, another drops it.
    {
      code: `var redis = require('redis');
var Store = module.exports = function (cfg) {
  this.db = redis.createClient(cfg.port, cfg.host);
};
Store.prototype.reconnect = function (cfg) {
  this.db = redis.createClient(cfg.port, cfg.host);
};
Store.prototype.close = function () {
  this.db = null;
};`,
      errors: [
        { messageId: 'overwrittenWhileOpen', line: 6, data: { place: 'this.db', line: 3, what: 'node_redis client' } },
        { messageId: 'droppedWhileOpen', line: 9, data: { place: 'this.db', line: 3, empty: 'null', what: 'node_redis client' } },
      ],
    },
    // The same on a constructor kept on a namespace object, its methods wrapped in thenify (hook.io-datastore's shape).
    {
      code: `var redis = require('redis');
var thenify = require('thenify').withCallback;
var store = {};
store.Store = function (cfg) {
  this.db = redis.createClient(cfg.port, cfg.host);
};
store.Store.prototype.reconnect = thenify(function (cfg, cb) {
  this.db = redis.createClient(cfg.port, cfg.host);
  cb();
});
store.Store.prototype.close = function () {
  this.db = null;
};
module.exports = store;`,
      errors: [
        { messageId: 'overwrittenWhileOpen', line: 8, data: { place: 'this.db', line: 5, what: 'node_redis client' } },
        { messageId: 'droppedWhileOpen', line: 12, data: { place: 'this.db', line: 5, empty: 'null', what: 'node_redis client' } },
      ],
    },
  ] satisfies Invalid[]
).map((test) => ({ ...test, settings: V3, ...commonjsOptions }));

untypedTester().run('no-unreleased-connection: real shapes', rule, {
  valid: [...valid, ...commonjsValid],
  invalid: [...invalid, ...commonjsInvalid],
});

typedTester().run('no-unreleased-connection: real shapes (typed)', rule, {
  valid: valid.map((test) => ({ ...test, filename: typedFile })),
  invalid: invalid.map((test) => ({ ...test, filename: typedFile })),
});
