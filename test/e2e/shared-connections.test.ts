/**
 * Proof against a real Redis for the codemods that change which connections a module holds:
 * - `dedicated-blocking-client`: a BLPOP on the client that also serves the cache holds every GET
 *   behind it; after the rewrite the GET answers at once, the duplicate serves the BLPOP, and the
 *   module's shutdown closes both (the duplicate's `quit()` is repeated where the client's is).
 * - `shared-client`: a connection opened and closed per call becomes one module-level client
 *   (one, though its two functions had different listeners), closed by the module's shutdown.
 * After each scenario and its shutdown, CLIENT LIST shows no connection left from the process.
 */
import * as path from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dedicatedBlockingClient from '../../codemods/dedicated-blocking-client';
import sharedClient from '../../codemods/shared-client';
import { runCodemod } from '../codemods/harness';
import { connectionsReceived, fixturesDir, loadModule, readFixture, waitForClients } from './harness';
import { startRedisServer, type RedisServer } from './redis-server';

let server: RedisServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  process.env.E2E_REDIS_PORT = String(server.port);
  admin = new Redis({ host: server.host, port: server.port, connectionName: 'e2e-admin' });
  await admin.ping();
});

afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

/** Connections the server lists under a name, by name (the test's own admin connection left out). */
async function named(prefix: string): Promise<Record<string, number>> {
  const lines = ((await admin.client('LIST')) as string).split('\n').filter((line) => line.trim() !== '');
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const name = /(?:^|\s)name=(\S*)/.exec(line)?.[1] ?? '';
    if (name.startsWith(prefix) && name !== 'e2e-admin') counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('dedicated-blocking-client', () => {
  type Service = {
    nextJob(): Promise<string | null>;
    enqueue(job: string): Promise<number>;
    cached(key: string): Promise<string | null>;
    shutdown(): Promise<void>;
  };
  const original = readFixture('blocking-queue-service.ts');
  const rewritten = runCodemod(dedicatedBlockingClient, path.join(fixturesDir, 'blocking-queue-service.ts'), original);

  it('rewrites the module, closing the duplicate where the client is closed', () => {
    expect(rewritten.reports).toEqual(['R 10:24 BLPOP now runs on `redisBlocking`, a dedicated duplicate of `redis`']);
    expect(rewritten.output).toContain('export const redisBlocking = redis.duplicate({ commandTimeout: 5000 });');
    expect(rewritten.output).toContain('  await redis.quit();\n  await redisBlocking.quit();\n');
  });

  async function scenario(source: string, filename: string) {
    expect(await waitForClients(admin, 1, 2_000), 'only the admin connection before the run').toBe(1);
    await admin.flushall();
    await admin.set('cache:a', 'cached value');
    const service = loadModule<Service>(source, filename);
    // The connection is up before the blocking read starts.
    expect(await service.cached('cache:a')).toBe('cached value');
    const waiting = service.nextJob(); // the queue is empty: BLPOP waits its full second
    await new Promise((resolve) => setTimeout(resolve, 50));
    const read = await timed(service.cached('cache:a'));
    const during = await named('e2e-queue-service');
    expect(await waiting).toBeNull();
    await service.enqueue('job-1');
    expect(await service.nextJob()).toBe('job-1');
    await service.shutdown();
    const left = await waitForClients(admin, 1, 2_000);
    return { readMs: read.ms, value: read.value, during, left, named: await named('e2e-'), service };
  }

  it('the original holds a GET behind the BLPOP for the whole wait', async () => {
    const result = await scenario(original, 'blocking-queue-service.original.ts');
    expect(result.value).toBe('cached value');
    expect(result.readMs).toBeGreaterThan(700);
    expect(result.during).toEqual({ 'e2e-queue-service': 1 });
    expect(result.left).toBe(1);
    expect(result.named).toEqual({});
  });

  it('the rewrite answers the GET at once, and its shutdown leaves no connection open', async () => {
    const result = await scenario(rewritten.output, 'blocking-queue-service.rewritten.ts');
    expect(result.value).toBe('cached value');
    expect(result.readMs).toBeLessThan(300);
    expect(result.during).toEqual({ 'e2e-queue-service': 2 });
    expect(result.left).toBe(1);
    expect(result.named).toEqual({});
  });

  it('without the repeated quit the duplicate would stay open (what this test would catch)', async () => {
    const unclosed = rewritten.output.replace('  await redisBlocking.quit();\n', '');
    const result = await scenario(unclosed, 'blocking-queue-service.unclosed.ts');
    expect(result.named).toEqual({ 'e2e-queue-service': 1 });
    (result.service as Service & { redisBlocking: Redis }).redisBlocking.disconnect();
    expect(await waitForClients(admin, 1, 2_000)).toBe(1);
  });
});

describe('shared-client', () => {
  type Service = {
    session(id: string): Promise<string | null>;
    readProfile(id: string): Promise<string | null>;
    touchProfile(id: string): Promise<number>;
    shutdown(): Promise<void>;
  };
  const CALLS = 60;
  const original = readFixture('per-call-profile-service.ts');
  const rewritten = runCodemod(sharedClient, path.join(fixturesDir, 'per-call-profile-service.ts'), original);

  it('rewrites both functions onto one module-level client, closed by the module shutdown', () => {
    expect(rewritten.reports).toEqual([
      'R 14:3 the client is made once at module level as `client` and reused',
      'R 25:3 reuses the module-level `client` made for an identical client',
    ]);
    expect(rewritten.output.match(/= createClient\(/g)).toHaveLength(2);
    expect(rewritten.output).toContain('  if (client.isOpen) await client.close();\n');
  });

  async function scenario(source: string, filename: string) {
    expect(await waitForClients(admin, 1, 2_000), 'only the admin connection before the run').toBe(1);
    await admin.flushall();
    for (let i = 0; i < 10; i++) await admin.set(`profile:${i}`, `user ${i}`);
    await admin.set('session:s', 'alive');
    const service = loadModule<Service>(source, filename);
    const before = await connectionsReceived(admin);
    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, i) => (i % 3 === 0 ? service.touchProfile(String(i % 10)) : i % 3 === 1 ? service.readProfile(String(i % 10)) : service.session('s'))),
    );
    const during = await named('e2e-');
    const opened = (await connectionsReceived(admin)) - before;
    await service.shutdown();
    const left = await waitForClients(admin, 1, 2_000);
    return { results, during, opened, left, named: await named('e2e-') };
  }

  const expected = Array.from({ length: CALLS }, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? `user ${i % 10}` : 'alive'));

  it('the original opens a connection per call', async () => {
    const result = await scenario(original, 'per-call-profile-service.original.ts');
    expect(result.results).toEqual(expected);
    expect(result.opened).toBeGreaterThanOrEqual((CALLS * 2) / 3);
    expect(result.left).toBe(1);
    expect(result.named).toEqual({});
  });

  it('the rewrite serves every call on one shared connection, and its shutdown leaves none open', async () => {
    const result = await scenario(rewritten.output, 'per-call-profile-service.rewritten.ts');
    expect(result.results).toEqual(expected);
    expect(result.opened).toBe(2);
    expect(result.during).toEqual({ 'e2e-profiles': 1, 'e2e-sessions': 1 });
    expect(result.left).toBe(1);
    expect(result.named).toEqual({});
  });
});
