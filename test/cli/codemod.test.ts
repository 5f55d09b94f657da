/**
 * `redis-lint codemod`, run in-process: rewriting, --dry (a unified diff that `git apply`
 * accepts, nothing written), --json, --print, the dirty-tree refusal, codemod flags, and
 * usage errors (one line, exit 2).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { API } from 'jscodeshift';
import jscodeshift from 'jscodeshift';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codemodByName, transformPath } from '../../codemods';
import { importTransform } from '../../src/transform/runner';
import { run } from '../../src/cli/codemod-command';
import { UsageError, type CommandIO } from '../../src/cli/usage-error';
import { unifiedDiff } from '../../src/transform/diff';

const LEAKY = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function get(key: string): Promise<string | null> {
  const conn = await pool.acquire();
  const value = await conn.get(key);
  await pool.release(conn);
  return value;
}
`;

// What the transform itself makes of LEAKY: these tests are about the command (what it writes,
// prints and reports), the transform's own output is tested by its fixtures.
let FIXED = '';
beforeAll(async () => {
  FIXED = await transformed('release-in-finally', 'get.ts', LEAKY);
  expect(FIXED).toContain('finally');
});

async function transformed(name: string, fileName: string, source: string): Promise<string> {
  const transform = await importTransform(transformPath(codemodByName(name)!));
  const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: () => {} } as unknown as API;
  const output = transform({ path: path.join(os.tmpdir(), fileName), source }, api, {});
  return typeof output === 'string' ? output : source;
}

const SKIPPED = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function aliased(key: string): Promise<void> {
  const conn = await pool.acquire();
  const same = conn;
  await same.del(key);
  await pool.release(same);
}
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-codemod-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

function committed(files: Record<string, string>): string {
  const dir = project(files);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'start');
  return dir;
}

/** Runs the command as `redis-lint codemod …` does (main turns a UsageError into one line and exit 2). */
async function codemod(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const io: CommandIO = { stdout, stderr, cwd, interactive: false };
  let code: number;
  try {
    code = await run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`redis-lint: ${error.message}\n`);
    code = 2;
  }
  return { code, stdout: out, stderr: err };
}

describe('redis-lint codemod', () => {
  it('rewrites files in place and ends with a summary', async () => {
    const dir = project({ 'src/get.ts': LEAKY, 'src/skip.ts': SKIPPED, 'src/plain.ts': 'export const answer = 42;\n' });
    const result = await codemod(['release-in-finally', 'src'], dir);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/get.ts'), 'utf8')).toBe(FIXED);
    expect(fs.readFileSync(path.join(dir, 'src/skip.ts'), 'utf8')).toBe(SKIPPED);
    expect(result.stdout).toBe(
      'release-in-finally: 1 file changed, 1 site rewritten, 1 site skipped (3 files scanned)\n' +
        'Skipped:\n' +
        '  src/skip.ts:7:3  it is copied to another variable at line 8; release it through one name\n',
    );
    // Written atomically: no temporary file is left beside it.
    expect(fs.readdirSync(path.join(dir, 'src')).sort()).toEqual(['get.ts', 'plain.ts', 'skip.ts']);
  });

  it('--dry writes nothing and prints a unified diff that git apply accepts', async () => {
    const dir = committed({ 'src/get.ts': LEAKY });
    fs.writeFileSync(path.join(dir, 'src/get.ts'), LEAKY);
    const result = await codemod(['release-in-finally', '--dry'], dir);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/get.ts'), 'utf8')).toBe(LEAKY);
    expect(result.stdout).toBe(unifiedDiff(LEAKY, FIXED, 'src/get.ts'));
    expect(result.stdout).toMatch(/^--- a\/src\/get\.ts\n\+\+\+ b\/src\/get\.ts\n@@ /);
    expect(result.stderr).toContain('1 file would change, 1 site to rewrite');
    fs.writeFileSync(path.join(dir, 'change.patch'), result.stdout);
    git(dir, 'apply', 'change.patch');
    expect(fs.readFileSync(path.join(dir, 'src/get.ts'), 'utf8')).toBe(FIXED);
  });

  it('--json prints a machine-readable summary', async () => {
    const dir = project({ 'a.ts': LEAKY, 'b.ts': SKIPPED, 'broken.ts': 'const = ;\nimport { createPool } from "generic-pool";\n' });
    const result = await codemod(['release-in-finally', '.', '--json', '--dry'], dir);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      codemod: 'release-in-finally',
      dry: true,
      filesScanned: 3,
      filesChanged: ['a.ts'],
      sitesRewritten: [{ file: 'a.ts', line: 7, column: 3, reason: 'released in finally' }],
      sitesSkipped: [{ file: 'b.ts', line: 7, column: 3, reason: 'it is copied to another variable at line 8; release it through one name' }],
    });
    expect(summary.failures).toEqual([{ file: 'broken.ts', message: expect.stringMatching(/^could not parse: /) }]);
    expect(Object.keys(summary.diffs as object)).toEqual(['a.ts']);
    expect(result.stderr).toBe('');
  });

  it('--print prints the new text of changed files and writes nothing (a preview)', async () => {
    const dir = committed({ 'a.ts': LEAKY, 'b.ts': LEAKY.replace('get(key', 'read(key') });
    // A preview needs no clean tree either.
    fs.appendFileSync(path.join(dir, 'a.ts'), '');
    fs.writeFileSync(path.join(dir, 'new.ts'), 'export {};\n');
    const result = await codemod(['release-in-finally', '--print'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`==> a.ts <==\n${FIXED}==> b.ts <==\n${FIXED.replace('get(key', 'read(key')}`);
    expect(result.stderr).toContain('2 files would change');
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(LEAKY);
    expect(fs.readFileSync(path.join(dir, 'b.ts'), 'utf8')).toBe(LEAKY.replace('get(key', 'read(key'));
  });

  it('goes on past a file that does not parse, and fails the run', async () => {
    const dir = project({ 'bad.ts': 'import { createPool } from "generic-pool";\nconst x = ;\n', 'good.ts': LEAKY });
    const result = await codemod(['release-in-finally'], dir);
    expect(result.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'good.ts'), 'utf8')).toBe(FIXED);
    expect(result.stdout).toMatch(/Failed:\n {2}bad\.ts {2}could not parse: .*\(2:\d+\)/);
  });

  it('skips node_modules and .gitignore\'d files', async () => {
    const dir = project({ 'node_modules/lib/index.ts': LEAKY, 'generated/out.ts': LEAKY, '.gitignore': 'generated/\n', 'src/a.ts': LEAKY });
    const result = await codemod(['release-in-finally', '--json'], dir);
    expect(JSON.parse(result.stdout)).toMatchObject({ filesScanned: 1, filesChanged: ['src/a.ts'] });
    expect(fs.readFileSync(path.join(dir, 'node_modules/lib/index.ts'), 'utf8')).toBe(LEAKY);
    expect(fs.readFileSync(path.join(dir, 'generated/out.ts'), 'utf8')).toBe(LEAKY);
  });

  describe('a git working tree with uncommitted changes', () => {
    it('is refused with one line unless --force', async () => {
      const dir = committed({ 'src/a.ts': LEAKY, 'other/b.ts': 'export {};\n' });
      fs.appendFileSync(path.join(dir, 'src/a.ts'), '// edited\n');
      const refused = await codemod(['release-in-finally', 'src'], dir);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(
        'redis-lint: refusing to rewrite a git working tree with uncommitted changes (src/a.ts); commit or stash them, or pass --force\n',
      );
      expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(`${LEAKY}// edited\n`);
      const forced = await codemod(['release-in-finally', 'src', '--force'], dir);
      expect(forced.code).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(`${FIXED}// edited\n`);
    });

    it('counts untracked files, and only under the paths given', async () => {
      const dir = committed({ 'src/a.ts': FIXED, 'other/b.ts': 'export {};\n' });
      fs.writeFileSync(path.join(dir, 'other/new.ts'), 'export {};\n');
      expect((await codemod(['release-in-finally', 'src'], dir)).code).toBe(0);
      fs.writeFileSync(path.join(dir, 'src/new.ts'), 'export {};\n');
      const refused = await codemod(['release-in-finally', 'src'], dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('(src/new.ts)');
    });

    it('does not stop --dry', async () => {
      const dir = committed({ 'a.ts': LEAKY });
      fs.appendFileSync(path.join(dir, 'a.ts'), '\n');
      expect((await codemod(['release-in-finally', '--dry'], dir)).code).toBe(0);
    });
  });

  it('runs outside a git repository without asking', async () => {
    const dir = project({ 'a.ts': LEAKY });
    expect((await codemod(['release-in-finally'], dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(FIXED);
  });

  it('passes a codemod flag to the transform (--node-redis-major)', async () => {
    const source = `import { createClient } from 'redis';

export async function ping(url: string): Promise<string> {
  const client = await createClient({ url }).connect();
  return client.ping();
}
`;
    const dir = project({ 'a.ts': source });
    // No node_modules here: the major can't be detected; the flag decides the release method.
    await codemod(['release-in-finally', '--node-redis-major', '4'], dir);
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toContain('await client.quit();');
    fs.writeFileSync(path.join(dir, 'a.ts'), source);
    await codemod(['release-in-finally', '--node-redis-major=5'], dir);
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toContain('await client.close();');
  });

  it('--list describes each codemod and its flags', async () => {
    const result = await codemod(['--list'], process.cwd());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^release-in-finally\n {4}Gives every pool loan/);
    expect(result.stdout).toContain('\nmanaged-lifecycle\n');
    expect(result.stdout).toContain('    --node-redis-major <major>\n');
  });

  it('<name> --help shows the usage and that codemod\'s own flags', async () => {
    const result = await codemod(['add-timeouts', '--help'], process.cwd());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: redis-lint codemod <name>/);
    expect(result.stdout).toContain('\nadd-timeouts\n    Adds the bounds');
    for (const flag of ['--command-timeout <ms>', '--acquire-timeout <ms>', '--node-redis-major <major>']) expect(result.stdout).toContain(`    ${flag}\n`);
    expect(result.stdout).toContain('(one of 0, 1, 2, 3, 4, 5, 6)');
    expect(result.stdout).not.toContain('release-in-finally');
    const plain = await codemod(['managed-lifecycle', '-h'], process.cwd());
    expect(plain.stdout).toContain('\nmanaged-lifecycle\n');
    expect(plain.stdout).toContain('(no flags of its own)');
  });

  describe('usage errors: one line, exit 2', () => {
    it.each([
      [['no-such-codemod', '.'], 'redis-lint: unknown codemod "no-such-codemod"; run redis-lint codemod --list\n'],
      [[], 'redis-lint: which codemod? run redis-lint codemod --list\n'],
      [['release-in-finally', 'missing-dir'], 'redis-lint: No such file or directory: missing-dir\n'],
      [['release-in-finally', '--bogus'], 'redis-lint: unknown option --bogus for codemod release-in-finally; run redis-lint codemod --list\n'],
      [['managed-lifecycle', '--node-redis-major', '4'], 'redis-lint: unknown option --node-redis-major for codemod managed-lifecycle; run redis-lint codemod --list\n'],
      [['release-in-finally', '--node-redis-major', 'four'], 'redis-lint: --node-redis-major needs a number, not "four"\n'],
      [['release-in-finally', '--workers', '-1'], 'redis-lint: --workers needs a whole number of 0 or more, not "-1"\n'],
      [['release-in-finally', '--workers', '1e1'], 'redis-lint: --workers needs a whole number of 0 or more, not "1e1"\n'],
      [['add-timeouts', '--command-timeout', '-5'], 'redis-lint: --command-timeout needs a number of 1 or more, not "-5"\n'],
      [['add-timeouts', '--command-timeout', '0'], 'redis-lint: --command-timeout needs a number of 1 or more, not "0"\n'],
      [['add-timeouts', '--command-timeout=2.5'], 'redis-lint: --command-timeout needs a whole number, not "2.5"\n'],
      [['add-timeouts', '--acquire-timeout', 'soon'], 'redis-lint: --acquire-timeout needs a number, not "soon"\n'],
      [['add-timeouts', '--node-redis-major', '9'], 'redis-lint: --node-redis-major 9 is not a major redis-lint knows; use one of 0, 1, 2, 3, 4, 5, 6\n'],
      [['release-in-finally', '--node-redis-major', '4.5'], 'redis-lint: --node-redis-major 4.5 is not a major redis-lint knows; use one of 0, 1, 2, 3, 4, 5, 6\n'],
    ])('%j', async (args, message) => {
      const dir = project({ 'a.ts': LEAKY });
      const result = await codemod(args, dir);
      expect(result).toEqual({ code: 2, stdout: '', stderr: message });
      expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(LEAKY);
    });
  });
});
