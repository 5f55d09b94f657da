/**
 * The legacy and queue entries of the catalog checked against the installed packages:
 * node_redis 3.1.1 and 2.8.0 (aliases `redis3`, `redis2`), generic-pool 2.5.4 (`generic-pool2`),
 * Bull 4.16, bee-queue 2.0 and BullMQ 5. Nothing here talks to a Redis server: clients point at a
 * closed port and are ended at once, queues are read from source or made with `autoConnect: false`.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BULLMQ_CONSUMERS, isRedisClientLibrary, libraryById, type ClassSpec, type LibraryCatalog } from '../../src/catalog';

const nodeModules = path.join(__dirname, '..', '..', 'node_modules');
const read = (relative: string) => fs.readFileSync(path.join(nodeModules, relative), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (relative: string): any => require(path.join(nodeModules, relative));

const legacyRedis = libraryById('node-redis-legacy');
const legacyPool = libraryById('generic-pool-legacy');

/** Clients made by a test, ended after it (a closed port: they only ever fail to connect). */
const opened: { end(flush: boolean): void }[] = [];
afterEach(() => {
  for (const client of opened.splice(0)) client.end(true);
});

function clientOf(pkg: string, ...args: unknown[]): any {
  const client = load(pkg).createClient(...args);
  client.on('error', () => {});
  opened.push(client);
  return client;
}

const CLOSED_PORT = 1;

describe.each(['redis3', 'redis2'])('node_redis (%s)', (pkg) => {
  it('is the entry for the callback-era majors (0 to 3) of the redis package', () => {
    const major = Number(load(`${pkg}/package.json`).version.split('.')[0]);
    expect(legacyRedis.majors?.majors).toContain(major);
    expect(legacyRedis.packages).toEqual(['redis']);
    expect(isRedisClientLibrary(legacyRedis)).toBe(true);
    // No bundled types: typed rule tests cannot exist for it without @types/redis.
    expect(fs.existsSync(path.join(nodeModules, pkg, 'index.d.ts'))).toBe(false);
  });

  it('exports createClient and RedisClient, and opens the socket in the constructor', () => {
    const redis = load(pkg);
    for (const name of Object.keys(legacyRedis.exports)) expect(redis[name], name).toBeTypeOf('function');
    const client = clientOf(pkg, CLOSED_PORT, '127.0.0.1');
    expect(client).toBeInstanceOf(redis.RedisClient);
    expect(client.stream).toBeDefined();
    expect(client.connect).toBeUndefined();
    expect(legacyRedis.values.client?.opensWith).toBeUndefined();
  });

  it('takes the options last: (port, host, opts), (url, opts), (opts)', () => {
    expect(legacyRedis.exports.createClient).toMatchObject({ optionsArg: 'last-object' });
    expect(clientOf(pkg, CLOSED_PORT, '127.0.0.2', { db: 2 }).options).toMatchObject({ host: '127.0.0.2', db: 2 });
    expect(clientOf(pkg, `redis://127.0.0.3:${CLOSED_PORT}`, { db: 3 }).options).toMatchObject({ host: '127.0.0.3', db: 3 });
    expect(clientOf(pkg, { port: CLOSED_PORT, db: 4 }).options).toMatchObject({ db: 4 });
  });

  it('has every method the catalog names, in both spellings for commands', () => {
    const client = clientOf(pkg, CLOSED_PORT);
    for (const method of [
      ...Object.keys(legacyRedis.values.client!.methods),
      ...Object.keys(legacyRedis.blockingMethods!),
      ...Object.keys(legacyRedis.takeoverMethods!),
    ]) {
      expect(client[method], method).toBeTypeOf('function');
    }
    expect(legacyRedis.values.client?.methods.quit).toEqual({ type: 'release' });
    expect(legacyRedis.values.client?.methods.end).toEqual({ type: 'release' });
  });

  it('hands a duplicate to the callback when given one, and returns it otherwise', () => {
    const client = clientOf(pkg, CLOSED_PORT);
    const duplicate = client.duplicate();
    duplicate.on('error', () => {});
    opened.push(duplicate);
    expect(duplicate).toBeInstanceOf(load(pkg).RedisClient);
    expect(client.duplicate(() => {})).toBeUndefined();
    expect(legacyRedis.values.client?.methods.duplicate).toMatchObject({ callback: { arg: 'last', param: 1 } });
  });

  it('reads send_command(name, args, cb) and argument arrays as the flat command they stand for', () => {
    const client = clientOf(pkg, CLOSED_PORT);
    const sent: { command: string; args: unknown[]; callback: unknown }[] = [];
    // Every command goes through internal_send_command: catch what it is given.
    client.internal_send_command = (command: { command: string; args: unknown[]; callback: unknown }) => {
      sent.push({ command: command.command, args: command.args, callback: command.callback });
    };
    const done = () => {};
    client.blpop(['jobs', 0], done);
    client.blpop('jobs', [0], done);
    client.BLPOP('jobs', 0, done);
    client.send_command('blpop', ['jobs', 0], done);
    client.sendCommand('blpop', ['jobs', 0], done);
    expect(sent).toEqual(Array(5).fill({ command: 'blpop', args: ['jobs', 0], callback: done }));
    expect(legacyRedis.commandArgvArrays).toBe(true);
    expect(legacyRedis.rawCommandMethods).toEqual({
      send_command: { argv: 'name-and-array', arg: 0 },
      sendCommand: { argv: 'name-and-array', arg: 0 },
    });
  });

  it("crashes on an 'error' nobody listens to", () => {
    const client = load(pkg).createClient(CLOSED_PORT);
    // Ended before the connect attempt can fail; the emitter is a plain EventEmitter.
    client.end(true);
    expect(client).toBeInstanceOf(EventEmitter);
    expect(() => client.emit('error', new Error('boom'))).toThrow('boom');
    expect(legacyRedis.values.client?.errorEvent).toBe('crashes');
  });

  it('defaults connect_timeout to one hour, and treats 0 as the default', () => {
    const spec = legacyRedis.timeouts.find((t) => t.path.join('.') === 'connect_timeout')!;
    expect(clientOf(pkg, CLOSED_PORT).connect_timeout).toBe(spec.defaultMs);
    expect(clientOf(pkg, { port: CLOSED_PORT, connect_timeout: 0 }).connect_timeout).toBe(spec.defaultMs);
    expect(spec.zero).toBe('default');
    expect(clientOf(pkg, { port: CLOSED_PORT, connect_timeout: 250 }).connect_timeout).toBe(250);
  });

  it('has no command timeout and no protocol option', () => {
    const source = read(`${pkg}/index.js`);
    expect(source).not.toMatch(/command_?timeout/i);
    expect(source).not.toMatch(/\bRESP\b/);
    expect(legacyRedis.timeouts.map((t) => t.bounds)).toEqual(['connect']);
    expect(legacyRedis.protocol?.defaultByMajor).toEqual({ 2: 2, 3: 2 });
  });

  it('reads retry_strategy, which holds socket errors back while it retries', () => {
    expect(read(`${pkg}/index.js`)).toMatch(/if \(!this\.options\.retry_strategy\) \{\s*this\.emit\('error', err\);/);
  });
});

describe('generic-pool 2 (generic-pool2)', () => {
  const { Pool } = load('generic-pool2');
  const factory = (extra: object = {}) => ({
    create: (cb: (err: unknown, resource?: object) => void) => cb(null, {}),
    destroy: () => {},
    ...extra,
  });
  const pools: any[] = [];
  afterEach(() => {
    for (const pool of pools.splice(0)) pool.destroyAllNow();
  });
  const make = (extra?: object, withNew = true) => {
    const pool = withNew ? new Pool(factory(extra)) : Pool(factory(extra));
    pools.push(pool);
    return pool;
  };

  it('exports Pool (callable without new) and no createPool', () => {
    expect(load('generic-pool2/package.json').version).toMatch(/^2\./);
    expect(Object.keys(legacyPool.exports)).toEqual(['Pool']);
    expect(load('generic-pool2').createPool).toBeUndefined();
    expect(make({}, false)).toBeInstanceOf(Pool);
    expect((legacyPool.exports.Pool as ClassSpec).callableWithoutNew).toBe(true);
    expect(isRedisClientLibrary(legacyPool)).toBe(false);
  });

  it('hands the loan to acquire’s callback as its second parameter', async () => {
    const pool = make({ max: 2 });
    const [err, resource] = await new Promise<unknown[]>((resolve) => pool.acquire((...args: unknown[]) => resolve(args)));
    expect(err).toBeNull();
    expect(resource).toEqual({});
    pool.release(resource);
    expect(legacyPool.values.pool?.methods.acquire).toMatchObject({ type: 'produces', produces: 'lease', callback: { arg: 0, param: 1 } });
  });

  it('has the loan and pool methods the catalog names, and is not an EventEmitter', () => {
    const pool = make();
    for (const method of Object.keys(legacyPool.values.pool!.methods)) expect(pool[method], method).toBeTypeOf('function');
    expect(pool.on).toBeUndefined();
    expect(legacyPool.values.pool?.errorEvent).toBe('none');
  });

  it('has no acquire timeout at all, and no way to take a waiting acquire back', async () => {
    const source = read('generic-pool2/lib/generic-pool.js');
    expect(source).not.toMatch(/acquireTimeout/);
    expect(legacyPool.timeouts).toEqual([]);
    // The waiting queue has only these three methods; the pool touches it only through them.
    expect([...source.matchAll(/PriorityQueue\.prototype\.(\w+) =/g)].map((m) => m[1])).toEqual(['size', 'enqueue', 'dequeue']);
    expect([...source.matchAll(/_waitingClients\.(\w+)\(/g)].map((m) => m[1]).sort()).toEqual(['dequeue', 'dequeue', 'dequeue', 'enqueue', 'size', 'size', 'size', 'size']);
    // One resource on loan in a pool of one: the next acquire waits, with no timer on it.
    const pool = make({ max: 1, idleTimeoutMillis: 60_000 });
    const held = await new Promise((resolve) => pool.acquire((_: unknown, resource: unknown) => resolve(resource)));
    let called = false;
    pool.acquire(() => {
      called = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(called).toBe(false);
    expect(pool.waitingClientsCount()).toBe(1);
    pool.release(held);
    expect(called).toBe(true);
    expect(legacyPool.values.pool?.acquireWaitsForever).toEqual({ upgrade: 'generic-pool 3 and set acquireTimeoutMillis' });
    expect(libraryById('generic-pool').timeouts.map((t) => t.path.join('.'))).toContain('acquireTimeoutMillis');
  });

  it('defaults max to 1, parses sizes with parseInt, and clamps min below max', () => {
    const max = legacyPool.poolSizes.find((s) => s.role === 'max')!;
    const min = legacyPool.poolSizes.find((s) => s.role === 'min')!;
    expect(make().getMaxPoolSize()).toBe(max.default);
    expect(make({ max: Infinity }).getMaxPoolSize()).toBe(1);
    expect(make({ max: '60' }).getMaxPoolSize()).toBe(60);
    expect(make({ max: 0 }).getMaxPoolSize()).toBe(max.floor);
    expect(make({ max: 60 }).getMinPoolSize()).toBe(min.default);
    // min 5 with max 2: clamped to max - 1.
    expect(make({ max: 2, min: 5 }).getMinPoolSize()).toBe(1);
    expect(min.minAboveMax).toBe('clamped');
  });
});

describe("pools add no 'error' listener to what create makes", () => {
  const emitter = () => new EventEmitter();
  const listened = (resource: EventEmitter) => resource.eventNames().length;

  it('generic-pool 2', async () => {
    const pool = new (load('generic-pool2').Pool)({ create: (cb: (err: null, r: EventEmitter) => void) => cb(null, emitter()), destroy: () => {}, max: 1 });
    const resource = await new Promise<EventEmitter>((resolve) => pool.acquire((_: unknown, r: EventEmitter) => resolve(r)));
    expect(listened(resource)).toBe(0);
    pool.release(resource);
    pool.destroyAllNow();
    expect(legacyPool.values.pool?.leavesResourceErrorsUnhandled).toBe(true);
  });

  it('generic-pool 3', async () => {
    const pool = load('generic-pool').createPool({ create: async () => emitter(), destroy: async () => {} }, { max: 1 });
    const resource = await pool.acquire();
    expect(listened(resource)).toBe(0);
    await pool.release(resource);
    await pool.drain();
    await pool.clear();
    expect(libraryById('generic-pool').values.pool?.leavesResourceErrorsUnhandled).toBe(true);
  });

  it('tarn', async () => {
    const pool = new (load('tarn').Pool)({ create: async () => emitter(), destroy: () => {}, min: 0, max: 1 });
    const resource = await pool.acquire().promise;
    expect(listened(resource)).toBe(0);
    pool.release(resource);
    await pool.destroy();
    expect(libraryById('tarn').values.pool?.leavesResourceErrorsUnhandled).toBe(true);
  });
});

function queueClass(library: LibraryCatalog): ClassSpec {
  const spec = library.commonjsExport;
  if (spec?.type !== 'class') throw new Error(`${library.id} has no class export`);
  return spec;
}

describe('Bull', () => {
  const bull = libraryById('bull');
  const source = read('bull/lib/queue.js');

  it('exports the Queue class as the module, callable without new', () => {
    expect(load('bull')).toBeTypeOf('function');
    expect(load('bull').name).toBe('Queue');
    expect(source).toMatch(/if \(!\(this instanceof Queue\)\) \{\s*return new Queue\(name, url, opts\);/);
    expect(queueClass(bull).callableWithoutNew).toBe(true);
    expect(bull.defaultExport).toBe(bull.commonjsExport);
  });

  it('opens up to three connections of its own, one of them blocking', () => {
    const lazy = [...source.matchAll(/get: lazyClient\('(\w+)'\)/g)].map((m) => m[1]);
    expect(lazy).toEqual(['client', 'subscriber', 'bclient']);
    expect(source).toMatch(/this\.bclient\.brpoplpush\(/);
    expect(queueClass(bull).queue).toMatchObject({ ownConnections: 3, blockingConnections: 1, connectionKey: 'redis' });
  });

  it('closes only the connections it made: a createClient option keeps them off queue.clients', () => {
    expect(source).toMatch(/if \(!options\.createClient\) \{\s*queue\.clients\.push\(client\);/);
    expect(source).toMatch(/Queue\.prototype\.disconnect = async function\(\) \{\s*await Promise\.all\(\s*this\.clients\.map/);
    const Queue = load('bull');
    for (const method of Object.keys(bull.values.consumer!.methods)) expect(Queue.prototype[method], method).toBeTypeOf('function');
    expect(queueClass(bull).queue?.clientFactoryKey).toBe('createClient');
  });

  it("listens on every client a createClient option returns until close(), and makes 'client' at once", () => {
    // initCallback runs for every client, from createClient or its own.
    expect(source).toMatch(/return initCallback\(type, client\), client;/);
    expect(source).toMatch(/client\.on\('error', handler\);\s*this\.once\('close', \(\) => client\.removeListener\('error', handler\)\);/);
    expect(source).toMatch(/if \(opts\.skipVersionCheck !== true\) \{\s*getRedisVersion\(this\.client\)/);
    expect(source).toMatch(/utils\.emitSafe\(this, 'close'\);/);
    expect(queueClass(bull).queue?.listensOnFactoryClients).toBe(true);
  });

  it("re-emits its clients' errors on the queue, an EventEmitter, which swallows them itself", () => {
    expect(load('bull').prototype).toBeInstanceOf(EventEmitter);
    expect(source).toMatch(/const handler = this\.emit\.bind\(this, 'error'\);\s*client\.on\('error', handler\);/);
    expect(source).toMatch(/this\.on\('error', \(\) => \{\s*\/\/ Dummy handler to avoid process to exit with an unhandled exception\.\s*\}\);/);
    expect(bull.values.consumer?.errorEvent).toBe('none');
    expect(read('bull/index.d.ts')).toMatch(/interface Queue<T = any> extends EventEmitter/);
  });
});

describe('bee-queue', () => {
  const bee = libraryById('bee-queue');
  const Queue = load('bee-queue');

  it('exports the Queue class as the module', () => {
    expect(Queue).toBeTypeOf('function');
    expect(read('bee-queue/index.d.ts')).toMatch(/declare class BeeQueue<T = any> extends EventEmitter/);
    expect(queueClass(bee).optionsArg).toBe(1);
  });

  it('opens client, bclient and eclient by default; given a client, duplicates it for the other two', () => {
    const defaults = load('bee-queue/lib/defaults.js');
    expect(defaults.isWorker).toBe(true);
    expect(defaults.getEvents).toBe(true);
    const source = read('bee-queue/lib/queue.js');
    expect(source).toMatch(/this\.makeClient\('client', false\)/);
    expect(source).toMatch(/this\.settings\.isWorker \? this\.makeClient\('bclient', true\)/);
    expect(source).toMatch(/this\.makeClient\('eclient', true\)/);
    expect(read('bee-queue/lib/redis.js')).toMatch(/if \(createNew\) \{[\s\S]*?client = client\.duplicate\(\);/);
    expect(queueClass(bee).queue).toMatchObject({ ownConnections: 3, connectionsBesideSupplied: 2, blockingConnections: 1 });
  });

  it('leaves a supplied client open on close() unless quitCommandClient says otherwise', () => {
    const ownOptions = new Queue('catalog-check', { redis: { port: CLOSED_PORT }, autoConnect: false });
    expect(ownOptions.settings.quitCommandClient).toBe(true);
    // bee-queue's own redis is node_redis 3: its RedisClient is what it recognises as a client.
    const client = load('bee-queue/node_modules/redis').createClient(CLOSED_PORT);
    client.on('error', () => {});
    client.end(true);
    expect(new Queue('catalog-check', { redis: client, autoConnect: false }).settings.quitCommandClient).toBe(false);
    expect(new Queue('catalog-check', { redis: client, autoConnect: false, quitCommandClient: true }).settings.quitCommandClient).toBe(true);
    expect(queueClass(bee).queue?.closesSuppliedWith).toBe('quitCommandClient');
    for (const method of Object.keys(bee.values.consumer!.methods)) expect(Queue.prototype[method], method).toBeTypeOf('function');
  });
});

describe('BullMQ connections', () => {
  const bullmq = libraryById('bullmq');
  const classes = 'bullmq/dist/cjs/classes';

  it('marks a caller-supplied ioredis instance shared, and never quits a shared connection', () => {
    expect(read(`${classes}/queue-base.js`)).toMatch(/shared: \(0, utils_1\.isRedisInstance\)\(opts\.connection\)/);
    expect(read(`${classes}/redis-connection.js`)).toMatch(/if \(!this\.extraOptions\.shared\) \{[\s\S]*?await this\._client\.quit\(\);/);
    for (const [name, spec] of Object.entries(bullmq.exports)) {
      expect(spec.type === 'class' && spec.queue?.closesSuppliedWith, name).toBeFalsy();
    }
  });

  it('gives a Worker a blocking duplicate of its own, and a QueueEvents a duplicate', () => {
    expect(read(`${classes}/worker.js`)).toMatch(/\.duplicate\(\{ connectionName \}\)[\s\S]{0,120}shared: false,\s*blocking: true/);
    expect(read(`${classes}/queue-events.js`)).toMatch(/createIORedisClient\)\(connection\)\)\.duplicate\(\)/);
    const queueOf = (name: string) => (bullmq.exports[name] as ClassSpec).queue;
    expect(queueOf('Worker')).toMatchObject({ ownConnections: 2, connectionsBesideSupplied: 1, blockingConnections: 1 });
    expect(queueOf('QueueEvents')).toMatchObject({ ownConnections: 1, connectionsBesideSupplied: 1, blockingConnections: 1 });
    expect(queueOf('Queue')).toMatchObject({ ownConnections: 1, connectionsBesideSupplied: 0, blockingConnections: 0 });
    expect(BULLMQ_CONSUMERS.Worker?.ownConnections).toBe(2);
  });
});

describe('one catalog file per library', () => {
  // Issue 13's demonstration: bee-queue (and the other entries added with it) is known to the
  // rules, the codemods and the report only through its catalog file and one line in
  // src/catalog/index.ts; nothing outside src/catalog branches on its id.
  it('names the new library ids nowhere outside src/catalog, and branches on no library id there', () => {
    const root = path.join(__dirname, '..', '..');
    const ids = ['bee-queue', 'bull', 'node-redis-legacy', 'generic-pool-legacy'];
    const quoted = new RegExp(`['"](?:${ids.join('|')})['"]`);
    // Nor on any library's id: `library.id === 'generic-pool'` is a fact the catalog should hold.
    const BRANCH_ON_ID = /\.id\s*[!=]==?\s*['"`]/;
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (relative !== path.join('src', 'catalog')) visit(relative);
        } else if (/\.ts$/.test(entry.name)) {
          const code = fs.readFileSync(path.join(root, relative), 'utf8');
          // Module specifiers in imports are the user's code in examples and docs, not branches.
          const lines = code.split('\n').filter((line) => !/^\s*(?:\/\/|\*|import\b)/.test(line));
          if (lines.some((line) => quoted.test(line) || BRANCH_ON_ID.test(line))) offenders.push(relative);
        }
      }
    };
    for (const dir of ['src', 'rules', 'codemods']) visit(dir);
    expect(offenders).toEqual([]);
    expect(libraryById('bee-queue').modules).toEqual(['bee-queue']);
  });
});
