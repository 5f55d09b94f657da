import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it, vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/prefer-pool-use';
import { applyPreferPoolUse, transformWith } from '../e2e/harness';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

const GENERIC_POOL = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 10 });
`;
const SENTINEL = `import { createSentinel } from 'redis';
const sentinel = createSentinel({ name: 'main', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });
`;
const REDIS4 = { redis: { versions: { redis: 4 } } };

// The first typed case builds a TypeScript program: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const valid: (string | ValidTestCase<Options>)[] = [
  // Already managed.
  `${GENERIC_POOL}
export async function get(key) {
  return pool.use(async (conn) => conn.get(key));
}`,
  `import { createClientPool } from 'redis';
const pool = createClientPool({}, { maximum: 5 });
export async function get(key) {
  return pool.execute(async (client) => client.get(key));
}`,
  `${SENTINEL}
export async function get(key) {
  return sentinel.use(async (lease) => lease.get(key));
}`,
  // A leak is no-unreleased-connection's business, not this rule's.
  `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire();
  const value = await conn.get(key);
  pool.release(conn);
  return value;
}`,
  // tarn has no managed form.
  `import { Pool } from 'tarn';
import Redis from 'ioredis';
const pool = new Pool({ create: () => new Redis(), destroy: (c) => c.quit(), min: 0, max: 4 });
export async function get(key) {
  const conn = await pool.acquire().promise;
  try {
    return await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
  // A generic-pool of something that is not Redis.
  `import { createPool } from 'generic-pool';
import { connect } from 'node:net';
const pool = createPool({ create: async () => connect(80, 'example.com'), destroy: async (s) => s.destroy() }, { max: 2 });
export async function send(data) {
  const socket = await pool.acquire();
  try {
    socket.write(data);
  } finally {
    pool.release(socket);
  }
}`,
  // pg: the same shape, but not a Redis pool.
  `import pg from 'pg';
const pool = new pg.Pool();
export async function rows() {
  const client = await pool.connect();
  try {
    return await client.query('SELECT 1');
  } finally {
    client.release();
  }
}`,
  // redlock's acquire/release are locks.
  `import Redlock from 'redlock';
import Redis from 'ioredis';
const redlock = new Redlock([new Redis()]);
export async function critical(work) {
  const lock = await redlock.acquire(['a'], 5000);
  try {
    await work();
  } finally {
    await lock.release();
  }
}`,
  // An unknown pool (an untyped parameter).
  `export async function get(pool, key) {
  const conn = await pool.acquire();
  try {
    return await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
  // destroy() in finally: use() would release a connection this code means to throw away.
  `${GENERIC_POOL}
export async function subscribeOnce(channel) {
  const conn = await pool.acquire();
  try {
    await conn.subscribe(channel);
  } finally {
    await pool.destroy(conn);
  }
}`,
  // Released to another pool.
  `${GENERIC_POOL}
const other = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 2 });
export async function get(key) {
  const conn = await pool.acquire();
  try {
    return await conn.get(key);
  } finally {
    other.release(conn);
  }
}`,
  // Statements between the acquire and the try: not the correct manual form.
  `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire();
  const started = Date.now();
  try {
    return await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
  // Skips: moving the body into a callback would change what it does.
  // break out of a loop.
  `${GENERIC_POOL}
export async function firstHit(keys) {
  for (const key of keys) {
    const conn = await pool.acquire();
    try {
      if (await conn.exists(key)) break;
    } finally {
      pool.release(conn);
    }
  }
}`,
  // continue.
  `${GENERIC_POOL}
export async function warm(keys) {
  for (const key of keys) {
    const conn = await pool.acquire();
    try {
      if (!key) continue;
      await conn.get(key);
    } finally {
      pool.release(conn);
    }
  }
}`,
  // A labelled break out of the try.
  `${GENERIC_POOL}
export async function scan(key) {
  outer: {
    const conn = await pool.acquire();
    try {
      if (await conn.exists(key)) break outer;
    } finally {
      pool.release(conn);
    }
  }
}`,
  // yield.
  `${GENERIC_POOL}
export async function* stream(keys) {
  const conn = await pool.acquire();
  try {
    for (const key of keys) yield await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
  // arguments.
  `${GENERIC_POOL}
export async function getAll() {
  const conn = await pool.acquire();
  try {
    return await conn.mget(...arguments);
  } finally {
    pool.release(conn);
  }
}`,
  // A return that would end the callback but not the function.
  `${GENERIC_POOL}
export async function cached(key, compute) {
  const conn = await pool.acquire();
  try {
    const hit = await conn.get(key);
    if (hit) return hit;
  } finally {
    pool.release(conn);
  }
  return compute(key);
}`,
  // A return inside a loop body whose loan is per iteration.
  `${GENERIC_POOL}
export async function find(keys) {
  for (const key of keys) {
    const conn = await pool.acquire();
    try {
      if (await conn.exists(key)) return key;
    } finally {
      pool.release(conn);
    }
  }
  return undefined;
}`,
  // The loan is used after the block, or handed out of it.
  `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire();
  try {
    await conn.ping();
  } finally {
    pool.release(conn);
  }
  return conn.get(key);
}`,
  `${GENERIC_POOL}
let last;
export async function touch(key) {
  const conn = await pool.acquire();
  try {
    last = conn;
    await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
  // Reassigned.
  `${GENERIC_POOL}
export async function get(key) {
  let conn = await pool.acquire();
  try {
    conn = conn.duplicate();
    return await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
  // A var declared inside and read after.
  `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire();
  try {
    var value = await conn.get(key);
  } finally {
    pool.release(conn);
  }
  return value;
}`,
  // The finally block does more than give the loan back.
  `${GENERIC_POOL}
export async function get(key, timer) {
  const conn = await pool.acquire();
  try {
    return await conn.get(key);
  } finally {
    pool.release(conn);
    timer.stop();
  }
}`,
  // A priority argument use() can't pass on.
  `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire(1);
  try {
    return await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
  // Module level (top-level await): a break out of the loop still can't cross the callback.
  `${GENERIC_POOL}
for (const key of ['a', 'b']) {
  const conn = await pool.acquire();
  try {
    if (await conn.exists(key)) break;
  } finally {
    pool.release(conn);
  }
}`,
  // TypeScript: a `let` assigned inside (not last) and read after would be "used before being assigned".
  `${GENERIC_POOL}
let boot: string | null;
const conn = await pool.acquire();
try {
  boot = await conn.get('boot');
  console.log('read');
} finally {
  pool.release(conn);
}
console.log(boot);`,
  // node-redis 4 duplicate with overrides: executeIsolated would drop them.
  {
    code: `import { createClient } from 'redis';
const client = createClient();
export async function transfer() {
  const isolated = client.duplicate({ database: 2 });
  await isolated.connect();
  try {
    await isolated.watch('a');
  } finally {
    await isolated.quit();
  }
}`,
    settings: REDIS4,
  },
  // node-redis 5/6 have no executeIsolated: a per-call duplicate is left alone.
  {
    code: `import { createClient } from 'redis';
const client = createClient();
export async function transfer() {
  const isolated = client.duplicate();
  await isolated.connect();
  try {
    await isolated.watch('a');
  } finally {
    await isolated.close();
  }
}`,
    settings: { redis: { versions: { redis: 6 } } },
  },
];

/**
 * A generic-pool site: `use` destroys the connection when the callback rejects where the manual
 * code released it, so the rewrite is offered as a suggestion, not applied by --fix.
 */
function genericPoolCase(
  code: string,
  output: string,
  extra: Partial<InvalidTestCase<MessageIds, Options>> = {},
  data: Record<string, string> = {},
  position: { line?: number; column?: number; endLine?: number } = {},
): InvalidTestCase<MessageIds, Options> {
  const names = { library: 'generic-pool', acquire: 'acquire', release: 'release', owner: 'pool', managed: 'use', name: 'conn', onReject: 'destroy', ...data };
  return {
    code,
    ...extra,
    errors: [{ messageId: 'preferManagedDestroys', data: names, ...position, suggestions: [{ messageId: 'useManaged', data: names, output }] }],
  };
}

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  genericPoolCase(
    `${GENERIC_POOL}
export async function incr(key) {
  const conn = await pool.acquire();
  try {
    await conn.incr(key);
  } finally {
    pool.release(conn);
  }
}`,
    `${GENERIC_POOL}
export async function incr(key) {
  await pool.use(async (conn) => {
    await conn.incr(key);
  });
}`,
    {},
    {},
    // Reported on the acquiring declaration.
    { line: 6, column: 3, endLine: 6 },
  ),
  // A returned value travels through use(); `await` on the release is dropped with it.
  genericPoolCase(
    `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire();
  try {
    const raw = await conn.get(key);
    return raw === null ? null : JSON.parse(raw);
  } finally {
    await pool.release(conn);
  }
}`,
    `${GENERIC_POOL}
export async function get(key) {
  return pool.use(async (conn) => {
    const raw = await conn.get(key);
    return raw === null ? null : JSON.parse(raw);
  });
}`,
  ),
  // A catch moves into the callback with the body; comments outside it are kept above.
  genericPoolCase(
    `${GENERIC_POOL}
export async function get(key) {
  const conn = await pool.acquire(); // one connection per call
  try {
    return await conn.get(\`user:\${key}\`);
  } catch (err) {
    console.error(\`lookup failed
for \${key}\`, err);
    return null;
  } finally {
    // always give it back
    pool.release(conn);
  }
}`,
    `${GENERIC_POOL}
export async function get(key) {
  // one connection per call
  // always give it back
  return pool.use(async (conn) => {
    try {
      return await conn.get(\`user:\${key}\`);
    } catch (err) {
      console.error(\`lookup failed
for \${key}\`, err);
      return null;
    }
  });
}`,
  ),
  // Returns on every path but not in tail position: the result is still returned.
  genericPoolCase(
    `${GENERIC_POOL}
export async function get(key, fallback) {
  if (key) {
    const conn = await pool.acquire();
    try {
      return await conn.get(key);
    } finally {
      pool.release(conn);
    }
  }
  return fallback;
}`,
    `${GENERIC_POOL}
export async function get(key, fallback) {
  if (key) {
    return pool.use(async (conn) => {
      return await conn.get(key);
    });
  }
  return fallback;
}`,
  ),
  // Inside an outer try the returned call is awaited so its rejection is still caught there.
  genericPoolCase(
    `${GENERIC_POOL}
export async function get(key) {
  try {
    const conn = await pool.acquire();
    try {
      return await conn.get(key);
    } finally {
      pool.release(conn);
    }
  } catch {
    return null;
  }
}`,
    `${GENERIC_POOL}
export async function get(key) {
  try {
    return await pool.use(async (conn) => {
      return await conn.get(key);
    });
  } catch {
    return null;
  }
}`,
  ),
  // Per-iteration loans, loops and breaks that stay inside the body, `this` in a method.
  genericPoolCase(
    `${GENERIC_POOL}
export class Counters {
  pool = pool;
  async bumpAll(keys) {
    for (const key of keys) {
      const conn = await this.pool.acquire();
      try {
        for (const suffix of ['a', 'b']) {
          if (!suffix) break;
          await conn.incr(this.prefix + key + suffix);
        }
      } finally {
        this.pool.release(conn);
      }
    }
  }
}`,
    `${GENERIC_POOL}
export class Counters {
  pool = pool;
  async bumpAll(keys) {
    for (const key of keys) {
      await this.pool.use(async (conn) => {
        for (const suffix of ['a', 'b']) {
          if (!suffix) break;
          await conn.incr(this.prefix + key + suffix);
        }
      });
    }
  }
}`,
    {},
    { owner: 'this.pool' },
  ),
  {
    // Sentinel lease released on itself.
    code: `${SENTINEL}
export async function transfer(from, to) {
  const lease = await sentinel.acquire();
  try {
    await lease.watch(from);
    await lease.multi().decr(from).incr(to).exec();
  } finally {
    lease.release();
  }
}`,
    errors: [{ messageId: 'preferManaged', data: { library: 'node-redis', acquire: 'acquire', release: 'release', owner: 'sentinel', managed: 'use', name: 'lease' } }],
    output: `${SENTINEL}
export async function transfer(from, to) {
  await sentinel.use(async (lease) => {
    await lease.watch(from);
    await lease.multi().decr(from).incr(to).exec();
  });
}`,
  },
  // A `let` the try block assigns last is carried out as the callback's result (no second `boot` inside).
  genericPoolCase(
    `${GENERIC_POOL}
let boot;
const conn = await pool.acquire();
try {
  boot = await conn.get('boot');
} finally {
  pool.release(conn);
}
console.log(boot);`,
    `${GENERIC_POOL}
const boot = await pool.use(async (conn) => {
  return await conn.get('boot');
});
console.log(boot);`,
    { filename: 'boot.mjs' },
  ),
  // TypeScript: its type goes with it.
  genericPoolCase(
    `${GENERIC_POOL}
let boot: string | null;
const conn = await pool.acquire();
try {
  boot = await conn.get('boot');
} finally {
  pool.release(conn);
}
console.log(boot);`,
    `${GENERIC_POOL}
const boot: string | null = await pool.use(async (conn) => {
  return await conn.get('boot');
});
console.log(boot);`,
    { filename: 'boot.ts' },
  ),
  // Plain JavaScript keeps an assignment that is not last through the closure.
  genericPoolCase(
    `${GENERIC_POOL}
let boot;
const conn = await pool.acquire();
try {
  boot = await conn.get('boot');
  console.log('read');
} finally {
  pool.release(conn);
}
console.log(boot);`,
    `${GENERIC_POOL}
let boot;
await pool.use(async (conn) => {
  boot = await conn.get('boot');
  console.log('read');
});
console.log(boot);`,
    { filename: 'boot.mjs' },
  ),
  // CommonJS.
  genericPoolCase(
    `const genericPool = require('generic-pool');
const Redis = require('ioredis');
const pool = genericPool.createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 4 });
module.exports.get = async function get(key) {
  const conn = await pool.acquire();
  try {
    return await conn.get(key);
  } finally {
    pool.release(conn);
  }
};`,
    `const genericPool = require('generic-pool');
const Redis = require('ioredis');
const pool = genericPool.createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 4 });
module.exports.get = async function get(key) {
  return pool.use(async (conn) => {
    return await conn.get(key);
  });
};`,
    { ...commonjsOptions, filename: 'store.cjs' },
  ),
  // TypeScript: the binding's annotation becomes the parameter's.
  genericPoolCase(
    `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool<Redis>({ create: async () => new Redis(), destroy: async (c) => { await c.quit(); } }, { max: 3 });
export async function ttl(key: string): Promise<number> {
  const conn: Redis = await pool.acquire();
  try {
    return await conn.ttl(key);
  } finally {
    pool.release(conn);
  }
}`,
    `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool<Redis>({ create: async () => new Redis(), destroy: async (c) => { await c.quit(); } }, { max: 3 });
export async function ttl(key: string): Promise<number> {
  return pool.use(async (conn: Redis) => {
    return await conn.ttl(key);
  });
}`,
  ),
  // Top-level await in a module.
  genericPoolCase(
    `${GENERIC_POOL}
const conn = await pool.acquire();
try {
  await conn.set('boot', Date.now());
} finally {
  pool.release(conn);
}`,
    `${GENERIC_POOL}
await pool.use(async (conn) => {
  await conn.set('boot', Date.now());
});`,
  ),
  {
    // node-redis 4: a per-call duplicate for isolated work; a suggestion, since the isolation
    // pool's size (default 1) now decides how many run at once.
    code: `import { createClient } from 'redis';
const client = createClient();
export async function transfer(from, to) {
  const isolated = client.duplicate();
  await isolated.connect();
  try {
    await isolated.watch(from);
    await isolated.multi().decr(from).incr(to).exec();
  } finally {
    await isolated.quit();
  }
}`,
    settings: REDIS4,
    errors: [
      {
        messageId: 'preferExecuteIsolated',
        line: 4,
        suggestions: [
          {
            messageId: 'useManaged',
            data: { library: 'node-redis', acquire: 'duplicate', release: 'quit', owner: 'client', managed: 'executeIsolated', name: 'isolated' },
            output: `import { createClient } from 'redis';
const client = createClient();
export async function transfer(from, to) {
  await client.executeIsolated(async (isolated) => {
    await isolated.watch(from);
    await isolated.multi().decr(from).incr(to).exec();
  });
}`,
          },
        ],
      },
    ],
  },
  {
    // node-redis 4: duplicate().connect() in one expression.
    code: `import { createClient } from 'redis';
const client = createClient();
export async function total(keys) {
  const isolated = await client.duplicate().connect();
  try {
    return await isolated.mGet(keys);
  } finally {
    await isolated.disconnect();
  }
}`,
    settings: REDIS4,
    errors: [
      {
        messageId: 'preferExecuteIsolated',
        suggestions: [
          {
            messageId: 'useManaged',
            output: `import { createClient } from 'redis';
const client = createClient();
export async function total(keys) {
  return client.executeIsolated(async (isolated) => {
    return await isolated.mGet(keys);
  });
}`,
          },
        ],
      },
    ],
  },
];

// Found only through types: a parameter typed as a generic-pool of ioredis clients.
const typedOnlyInvalid: InvalidTestCase<MessageIds, Options>[] = [
  genericPoolCase(
    `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function get(pool: Pool<Redis>, key: string): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    return await conn.get(key);
  } finally {
    pool.release(conn);
  }
}`,
    `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function get(pool: Pool<Redis>, key: string): Promise<string | null> {
  return pool.use(async (conn) => {
    return await conn.get(key);
  });
}`,
  ),
  {
    code: `import type { RedisSentinelType } from 'redis';
export class Store {
  constructor(private readonly sentinel: RedisSentinelType) {}
  async save(key: string, value: string): Promise<void> {
    const lease = await this.sentinel.acquire();
    try {
      await lease.set(key, value);
    } finally {
      lease.release();
    }
  }
}`,
    errors: [{ messageId: 'preferManaged' }],
    output: `import type { RedisSentinelType } from 'redis';
export class Store {
  constructor(private readonly sentinel: RedisSentinelType) {}
  async save(key: string, value: string): Promise<void> {
    await this.sentinel.use(async (lease) => {
      await lease.set(key, value);
    });
  }
}`,
  },
];

const typedOnlyValid: string[] = [
  // Known from types only, with the same skips: a return that would end only the callback…
  `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function cached(pool: Pool<Redis>, key: string, compute: () => string): Promise<string> {
  const conn = await pool.acquire();
  try {
    const hit = await conn.get(key);
    if (hit) return hit;
  } finally {
    pool.release(conn);
  }
  return compute();
}`,
  // …a continue out of the loop, the loan used after the block.
  `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function warm(pool: Pool<Redis>, keys: string[]): Promise<void> {
  for (const key of keys) {
    const conn = await pool.acquire();
    try {
      if (!key) continue;
      await conn.get(key);
    } finally {
      pool.release(conn);
    }
  }
}`,
  `import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';
export async function ping(pool: Pool<Redis>): Promise<string> {
  const conn = await pool.acquire();
  try {
    await conn.ping();
  } finally {
    pool.release(conn);
  }
  return conn.status;
}`,
  // A typed pool of something that is not Redis.
  `import type { Pool } from 'generic-pool';
export async function send(pool: Pool<{ write(data: string): void }>, data: string): Promise<void> {
  const socket = await pool.acquire();
  try {
    socket.write(data);
  } finally {
    pool.release(socket);
  }
}`,
];

untypedTester().run('prefer-pool-use', rule, {
  valid: [
    ...valid,
    // Without types, a field declared by a typed parameter property is unknown: silence.
    ...typedOnlyInvalid.filter((test) => !annotatesParameter(test.code)).map((test) => test.code),
  ],
  // A parameter annotated with an imported catalog type (`pool: Pool<Redis>`) is known from its annotation.
  invalid: [...invalid, ...typedOnlyInvalid.filter((test) => annotatesParameter(test.code))],
});

function annotatesParameter(code: string): boolean {
  return /\(pool: Pool<Redis>/.test(code);
}

typedTester().run('prefer-pool-use (typed)', rule, {
  valid: [...valid, ...typedOnlyValid].map((test) => (typeof test === 'string' ? { code: test, filename: typedFile } : { ...test, filename: typedFile })),
  // Cases that lint a JavaScript file name stay untyped.
  invalid: [...invalid.filter((test) => !test.filename), ...typedOnlyInvalid].map((test) => ({ ...test, filename: typedFile })),
});

/**
 * The rule and the managed-lifecycle codemod agree: on every codemod fixture, what the rule
 * rewrites (applying each fix and suggestion) is rewritten the same way by the codemod, and the
 * rule finds nothing the codemod left or skipped. The rule sees less without type information
 * (a pool imported from another file), so the codemod run after it must reach the same output.
 * The managed-lifecycle fixtures are compared as they are, the release-in-finally fixtures after
 * that codemod has put their loans in try/finally.
 */
describe('prefer-pool-use agrees with the managed-lifecycle codemod', () => {
  const fixtures = path.join(__dirname, '..', 'codemods', '__testfixtures__');
  const inputsOf = (name: string) => {
    const dir = path.join(fixtures, name);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.includes('.input.')).sort().map((file) => path.join(dir, file)) : [];
  };
  const managed = inputsOf('managed-lifecycle');
  const releaseInFinally = inputsOf('release-in-finally');

  it('has codemod fixtures to compare with', () => {
    expect(managed.length).toBeGreaterThan(0);
    expect(releaseInFinally.length).toBeGreaterThan(0);
  });

  async function expectAgreement(input: string, filePath: string): Promise<number> {
    const expected = await transformWith('managed-lifecycle', input, filePath);
    const byRule = applyPreferPoolUse(input, filePath);
    expect(await transformWith('managed-lifecycle', byRule.output, filePath)).toBe(expected);
    expect(applyPreferPoolUse(expected, filePath).rewrites).toBe(0);
    return byRule.rewrites;
  }

  for (const filePath of managed) {
    it(`managed-lifecycle/${path.basename(filePath)}`, async () => {
      await expectAgreement(fs.readFileSync(filePath, 'utf8'), filePath);
    });
  }
  for (const filePath of releaseInFinally) {
    it(`release-in-finally/${path.basename(filePath)}, after release-in-finally`, async () => {
      const fixed = await transformWith('release-in-finally', fs.readFileSync(filePath, 'utf8'), filePath);
      await expectAgreement(fixed, filePath);
    });
  }

  it('rewrites sites in the fixtures at all', async () => {
    let rewrites = 0;
    for (const filePath of releaseInFinally) {
      const fixed = await transformWith('release-in-finally', fs.readFileSync(filePath, 'utf8'), filePath);
      rewrites += applyPreferPoolUse(fixed, filePath).rewrites;
    }
    expect(rewrites).toBeGreaterThan(5);
  });
});

describe('a carried declaration after other code on its line', () => {
  it('is removed with the spaces before it', () => {
    const source = `${GENERIC_POOL}console.log('start'); let hits;\nconst conn = await pool.acquire();\ntry {\n  hits = await conn.incr('hits');\n} finally {\n  pool.release(conn);\n}\nconsole.log(hits);\n`;
    expect(applyPreferPoolUse(source, 'hits.mjs').output).toContain("console.log('start');\nconst hits = await pool.use(");
  });
});
