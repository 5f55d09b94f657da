/**
 * The catalog checked against the installed libraries: every method, option default and
 * spelling it encodes must be true of the package in node_modules (redis 6.3 / 5.12 / 4.7,
 * ioredis 6.0 / 5.11, iovalkey 0.4, valkey-glide 2.5, generic-pool 3.9, tarn 3.1, bullmq 5).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BLOCKING_COMMANDS,
  BULLMQ_CONSUMERS,
  LIBRARIES,
  libraryById,
  libraryForModule,
  type LibraryCatalog,
  type TimeoutOptionSpec,
} from '../../src/catalog';

const nodeModules = path.join(__dirname, '..', '..', 'node_modules');
const read = (relative: string) => fs.readFileSync(path.join(nodeModules, relative), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (relative: string): any => require(path.join(nodeModules, relative));

function timeout(library: LibraryCatalog, pathKey: string, major?: number): TimeoutOptionSpec {
  const spec = library.timeouts.find(
    (t) => t.path.join('.') === pathKey && (!t.versions || major === undefined || t.versions.majors.includes(major)),
  );
  if (!spec) throw new Error(`no ${pathKey} for ${library.id} ${major}`);
  return spec;
}

describe('catalog shape', () => {
  it('has one entry per library with unique ids and modules', () => {
    const ids = LIBRARIES.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    // A module is shared only by entries for different majors of it (node_redis 3 beside node-redis 4+).
    const modules = LIBRARIES.filter((l) => !l.majors).flatMap((l) => l.modules);
    expect(new Set(modules).size).toBe(modules.length);
    for (const legacy of LIBRARIES.filter((l) => l.majors)) {
      for (const moduleName of legacy.modules) {
        const current = LIBRARIES.filter((l) => !l.majors && l.modules.includes(moduleName));
        expect(current.length, moduleName).toBeLessThanOrEqual(1);
        if (current[0]) expect(legacy.majors!.majors).not.toContain(current[0].latestMajor);
      }
    }
    expect(ids.sort()).toEqual([
      'bee-queue',
      'bull',
      'bullmq',
      'generic-pool',
      'generic-pool-legacy',
      'ioredis',
      'iovalkey',
      'node-redis',
      'node-redis-legacy',
      'tarn',
      'valkey-glide',
    ]);
  });

  it('finds libraries by module specifier, not by sub-path', () => {
    expect(libraryForModule('redis')?.id).toBe('node-redis');
    expect(libraryForModule('@redis/client')?.id).toBe('node-redis');
    expect(libraryForModule('ioredis')?.id).toBe('ioredis');
    expect(libraryForModule('ioredis/built/Redis')).toBeUndefined();
    expect(libraryForModule('redlock')).toBeUndefined();
  });

  it('maps every blocking method to a protocol command', () => {
    for (const library of LIBRARIES) {
      for (const [method, spec] of Object.entries(library.blockingMethods ?? {})) {
        expect(BLOCKING_COMMANDS[spec.command], `${library.id}.${method}`).toBeDefined();
      }
    }
  });

  it('never lists a non-blocking bless* command as blocking', () => {
    for (const library of LIBRARIES) {
      for (const method of Object.keys(library.blockingMethods ?? {})) expect(method.toLowerCase()).not.toMatch(/^bless/);
    }
  });
});

describe('node-redis', () => {
  const nodeRedis = libraryById('node-redis');
  const commandsIndex = read('@redis/client/dist/lib/commands/index.d.ts');

  it('spells every blocking method the way @redis/client 6 declares it', () => {
    for (const method of Object.keys(nodeRedis.blockingMethods!)) {
      expect(commandsIndex, method).toMatch(new RegExp(`^\\s+${method}: \\{`, 'm'));
    }
  });

  it('has a 5 s command timeout by default in 6 and none in 5', () => {
    expect(load('@redis/client/dist/lib/defaults').DEFAULT_COMMAND_TIMEOUT).toBe(5000);
    expect(timeout(nodeRedis, 'commandOptions.timeout', 6).defaultMs).toBe(5000);
    expect(timeout(nodeRedis, 'commandOptions.timeout', 5).defaultMs).toBeNull();
    expect(fs.existsSync(path.join(nodeModules, 'redis5/node_modules/@redis/client/dist/lib/defaults.js'))).toBe(false);
    expect(nodeRedis.timeouts.some((t) => t.path.join('.') === 'commandOptions.timeout' && t.versions?.majors.includes(4))).toBe(false);
  });

  it('pool defaults: minimum 1, maximum 100, acquireTimeout 3000', () => {
    const source = read('@redis/client/dist/lib/client/pool.js');
    expect(source).toMatch(/minimum: 1,/);
    expect(source).toMatch(/maximum: 100,/);
    expect(source).toMatch(/acquireTimeout: 3000,/);
    expect(timeout(nodeRedis, 'acquireTimeout').defaultMs).toBe(3000);
    const sizes = Object.fromEntries(nodeRedis.poolSizes.map((s) => [s.path.join('.'), s.default]));
    expect(sizes).toMatchObject({ minimum: 1, maximum: 100, masterPoolSize: 1, replicaPoolSize: 0 });
  });

  it('speaks RESP3 by default in 6 and RESP2 in 5', () => {
    expect(load('@redis/client/dist/lib/RESP/types').DEFAULT_RESP).toBe(3);
    expect(read('redis5/node_modules/@redis/client/dist/lib/client/index.js')).toMatch(/this\.#options\.RESP \?\? 2/);
    expect(nodeRedis.protocol?.defaultByMajor).toMatchObject({ 4: 2, 5: 2, 6: 3 });
  });

  it('has the lifecycle methods the catalog names, on each major', () => {
    const client6 = load('redis').createClient();
    for (const m of ['close', 'destroy', 'quit', 'disconnect', 'duplicate', 'connect']) expect(typeof client6[m], m).toBe('function');
    const client5 = load('redis5').createClient();
    for (const m of ['close', 'destroy', 'duplicate', 'connect']) expect(typeof client5[m], m).toBe('function');
    const client4 = load('redis4').createClient();
    for (const m of ['quit', 'disconnect', 'executeIsolated', 'duplicate']) expect(typeof client4[m], m).toBe('function');
    expect(typeof client4.close).toBe('undefined');
    const pool = load('redis').createClientPool();
    for (const m of ['execute', 'close', 'destroy', 'connect']) expect(typeof pool[m], m).toBe('function');
    const sentinel = load('redis').createSentinel({ name: 'm', sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }] });
    for (const m of ['acquire', 'use', 'close', 'destroy']) expect(typeof sentinel[m], m).toBe('function');
    const methods = nodeRedis.values.client!.methods;
    expect(methods.close?.type).toBe('release');
    expect(methods.executeIsolated?.type).toBe('managed');
  });

  it('a client says it is opened (isOpen) as soon as connect() starts; a cluster makes no such promise', async () => {
    const client = load('redis').createClient({ socket: { port: 1, reconnectStrategy: false } });
    client.on('error', () => {});
    expect(client.isOpen).toBe(false);
    const opening = client.connect().catch(() => undefined);
    expect(client.isOpen).toBe(true);
    await opening;
    expect(nodeRedis.values.client?.openState).toEqual({ property: 'isOpen', offlineQueueDisabledBy: ['disableOfflineQueue'] });
    expect(read('@redis/client/dist/lib/client/index.d.ts')).toMatch(/disableOfflineQueue\?:/);
    expect(nodeRedis.values.cluster?.openState).toBeUndefined();
  });

  it('isolated calls exist in 4 only; only socket.socketTimeout cuts a blocking wait', () => {
    expect(read('redis4/node_modules/@redis/client/dist/lib/client/index.js')).toMatch(/options\?\.isolated/);
    expect(read('redis4/node_modules/@redis/client/dist/lib/command-options.js')).toMatch(/commandOptions/);
    expect(read('redis5/node_modules/@redis/client/dist/lib/client/index.js')).not.toMatch(/isolated/);
    expect(read('@redis/client/dist/lib/client/index.js')).not.toMatch(/isolated/);
    expect(nodeRedis.isolatedCalls?.versions.majors).toEqual([4]);
    // The idle timer is armed on the socket itself, so it runs while a BLPOP waits for its reply.
    expect(read('@redis/client/dist/lib/client/socket.js')).toMatch(/setTimeout\(this\.#socketTimeout/);
    // The command timeout is an abort signal on commands still to be written: a sent BLPOP is past it.
    expect(read('@redis/client/dist/lib/client/commands-queue.js')).toMatch(/toWrite/);
    const cutters = nodeRedis.timeouts.filter((spec) => spec.cutsBlockingWait).map((spec) => spec.path.join('.'));
    expect([...new Set(cutters)]).toEqual(['socket.socketTimeout']);
  });

  it('has no WAITAOF method, only the raw sendCommand form', () => {
    expect(commandsIndex).not.toMatch(/^\s+waitAof: \{/m);
    expect(nodeRedis.blockingMethods!.waitAof).toBeUndefined();
  });
});

describe('ioredis and iovalkey', () => {
  const ioredis = libraryById('ioredis');
  const iovalkey = libraryById('iovalkey');

  it('declares every blocking method and its Buffer twin', () => {
    const commander = read('ioredis/built/utils/RedisCommander.d.ts');
    for (const method of Object.keys(ioredis.blockingMethods!)) {
      expect(commander, method).toMatch(new RegExp(`^\\s+${method}\\(`, 'm'));
    }
    const valkeyCommander = read('iovalkey/built/utils/RedisCommander.d.ts');
    for (const method of Object.keys(iovalkey.blockingMethods!)) {
      expect(valkeyCommander, method).toMatch(new RegExp(`^\\s+${method}\\(`, 'm'));
    }
    expect(valkeyCommander).not.toMatch(/^\s+blmovem\(/m);
  });

  it('defaults: connectTimeout 10000, no commandTimeout, maxRetriesPerRequest 20, RESP3 in 6 only', () => {
    const six = load('ioredis/built/redis/RedisOptions').DEFAULT_REDIS_OPTIONS;
    const five = load('ioredis5/built/redis/RedisOptions').DEFAULT_REDIS_OPTIONS;
    expect(six.connectTimeout).toBe(10000);
    expect(six.commandTimeout).toBeUndefined();
    expect(six.maxRetriesPerRequest).toBe(20);
    expect(five.maxRetriesPerRequest).toBe(20);
    expect(six.protocol).toBe(3);
    expect(five.protocol).toBeUndefined();
    expect(timeout(ioredis, 'connectTimeout').defaultMs).toBe(10000);
    expect(timeout(ioredis, 'commandTimeout').defaultMs).toBeNull();
    expect(ioredis.protocol?.defaultByMajor).toMatchObject({ 5: 2, 6: 3 });
    expect(ioredis.retries?.default).toBe(six.maxRetriesPerRequest);
    expect(libraryById('iovalkey').retries?.default).toBe(load('iovalkey/built/redis/RedisOptions').DEFAULT_REDIS_OPTIONS.maxRetriesPerRequest);
  });

  it('commandTimeout covers every command and socketTimeout is armed on write: both cut a blocking wait', () => {
    for (const file of ['ioredis/built/Redis.js', 'ioredis5/built/Redis.js', 'iovalkey/built/Redis.js']) {
      const source = read(file);
      // sendCommand arms it for any command, blocking or not.
      expect(source, file).toMatch(/if \(typeof this\.options\.commandTimeout === "number"\) \{\s+command\.setTimeout\(this\.options\.commandTimeout\)/);
      expect(source, file).toMatch(/socketTimeoutTimer = setTimeout/);
    }
    for (const library of [ioredis, iovalkey]) {
      expect(library.timeouts.filter((spec) => spec.cutsBlockingWait).map((spec) => spec.path.join('.')).sort()).toEqual(['commandTimeout', 'socketTimeout']);
      expect(library.isolatedCalls).toBeUndefined();
    }
  });

  it('has blockingTimeout in ioredis 5 and 6 but not in iovalkey', () => {
    expect(read('ioredis5/built/redis/RedisOptions.d.ts')).toMatch(/blockingTimeout\?:/);
    expect(read('iovalkey/built/redis/RedisOptions.d.ts')).not.toMatch(/blockingTimeout\?:/);
    expect(iovalkey.timeouts.some((t) => t.path[0] === 'blockingTimeout')).toBe(false);
    expect(ioredis.timeouts.some((t) => t.path[0] === 'blockingTimeout')).toBe(true);
  });

  it('exports the classes the catalog names, and require() gives the Redis class', () => {
    const module = load('ioredis');
    expect(typeof module).toBe('function');
    expect(module.Cluster).toBeTypeOf('function');
    expect(module.Redis).toBe(module);
    for (const m of ['quit', 'disconnect', 'end', 'duplicate']) expect(typeof module.prototype[m], m).toBe('function');
    const valkey = load('iovalkey');
    expect(valkey.Valkey).toBe(valkey);
    expect(ioredis.values.client!.methods.disconnect).toMatchObject({ type: 'release', notWhenFirstArgTruthy: true });
  });
});

/** Splits a parameter list on the commas that are not inside <>, {}, () or []. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if ('<{(['.includes(ch)) depth++;
    if ('>})]'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

describe('valkey-glide', () => {
  const glide = libraryById('valkey-glide');
  it('creates clients with an async static factory and closes them synchronously', () => {
    const module = load('@valkey/valkey-glide');
    expect(module.GlideClient.createClient).toBeTypeOf('function');
    expect(module.GlideClusterClient.createClient).toBeTypeOf('function');
    expect(module.GlideClient.prototype.close).toBeTypeOf('function');
    expect(read('@valkey/valkey-glide/build-ts/BaseClient.d.ts')).toMatch(/close\(errorMessage\?: string\): void;/);
  });

  it('declares every blocking method with the timeout where the catalog says', () => {
    const base = read('@valkey/valkey-glide/build-ts/BaseClient.d.ts');
    for (const [method, spec] of Object.entries(glide.blockingMethods!)) {
      const match = new RegExp(`^\\s+${method}\\(([^)]*)\\)`, 'm').exec(base);
      expect(match, method).not.toBeNull();
      const params = splitTopLevel(match![1]!).map((p) => p.trim().split(/[?:]/)[0]);
      if ('key' in spec.timeout) {
        expect(params[spec.timeout.arg], method).toBe('options');
      } else if ('arg' in spec.timeout) {
        expect(params[spec.timeout.arg], method).toMatch(/timeout/);
      }
    }
  });

  it('has a 250 ms request timeout by default', () => {
    expect(read('@valkey/valkey-glide/build-ts/BaseClient.d.ts')).toMatch(/250/);
    expect(timeout(glide, 'requestTimeout').defaultMs).toBe(250);
  });
});

describe('generic-pool and tarn', () => {
  it('generic-pool: max defaults to 1, no acquire timeout, no eviction runs', () => {
    const genericPool = load('generic-pool');
    const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => undefined }, {});
    expect(pool.max).toBe(1);
    expect(pool.min).toBe(0);
    const defaults = new (load('generic-pool/lib/PoolDefaults'))();
    expect(defaults.acquireTimeoutMillis).toBeNull();
    expect(defaults.evictionRunIntervalMillis).toBe(0);
    const clamped = genericPool.createPool({ create: async () => ({}), destroy: async () => undefined }, { min: 5, max: 2 });
    expect(clamped.min).toBe(2);
    for (const m of ['acquire', 'release', 'destroy', 'use', 'drain', 'clear']) expect(typeof pool[m], m).toBe('function');
    const spec = libraryById('generic-pool');
    expect(spec.poolSizes.find((s) => s.role === 'max')?.default).toBe(1);
    expect(spec.poolSizes.find((s) => s.role === 'max')?.lendsExclusively).toBe(true);
    expect(spec.idleEviction).toMatchObject({ intervalOption: 'evictionRunIntervalMillis', intervalDefault: defaults.evictionRunIntervalMillis });
    expect(defaults).toHaveProperty(spec.idleEviction!.idleOption);
    expect(defaults).toHaveProperty(spec.idleEviction!.softIdleOption);
    expect(timeout(spec, 'acquireTimeoutMillis').defaultMs).toBeNull();
    return Promise.all([pool.drain(), clamped.drain()]);
  });

  it('tarn: min and max are required, min > max throws, 30 s acquire timeout, 0 rejected', () => {
    const { Pool } = load('tarn');
    const make = (opts: object) => new Pool({ create: () => ({}), destroy: () => undefined, ...opts });
    expect(() => make({})).toThrow(/opt\.min/);
    expect(() => make({ min: 3, max: 1 })).toThrow();
    expect(make({ min: 0, max: 1 }).acquireTimeoutMillis).toBe(30000);
    expect(() => make({ min: 0, max: 1, acquireTimeoutMillis: 0 })).toThrow(/acquireTimeoutMillis/);
    const spec = libraryById('tarn');
    expect(timeout(spec, 'acquireTimeoutMillis')).toMatchObject({ defaultMs: 30000, zero: 'throws' });
    expect(spec.values.pool!.methods.destroy?.type).toBe('shutdown');
    expect(spec.poolSizes.find((s) => s.role === 'min')?.minAboveMax).toBe('throws');
  });
});

describe('bullmq', () => {
  it('exports every consumer class, and Worker and QueueEvents open blocking connections', () => {
    const bullmq = load('bullmq');
    for (const name of Object.keys(BULLMQ_CONSUMERS)) expect(bullmq[name], name).toBeTypeOf('function');
    expect(read('bullmq/dist/cjs/classes/worker.js')).toMatch(/blockingConnection: true/);
    expect(read('bullmq/dist/cjs/classes/queue-events.js')).toMatch(/This class requires a dedicated redis connection/);
    expect(BULLMQ_CONSUMERS.Worker?.blocking).toBe(true);
    expect(BULLMQ_CONSUMERS.QueueEvents?.blocking).toBe(true);
    expect(BULLMQ_CONSUMERS.Queue?.blocking).toBe(false);
  });
});

describe('takeover commands', () => {
  it('MONITOR always takes the connection over; SUBSCRIBE only provably under RESP2', async () => {
    const { takesOverConnection } = await import('../../src/catalog');
    expect(takesOverConnection('MONITOR', 3)).toBe(true);
    expect(takesOverConnection('subscribe', 2)).toBe(true);
    expect(takesOverConnection('SUBSCRIBE', 3)).toBe(false);
    expect(takesOverConnection('SSUBSCRIBE', undefined)).toBe(false);
    expect(takesOverConnection('GET', 2)).toBe(false);
  });
});

describe('timeout facts require-timeout and add-timeouts read', () => {
  it('what a client timer does to a blocking wait: ioredis rejects or resends, node-redis closes', () => {
    const ioredis = libraryById('ioredis');
    const redisJs = read('ioredis/built/Redis.js');
    // commandTimeout is armed on every command and rejects it: the parked BLPOP's reply is lost.
    expect(redisJs).toMatch(/typeof this\.options\.commandTimeout === "number"\) \{\s+command\.setTimeout\(this\.options\.commandTimeout\)/);
    expect(read('ioredis/built/Command.js')).toMatch(/this\.reject\(new Error\("Command timed out"\)\)/);
    expect(timeout(ioredis, 'commandTimeout')).toMatchObject({ cutsBlockingWait: true, blockingWaitCut: 'rejects-call' });
    // socketTimeout destroys the stream; the reconnect re-sends what was pending.
    expect(redisJs).toMatch(/stream\.destroy\(new Error\(`Socket timeout/);
    expect(timeout(ioredis, 'socketTimeout')).toMatchObject({ cutsBlockingWait: true, blockingWaitCut: 'resends-call' });
    const socket = read('@redis/client/dist/lib/client/socket.js');
    expect(socket).toMatch(/new errors_1\.SocketTimeoutError\(this\.#socketTimeout\)/);
    expect(timeout(libraryById('node-redis'), 'socket.socketTimeout', 6)).toMatchObject({ cutsBlockingWait: true, blockingWaitCut: 'closes-client' });
    // Only these two families have a command timeout that runs during a wait.
    for (const library of LIBRARIES) {
      for (const spec of library.timeouts) expect(spec.blockingWaitCut === undefined, `${library.id} ${spec.path.join('.')}`).toBe(!spec.cutsBlockingWait);
    }
  });

  it("a cluster duplicate merges redisOptions in ioredis and replaces them in iovalkey", () => {
    const merged = (module: string) => {
      const { Cluster } = load(module);
      const cluster = new Cluster([], { lazyConnect: true, redisOptions: { db: 1 } });
      const copy = cluster.duplicate([], { redisOptions: { password: 'x' } });
      return copy.options.redisOptions as Record<string, unknown>;
    };
    expect(merged('ioredis')).toMatchObject({ db: 1, password: 'x' });
    expect(libraryById('ioredis').mergesNodeOptionsOnDuplicate).toBe(true);
    expect(merged('iovalkey')).not.toHaveProperty('db');
    expect(libraryById('iovalkey').mergesNodeOptionsOnDuplicate).toBe(false);
  });

  it('an ioredis cluster takes commandTimeout only per node; a node-redis cluster has commandOptions of its own', () => {
    expect(read('ioredis/built/cluster/ClusterOptions.d.ts')).not.toMatch(/commandTimeout/);
    expect(read('ioredis/built/cluster/ClusterOptions.d.ts')).toMatch(/redisOptions\?:/);
    expect(read('@redis/client/dist/lib/cluster/index.d.ts')).toMatch(/^\s+commandOptions\?: ClusterCommandOptions/m);
    expect(LIBRARIES.filter((library) => library.clusterTimeoutsPerNode).map((library) => library.id)).toEqual(['ioredis', 'iovalkey']);
  });

  it('BullMQ takes ioredis-family instances as connection and wants maxRetriesPerRequest null on them', () => {
    expect(read('bullmq/dist/cjs/classes/redis-connection.js')).toMatch(/maxRetriesPerRequest/);
    expect(LIBRARIES.filter((library) => library.queueConnection).map((library) => library.id).sort()).toEqual(['ioredis', 'iovalkey']);
  });

  it('node-redis bounds commands by major (4: no option, 5: unset, 6: 5000 ms); its pools are client pools', () => {
    const nodeRedis = libraryById('node-redis');
    expect(nodeRedis.commandBoundByMajor).toBe(true);
    const commandSpecs = nodeRedis.timeouts.filter((spec) => spec.bounds === 'command');
    expect(commandSpecs.map((spec) => [spec.versions?.majors, spec.defaultMs])).toEqual([[[6], 5000], [[5], null]]);
    expect(load('redis').createClientPool).toBeTypeOf('function');
    expect(nodeRedis.poolLabel).toBe('client pool');
    expect(LIBRARIES.filter((library) => library.commandBoundByMajor).map((library) => library.id)).toEqual(['node-redis']);
  });

  it('what 0 means for an acquire timeout: forever in generic-pool and node-redis pools, a constructor error in tarn', () => {
    const acquire = (id: Parameters<typeof libraryById>[0]) => libraryById(id).timeouts.find((spec) => spec.bounds === 'acquire' && spec.appliesTo === 'pool');
    expect(acquire('generic-pool')).toMatchObject({ zero: 'forever', defaultMs: null });
    expect(acquire('node-redis')).toMatchObject({ zero: 'forever', defaultMs: 3000 });
    expect(acquire('tarn')).toMatchObject({ zero: 'throws', defaultMs: 30000 });
  });
});
