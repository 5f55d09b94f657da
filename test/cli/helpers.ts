/**
 * Runs the built `redis-lint` binary (dist/src/cli/bin.js) the way a user would, and makes
 * throwaway copies of fixture projects. `npm run build` must have run first.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'bin.js');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'cli', 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The sources behind `redis-lint check` and the rule its tests assert on.
const CHECK_SOURCES = [
  ...['bin', 'main', 'files', 'usage-error', 'check-command', 'check-args', 'check-config', 'check-lint', 'baseline', 'sarif', 'progress'].map(
    (name) => `src/cli/${name}.ts`,
  ),
  'src/index.ts',
  'rules/require-error-listener.ts',
];

/** Fails early with a clear message when dist/ is missing or older than what `check` runs. */
export function assertBuilt(): void {
  if (!fs.existsSync(BIN)) throw new Error(`${path.relative(REPO_ROOT, BIN)} is missing: run \`npm run build\` first`);
  for (const source of CHECK_SOURCES) {
    const built = path.join(REPO_ROOT, 'dist', source.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(path.join(REPO_ROOT, source)).mtimeMs) {
      throw new Error(`dist/ is older than ${source}: run \`npm run build\` first`);
    }
  }
}

/** Spawns `node dist/src/cli/bin.js …args` in cwd, with stdin closed and no terminal. */
export function runCli(args: readonly string[], options: { cwd: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const temporaryDirs: string[] = [];

/** A fresh copy of test/cli/fixtures/<name> in the OS temp directory. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `redis-lint-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  temporaryDirs.push(dir);
  return dir;
}

export function writeFile(root: string, relative: string, text: string): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export function removeTemporaryDirs(): void {
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A module with one node-redis client and no 'error' listener: one require-error-listener finding. */
export function leakyModule(name: string): string {
  return `import { createClient } from 'redis';

const ${name} = createClient();

export async function read(key: string): Promise<string | null> {
  await ${name}.connect();
  return ${name}.get(key);
}
`;
}
