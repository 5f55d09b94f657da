/**
 * Proof against a real Redis: a service over a generic-pool (and one over tarn) of ioredis
 * clients that releases only on the happy path leaks its connections until acquires time out;
 * the same module after the codemods gives every connection back under the same load and the
 * same real Redis errors, and never holds more connections than the pool's max.
 */
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createProfileService } from './fixtures/generic-pool-service';
import type { createCartService } from './fixtures/tarn-service';
import {
  applyPreferPoolUse,
  connectionsReceived,
  drive,
  loadModule,
  readFixture,
  runCodemod,
  sampleClients,
  waitForClients,
  type ClientListPeaks,
  type Tally,
} from './harness';
import { startRedisServer, type RedisServer } from './redis-server';

const CALLS = 300;
const MAX = 5;
const ACQUIRE_TIMEOUT_MS = 800;
const DEADLINE_MS = 15_000;
const GRACE_MS = 300;

let server: RedisServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis({ host: server.host, port: server.port, connectionName: 'e2e-admin' });
  await admin.ping();
});

afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

/** Call i: every fifth one hits a real Redis error (rotating through three kinds). */
function errorKind(i: number): 0 | 1 | 2 | undefined {
  return i % 5 === 0 ? (((i / 5) % 3) as 0 | 1 | 2) : undefined;
}

const FAULTS = CALLS / 5;
const expectedFaults = { wrongtype: FAULTS / 3, 'not-integer': FAULTS / 3, 'corrupt-json': FAULTS / 3 };

interface Run {
  tally: Tally;
  others: unknown[];
  /** CLIENT LIST peaks during the run (the test's own connection included). */
  clients: ClientListPeaks;
  /** Connections the server accepted during the run. */
  opened: number;
  graceful: boolean;
  clientsAfterClose: number;
}

/** Seeds, drives, watches CLIENT LIST, shuts the service down and checks nothing is left open. */
async function exercise<S extends { close(graceMs: number): Promise<{ graceful: boolean }> }>(
  service: S,
  seed: () => Promise<void>,
  call: (service: S, i: number) => Promise<unknown>,
  inspect: (service: S) => void,
): Promise<Run> {
  expect(await waitForClients(admin, 1, 2_000), 'only the admin connection before the run').toBe(1);
  await admin.flushall();
  await seed();
  const before = await connectionsReceived(admin);
  const sampler = sampleClients(admin);
  const { tally, others } = await drive(
    Array.from({ length: CALLS }, (_, i) => () => call(service, i)),
    DEADLINE_MS,
  );
  const clients = await sampler.stop();
  const opened = (await connectionsReceived(admin)) - before;
  inspect(service);
  const { graceful } = await service.close(GRACE_MS);
  const clientsAfterClose = await waitForClients(admin, 1, 2_000);
  return { tally, others, clients, opened, graceful, clientsAfterClose };
}

describe('generic-pool over ioredis', () => {
  type Module = { createProfileService: typeof createProfileService };
  type Service = ReturnType<typeof createProfileService>;
  const original = readFixture('generic-pool-service.ts');

  const seed = async () => {
    await admin.set('visits:broken', 'not-a-number');
    await admin.set('tags:wrong', 'a plain string');
    await admin.set('profile:corrupt', '{"id": "corrupt", "name": ');
    for (let i = 0; i < 10; i++) await admin.set(`profile:${i}`, JSON.stringify({ id: String(i), name: `user ${i}` }));
  };
  const call = (service: Service, i: number): Promise<unknown> => {
    switch (errorKind(i)) {
      case 0:
        return service.tagProfile('wrong', 'x'); // WRONGTYPE
      case 1:
        return service.recordVisit('broken'); // ERR value is not an integer
      case 2:
        return service.loadProfile('corrupt'); // SyntaxError from JSON.parse
      default:
        return [() => service.recordVisit(`page${i % 7}`), () => service.loadProfile(String(i % 10)), () => service.tagProfile(String(i % 10), `t${i % 4}`)][i % 3]!();
    }
  };

  async function run(source: string, filename: string) {
    const { createProfileService: create } = loadModule<Module>(source, filename);
    const borrowedAtEnd: { borrowed: number; pending: number } = { borrowed: -1, pending: -1 };
    const result = await exercise(
      create({ port: server.port, max: MAX, acquireTimeoutMillis: ACQUIRE_TIMEOUT_MS }),
      seed,
      call,
      ({ pool }) => Object.assign(borrowedAtEnd, { borrowed: pool.borrowed, pending: pool.pending }),
    );
    return { ...result, ...borrowedAtEnd };
  }

  function expectEveryCallFinished(result: Awaited<ReturnType<typeof run>>): void {
    expect(result.others).toEqual([]);
    expect(result.tally).toEqual({ ok: CALLS - FAULTS, ...expectedFaults, 'acquire-timeout': 0, other: 0 });
    expect(result.borrowed).toBe(0);
    expect(result.pending).toBe(0);
    expect(result.clients.samples).toBeGreaterThan(0);
    expect(result.clients.settled).toBeGreaterThanOrEqual(2);
    expect(result.clients.settled).toBeLessThanOrEqual(MAX + 1);
    expect(result.graceful).toBe(true);
    expect(result.clientsAfterClose).toBe(1);
  }

  it('the original leaks a connection per failed call until acquires time out', async () => {
    const result = await run(original, 'generic-pool-service.original.ts');
    expect(result.others).toEqual([]);
    // Each Redis error strands one of the MAX connections; after that nothing runs.
    const faults = result.tally.wrongtype + result.tally['not-integer'] + result.tally['corrupt-json'];
    expect(faults).toBe(MAX);
    expect(result.borrowed).toBe(MAX);
    expect(result.pending).toBe(0);
    expect(result.tally['acquire-timeout']).toBe(CALLS - result.tally.ok - MAX);
    expect(result.tally['acquire-timeout']).toBeGreaterThan(CALLS / 2);
    expect(result.clients.total).toBeLessThanOrEqual(MAX + 1);
    expect(result.opened).toBeLessThanOrEqual(MAX);
    // Shutdown waits for loans that never come back.
    expect(result.graceful).toBe(false);
    expect(result.clientsAfterClose).toBe(1);
  });

  it('release-in-finally: every call finishes and every connection comes back', async () => {
    const fixed = await runCodemod('release-in-finally', original, 'generic-pool-service.ts');
    expect(fixed).toMatch(/finally\s*\{/);
    const result = await run(fixed, 'generic-pool-service.release-in-finally.ts');
    expectEveryCallFinished(result);
    // Released, never destroyed: the same connections serve every call.
    expect(result.clients.total).toBeLessThanOrEqual(MAX + 1);
    expect(result.opened).toBeLessThanOrEqual(MAX);
  });

  it('managed-lifecycle after release-in-finally: pool.use gives every connection back', async () => {
    const fixed = await runCodemod('release-in-finally', original, 'generic-pool-service.ts');
    const managed = await runCodemod('managed-lifecycle', fixed, 'generic-pool-service.ts');
    expect(managed).toMatch(/pool\.use\(/);
    expect(managed).not.toMatch(/pool\.acquire\(/);
    const result = await run(managed, 'generic-pool-service.managed-lifecycle.ts');
    expectEveryCallFinished(result);
    // use() destroys the connection of every rejected callback and opens its replacement at
    // once, before the server has closed the old one: CLIENT LIST briefly shows MAX + 2 (the
    // old one closing), so only `settled` stays within MAX + 1; and every fault costs a new
    // connection.
    expect(result.opened).toBeGreaterThanOrEqual(FAULTS);
    expect(result.opened).toBeLessThanOrEqual(FAULTS + MAX);
  });

  it('prefer-pool-use on the release-in-finally output: its pool.use rewrite runs the same', async () => {
    const fixed = await runCodemod('release-in-finally', original, 'generic-pool-service.ts');
    const { output, rewrites } = applyPreferPoolUse(fixed, 'generic-pool-service.ts');
    // One rewrite per function, the same text the managed-lifecycle codemod writes.
    expect(rewrites).toBe(3);
    expect(output).toBe(await runCodemod('managed-lifecycle', fixed, 'generic-pool-service.ts'));
    const result = await run(output, 'generic-pool-service.prefer-pool-use.ts');
    expectEveryCallFinished(result);
    expect(result.opened).toBeGreaterThanOrEqual(FAULTS);
    expect(result.opened).toBeLessThanOrEqual(FAULTS + MAX);
  });
});

describe('tarn over ioredis', () => {
  type Module = { createCartService: typeof createCartService };
  type Service = ReturnType<typeof createCartService>;
  const original = readFixture('tarn-service.ts');

  const seed = async () => {
    await admin.set('cart:wrong', 'a plain string');
    await admin.set('stock:broken', 'lots');
    await admin.set('saved-cart:corrupt', '[{"sku": "a", "quantity": ');
    for (let i = 0; i < 10; i++) {
      await admin.set(`stock:sku${i}`, 1_000_000);
      await admin.set(`saved-cart:${i}`, JSON.stringify([{ sku: `sku${i}`, quantity: i }]));
    }
  };
  const call = (service: Service, i: number): Promise<unknown> => {
    switch (errorKind(i)) {
      case 0:
        return service.addToCart('wrong', 'sku1', 1); // WRONGTYPE
      case 1:
        return service.reserveStock('broken', 1); // ERR value is not an integer
      case 2:
        return service.savedCart('corrupt'); // SyntaxError from JSON.parse
      default:
        return [() => service.addToCart(String(i % 10), `sku${i % 10}`, 1), () => service.reserveStock(`sku${i % 10}`, 1), () => service.savedCart(String(i % 10))][i % 3]!();
    }
  };

  async function run(source: string, filename: string) {
    const { createCartService: create } = loadModule<Module>(source, filename);
    const counts = { used: -1, pendingAcquires: -1 };
    const result = await exercise(
      create({ port: server.port, max: MAX, acquireTimeoutMillis: ACQUIRE_TIMEOUT_MS }),
      seed,
      call,
      ({ pool }) => Object.assign(counts, { used: pool.numUsed(), pendingAcquires: pool.numPendingAcquires() }),
    );
    return { ...result, ...counts };
  }

  it('the original leaks a connection per failed call until acquires time out', async () => {
    const result = await run(original, 'tarn-service.original.ts');
    expect(result.others).toEqual([]);
    const faults = result.tally.wrongtype + result.tally['not-integer'] + result.tally['corrupt-json'];
    expect(faults).toBe(MAX);
    expect(result.used).toBe(MAX);
    expect(result.pendingAcquires).toBe(0);
    expect(result.tally['acquire-timeout']).toBe(CALLS - result.tally.ok - MAX);
    expect(result.tally['acquire-timeout']).toBeGreaterThan(CALLS / 2);
    expect(result.clients.total).toBeLessThanOrEqual(MAX + 1);
    expect(result.opened).toBeLessThanOrEqual(MAX);
    expect(result.graceful).toBe(false);
    expect(result.clientsAfterClose).toBe(1);
  });

  it('release-in-finally: every call finishes and every connection comes back', async () => {
    const fixed = await runCodemod('release-in-finally', original, 'tarn-service.ts');
    expect(fixed).toMatch(/finally\s*\{/);
    const result = await run(fixed, 'tarn-service.release-in-finally.ts');
    expect(result.others).toEqual([]);
    expect(result.tally).toEqual({ ok: CALLS - FAULTS, ...expectedFaults, 'acquire-timeout': 0, other: 0 });
    expect(result.used).toBe(0);
    expect(result.pendingAcquires).toBe(0);
    expect(result.clients.samples).toBeGreaterThan(0);
    expect(result.clients.total).toBeGreaterThanOrEqual(2);
    expect(result.clients.total).toBeLessThanOrEqual(MAX + 1);
    expect(result.opened).toBeLessThanOrEqual(MAX);
    expect(result.graceful).toBe(true);
    expect(result.clientsAfterClose).toBe(1);
  });
});
