import { describe, expect, it } from 'vitest';
import { origins } from './harness';

describe('origin tracking (untyped)', () => {
  it('follows ESM named, default, namespace and aliased imports', () => {
    expect(
      origins(`
        import { createClient, createClientPool as makePool } from 'redis';
        import * as redis from 'redis';
        import Redis, { Cluster, Redis as Named } from 'ioredis';
        import Valkey from 'iovalkey';
        const $a = createClient();
        const $b = makePool({}, { maximum: 5 });
        const $c = redis.createCluster({ rootNodes: [] });
        const $d = new Redis();
        const $e = new Cluster([]);
        const $f = new Named(6379, 'localhost');
        const $g = new Redis.Cluster([]);
        const $h = new Valkey();
        const $i = redis.createSentinel({ name: 'x', sentinelRootNodes: [] });
      `),
    ).toEqual({
      $a: 'node-redis client factory',
      $b: 'node-redis pool factory',
      $c: 'node-redis cluster factory',
      $d: 'ioredis client constructor',
      $e: 'ioredis cluster constructor',
      $f: 'ioredis client constructor',
      $g: 'ioredis cluster constructor',
      $h: 'iovalkey client constructor',
      $i: 'node-redis sentinel factory',
    });
  });

  it('follows CommonJS require, destructuring and require(x).member', () => {
    expect(
      origins(
        `
        const Redis = require('ioredis');
        const { createClient } = require('redis');
        const { Pool } = require('tarn');
        const genericPool = require('generic-pool');
        const $a = new Redis();
        const $b = createClient();
        const $c = require('redis').createClient();
        const $d = new Pool({ create: () => new Redis(), destroy: (c) => c.quit(), min: 0, max: 4 });
        const $e = genericPool.createPool({ create: async () => new Redis(), destroy: async (c) => c.quit() }, {});
        const $f = new (require('ioredis').Cluster)([]);
        const $g = new Redis.default();
      `,
        { sourceType: 'script' },
      ),
    ).toEqual({
      $a: 'ioredis client constructor',
      $b: 'node-redis client factory',
      $c: 'node-redis client factory',
      $d: 'tarn pool constructor',
      $e: 'generic-pool pool factory',
      $f: 'ioredis cluster constructor',
      $g: 'ioredis client constructor',
    });
  });

  it('follows values: duplicate, connect, acquire, tarn .promise, glide createClient', () => {
    expect(
      origins(`
        import { createClient, createSentinel } from 'redis';
        import Redis from 'ioredis';
        import { createPool } from 'generic-pool';
        import { Pool } from 'tarn';
        import { GlideClient } from '@valkey/valkey-glide';
        const client = createClient();
        const $dup = client.duplicate();
        const $connected = await createClient().connect();
        const $chained = createClient().on('error', console.error);
        const redis = new Redis();
        const $ioDup = redis.duplicate({ commandTimeout: 10 });
        const pool = createPool({ create: async () => new Redis(), destroy: async (c) => c.quit() }, { max: 4 });
        const $lease = await pool.acquire();
        const $pending = pool.acquire();
        const tarnPool = new Pool({ create: () => new Redis(), destroy: (c) => c.quit(), min: 0, max: 2 });
        const $tarnLease = await tarnPool.acquire().promise;
        const $glide = await GlideClient.createClient({ addresses: [] });
        const sentinel = createSentinel({ name: 'x', sentinelRootNodes: [] });
        const $sentinelLease = await sentinel.acquire();
      `),
    ).toEqual({
      $dup: 'node-redis client method',
      $connected: 'node-redis client factory',
      $chained: 'node-redis client factory',
      $ioDup: 'ioredis client method',
      $lease: 'generic-pool lease method',
      $pending: 'promise of generic-pool lease method',
      $tarnLease: 'tarn lease method',
      $glide: 'valkey-glide client factory',
      $sentinelLease: 'node-redis lease method',
    });
  });

  it('follows aliases, TS wrappers and re-assignment within a scope', () => {
    expect(
      origins(`
        import { createClient } from 'redis';
        import Redis from 'ioredis';
        const client = createClient();
        const alias = client;
        const $alias = alias;
        const $wrapped = (client as unknown as typeof client)!;
        let conn = null;
        conn = new Redis();
        const $reassigned = conn;
        let changing = createClient();
        changing = makeSomethingElse();
        const $changed = changing;
        function makeSomethingElse() { return {}; }
      `),
    ).toEqual({
      $alias: 'node-redis client factory',
      $wrapped: 'node-redis client factory',
      $reassigned: 'ioredis client constructor',
      $changed: 'unknown',
    });
  });

  it('reads class fields through this', () => {
    expect(
      origins(`
        import Redis from 'ioredis';
        class Cache {
          field = new Redis();
          constructor() { this.other = new Redis(); }
          run() {
            const $field = this.field;
            const $other = this.other;
            const $missing = this.nothing;
          }
        }
      `),
    ).toEqual({
      $field: 'ioredis client constructor',
      $other: 'ioredis client constructor',
      $missing: 'unknown',
    });
  });

  it('does not recognise look-alikes: local functions, other modules, shadowed names, type-only imports', () => {
    expect(
      origins(`
        import { createClient as createHttpClient } from './http';
        import type { RedisClientType } from 'redis';
        import Redlock from 'redlock';
        import { Pool } from 'pg';
        function createClient() { return {}; }
        const $local = createClient();
        const $http = createHttpClient();
        const lock = new Redlock([]);
        const $lock = await lock.acquire(['k'], 1000);
        const pg = new Pool();
        const $pg = await pg.connect();
        const $typeOnly = null as unknown as RedisClientType;
        function inner(Redis) { const $shadowed = new Redis(); }
      `),
    ).toEqual({ $local: 'unknown', $http: 'unknown', $lock: 'unknown', $pg: 'unknown', $typeOnly: 'unknown' , $shadowed: 'unknown'});
  });
});

describe('origin tracking (typed)', () => {
  it('recognises parameters, fields and imports by their type', () => {
    expect(
      origins(
        `
        import type { Redis, Cluster } from 'ioredis';
        import type { RedisClientType } from 'redis';
        import type { Pool } from 'generic-pool';
        import { redis as shared } from './shared-client';
        export async function handler(r: Redis, c: RedisClientType, pool: Pool<Redis>, cl: Cluster, maybe?: Redis) {
          const $param = r;
          const $nodeRedis = c;
          const $pool = pool;
          const $lease = await pool.acquire();
          const $cluster = cl;
          const $optional = maybe;
          const $imported = shared;
          const $notRedis = new Map();
        }
      `,
        { typed: true },
      ),
    ).toEqual({
      $param: 'ioredis client type',
      $nodeRedis: 'node-redis client type',
      $pool: 'generic-pool pool type',
      $lease: 'generic-pool lease method',
      $cluster: 'ioredis cluster type',
      $optional: 'ioredis client type',
      $imported: 'ioredis client summary',
      $notRedis: 'unknown',
    });
  });
});

describe('what a pool lends', () => {
  it('tells Redis pools from pools of other resources', async () => {
    const { poolResources } = await import('./pool-harness');
    expect(
      poolResources(`
        import { createPool } from 'generic-pool';
        import { Pool } from 'tarn';
        import Redis from 'ioredis';
        import pg from 'pg';
        import { createClient } from 'redis';
        import { makeThing } from './things';
        function makeRedis() { return new Redis(); }
        const $redis = createPool({ create: async () => new Redis(), destroy: async (c) => c.quit() }, {});
        const $named = createPool({ create: makeRedis, destroy: async (c) => c.quit() }, {});
        const $method = createPool({ async create() { const c = createClient(); await c.connect(); return c; }, destroy: async (c) => c.close() }, {});
        const $pg = createPool({ create: async () => new pg.Client(), destroy: async (c) => c.end() }, {});
        const $objects = new Pool({ create: () => ({ id: 1 }), destroy: () => {}, min: 0, max: 2 });
        const $unknown = createPool({ create: async () => makeThing(), destroy: async () => {} }, {});
        const $nodeRedis = (await import('redis')).createClientPool();
      `),
    ).toEqual({
      $redis: 'redis',
      $named: 'redis',
      $method: 'redis',
      $pg: 'other',
      $objects: 'other',
      $unknown: 'unknown',
      $nodeRedis: 'redis',
    });
  });
});
