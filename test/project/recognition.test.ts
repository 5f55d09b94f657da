/**
 * Which connections the report finds and how it follows them across files: re-exports,
 * `export *`, aliases, default exports, DI-style factories and classes, CommonJS, and what it
 * must not take for a Redis connection.
 */
import { describe, expect, it } from 'vitest';
import { blockingSites, commandSites, connectionNamed, reportOf } from './helpers';

describe('creations', () => {
  it('finds every library factory and class, with its kind', () => {
    const report = reportOf({
      '/src/connections.ts': `
        import Redis, { Cluster } from 'ioredis';
        import * as IORedis from 'ioredis';
        import { createClient, createCluster, createClientPool, createSentinel } from 'redis';
        import { GlideClient, GlideClusterClient } from '@valkey/valkey-glide';
        import Valkey from 'iovalkey';
        import { createPool } from 'generic-pool';
        import { Pool } from 'tarn';
        export const io = new Redis();
        export const ioCluster = new Cluster([{ host: 'a', port: 7000 }]);
        export const staticCluster = new Redis.Cluster([{ host: 'a', port: 7000 }]);
        export const namespaced = new IORedis.default();
        export const node = createClient();
        export const nodeCluster = createCluster({ rootNodes: [] });
        export const nodePool = createClientPool({}, { maximum: 5 });
        export const sentinel = createSentinel({ name: 'm', sentinelRootNodes: [] });
        export const valkey = new Valkey();
        export const blocker = io.duplicate();
        export const genericPool = createPool({ create: async () => new Redis(), destroy: async (c) => { c.disconnect(); } }, { max: 4 });
        export const tarnPool = new Pool({ create: () => createClient(), destroy: (c) => c.destroy(), min: 0, max: 3 });
        export async function glide() {
          const client = await GlideClient.createClient({ addresses: [] });
          const cluster = await GlideClusterClient.createClient({ addresses: [] });
          return [client, cluster];
        }
      `,
    });
    const summary = report.connections.map((c) => `${c.name ?? '-'} ${c.library} ${c.kind} ${c.perProcess}`);
    expect(summary).toEqual([
      'io ioredis client 1',
      'ioCluster ioredis cluster 1',
      'staticCluster ioredis cluster 1',
      'namespaced ioredis client 1',
      'node node-redis client 1',
      'nodeCluster node-redis cluster 1',
      'nodePool node-redis pool 5',
      'sentinel node-redis sentinel 1',
      'valkey iovalkey client 1',
      'blocker ioredis duplicate 1',
      'genericPool generic-pool pool 4',
      '- ioredis client 0',
      'tarnPool tarn pool 3',
      '- node-redis client 0',
      'client valkey-glide client 1',
      'cluster valkey-glide cluster 1',
    ]);
    expect(connectionNamed(report, 'blocker').duplicateOf).toBe(connectionNamed(report, 'io').id);
    const member = report.connections.find((c) => c.library === 'ioredis' && c.memberOf !== null)!;
    expect(member.memberOf).toBe(connectionNamed(report, 'genericPool').id);
  });

  it('recognises CommonJS requires and a subclass of a library class', () => {
    const report = reportOf({
      '/src/cjs.js': `
        const Redis = require('ioredis');
        const { createClient } = require('redis');
        const IORedis = require('ioredis').default;
        class Cache extends Redis {}
        const a = new Redis();
        const b = createClient();
        const c = new IORedis();
        const d = new Cache({ commandTimeout: 50 });
        module.exports = { a, b, c, d };
      `,
    });
    expect(report.connections.map((c) => `${c.name} ${c.library} ${c.kind}`)).toEqual([
      'a ioredis client',
      'b node-redis client',
      'c ioredis client',
      'd ioredis client',
    ]);
    expect(connectionNamed(report, 'd').timeouts.commandTimeout).toMatchObject({ state: 'bounded', ms: 50, source: 'explicit' });
  });

  it('does not take look-alikes for Redis connections', () => {
    const report = reportOf({
      '/src/fakes.ts': `
        import { createPool } from 'generic-pool';
        import { Pool as PgPool } from 'pg';
        class Redis { blpop(_key: string, _t: number) { return null; } get(_key: string) { return null; } }
        function createClient() { return new Redis(); }
        export const fake = new Redis();
        export const alsoFake = createClient();
        fake.blpop('q', 0);
        alsoFake.get('k');
        export const pg = new PgPool({ max: 50 });
        export const notRedisPool = createPool({ create: async () => ({ socket: 1 }), destroy: async () => {} }, { max: 30 });
      `,
      '/src/types-only.ts': `
        import type { Redis as R } from 'ioredis';
        import type { createClient as make } from 'redis';
        export type Client = R | ReturnType<typeof make>;
      `,
    });
    expect(report.connections).toEqual([]);
    expect(report.budget.perProcess).toBe(0);
  });
});

describe('following a connection across files', () => {
  const lib = {
    '/src/lib/redis.ts': `
      import Redis from 'ioredis';
      export const redis = new Redis();
    `,
  };

  it('follows named re-exports, export *, aliases and default exports to the same connection', () => {
    const report = reportOf({
      ...lib,
      '/src/lib/index.ts': `
        export * from './redis';
        export { redis as cache } from './redis';
        export * as db from './redis';
      `,
      '/src/lib/default.ts': `
        import { redis } from './redis';
        export default redis;
      `,
      '/src/worker.ts': `
        import { cache } from './lib';
        const alias = cache;
        const again = alias;
        export const next = () => again.brpop('jobs', 0);
      `,
      '/src/api.ts': `
        import client from './lib/default';
        import { redis, db } from './lib/index';
        export async function show(key: string) {
          await client.get(key);
          await redis.incr('hits');
          return db.redis.hget('h', key);
        }
      `,
    });
    expect(report.connections).toHaveLength(1);
    const redis = connectionNamed(report, 'redis');
    expect(blockingSites(redis)).toEqual(['src/worker.ts:5 BRPOP']);
    expect(commandSites(redis)).toEqual(['src/api.ts:5 GET', 'src/api.ts:6 INCR', 'src/api.ts:7 HGET']);
    expect(redis.shared).toBe(true);
    expect(report.findings).toMatchObject([{ rule: 'shared-blocking', connection: redis.id, crossFile: true }]);
  });

  it('follows a DI-style factory that returns a module-level client', () => {
    const report = reportOf({
      ...lib,
      '/src/container.ts': `
        import { redis } from './lib/redis';
        export function getRedis() { return redis; }
        export const deps = { redis, other: 1 };
      `,
      '/src/a.ts': `
        import { getRedis, deps } from './container';
        export const a = () => getRedis().blpop('q', 1);
        export const b = () => deps.redis.set('k', 'v');
        export const c = ({ redis } = deps) => redis.get('k');
      `,
    });
    const redis = connectionNamed(report, 'redis');
    expect(blockingSites(redis)).toEqual(['src/a.ts:3 BLPOP']);
    expect(commandSites(redis)).toEqual(['src/a.ts:4 SET']);
  });

  it('counts a factory that makes a fresh client once per call site, each with its own options', () => {
    const report = reportOf({
      '/src/factory.ts': `
        import Redis from 'ioredis';
        export function createRedis(options: { commandTimeout?: number } = {}) {
          const client = new Redis({ connectTimeout: 1000, ...options });
          client.on('error', () => undefined);
          return client;
        }
      `,
      '/src/use.ts': `
        import { createRedis } from './factory';
        export const queue = createRedis({ commandTimeout: 250 });
        export const cache = createRedis();
        export const blockingRead = () => queue.blpop('q', 2);
        export const read = () => cache.get('k');
      `,
    });
    expect(report.connections.map((c) => c.name)).toEqual(['queue', 'cache']);
    const queue = connectionNamed(report, 'queue');
    const cache = connectionNamed(report, 'cache');
    expect(queue.id).toBe('src/factory.ts:4:26 via src/use.ts:3:30');
    expect(queue.via).toEqual([{ file: 'src/use.ts', line: 3, column: 30 }]);
    expect(queue.timeouts.commandTimeout).toMatchObject({ state: 'bounded', ms: 250, source: 'explicit' });
    expect(cache.timeouts.commandTimeout).toMatchObject({ state: 'unbounded', source: 'default' });
    expect(queue.timeouts.connectTimeout).toMatchObject({ ms: 1000, source: 'explicit' });
    // Two connections, used differently: neither is shared.
    expect(blockingSites(queue)).toEqual(['src/use.ts:5 BLPOP']);
    expect(commandSites(cache)).toEqual(['src/use.ts:6 GET']);
    expect(report.findings).toEqual([]);
    expect(report.budget.perProcess).toBe(2);
  });

  it('follows tsconfig paths aliases, as the rules do', () => {
    const report = reportOf({
      '/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
      '/src/lib/redis.ts': `import Redis from 'ioredis';\nexport const redis = new Redis();`,
      '/src/worker.ts': `import { redis } from '@lib/redis';\nexport const next = () => redis.blpop('jobs', 0);`,
      '/src/api.ts': `import { redis } from '@lib/redis';\nexport const read = () => redis.get('k');`,
    });
    expect(report.connections).toHaveLength(1);
    const redis = connectionNamed(report, 'redis');
    expect(blockingSites(redis)).toEqual(['src/worker.ts:2 BLPOP']);
    expect(commandSites(redis)).toEqual(['src/api.ts:2 GET']);
    expect(redis.shared).toBe(true);
  });

  it('counts a lazily created singleton once, however many callers it has', () => {
    const report = reportOf({
      '/src/singleton.ts': `
        import { createClient, type RedisClientType } from 'redis';
        let client: RedisClientType | undefined;
        export function getClient() {
          client ??= createClient();
          return client;
        }
      `,
      '/src/a.ts': `import { getClient } from './singleton'; export const a = () => getClient().blPop('q', 0);`,
      '/src/b.ts': `import { getClient } from './singleton'; export const b = () => getClient().get('k');`,
    });
    expect(report.connections).toHaveLength(1);
    const [client] = report.connections;
    expect(client!.scope).toBe('function');
    expect(blockingSites(client!)).toEqual(['src/a.ts:1 BLPOP']);
    expect(commandSites(client!)).toEqual(['src/b.ts:1 GET']);
    expect(client!.shared).toBe(true);
    expect(report.budget.perProcess).toBe(1);
  });

  it('follows a class holding a client: one connection per instance, uses through this apply to each', () => {
    const report = reportOf({
      '/src/store.ts': `
        import { createClient } from 'redis';
        export class Store {
          client = createClient({ socket: { connectTimeout: 1500 } });
          read(key: string) { return this.client.get(key); }
        }
        export const sessions = new Store();
        export const carts = new Store();
      `,
      '/src/logout.ts': `
        import { sessions } from './store';
        export const waitForLogout = () => sessions.client.blPop('logout', 30);
      `,
    });
    expect(report.connections.map((c) => c.name)).toEqual(['sessions.client', 'carts.client']);
    const sessions = connectionNamed(report, 'sessions.client');
    const carts = connectionNamed(report, 'carts.client');
    expect(blockingSites(sessions)).toEqual(['src/logout.ts:3 BLPOP']);
    expect(commandSites(sessions)).toEqual(['src/store.ts:5 GET']);
    expect(sessions.shared).toBe(true);
    expect(blockingSites(carts)).toEqual([]);
    expect(carts.shared).toBe(false);
    expect(sessions.timeouts['socket.connectTimeout']).toMatchObject({ ms: 1500, source: 'explicit' });
  });

  it('follows constructor injection to what each `new` passes', () => {
    const report = reportOf({
      ...lib,
      '/src/queue.ts': `
        import Redis from 'ioredis';
        export class Consumer {
          constructor(private readonly redis: Redis, private readonly name: string) {}
          next() { return this.redis.brpop(this.name, 5); }
        }
      `,
      '/src/main.ts': `
        import Redis from 'ioredis';
        import { redis } from './lib/redis';
        import { Consumer } from './queue';
        const dedicated = new Redis();
        export const emails = new Consumer(dedicated, 'emails');
        redis.set('started', '1');
      `,
    });
    expect(blockingSites(connectionNamed(report, 'dedicated'))).toEqual(['src/queue.ts:5 BRPOP']);
    expect(blockingSites(connectionNamed(report, 'redis'))).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it('names the source of a duplicate made from an injected client, per instance', () => {
    const report = reportOf({
      ...lib,
      '/src/worker.ts': `
        import Redis from 'ioredis';
        import { redis } from './lib/redis';
        class Worker {
          private readonly blocking: Redis;
          constructor(private readonly client: Redis) { this.blocking = client.duplicate({ commandTimeout: 100 }); }
          next() { return this.blocking.blpop('q', 0); }
          ack() { return this.client.del('q:busy'); }
        }
        const other = new Redis({ connectTimeout: 777 });
        export const main = new Worker(redis);
        export const side = new Worker(other);
      `,
    });
    expect(report.connections.map((c) => `${c.name} ${c.kind}`)).toEqual([
      'redis client',
      'main.blocking duplicate',
      'side.blocking duplicate',
      'other client',
    ]);
    const side = connectionNamed(report, 'side.blocking');
    expect(side.duplicateOf).toBe(connectionNamed(report, 'other').id);
    expect(side.timeouts).toMatchObject({ connectTimeout: { ms: 777 }, commandTimeout: { ms: 100 } });
    expect(connectionNamed(report, 'main.blocking').duplicateOf).toBe(connectionNamed(report, 'redis').id);
    expect(blockingSites(side)).toEqual(['src/worker.ts:7 BLPOP']);
    expect(commandSites(connectionNamed(report, 'redis'))).toEqual(['src/worker.ts:8 DEL']);
    expect(report.findings).toEqual([]);
  });

  it('hands a use on a parameter to the argument of every call site', () => {
    const report = reportOf({
      ...lib,
      '/src/jobs.ts': `
        import type Redis from 'ioredis';
        export async function drain(client: Redis, key: string) { return client.blpop(key, 1); }
      `,
      '/src/main.ts': `
        import Redis from 'ioredis';
        import { redis } from './lib/redis';
        import { drain } from './jobs';
        const worker = new Redis();
        export const run = async () => { await drain(worker, 'a'); await drain(redis, 'b'); await redis.get('x'); };
      `,
    });
    expect(blockingSites(connectionNamed(report, 'worker'))).toEqual(['src/jobs.ts:3 BLPOP']);
    expect(blockingSites(connectionNamed(report, 'redis'))).toEqual(['src/jobs.ts:3 BLPOP']);
    expect(connectionNamed(report, 'redis').shared).toBe(true);
    expect(connectionNamed(report, 'worker').shared).toBe(false);
  });

  it('follows CommonJS exports in JavaScript', () => {
    const report = reportOf({
      '/src/redis.js': `
        const { createClient } = require('redis');
        const client = createClient();
        const blocking = client.duplicate();
        module.exports = { client, blocking };
        exports.again = client;
      `,
      '/src/worker.js': `
        const { client, blocking } = require('./redis');
        const redis = require('./redis');
        async function loop() {
          const job = await blocking.blPop('jobs', 0);
          await client.set('last', String(job));
          await redis.again.get('x');
        }
        module.exports = { loop };
      `,
    });
    expect(commandSites(connectionNamed(report, 'client'))).toEqual(['src/worker.js:6 SET', 'src/worker.js:7 GET']);
    expect(blockingSites(connectionNamed(report, 'blocking'))).toEqual(['src/worker.js:5 BLPOP']);
    expect(report.findings).toEqual([]);
  });

  it('stays silent on a receiver whose writes disagree', () => {
    const report = reportOf({
      '/src/switch.ts': `
        import Redis from 'ioredis';
        const a = new Redis();
        const b = new Redis();
        let current = a;
        export function swap() { current = b; }
        export const pop = () => current.blpop('q', 0);
      `,
    });
    expect(report.connections.flatMap((c) => c.blockingUses)).toEqual([]);
  });
});
