import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../rules/no-oversized-pool';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

// A generic-pool factory whose `create` makes an ioredis client: a Redis pool.
const ioredisFactory = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const factory = { create: async () => new Redis(), destroy: async (client) => { await client.quit(); } };
`;
const redis4 = { redis: { versions: { redis: 4 } } };

const valid: ValidTestCase<Options>[] = [
  // Sized within the cap, in each library's spelling.
  { code: `${ioredisFactory}const pool = createPool(factory, { max: 20, min: 2 });` },
  { code: `${ioredisFactory}const pool = createPool(factory, { max: 50 });` },
  { code: `${ioredisFactory}const pool = createPool(factory, { max: '20' });` },
  {
    code: `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 2, max: 10 });`,
  },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({ url: process.env.REDIS_URL }, { minimum: 2, maximum: 20 });`,
  },
  {
    code: `import { createSentinel } from 'redis';
const sentinel = createSentinel({ name: 'mymaster', sentinelRootNodes: [], masterPoolSize: 10, replicaPoolSize: 5 });`,
  },
  // Sentinel defaults (1 master client, no replica pools) are fine.
  {
    code: `import { createSentinel } from 'redis';
const sentinel = createSentinel({ name: 'mymaster', sentinelRootNodes: [] });`,
  },
  {
    code: `import { createClient } from 'redis';
const client = createClient({ isolationPoolOptions: { max: 10, min: 1 } });`,
    settings: redis4,
  },
  // node-redis 4 client without isolation options: its pool is opened on demand at the defaults.
  {
    code: `import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL });`,
    settings: redis4,
  },
  // node-redis 5/6 have no isolation pool: the option is not theirs.
  {
    code: `import { createClient } from 'redis';
const client = createClient({ isolationPoolOptions: { max: 400 } });`,
  },
  // Pools of resources that are not Redis connections.
  {
    code: `import { createPool } from 'generic-pool';
const pool = createPool({ create: async () => ({ buffer: Buffer.alloc(1024) }), destroy: async () => {} }, { max: 500, min: 600 });`,
  },
  {
    code: `import { Pool } from 'tarn';
import pg from 'pg';
const pool = new Pool({ create: () => new pg.Client(), destroy: (c) => c.end(), min: 0, max: 500 });`,
  },
  {
    code: `import { createPool } from 'generic-pool';
const pool = createPool({ create: async () => new Map(), destroy: async () => {} });`,
  },
  // Not the library's createPool.
  {
    code: `import { createPool } from './my-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis() }, { max: 500 });`,
  },
  // Sizes known only at run time.
  { code: `${ioredisFactory}const pool = createPool(factory, { max: Number(process.env.POOL_MAX), min: 2 });` },
  { code: `${ioredisFactory}const pool = createPool(factory, { max: parseInt(process.env.POOL_MAX ?? '400', 10) });` },
  {
    code: `${ioredisFactory}import { poolOptions } from './config';
const pool = createPool(factory, poolOptions);`,
  },
  // An imported spread after the sizes may override them.
  {
    code: `${ioredisFactory}import { overrides } from './config';
const pool = createPool(factory, { max: 400, ...overrides });`,
  },
  {
    code: `import { createClientPool } from 'redis';
import { poolOptions } from './config';
const pool = createClientPool({}, poolOptions);`,
  },
  // An imported resource factory: untyped, nothing says what it makes.
  {
    code: `import { createPool } from 'generic-pool';
import { factory } from './factory';
const pool = createPool(factory, { max: 400 });`,
  },
  // The cap follows the concurrency option.
  { code: `${ioredisFactory}const pool = createPool(factory, { max: 48 });`, options: [{ concurrency: 40 }] },
  // ceil(33 × 1.2) = ceil(39.6) = 40.
  { code: `${ioredisFactory}const pool = createPool(factory, { max: 40 });`, options: [{ concurrency: 33 }] },
  { code: `${ioredisFactory}const pool = createPool(factory, { max: 200 });`, options: [{ maxPoolSize: 200 }] },
  // requireExplicitSize off: library defaults are accepted.
  { code: `${ioredisFactory}const pool = createPool(factory);`, options: [{ requireExplicitSize: false }] },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({});`,
    options: [{ requireExplicitSize: false }],
  },
  // The node-redis default of 100 fits when the cap allows it.
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({});`,
    options: [{ maxPoolSize: 100 }],
  },
  // Idle timeouts with a running evictor, or the check turned off.
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 10, idleTimeoutMillis: 30000, evictionRunIntervalMillis: 5000 });`,
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 10, idleTimeoutMillis: 30000 });`,
    options: [{ checkIdleTimeout: false }],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 10, idleTimeoutMillis: 30000, evictionRunIntervalMillis: Number(process.env.EVICT_MS) });`,
  },
  // tarn reaps idle resources by itself (reapIntervalMillis defaults to 1000).
  {
    code: `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 0, max: 10, idleTimeoutMillis: 5000 });`,
  },
  // The budget: under 80% of maxclients.
  {
    code: `${ioredisFactory}export const a = createPool(factory, { max: 40 });
export const b = createPool(factory, { max: 40 });`,
    options: [{ replicas: 50 }],
  },
  // min equal to max is fine; generic-pool's min defaults to 0.
  { code: `${ioredisFactory}const pool = createPool(factory, { max: 10, min: 10 });` },
  // NaN is no size at all (node-redis compares with it and opens nothing): not "unbounded".
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({}, { minimum: NaN, maximum: 10 });`,
  },
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 400, min: 2 });`,
    errors: [
      {
        messageId: 'maxAboveCap',
        line: 4,
        column: 36,
        data: { setting: '`max: 400`', pool: 'generic-pool pool', value: 400, where: '', cap: '50 (maxPoolSize)' },
      },
    ],
  },
  // Computed sizes: constants, arithmetic, Math.min/max, spreads.
  {
    code: `${ioredisFactory}const CONCURRENCY = 100;
const pool = createPool(factory, { max: Math.ceil(CONCURRENCY * 1.2) });`,
    errors: [
      {
        messageId: 'maxAboveCap',
        line: 5,
        data: {
          setting: '`max: Math.ceil(CONCURRENCY * 1.2)` (= 120)',
          pool: 'generic-pool pool',
          value: 120,
          where: '',
          cap: '50 (maxPoolSize)',
        },
      },
    ],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: Math.max(64, Math.min(200, 80)) });`,
    errors: [{ messageId: 'maxAboveCap', data: { setting: '`max: Math.max(64, Math.min(200, 80))` (= 80)', pool: 'generic-pool pool', value: 80, where: '', cap: '50 (maxPoolSize)' } }],
  },
  {
    // The base config is reported once, at its property, though two pools spread it.
    code: `${ioredisFactory}const base = { max: 100, acquireTimeoutMillis: 1000 };
const reads = createPool(factory, { ...base, min: 1 });
const writes = createPool(factory, { ...base });`,
    errors: [{ messageId: 'maxAboveCap', line: 4, column: 16 }],
  },
  {
    // A shorthand property.
    code: `${ioredisFactory}const max = 16 * 8;
const pool = createPool(factory, { max });`,
    errors: [{ messageId: 'maxAboveCap', line: 5, data: { setting: '`max` (= 128)', pool: 'generic-pool pool', value: 128, where: '', cap: '50 (maxPoolSize)' } }],
  },
  // The cap from concurrency.
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 20 });`,
    options: [{ concurrency: 10 }],
    errors: [{ messageId: 'maxAboveCap', data: { setting: '`max: 20`', pool: 'generic-pool pool', value: 20, where: '', cap: '12 (concurrency 10 × 1.2, rounded up)' } }],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 41 });`,
    options: [{ concurrency: 33 }],
    errors: [{ messageId: 'maxAboveCap', data: { setting: '`max: 41`', pool: 'generic-pool pool', value: 41, where: '', cap: '40 (concurrency 33 × 1.2, rounded up)' } }],
  },
  {
    // Made in a method or a class field: still the same creation site.
    code: `${ioredisFactory}class Cache {
  pool = createPool(factory, { max: 64 });
  connect(url) { return createPool({ create: async () => new Redis(url), destroy: async (c) => { await c.quit(); } }, { max: 72 }); }
}`,
    errors: [
      { messageId: 'maxAboveCap', line: 5, data: { setting: '`max: 64`', pool: 'generic-pool pool', value: 64, where: '', cap: '50 (maxPoolSize)' } },
      { messageId: 'maxAboveCap', line: 6, data: { setting: '`max: 72`', pool: 'generic-pool pool', value: 72, where: '', cap: '50 (maxPoolSize)' } },
    ],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 80 });`,
    options: [{ concurrency: 100, maxPoolSize: 60 }],
    errors: [{ messageId: 'maxAboveCap', data: { setting: '`max: 80`', pool: 'generic-pool pool', value: 80, where: '', cap: '60 (maxPoolSize)' } }],
  },
  // Each library's spelling.
  {
    code: `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 0, max: 64 });`,
    errors: [{ messageId: 'maxAboveCap', line: 3, column: 92, data: { setting: '`max: 64`', pool: 'tarn pool', value: 64, where: '', cap: '50 (maxPoolSize)' } }],
  },
  {
    code: `import * as redis from 'redis';
const pool = redis.createClientPool({ url: process.env.REDIS_URL }, { minimum: 5, maximum: 64 });`,
    errors: [{ messageId: 'maxAboveCap', column: 83, data: { setting: '`maximum: 64`', pool: 'node-redis client pool', value: 64, where: '', cap: '50 (maxPoolSize)' } }],
  },
  {
    code: `const { createClient } = require('redis');
const client = createClient({ isolationPoolOptions: { max: 200 } });`,
    settings: redis4,
    ...commonjsOptions,
    errors: [
      {
        messageId: 'maxAboveCap',
        data: { setting: '`isolationPoolOptions.max: 200`', pool: 'node-redis isolation pool', value: 200, where: '', cap: '50 (maxPoolSize)' },
      },
    ],
  },
  {
    code: `import { createSentinel } from 'redis';
const sentinel = createSentinel({ name: 'mymaster', sentinelRootNodes: [], masterPoolSize: 80, replicaPoolSize: 60 });`,
    errors: [
      { messageId: 'maxAboveCap', column: 76, data: { setting: '`masterPoolSize: 80`', pool: 'node-redis sentinel', value: 80, where: '', cap: '50 (maxPoolSize)' } },
      { messageId: 'maxAboveCap', column: 96, data: { setting: '`replicaPoolSize: 60`', pool: 'node-redis sentinel', value: 60, where: ' to each replica', cap: '50 (maxPoolSize)' } },
    ],
  },
  {
    code: `const genericPool = require('generic-pool');
const Redis = require('ioredis');
const pool = genericPool.createPool({ create: () => new Redis(), destroy: (c) => c.quit() }, { max: 75 });`,
    ...commonjsOptions,
    errors: [{ messageId: 'maxAboveCap' }],
  },
  {
    code: `const { Pool } = require('tarn');
const { createClient } = require('redis');
const pool = new Pool({
  create: async () => { const client = createClient(); await client.connect(); return client; },
  destroy: (client) => client.close(),
  min: 1,
  max: 64,
});`,
    ...commonjsOptions,
    errors: [{ messageId: 'maxAboveCap', line: 7 }],
  },
  {
    // Pools of iovalkey and valkey-glide clients count as Redis pools.
    code: `import { createPool } from 'generic-pool';
import { Pool } from 'tarn';
import Valkey from 'iovalkey';
import { GlideClient } from '@valkey/valkey-glide';
const a = createPool({ create: async () => new Valkey(), destroy: async (c) => { await c.quit(); } }, { max: 64 });
const b = new Pool({ create: () => GlideClient.createClient({ addresses: [] }), destroy: (c) => c.close(), min: 0, max: 64 });`,
    errors: [
      { messageId: 'maxAboveCap', line: 5 },
      { messageId: 'maxAboveCap', line: 6 },
    ],
  },
  // Unbounded: Infinity, or at/above maxclients.
  {
    code: `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 0, max: Infinity });`,
    errors: [{ messageId: 'unbounded', data: { setting: '`max: Infinity`', pool: 'tarn pool', maxClients: 10000, cap: '50 (maxPoolSize)' } }],
  },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({}, { maximum: Number.MAX_SAFE_INTEGER });`,
    errors: [
      {
        messageId: 'unbounded',
        data: { setting: '`maximum: Number.MAX_SAFE_INTEGER` (= 9007199254740991)', pool: 'node-redis client pool', maxClients: 10000, cap: '50 (maxPoolSize)' },
      },
    ],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 20000 });`,
    errors: [{ messageId: 'unbounded' }],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 1000 });`,
    options: [{ maxClients: 1000, maxPoolSize: 2000 }],
    errors: [{ messageId: 'unbounded', data: { setting: '`max: 1000`', pool: 'generic-pool pool', maxClients: 1000, cap: '2000 (maxPoolSize)' } }],
  },
  {
    code: `import { createSentinel } from 'redis';
const sentinel = createSentinel({ name: 'mymaster', sentinelRootNodes: [], masterPoolSize: Infinity });`,
    errors: [{ messageId: 'unbounded' }],
  },
  // generic-pool parses sizes with parseInt: Infinity and 1e21 become 1.
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: Infinity });`,
    errors: [
      {
        messageId: 'parsedSmaller',
        data: {
          engine: 'generic-pool',
          setting: '`max: Infinity`',
          pool: 'generic-pool pool',
          effective: 1,
          connections: '1 connection',
          value: 'Infinity',
          cap: '50 (maxPoolSize)',
        },
      },
    ],
  },
  {
    code: `import { createClient } from 'redis';
const client = createClient({ isolationPoolOptions: { max: 1e21 } });`,
    settings: redis4,
    errors: [{ messageId: 'parsedSmaller' }],
  },
  // min > max, with each library's consequence.
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 20, min: 30 });`,
    errors: [
      {
        messageId: 'minAboveMax',
        column: 45,
        data: {
          setting: '`min: 30`',
          maxSetting: '`max: 20`',
          consequence: 'generic-pool silently lowers the minimum to 20, so the configured minimum never holds',
        },
      },
    ],
  },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({}, { minimum: 5, maximum: 2 });`,
    errors: [
      {
        messageId: 'minAboveMax',
        column: 37,
        data: {
          setting: '`minimum: 5`',
          maxSetting: '`maximum: 2`',
          consequence: 'node-redis does not check this and opens 5 clients at connect anyway',
        },
      },
    ],
  },
  {
    code: `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 10, max: 5 });`,
    errors: [
      {
        messageId: 'minAboveMax',
        column: 84,
        data: {
          setting: '`min: 10`',
          maxSetting: '`max: 5`',
          consequence: "tarn throws 'Tarn: opt.max is smaller than opt.min' when the pool is created",
        },
      },
    ],
  },
  {
    // min above the default max.
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({}, { minimum: 120 });`,
    options: [{ maxPoolSize: 200 }],
    errors: [
      {
        messageId: 'minAboveMax',
        data: {
          setting: '`minimum: 120`',
          maxSetting: '`maximum` (default 100)',
          consequence: 'node-redis does not check this and opens 120 clients at connect anyway',
        },
      },
    ],
  },
  {
    code: `import { createClient } from 'redis';
const client = createClient({ isolationPoolOptions: { max: 4, min: 8 } });`,
    settings: redis4,
    errors: [{ messageId: 'minAboveMax' }],
  },
  {
    // max: Infinity is read as 1, so min: 2 is clamped to it.
    code: `${ioredisFactory}const pool = createPool(factory, { max: Infinity, min: 2 });`,
    errors: [
      { messageId: 'parsedSmaller' },
      {
        messageId: 'minAboveMax',
        data: {
          setting: '`min: 2`',
          maxSetting: '`max: Infinity`, read as 1',
          consequence: 'generic-pool silently lowers the minimum to 1, so the configured minimum never holds',
        },
      },
    ],
  },
  // min above the cap.
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: Number(process.env.POOL_MAX), min: 60 });`,
    errors: [{ messageId: 'minAboveCap', data: { setting: '`min: 60`', pool: 'generic-pool pool', value: 60, cap: '50 (maxPoolSize)' } }],
  },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({}, { minimum: 60, maximum: 80 });`,
    errors: [
      { messageId: 'minAboveCap', column: 37 },
      { messageId: 'maxAboveCap', column: 50 },
    ],
  },
  // requireExplicitSize.
  {
    code: `${ioredisFactory}const pool = createPool(factory);`,
    errors: [{ messageId: 'implicitMaxOfOne', line: 4, column: 14, data: { pool: 'generic-pool pool', option: 'max' } }],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { acquireTimeoutMillis: 2000 });`,
    errors: [{ messageId: 'implicitMaxOfOne', line: 4, column: 34 }],
  },
  {
    // The max left at 1 clamps the min.
    code: `${ioredisFactory}const pool = createPool(factory, { min: 5 });`,
    errors: [
      { messageId: 'implicitMaxOfOne', column: 34 },
      { messageId: 'minAboveMax', column: 36, data: { setting: '`min: 5`', maxSetting: '`max` (default 1)', consequence: 'generic-pool silently lowers the minimum to 1, so the configured minimum never holds' } },
    ],
  },
  {
    code: `import { createClient } from 'redis';
const client = createClient({ isolationPoolOptions: { acquireTimeoutMillis: 1000 } });`,
    settings: redis4,
    errors: [{ messageId: 'implicitMaxOfOne', column: 31, data: { pool: 'node-redis isolation pool', option: 'isolationPoolOptions.max' } }],
  },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({ url: process.env.REDIS_URL });`,
    errors: [
      { messageId: 'defaultAboveCap', column: 14, data: { pool: 'node-redis client pool', option: 'maximum', value: 100, cap: '50 (maxPoolSize)' } },
    ],
  },
  {
    code: `import { createClientPool } from 'redis';
const pool = createClientPool({}, { acquireTimeout: 1000 });`,
    errors: [{ messageId: 'defaultAboveCap', column: 35 }],
  },
  // idleTimeoutMillis without an evictor.
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 10, idleTimeoutMillis: 30000 });`,
    errors: [
      {
        messageId: 'idleWithoutEviction',
        column: 45,
        data: { option: 'idleTimeoutMillis', interval: 'it is not set, and defaults to 0' },
      },
    ],
  },
  {
    code: `${ioredisFactory}const pool = createPool(factory, { max: 10, softIdleTimeoutMillis: 30000, evictionRunIntervalMillis: 0 });`,
    errors: [{ messageId: 'idleWithoutEviction', data: { option: 'softIdleTimeoutMillis', interval: 'it is 0' } }],
  },
  {
    // A value known only at run time still configures the option.
    code: `${ioredisFactory}const pool = createPool(factory, { max: 10, idleTimeoutMillis: Number(process.env.IDLE_MS) });`,
    errors: [{ messageId: 'idleWithoutEviction' }],
  },
  {
    // node-redis 4's isolation pool is a generic-pool.
    code: `import { createClient } from 'redis';
const client = createClient({ isolationPoolOptions: { max: 10, idleTimeoutMillis: 5000 } });`,
    settings: redis4,
    errors: [{ messageId: 'idleWithoutEviction', column: 64 }],
  },
  // The budget.
  {
    code: `${ioredisFactory}export const a = createPool(factory, { max: 400 });
export const b = createPool(factory, { max: 400 });
export const c = createPool(factory, { max: 400 });`,
    options: [{ replicas: 12, maxPoolSize: 1000 }],
    errors: [
      {
        messageId: 'overBudget',
        // 400 × 12 = 4800 fits; the second pool takes it to 9600, over 8000.
        line: 5,
        column: 40,
        data: {
          arithmetic: '3 pools × max 400 × 12 replicas = 14400',
          notes: '',
          share: 80,
          maxClients: 10000,
          limit: 8000,
        },
      },
    ],
  },
  {
    code: `${ioredisFactory}import { createSentinel } from 'redis';
export const a = createPool(factory, { max: 40 });
export const b = createPool(factory, { max: Number(process.env.POOL_MAX) });
export const s = createSentinel({ name: 'mymaster', sentinelRootNodes: [], masterPoolSize: 30, replicaPoolSize: 60 });
export const c = createPool(factory, { max: 45 });`,
    options: [{ replicas: 70, maxPoolSize: 100 }],
    errors: [
      {
        messageId: 'overBudget',
        line: 8,
        data: {
          arithmetic: 'max 40 + 30 + 45 = 115 per process × 70 replicas = 8050',
          notes: ' (sentinels count their masterPoolSize; replica pools connect to other servers; plus 1 pool sized at run time)',
          share: 80,
          maxClients: 10000,
          limit: 8000,
        },
      },
    ],
  },
  {
    // Library defaults count too: two node-redis pools at 100 against a small server.
    code: `import { createClientPool } from 'redis';
export const a = createClientPool({});
export const b = createClientPool({});`,
    options: [{ maxClients: 200, maxPoolSize: 100 }],
    errors: [{ messageId: 'overBudget', line: 3, column: 18, data: { arithmetic: '2 pools × max 100 × 1 replica = 200', notes: '', share: 80, maxClients: 200, limit: 160 } }],
  },
  {
    // Each duplicate of a node-redis 4 client has its own isolation pool; the shared setting is reported once.
    code: `import { createClient } from 'redis';
const client = createClient({ isolationPoolOptions: { max: 60 } });
const subscriber = client.duplicate();`,
    settings: redis4,
    options: [{ maxClients: 140 }],
    errors: [
      { messageId: 'maxAboveCap', line: 2 },
      { messageId: 'overBudget', line: 3, column: 20, data: { arithmetic: '2 pools × max 60 × 1 replica = 120', notes: '', share: 80, maxClients: 140, limit: 112 } },
    ],
  },
];

untypedTester().run('no-oversized-pool', rule, { valid, invalid });

// Typed: pools whose resource factory is imported are Redis pools by their type.
const typedValid: ValidTestCase<Options>[] = [
  {
    code: `import { createPool } from 'generic-pool';
import { bufferFactory } from './pool-factories';
export const pool = createPool(bufferFactory, { max: 400 });`,
  },
  {
    code: `import { Pool } from 'tarn';
import { makeBuffer } from './pool-factories';
export const pool = new Pool<Buffer>({ create: makeBuffer, destroy: () => undefined, min: 0, max: 400 });`,
  },
];

const typedInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    // A Redis pool whose options are an exported constant of a project module (module view): read there.
    code: `import { createPool, type Pool } from 'generic-pool';
import type Redis from 'ioredis';
import { redisFactory, poolOptions } from './pool-factories';
export const pool: Pool<Redis> = createPool(redisFactory, poolOptions);`,
    errors: [{ messageId: 'maxAboveCap', line: 4, column: 59 }],
  },
  {
    code: `import { createPool } from 'generic-pool';
import { redisFactory } from './pool-factories';
export const pool = createPool(redisFactory, { max: 400, min: 2 });`,
    errors: [{ messageId: 'maxAboveCap', line: 3, column: 48 }],
  },
  {
    code: `import { Pool } from 'tarn';
import type Redis from 'ioredis';
import { makeRedis } from './pool-factories';
export const pool = new Pool<Redis>({ create: makeRedis, destroy: (r) => r.disconnect(), min: 0, max: Infinity });`,
    errors: [{ messageId: 'unbounded', line: 4 }],
  },
  {
    // create returns a client made elsewhere: its type says Redis.
    code: `import { createPool } from 'generic-pool';
import { makeRedis } from './pool-factories';
export const pool = createPool({ create: async () => makeRedis(), destroy: async (r) => { await r.quit(); } });`,
    errors: [{ messageId: 'implicitMaxOfOne', line: 3 }],
  },
  {
    // A factory parameter typed for Redis.
    code: `import { createPool, type Factory } from 'generic-pool';
import type Redis from 'ioredis';
export function makePool(factory: Factory<Redis>) {
  return createPool(factory, { max: 10, idleTimeoutMillis: 1000 });
}`,
    errors: [{ messageId: 'idleWithoutEviction', line: 4 }],
  },
];

typedTester().run('no-oversized-pool (typed)', rule, {
  valid: [...valid, ...typedValid].map((test) => ({ ...test, filename: typedFile })),
  invalid: [...invalid, ...typedInvalid].map((test) => ({ ...test, filename: typedFile })),
});

// Without types the same imported factories tell nothing: silent.
untypedTester().run('no-oversized-pool (typed cases, no types)', rule, {
  valid: [...typedValid, ...typedInvalid.map(({ code }) => ({ code }))],
  invalid: [],
});
