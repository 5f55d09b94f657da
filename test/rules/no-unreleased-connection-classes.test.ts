/**
 * no-unreleased-connection, on by default: a class (or a constructor function with prototype
 * methods) that opens a connection nothing closes, made per call by a function of the same file.
 */
import * as path from 'node:path';
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

const DATASTORE = `import Redis from 'ioredis';
class Datastore {
  private client = new Redis(process.env.REDIS_URL!);
  get(key: string) {
    return this.client.get(key);
  }
}`;

const valid: (string | Valid)[] = [
  // Closed by a lifecycle method, whatever makes the instances.
  ...['close', 'quit', 'disconnect', 'onModuleDestroy', 'onApplicationShutdown', 'onClose', '[Symbol.asyncDispose]'].map(
    (method) => `import Redis from 'ioredis';
class Datastore {
  private client = new Redis();
  get(key: string) {
    return this.client.get(key);
  }
  async ${method}() {
    await this.client.quit();
  }
}
export async function handle(key: string) {
  const store = new Datastore();
  return store.get(key);
}`,
  ),
  // Made once: at module level, by a main() called once, memoised.
  `${DATASTORE}
const store = new Datastore();
export const read = (key: string) => store.get(key);`,
  `${DATASTORE}
async function main() {
  const store = new Datastore();
  console.log(await store.get('boot'));
}
main().catch(console.error);`,
  `${DATASTORE}
let store: Datastore | undefined;
export function read(key: string) {
  store ??= new Datastore();
  return store.get(key);
}`,
  // Handed to the caller, who owns it from then on.
  `${DATASTORE}
export function createStore() {
  const store = new Datastore();
  return store;
}`,
  // A framework provider: made by the container once.
  `import Redis from 'ioredis';
declare function Injectable(): ClassDecorator;
@Injectable()
export class CacheService {
  private readonly client = new Redis();
  get(key: string) {
    return this.client.get(key);
  }
}
export function make() {
  const service = new CacheService();
  return service.get('k');
}`,
  // A node-redis client the class never connects holds no socket.
  `import { createClient } from 'redis';
class Datastore {
  private client = createClient();
  get(key: string) {
    return this.client.get(key);
  }
}
export async function handle(key: string) {
  return new Datastore().get(key);
}`,
  // Per call, but the class hands its client out: whoever takes it may close it.
  `import Redis from 'ioredis';
class Datastore {
  private client = new Redis();
  connection() {
    return this.client;
  }
}
export async function handle() {
  const store = new Datastore();
  await store.connection().quit();
}`,
  // A class extending another: the base may close it.
  `import Redis from 'ioredis';
import { EventEmitter } from 'node:events';
class Datastore extends EventEmitter {
  private client = new Redis();
  get(key: string) {
    return this.client.get(key);
  }
}
export async function handle(key: string) {
  return new Datastore().get(key);
}`,
];

const invalid: Invalid[] = [
  {
    code: `${DATASTORE}
export async function handle(req: { query: { key: string } }) {
  const store = new Datastore();
  return store.get(req.query.key);
}`,
    errors: [{ messageId: 'instanceNeverClosed', line: 3, data: { className: 'Datastore', field: 'client', what: 'ioredis client', line: 9 } }],
  },
  // Chained on the new instance, in a route callback.
  {
    code: `${DATASTORE}
declare const app: { get(path: string, handler: (req: unknown, res: { send(v: unknown): void }) => Promise<void>): void };
app.get('/key', async (req, res) => {
  res.send(await new Datastore().get('key'));
});`,
    errors: [{ messageId: 'instanceNeverClosed', line: 3, data: { className: 'Datastore', field: 'client', what: 'ioredis client', line: 10 } }],
  },
  // node-redis, connected in the constructor's helper.
  {
    code: `import { createClient } from 'redis';
class Session {
  private redis = createClient({ url: process.env.REDIS_URL });
  async start() {
    await this.redis.connect();
  }
  read(id: string) {
    return this.redis.get(id);
  }
}
export async function load(id: string) {
  const session = new Session();
  await session.start();
  return session.read(id);
}`,
    errors: [{ messageId: 'instanceNeverClosed', line: 3, data: { className: 'Session', field: 'redis', what: 'node-redis client', line: 12 } }],
  },
];

/** The pre-class shape: a constructor function and prototype methods (CommonJS). */
const commonjsValid: Valid[] = [
  `const Redis = require('ioredis');
function Datastore() {
  this.client = new Redis();
}
Datastore.prototype.get = function (key, cb) {
  this.client.get(key, cb);
};
Datastore.prototype.close = function () {
  return this.client.quit();
};
module.exports = function handler(req, res) {
  const ds = new Datastore();
  ds.get(req.query.key, (err, value) => {
    ds.close();
    res.send(value);
  });
};`,
  `const Redis = require('ioredis');
function Datastore() {
  this.client = new Redis();
}
Datastore.prototype.get = function (key, cb) {
  this.client.get(key, cb);
};
const store = new Datastore();
module.exports = function handler(req, res) {
  store.get(req.query.key, (err, value) => res.send(value));
};`,
].map((code) => ({ code, ...commonjsOptions }));

const commonjsInvalid: Invalid[] = (
  [
  {
    code: `const Redis = require('ioredis');
function Datastore() {
  this.client = new Redis();
}
Datastore.prototype.get = function (key, cb) {
  this.client.get(key, cb);
};
module.exports = function handler(req, res) {
  const ds = new Datastore();
  ds.get(req.query.key, (err, value) => res.send(value));
};`,
    errors: [{ messageId: 'instanceNeverClosed', line: 3, data: { className: 'Datastore', field: 'client', what: 'ioredis client', line: 9 } }],
  },
  // With checkClassFields, every such class is reported, however it is made.
  {
    code: `const Redis = require('ioredis');
function Datastore() {
  this.client = new Redis();
}
Datastore.prototype.get = function (key, cb) {
  this.client.get(key, cb);
};
module.exports = new Datastore();`,
    options: [{ checkClassFields: true }],
    errors: [{ messageId: 'fieldNeverClosed', line: 3 }],
  },
  ] satisfies Invalid[]
).map((test) => ({ ...test, ...commonjsOptions }));

untypedTester().run('no-unreleased-connection: classes', rule, {
  valid: [...valid, ...commonjsValid],
  invalid: [...invalid, ...commonjsInvalid],
});

typedTester().run('no-unreleased-connection: classes (typed)', rule, {
  valid: valid.map((test) => (typeof test === 'string' ? { code: test, filename: typedFile } : { ...test, filename: typedFile })),
  invalid: invalid.map((test) => ({ ...test, filename: typedFile })),
});

// A class of another project module, made per call here (files under test/fixtures/modules/classes).
const classesDir = path.join(__dirname, '..', 'fixtures', 'modules', 'classes');
const serviceTs = path.join(classesDir, 'src', 'services', 'service.ts');
const serviceJs = path.join(classesDir, 'src', 'services', 'service.js');

const acrossModulesValid: Valid[] = [
  // Made once for the module.
  `import RedisCache from '../lib/redis-cache';
const cache = new RedisCache();
export class ListProductService {
  async execute() {
    return cache.recover<string[]>('products');
  }
}`,
  // The class closes its connection, and the service closes it; a class that is not Redis's.
  `import { ClosableCache, Clock } from '../lib/closable-cache';
export async function read(key: string) {
  const cache = new ClosableCache();
  const clock = new Clock();
  try {
    return [await cache.get(key), clock.now()];
  } finally {
    await cache.disconnect();
  }
}`,
  // Handed to the caller.
  `import RedisCache from '../lib/redis-cache';
export function makeCache() {
  const cache = new RedisCache();
  return cache;
}`,
].map((code) => ({ code, filename: serviceTs }));

const acrossModulesInvalid: Invalid[] = [
  // Through a tsconfig \`paths\` alias, in a plain function.
  {
    code: `import RedisCache from '@shared/redis-cache';
export async function deleteProduct(id: string) {
  const redisCache = new RedisCache();
  await redisCache.save(\`product:\${id}\`, null);
}`,
    filename: serviceTs,
    errors: [{ messageId: 'importedInstanceNeverClosed', line: 3, data: { className: 'RedisCache', source: '@shared/redis-cache', field: 'client', what: 'ioredis client' } }],
  },
  {
    code: `import RedisCache from '../lib/redis-cache';
export class ListProductService {
  async execute() {
    const redisCache = new RedisCache();
    const cached = await redisCache.recover<string[]>('products');
    if (cached) return cached;
    await redisCache.save('products', []);
    return [];
  }
}`,
    filename: serviceTs,
    errors: [{ messageId: 'importedInstanceNeverClosed', line: 4, data: { className: 'RedisCache', source: '../lib/redis-cache', field: 'client', what: 'ioredis client' } }],
  },
];

untypedTester().run('no-unreleased-connection: classes across modules', rule, {
  valid: [
    ...acrossModulesValid,
    {
      code: `const { LegacyStore } = require('../lib/legacy-store');
const store = new LegacyStore();
module.exports = (req, res) => store.get(req.query.key).then((value) => res.send(value));`,
      filename: serviceJs,
      ...commonjsOptions,
    },
  ],
  invalid: [
    ...acrossModulesInvalid,
    {
      code: `const { LegacyStore } = require('../lib/legacy-store');
module.exports = function handler(req, res) {
  new LegacyStore().get(req.query.key).then((value) => res.send(value));
};`,
      filename: serviceJs,
      ...commonjsOptions,
      errors: [{ messageId: 'importedInstanceNeverClosed', line: 3, data: { className: 'LegacyStore', source: '../lib/legacy-store', field: 'redis', what: 'ioredis client' } }],
    },
  ],
});

new RuleTester({ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: classesDir } } }).run(
  'no-unreleased-connection: classes across modules (typed)',
  rule,
  { valid: acrossModulesValid, invalid: acrossModulesInvalid },
);
