/**
 * The built `redis-lint codemod` on rewrites that span files and on findings with no plan:
 * dedicated-blocking-client on a getter imported through an index module edits the importer,
 * the module that owns the client and the index together (a dry run shows all three diffs and
 * writes nothing; a dirty module outside the given paths makes it leave all three alone; a clean
 * tree gets all three written), and release-in-finally says which findings of its rule it has no
 * rewrite for. `npm run build` must have run first.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './helpers';

const GETTER = path.join(__dirname, '..', 'codemods', '__testfixtures__', 'dedicated-blocking-client', 'cross-file', 'getter');
const MODULES = ['redis.ts', 'index.ts'];

const LIFETIMES = `import Redis from 'ioredis';

let client: Redis | undefined;

export function getRedis(url: string): Redis {
  client = new Redis(url, { commandTimeout: 2000 });
  return client;
}
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  if (!fs.existsSync(BIN)) throw new Error('dist/ is missing: run `npm run build` first');
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

/** A committed repository: the getter fixture's modules in lib/, its importer in services/. */
function repository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-multi-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.mkdirSync(path.join(dir, 'services'));
  for (const file of MODULES) fs.copyFileSync(path.join(GETTER, 'input', file), path.join(dir, 'lib', file));
  fs.writeFileSync(path.join(dir, 'services', 'worker.ts'), fs.readFileSync(path.join(GETTER, 'input', 'worker.ts'), 'utf8').replace("from './index'", "from '../lib/index'"));
  fs.writeFileSync(path.join(dir, 'lib', 'cache.ts'), LIFETIMES);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'initial');
  return dir;
}

const expected = (file: string) => fs.readFileSync(path.join(GETTER, 'output', file), 'utf8');
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('redis-lint codemod: a rewrite that edits other files', () => {
  it('--dry shows the diff of every file the rewrite edits and writes none', async () => {
    const dir = repository();
    const result = await runCli(['codemod', 'dedicated-blocking-client', 'services', '--dry'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.stderr).toContain('dedicated-blocking-client: 3 files would change, 2 sites to rewrite, 0 sites skipped (1 file scanned)');
    for (const file of ['services/worker.ts', 'lib/redis.ts', 'lib/index.ts']) expect(result.stdout).toContain(`+++ b/${file}`);
    expect(result.stdout).toContain('+export function getRedisBlocking(): Redis {');
    expect(result.stdout).toContain('+export { closeRedis, getRedis, getRedisBlocking } from');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(result.code).toBe(0);
  });

  it('leaves every file alone when a module it would edit has uncommitted changes, even outside the given paths', async () => {
    const dir = repository();
    fs.appendFileSync(path.join(dir, 'lib', 'redis.ts'), '// work in progress\n');
    const before = read(dir, 'lib/redis.ts');
    const result = await runCli(['codemod', 'dedicated-blocking-client', 'services'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.stdout).toContain('services/worker.ts  not rewritten: the rewrite also edits lib/redis.ts, which has uncommitted changes; commit or stash them, or pass --force');
    expect(read(dir, 'services/worker.ts')).toBe(fs.readFileSync(path.join(GETTER, 'input', 'worker.ts'), 'utf8').replace("from './index'", "from '../lib/index'"));
    expect(read(dir, 'lib/redis.ts')).toBe(before);
    expect(read(dir, 'lib/index.ts')).toBe(fs.readFileSync(path.join(GETTER, 'input', 'index.ts'), 'utf8'));
    expect(result.code).toBe(1);
  });

  it('writes every file the rewrite edits, and a second run changes nothing', async () => {
    const dir = repository();
    const result = await runCli(['codemod', 'dedicated-blocking-client', 'services'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.stdout).toContain('dedicated-blocking-client: 3 files changed, 2 sites rewritten, 0 sites skipped (1 file scanned)');
    expect(read(dir, 'services/worker.ts')).toBe(expected('worker.ts').replace("from './index'", "from '../lib/index'"));
    for (const file of MODULES) expect(read(dir, `lib/${file}`), file).toBe(expected(file));
    expect(result.code).toBe(0);
    git(dir, 'commit', '-qam', 'rewritten');
    const again = await runCli(['codemod', 'dedicated-blocking-client', '.'], { cwd: dir, timeoutMs: 60_000 });
    expect(again.stdout).toContain('dedicated-blocking-client: 0 files changed, 0 sites rewritten, 0 sites skipped');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('redis-lint codemod: findings with no rewrite planned', () => {
  it('are listed with file:line and counted in the summary and in --json', async () => {
    const dir = repository();
    const text = await runCli(['codemod', 'release-in-finally', 'lib/cache.ts', '--dry'], { cwd: dir, timeoutMs: 60_000 });
    expect(text.stderr).toBe(
      'release-in-finally: 0 files would change, 0 sites to rewrite, 0 sites skipped, 1 finding with no rewrite planned (1 file scanned)\n' +
        'Found, no rewrite planned:\n' +
        '  lib/cache.ts:6:3  `getRedis` makes a new ioredis client in `client` on every call without closing the one it holds: each call leaves a connection open. Make it once (`if (!client)`) or close the previous one first.\n',
    );
    const json = await runCli(['codemod', 'release-in-finally', 'lib/cache.ts', '--json'], { cwd: dir, timeoutMs: 60_000 });
    expect((JSON.parse(json.stdout) as { findingsUnplanned: unknown[] }).findingsUnplanned).toEqual([
      {
        file: 'lib/cache.ts',
        line: 6,
        column: 3,
        reason: 'found, no rewrite planned: `getRedis` makes a new ioredis client in `client` on every call without closing the one it holds: each call leaves a connection open. Make it once (`if (!client)`) or close the previous one first.',
      },
    ]);
  });
});
