/**
 * The compiled codemods (`npm run build` must have run): usable by the jscodeshift CLI as the
 * docs say (`npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/<name>.js src/`),
 * and `redis-lint codemod` from dist, in-process and on worker threads, with the same result.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const FIXTURES = path.join(__dirname, '__testfixtures__');
const SOURCES = [
  ...['diff', 'loan-codemods', 'no-babel-register', 'plan-codemod', 'report', 'runner', 'worker'].map(
    (name) => `src/transform/${name}.ts`,
  ),
  'codemods/index.ts',
  'codemods/release-in-finally.ts',
  'codemods/managed-lifecycle.ts',
  'src/cli/codemod-command.ts',
];

function assertBuilt(): void {
  for (const source of SOURCES) {
    const built = path.join(DIST, source.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(built)) throw new Error(`${path.relative(ROOT, built)} is missing: run \`npm run build\` first`);
    if (fs.statSync(built).mtimeMs < fs.statSync(path.join(ROOT, source)).mtimeMs) throw new Error(`dist/ is older than ${source}: run \`npm run build\` first`);
  }
}

function exec(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let work: string;

beforeAll(() => {
  assertBuilt();
  // A project that has the plugin installed: node_modules/eslint-plugin-redis is this repository.
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-codemod-dist-'));
  fs.mkdirSync(path.join(work, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(work, 'node_modules', entry));
  }
  fs.symlinkSync(ROOT, path.join(work, 'node_modules', 'eslint-plugin-redis'));
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function copyCase(codemod: string, name: string, into: string, as: string): void {
  const input = fs.readdirSync(path.join(FIXTURES, codemod)).find((file) => file.startsWith(`${name}.input.`))!;
  fs.mkdirSync(path.dirname(path.join(into, as)), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, codemod, input), path.join(into, as));
}

function expected(codemod: string, name: string): string {
  const output = fs.readdirSync(path.join(FIXTURES, codemod)).find((file) => file.startsWith(`${name}.output.`))!;
  return fs.readFileSync(path.join(FIXTURES, codemod, output), 'utf8');
}

describe('dist/codemods under the jscodeshift CLI', () => {
  it.each(['release-in-finally', 'managed-lifecycle'])('%s', async (codemod) => {
    const project = fs.mkdtempSync(path.join(work, 'jscodeshift-'));
    copyCase(codemod, 'commonjs', project, 'src/store.js');
    copyCase(codemod, codemod === 'release-in-finally' ? 'happy-path-release' : 'returns', project, 'src/orders.ts');
    copyCase(codemod, 'skipped', project, 'src/skipped.ts');
    // As the docs say, from the project root: npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/<name>.js src/
    fs.symlinkSync(path.join(work, 'node_modules'), path.join(project, 'node_modules'));
    const inProject = await exec(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js'), '-t', `node_modules/eslint-plugin-redis/dist/codemods/${codemod}.js`, '--extensions=js,ts', 'src/'],
      project,
    );
    expect(inProject.code).toBe(0);
    expect(inProject.stdout).toContain('0 errors');
    expect(fs.readFileSync(path.join(project, 'src/store.js'), 'utf8')).toBe(expected(codemod, 'commonjs'));
    expect(fs.readFileSync(path.join(project, 'src/orders.ts'), 'utf8')).toBe(expected(codemod, codemod === 'release-in-finally' ? 'happy-path-release' : 'returns'));
    // Skipped sites come out through jscodeshift's reporter.
    expect(inProject.stdout).toMatch(/REP src\/skipped\.ts \d+:\d+ skipped: /);
  });
});

describe('redis-lint codemod from dist', () => {
  const BIN = () => path.join(DIST, 'src', 'cli', 'bin.js');

  it('gives the same result on worker threads as in-process, for a repository above the worker threshold', async () => {
    const cases = ['happy-path-release', 'early-returns', 'loop-per-iteration', 'never-released', 'skipped', 'already-correct'];
    const make = (name: string) => {
      const project = fs.mkdtempSync(path.join(work, `${name}-`));
      for (let i = 0; i < 210; i++) copyCase('release-in-finally', cases[i % cases.length]!, project, `src/m${i}/${cases[i % cases.length]}.ts`);
      return project;
    };
    const threaded = make('threads');
    const single = make('single');
    const onThreads = await exec(process.execPath, [BIN(), 'codemod', 'release-in-finally', 'src', '--json'], threaded);
    const inProcess = await exec(process.execPath, [BIN(), 'codemod', 'release-in-finally', 'src', '--json', '--workers', '0'], single);
    expect(onThreads.stderr).toBe('');
    expect(onThreads.code).toBe(0);
    expect(JSON.parse(onThreads.stdout)).toEqual(JSON.parse(inProcess.stdout));
    const summary = JSON.parse(onThreads.stdout) as { filesScanned: number; filesChanged: string[]; sitesSkipped: unknown[] };
    expect(summary.filesScanned).toBe(210);
    expect(summary.filesChanged).toHaveLength(140);
    for (let i = 0; i < 210; i++) {
      const name = cases[i % cases.length]!;
      expect(fs.readFileSync(path.join(threaded, `src/m${i}/${name}.ts`), 'utf8')).toBe(expected('release-in-finally', name));
    }
  });

  it('is dispatched by main: an unknown codemod is one line and exit 2', async () => {
    const result = await exec(process.execPath, [BIN(), 'codemod', 'nope'], work);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'redis-lint: unknown codemod "nope"; run redis-lint codemod --list\n' });
  });
});
