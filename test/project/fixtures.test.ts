/**
 * The report on projects on disk, loaded from their tsconfig.json (or from their files) with the
 * real libraries' types in node_modules: clients shared across files through re-exports, an
 * alias, a default export, a DI-style accessor and factory, a class holding a client, and a pool
 * made in one file and used in another.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectFiles } from '../../src/cli/files';
import { loadProject, ProjectLoadError } from '../../src/project/load';
import { takeInventory } from '../../src/project/inventory';
import { buildReport, type ReportJson } from '../../src/project/report';
import { blockingSites, commandSites, connectionNamed } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const listFiles = (directory: string) => collectFiles([directory], directory);

function report(target: string, budget = { replicas: 1, maxClients: 10000 }): ReportJson {
  const loaded = loadProject(target, { cwd: FIXTURES, listFiles });
  return buildReport(takeInventory(loaded.files), loaded, budget);
}

function installedMajor(name: string): number {
  const manifest = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
  return Number(manifest.version.split('.')[0]);
}

describe('the app fixture (tsconfig.json, TypeScript)', () => {
  const app = report('app', { replicas: 3, maxClients: 10000 });

  it('lists every connection once, with where it is made and how many connections it opens', () => {
    expect(app.config).toBe('tsconfig.json');
    expect(app.files).toBe(10);
    expect(app.connections.map((c) => `${c.id} ${c.name ?? '-'} ${c.library} ${c.kind} ${c.perProcess}`)).toEqual([
      'src/lib/cluster.ts:3:24 cluster ioredis cluster 1',
      'src/lib/container.ts:11:29 via src/lib/container.ts:22:25 sessions.client node-redis client 1',
      'src/lib/redis.ts:7:22 redis ioredis client 1',
      'src/lib/redis.ts:11:18 via src/pool.ts:8:25 - ioredis client 0',
      'src/lib/redis.ts:11:18 via src/workers/email.ts:4:21 queueClient ioredis client 1',
      'src/pool.ts:6:21 pool generic-pool pool 10',
    ]);
    expect(app.connections.find((c) => c.memberOf !== null)!.memberOf).toBe('src/pool.ts:6:21');
  });

  it('follows the app-wide client through re-exports, an alias, a default export and a DI accessor', () => {
    const redis = connectionNamed(app, 'redis');
    expect(blockingSites(redis)).toEqual(['src/workers/email.ts:8 BRPOP']);
    expect(redis.blockingUses[0]!.timeoutMs).toBe(0);
    expect(commandSites(redis)).toEqual(['src/api/routes.ts:4 GET', 'src/workers/email.ts:16 INCR']);
    expect(redis.shared).toBe(true);
  });

  it('tells the dedicated client made by the factory from the shared one', () => {
    const queueClient = connectionNamed(app, 'queueClient');
    expect(blockingSites(queueClient)).toEqual(['src/workers/email.ts:12 BLPOP']);
    expect(commandSites(queueClient)).toEqual([]);
    expect(queueClient.shared).toBe(false);
    expect(queueClient.timeouts.connectTimeout).toMatchObject({ state: 'bounded', ms: 500, source: 'explicit' });
  });

  it('puts the pool’s loans, made in another file, on the pool', () => {
    const pool = connectionNamed(app, 'pool');
    expect(pool.pool).toEqual({ min: 2, max: 10 });
    expect(pool.timeouts.acquireTimeoutMillis).toMatchObject({ state: 'bounded', ms: 5000, source: 'explicit' });
    expect(blockingSites(pool)).toEqual(['src/jobs/report.ts:6 BRPOPLPUSH']);
    expect(commandSites(pool)).toEqual(['src/jobs/report.ts:13 LLEN']);
    expect(pool.shared).toBe(true);
  });

  it('fills in defaults for the installed majors', () => {
    const redis = connectionNamed(app, 'redis');
    expect(redis.major).toBe(installedMajor('ioredis'));
    expect(redis.timeouts).toMatchObject({
      connectTimeout: { state: 'bounded', ms: 2000, source: 'explicit' },
      commandTimeout: { state: 'bounded', ms: 1000, source: 'explicit' },
      socketTimeout: { state: 'unbounded', source: 'default' },
    });
    const sessions = connectionNamed(app, 'sessions.client');
    expect(sessions.major).toBe(installedMajor('redis'));
    expect(sessions.timeouts['socket.connectTimeout']).toMatchObject({ ms: 1500, source: 'explicit' });
    expect(connectionNamed(app, 'cluster').timeouts.connectTimeout).toMatchObject({ ms: 3000, source: 'explicit' });
  });

  it('reports the shared connections used for blocking work', () => {
    expect(app.findings.map((f) => `${f.rule} ${f.connection} ${f.crossFile}`)).toEqual([
      'shared-blocking src/lib/container.ts:11:29 via src/lib/container.ts:22:25 false',
      'shared-blocking src/lib/redis.ts:7:22 true',
      'shared-blocking src/pool.ts:6:21 true',
    ]);
    expect(app.findings[1]!.message).toBe(
      '`redis` (ioredis client, src/lib/redis.ts:7:22) runs BRPOP at src/workers/email.ts:8 and also serves GET at ' +
        'src/api/routes.ts:4 (and 1 more): every command queued behind it waits until it returns; give blocking work ' +
        'its own connection (`redis.duplicate()`).',
    );
  });

  it('lists a blocking command on a connection known only by its type', () => {
    expect(app.unattributedBlockingUses).toEqual([
      { file: 'src/typed.ts', line: 5, column: 17, command: 'BLPOP', method: 'blpop', timeoutMs: 1000, takeover: false, library: 'ioredis' },
    ]);
  });

  it('computes the budget: 14 per process × 3 replicas', () => {
    expect(app.budget).toEqual({
      perProcess: 14,
      replicas: 3,
      total: 42,
      maxClients: 10000,
      headroom: 9958,
      exceeded: false,
      complete: true,
      unknown: [],
      unbounded: [],
      byKind: { client: 3, duplicate: 0, cluster: 1, sentinel: 0, pool: 10, queue: 0 },
    });
  });
});

describe('a JavaScript project without a tsconfig', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-report-'));
    dirs.push(dir);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  it('reads the JavaScript files with allowJs and skips node_modules, dist and tests', () => {
    const dir = project({
      'src/redis.js': `const { createClient } = require('redis');
const client = createClient({ url: process.env.REDIS_URL });
const blocking = client.duplicate();
module.exports = { client, blocking };
`,
      'src/worker.mjs': `import redis from './redis.js';
export async function loop() {
  const job = await redis.blocking.blPop('jobs', 0);
  await redis.client.set('last', String(job));
}
`,
      'dist/bundle.js': `const Redis = require('ioredis'); module.exports = new Redis();`,
      'src/redis.test.js': `const Redis = require('ioredis'); new Redis().blpop('q', 0);`,
      'src/__mocks__/redis.js': `const Redis = require('ioredis'); module.exports = new Redis();`,
      'node_modules/dep/index.js': `const Redis = require('ioredis'); module.exports = new Redis();`,
    });
    const loaded = loadProject(dir, { cwd: os.tmpdir(), listFiles });
    expect(loaded.mode).toBe('files');
    expect(loaded.files.map((file) => path.relative(dir, file)).sort()).toEqual(['src/redis.js', 'src/worker.mjs']);
    const result = buildReport(takeInventory(loaded.files), loaded);
    expect(result.connections.map((c) => `${c.id} ${c.name} ${c.kind}`)).toEqual([
      'src/redis.js:2:16 client client',
      'src/redis.js:3:18 blocking duplicate',
    ]);
    expect(commandSites(connectionNamed(result, 'client'))).toEqual(['src/worker.mjs:4 SET']);
    expect(blockingSites(connectionNamed(result, 'blocking'))).toEqual(['src/worker.mjs:3 BLPOP']);
    expect(result.findings).toEqual([]);
    expect(result.budget.perProcess).toBe(2);

    const withTests = loadProject(dir, { cwd: os.tmpdir(), listFiles, includeTests: true });
    expect(withTests.files.map((file) => path.relative(dir, file)).sort()).toEqual([
      'src/__mocks__/redis.js',
      'src/redis.js',
      'src/redis.test.js',
      'src/worker.mjs',
    ]);
  });

  it('loads the files of a solution-style tsconfig’s references', () => {
    const dir = project({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/api' }] }),
      'packages/api/tsconfig.json': JSON.stringify({ compilerOptions: { composite: true, module: 'preserve', moduleResolution: 'bundler' }, include: ['src'] }),
      'packages/api/src/index.ts': `import Redis from 'ioredis';\nexport const redis = new Redis();\n`,
    });
    const result = report(dir);
    expect(result.connections.map((c) => c.id)).toEqual(['packages/api/src/index.ts:2:22']);
  });

  it('refuses a broken or missing tsconfig with one line', () => {
    const broken = project({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, } ' });
    expect(() => loadProject(broken, { cwd: broken, listFiles })).toThrow(ProjectLoadError);
    expect(() => loadProject(broken, { cwd: broken, listFiles })).toThrow(/^Cannot read tsconfig\.json: /);
    const badExtends = project({ 'tsconfig.json': JSON.stringify({ extends: './missing.json' }) });
    expect(() => loadProject(badExtends, { cwd: badExtends, listFiles })).toThrow(/^Invalid tsconfig\.json: .*missing\.json/);
    expect(() => loadProject('app', { cwd: FIXTURES, tsconfig: 'app/nope.json', listFiles })).toThrow('tsconfig not found: app/nope.json');
    expect(() => loadProject('does-not-exist', { cwd: FIXTURES, listFiles })).toThrow('No such file or directory: does-not-exist');
    expect(() => loadProject('app/src/pool.ts', { cwd: FIXTURES, listFiles })).toThrow(/not a source file/);
  });
});
