/**
 * What the inventory says about each connection: blocking commands in every spelling, loans and
 * pools, isolation, takeover, timeouts with the detected major's defaults, and pool sizes.
 */
import { describe, expect, it, vi } from 'vitest';
import { ProjectView } from '../../src/project/project-view';
import { blockingSites, commandSites, connectionNamed, reportOf } from './helpers';

describe('blocking commands', () => {
  it('recognises every ioredis spelling, XREAD only with BLOCK, and converts timeouts to ms', () => {
    const report = reportOf({
      '/src/io.ts': `
        import Redis from 'ioredis';
        export const redis = new Redis();
        const block = 'BLOCK';
        const SECONDS = 2;
        export async function f(key: string, dynamic: number) {
          await redis.blpop(key, SECONDS * 1.5);
          await redis.brpopBuffer(key, 0);
          await redis.call('bzpopmin', key, 4);
          await redis.xread('COUNT', 1, block, 100, 'STREAMS', key, '$');
          await redis.xread('COUNT', 1, 'STREAMS', key, '$');
          await redis.blmpop(7, 1, key, 'LEFT');
          await redis.brpop(key, dynamic);
          await redis.wait(1, 250);
          await redis.get(key);
        }
      `,
    });
    const redis = connectionNamed(report, 'redis');
    expect(redis.blockingUses.map((use) => `${use.line} ${use.command} ${use.method} ${use.timeoutMs}`)).toEqual([
      '7 BLPOP blpop 3000',
      '8 BRPOP brpopBuffer 0',
      '9 BZPOPMIN call 4000',
      '10 XREAD xread 100',
      '12 BLMPOP blmpop 7000',
      '13 BRPOP brpop null',
      '14 WAIT wait 250',
    ]);
    // XREAD with a non-static argument (`key` could be 'BLOCK') is neither blocking nor ordinary
    // for the analysis the rules use, so the report leaves it out too.
    expect(commandSites(redis)).toEqual(['src/io.ts:15 GET']);
  });

  it('recognises node-redis and glide spellings, and not the bless* commands', () => {
    const report = reportOf({
      '/src/node.ts': `
        import { createClient } from 'redis';
        import { GlideClient } from '@valkey/valkey-glide';
        export const node = createClient();
        export async function f() {
          await node.blPop('q', 1);
          await node.BRPOP('q', 0);
          await node.sendCommand(['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '2']);
          await node.xRead({ key: 's', id: '$' }, { BLOCK: 50 });
          await node.xRead({ key: 's', id: '$' }, { COUNT: 5 });
          await node.blessGet('k');
          const glide = await GlideClient.createClient({ addresses: [] });
          await glide.blpop(['q'], 3);
          await glide.customCommand(['BRPOP', 'q', '0']);
        }
      `,
    });
    expect(blockingSites(connectionNamed(report, 'node'))).toEqual([
      'src/node.ts:6 BLPOP',
      'src/node.ts:7 BRPOP',
      'src/node.ts:8 BLMOVE',
      'src/node.ts:9 XREAD',
    ]);
    expect(connectionNamed(report, 'node').blockingUses.map((use) => use.timeoutMs)).toEqual([1000, 0, 2000, 50]);
    expect(commandSites(connectionNamed(report, 'node'))).toEqual(['src/node.ts:10 XREAD', 'src/node.ts:11 BLESSGET']);
    expect(blockingSites(connectionNamed(report, 'glide'))).toEqual(['src/node.ts:13 BLPOP', 'src/node.ts:14 BRPOP']);
  });

  it('counts takeover commands only where they take the connection over', () => {
    const report = reportOf(
      {
        '/src/sub.ts': `
          import { createClient } from 'redis';
          export const resp3 = createClient();
          export const resp2 = createClient({ RESP: 2 });
          export const monitored = createClient({ RESP: 3 });
          resp3.subscribe('ch', () => {});
          resp3.get('k');
          resp2.subscribe('ch', () => {});
          resp2.get('k');
          monitored.monitor(() => {});
        `,
      },
      {},
      { versions: { redis: 6 } },
    );
    expect(connectionNamed(report, 'resp3').blockingUses).toEqual([]);
    expect(connectionNamed(report, 'resp2').blockingUses).toMatchObject([{ command: 'SUBSCRIBE', takeover: true, timeoutMs: 0 }]);
    expect(connectionNamed(report, 'resp2').shared).toBe(true);
    expect(connectionNamed(report, 'monitored').blockingUses).toMatchObject([{ command: 'MONITOR', takeover: true }]);
    expect(connectionNamed(report, 'monitored').shared).toBe(false);
  });
});

describe('pools and loans', () => {
  it('puts a loan’s commands on its pool, wherever the pool is used', () => {
    const report = reportOf({
      '/src/pool.ts': `
        import { createPool } from 'generic-pool';
        import Redis from 'ioredis';
        export const pool = createPool({ create: async () => new Redis({ connectTimeout: 500 }), destroy: async (c) => { await c.quit(); } }, { max: 8, min: 2 });
      `,
      '/src/jobs.ts': `
        import { pool } from './pool';
        export async function take() {
          const client = await pool.acquire();
          try { return await client.brpoplpush('jobs', 'busy', 1); } finally { await pool.release(client); }
        }
        export const count = () => pool.use((client) => client.llen('jobs'));
        export const peek = () => pool.acquire().then((client) => client.lrange('jobs', 0, 0));
      `,
    });
    const pool = connectionNamed(report, 'pool');
    expect(pool.perProcess).toBe(8);
    expect(pool.pool).toEqual({ min: 2, max: 8 });
    expect(blockingSites(pool)).toEqual(['src/jobs.ts:5 BRPOPLPUSH']);
    expect(commandSites(pool)).toEqual(['src/jobs.ts:7 LLEN', 'src/jobs.ts:8 LRANGE']);
    expect(pool.shared).toBe(true);
    const member = report.connections.find((connection) => connection.memberOf === pool.id)!;
    expect(member).toMatchObject({ library: 'ioredis', kind: 'client', perProcess: 0, blockingUses: [] });
    expect(member.timeouts.connectTimeout).toMatchObject({ ms: 500, source: 'explicit' });
    expect(report.budget.perProcess).toBe(8);
  });

  it('reads node-redis pools, sentinels and their loans', () => {
    const report = reportOf(
      {
        '/src/node.ts': `
          import { createClientPool, createSentinel } from 'redis';
          export const pool = createClientPool({ socket: { connectTimeout: 700 } }, { minimum: 5, maximum: 2, acquireTimeout: 0 });
          export const sentinel = createSentinel({ name: 'm', sentinelRootNodes: [], masterPoolSize: 3, replicaPoolSize: 2 });
          export async function f() {
            await pool.blPop('q', 0);
            await pool.execute((client) => client.get('k'));
            await sentinel.use((client) => client.brPop('q', 1));
          }
        `,
      },
      {},
      { versions: { redis: 6 } },
    );
    const pool = connectionNamed(report, 'pool');
    // node-redis creates `minimum` clients even above `maximum`.
    expect(pool.perProcess).toBe(5);
    expect(pool.timeouts).toMatchObject({
      acquireTimeout: { state: 'unbounded', source: 'explicit' },
      'socket.connectTimeout': { state: 'bounded', ms: 700 },
    });
    expect(blockingSites(pool)).toEqual(['src/node.ts:6 BLPOP']);
    expect(commandSites(pool)).toEqual(['src/node.ts:7 GET']);
    const sentinel = connectionNamed(report, 'sentinel');
    expect(sentinel).toMatchObject({ perProcess: 3, perReplica: 2, shared: false });
    expect(blockingSites(sentinel)).toEqual(['src/node.ts:8 BRPOP']);
  });

  it('sizes pools as the library reads them, and leaves unknown sizes out of the total', () => {
    const report = reportOf({
      '/src/sizes.ts': `
        import { createPool } from 'generic-pool';
        import { Pool } from 'tarn';
        import Redis from 'ioredis';
        const factory = { create: async () => new Redis(), destroy: async (c: Redis) => { c.disconnect(); } };
        const BASE = 4;
        export const computed = createPool(factory, { max: Math.max(BASE * 3, 10), min: 1 });
        export const parsed = createPool(factory, { max: Infinity });
        export const defaulted = createPool(factory);
        export const fromEnv = createPool(factory, { max: Number(process.env.POOL_MAX) });
        export const noMax = new Pool({ create: () => new Redis(), destroy: (c: Redis) => c.disconnect() } as never);
        export const unbounded = new Pool({ create: () => new Redis(), destroy: (c: Redis) => c.disconnect(), min: 0, max: Infinity });
      `,
    });
    const sizes = Object.fromEntries(report.connections.filter((c) => c.kind === 'pool').map((c) => [c.name, c.perProcess]));
    // generic-pool parses max with parseInt: Infinity becomes the default, 1.
    expect(sizes).toEqual({ computed: 12, parsed: 1, defaulted: 1, fromEnv: null, noMax: null, unbounded: null });
    expect(connectionNamed(report, 'unbounded').unbounded).toBe(true);
    expect(report.budget.perProcess).toBe(14);
    expect(report.budget.unknown).toEqual([connectionNamed(report, 'fromEnv').id, connectionNamed(report, 'noMax').id]);
    expect(report.budget.unbounded).toEqual([connectionNamed(report, 'unbounded').id]);
    expect(report.budget.complete).toBe(false);
    expect(report.budget.exceeded).toBe(true);
  });

  it('counts a node-redis 4 isolation pool when isolated commands use it, and keeps them off the connection', () => {
    const report = reportOf(
      {
        '/src/v4.ts': `
          import { createClient, commandOptions } from 'redis';
          export const isolated = createClient({ isolationPoolOptions: { max: 3 } });
          export const plain = createClient();
          export async function f() {
            await isolated.blPop(commandOptions({ isolated: true }), 'q', 0);
            await isolated.executeIsolated((client) => client.brPop('q', 0));
            await isolated.get('k');
            await plain.get('k');
          }
        `,
      },
      {},
      { versions: { redis: 4 } },
    );
    const isolated = connectionNamed(report, 'isolated');
    expect(isolated).toMatchObject({ perProcess: 4, isolatedUses: 2, shared: false, blockingUses: [] });
    expect(isolated.timeouts['isolationPoolOptions.acquireTimeoutMillis']).toMatchObject({ state: 'unbounded' });
    expect(connectionNamed(report, 'plain').perProcess).toBe(1);
  });

  it('counts a node-redis 4 isolation pool whose options are given, even before any isolated command', () => {
    const report = reportOf(
      { '/src/v4.ts': `import { createClient } from 'redis';\nexport const sized = createClient({ isolationPoolOptions: { max: 5 } });\n` },
      {},
      { versions: { redis: 4 } },
    );
    expect(connectionNamed(report, 'sized')).toMatchObject({ perProcess: 6, isolatedUses: 0 });
  });
});

describe('timeouts', () => {
  it('fills in the detected major’s defaults', () => {
    const files = {
      '/src/node.ts': `
        import { createClient } from 'redis';
        export const client = createClient();
      `,
    };
    const v6 = connectionNamed(reportOf(files, {}, { versions: { redis: 6 } }), 'client');
    const v5 = connectionNamed(reportOf(files, {}, { versions: { redis: 5 } }), 'client');
    expect(v6.major).toBe(6);
    expect(v6.timeouts['commandOptions.timeout']).toEqual({ bounds: 'command', state: 'bounded', ms: 5000, source: 'default' });
    expect(v5.timeouts['commandOptions.timeout']).toEqual({ bounds: 'command', state: 'unbounded', ms: null, source: 'default' });
    expect(v5.timeouts['socket.connectTimeout']).toEqual({ bounds: 'connect', state: 'bounded', ms: 5000, source: 'default' });
  });

  it('evaluates options statically: constants from other files, spreads, arithmetic, Math.min/max', () => {
    const report = reportOf({
      '/src/config.ts': `
        export const SECOND = 1_000;
        export const base = { connectTimeout: 3 * SECOND, commandTimeout: 100 } as const;
        export const fromEnv = { commandTimeout: Number(process.env.TIMEOUT) };
      `,
      '/src/clients.ts': `
        import Redis from 'ioredis';
        import { base, fromEnv, SECOND } from './config';
        export const spread = new Redis(6379, 'localhost', { ...base, socketTimeout: Math.min(SECOND * 5, 4_000) });
        export const overridden = new Redis({ ...base, ...fromEnv });
        export const zero = new Redis({ connectTimeout: 0, commandTimeout: 0 });
        export const url = new Redis(process.env.REDIS_URL!, 6379);
        declare const host: string;
        export const typedUrl = new Redis(6379, host);
        declare const settings: string;
        export const unnamed = new Redis(6379, settings);
        export const unknownArgument = new Redis(loadOptions());
        declare function loadOptions(): object;
      `,
    });
    expect(connectionNamed(report, 'spread').timeouts).toMatchObject({
      connectTimeout: { state: 'bounded', ms: 3000, source: 'explicit' },
      commandTimeout: { state: 'bounded', ms: 100, source: 'explicit' },
      socketTimeout: { state: 'bounded', ms: 4000, source: 'explicit' },
    });
    expect(connectionNamed(report, 'overridden').timeouts).toMatchObject({
      connectTimeout: { state: 'bounded', ms: 3000 },
      commandTimeout: { state: 'unknown', ms: null },
    });
    // ioredis: connectTimeout 0 turns the connect timer off; commandTimeout 0 fires at once.
    expect(connectionNamed(report, 'zero').timeouts).toMatchObject({
      connectTimeout: { state: 'unbounded', ms: null, source: 'explicit' },
      commandTimeout: { state: 'bounded', ms: 0, source: 'explicit' },
    });
    // A URL string is not an options object: the defaults apply.
    expect(connectionNamed(report, 'url').timeouts.connectTimeout).toMatchObject({ state: 'bounded', ms: 10000, source: 'default' });
    // Read untyped, as the rules read it without type information: an argument named like a host
    // is an address; one whose name says nothing could be the options object, so unknown.
    expect(connectionNamed(report, 'typedUrl').timeouts.connectTimeout).toMatchObject({ state: 'bounded', ms: 10000, source: 'default' });
    expect(connectionNamed(report, 'unnamed').timeouts.connectTimeout).toMatchObject({ state: 'unknown' });
    expect(connectionNamed(report, 'unknownArgument').timeouts.connectTimeout).toMatchObject({ state: 'unknown' });
  });

  it('gives a duplicate its source’s options under its own overrides, and a cluster its node options', () => {
    const report = reportOf({
      '/src/dup.ts': `
        import Redis, { Cluster } from 'ioredis';
        import { createCluster } from 'redis';
        export const source = new Redis({ connectTimeout: 1234, commandTimeout: 50 });
        export const copy = source.duplicate({ commandTimeout: 9000 });
        export const cluster = new Cluster([{ host: 'a', port: 1 }], { redisOptions: { commandTimeout: 42 } });
        export const nodeCluster = createCluster({ rootNodes: [], defaults: { socket: { connectTimeout: 77 } } });
      `,
    });
    expect(connectionNamed(report, 'copy').timeouts).toMatchObject({
      connectTimeout: { ms: 1234, source: 'explicit' },
      commandTimeout: { ms: 9000, source: 'explicit' },
    });
    expect(connectionNamed(report, 'cluster').timeouts.commandTimeout).toMatchObject({ ms: 42 });
    expect(connectionNamed(report, 'nodeCluster').timeouts['socket.connectTimeout']).toMatchObject({ ms: 77 });
  });
});

describe('queue objects (issue 15)', () => {
  it('budgets each queue object by the connections the catalog says it opens', () => {
    const report = reportOf({
      '/src/queues.ts': `
        import IORedis from 'ioredis';
        import { Queue, QueueEvents, Worker } from 'bullmq';
        import Bull from 'bull';
        export const connection = new IORedis({ maxRetriesPerRequest: null });
        export const jobs = new Queue('jobs', { connection });
        export const worker = new Worker('jobs', async () => undefined, { connection });
        export const events = new QueueEvents('jobs', { connection });
        export const own = new Queue('own', { connection: { host: 'redis' } });
        export const legacy = new Bull('legacy', 'redis://redis:6379');
        export const factoryMade = new Bull('factory', { createClient: () => connection });
      `,
    });
    const sizes = Object.fromEntries(report.connections.map((c) => [c.name, `${c.library} ${c.kind} ${c.perProcess}`]));
    // BullMQ: a Queue on a supplied instance adds none, a Worker its blocking duplicate, a
    // QueueEvents its duplicate; a Queue from options one of its own. Bull: up to three.
    expect(sizes).toEqual({
      connection: 'ioredis client 1',
      jobs: 'bullmq queue 0',
      worker: 'bullmq queue 1',
      events: 'bullmq queue 1',
      own: 'bullmq queue 1',
      legacy: 'bull queue 3',
      // Bull over a createClient option opens none itself: the factory's clients count where they are made.
      factoryMade: 'bull queue 0',
    });
    expect(report.budget).toMatchObject({ perProcess: 7, complete: true, byKind: { client: 1, queue: 6 } });
  });
});

describe('following parameters through helpers', () => {
  // `f<i>(c)` calls `f<i-1>(c)` twice: every answer about `c` is the same on each path, so the
  // view works it out once (ProjectView keeps uncut answers) instead of once per call path.
  function chainOf(helpers: number): Record<string, string> {
    const lines = ["import Redis from 'ioredis';", "export function f0(c: Redis) { return c.get('k'); }"];
    for (let i = 1; i <= helpers; i++) lines.push(`export function f${i}(c: Redis) { f${i - 1}(c); return f${i - 1}(c); }`);
    lines.push('const client = new Redis();', `f${helpers}(client);`);
    return { '/src/chain.ts': lines.join('\n') };
  }

  function computeCalls(helpers: number): number {
    const compute = vi.spyOn(ProjectView.prototype as unknown as { compute: () => unknown }, 'compute');
    try {
      const report = reportOf(chainOf(helpers));
      expect(commandSites(connectionNamed(report, 'client'))).toEqual(['src/chain.ts:2 GET']);
      return compute.mock.calls.length;
    } finally {
      compute.mockRestore();
    }
  }

  it('finds the command at the end of the chain, and twice the helpers cost about twice the work', () => {
    // Without the kept answers: 424 calls for 8 helpers, 1,344 for 16 (3.2x).
    expect(computeCalls(16) / computeCalls(8)).toBeLessThan(2.3);
  });
});
