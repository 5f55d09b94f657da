/**
 * An interrupted codemod leaves every file either as it was or fully rewritten: the built CLI
 * runs over a few hundred generated files, is stopped once the first files are written (SIGINT
 * on worker threads, SIGTERM in-process, SIGKILL with no chance to clean up), and then every
 * file is compared with its original and its full rewrite. After SIGINT/SIGTERM the summary
 * names exactly the files that were rewritten. `npm run build` must have run first.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { API } from 'jscodeshift';
import jscodeshift from 'jscodeshift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codemodByName, transformPath } from '../../codemods';
import { importTransform } from '../../src/transform/runner';
import { BIN } from './helpers';

const FILES = 300;

function source(index: number): string {
  return `import Redis from 'ioredis';

// module ${index}
export const redis${index} = new Redis({ host: 'cache-${index}.internal', port: 6379 });
redis${index}.on('error', (error) => console.error(error));

export async function read${index}(key: string): Promise<string | null> {
  return redis${index}.get(\`${index}:\${key}\`);
}
`;
}

let template = '';
const dirs: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error('dist/ is missing: run `npm run build` first');
  // The full rewrite of each file, from the transform itself.
  const transform = await importTransform(transformPath(codemodByName('add-timeouts')!));
  const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: () => {} } as unknown as API;
  const output = transform({ path: path.join(os.tmpdir(), 'm0.ts'), source: source(0) }, api, {});
  if (typeof output !== 'string') throw new Error('add-timeouts did not change the generated module');
  template = output;
});

afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function rewritten(index: number): string {
  return template.replace(/\b0\b|redis0|read0|cache-0/g, (match) => match.replace('0', String(index)));
}

function tree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-interrupt-'));
  dirs.push(dir);
  for (let index = 0; index < FILES; index++) {
    fs.mkdirSync(path.join(dir, 'src', `area${index % 10}`), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', `area${index % 10}`, `m${index}.ts`), source(index));
  }
  return dir;
}

function fileOf(dir: string, index: number): string {
  return path.join(dir, 'src', `area${index % 10}`, `m${index}.ts`);
}

/** Runs the codemod and sends `signal` as soon as `minimumWritten` files have been rewritten. */
async function interruptedRun(dir: string, signal: NodeJS.Signals, args: string[], minimumWritten = 1): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'codemod', 'add-timeouts', 'src', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, killedBy) => resolve({ code, signal: killedBy })));
  let sent = false;
  const poll = setInterval(() => {
    if (sent) return;
    let written = 0;
    for (let index = 0; index < FILES && written < minimumWritten; index++) {
      if (fs.readFileSync(fileOf(dir, index), 'utf8') !== source(index)) written++;
    }
    if (written >= minimumWritten) {
      sent = true;
      child.kill(signal);
    }
  }, 10);
  const outcome = await closed;
  clearInterval(poll);
  expect(sent, 'the run ended before it could be interrupted').toBe(true);
  return { ...outcome, stdout, stderr };
}

/** Every file is its original or its full rewrite; returns the rewritten ones (relative paths). */
function assertWholeFiles(dir: string): string[] {
  const done: string[] = [];
  for (let index = 0; index < FILES; index++) {
    const text = fs.readFileSync(fileOf(dir, index), 'utf8');
    if (text === source(index)) continue;
    expect(text, `m${index}.ts is neither its original nor its full rewrite`).toBe(rewritten(index));
    done.push(path.relative(dir, fileOf(dir, index)).split(path.sep).join('/'));
  }
  return done.sort();
}

describe('an interrupted codemod run', () => {
  it('SIGINT on worker threads: whole files only, exit 130, the summary names the files rewritten', async () => {
    expect(rewritten(7)).toContain('redis7 = new Redis(');
    const dir = tree();
    const result = await interruptedRun(dir, 'SIGINT', []);
    expect(result.code).toBe(130);
    const done = assertWholeFiles(dir);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(FILES);
    const listed = result.stdout.split('Rewritten before the interruption:\n')[1]?.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim()).sort();
    expect(listed).toEqual(done);
    expect(result.stdout).toMatch(new RegExp(`^add-timeouts: ${done.length} files? changed`));
    expect(result.stdout).toContain(`Interrupted: ${FILES - Number(/\((\d+) files? scanned\)/.exec(result.stdout)![1])} files were not reached`);
    const leftovers = fs.readdirSync(path.join(dir, 'src'), { recursive: true }).filter((name) => String(name).endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  }, 180_000);

  it('SIGTERM in-process (--workers 0) and --json: filesChanged is what is on disk', async () => {
    const dir = tree();
    const result = await interruptedRun(dir, 'SIGTERM', ['--workers', '0', '--json'], 3);
    expect(result.code).toBe(130);
    const done = assertWholeFiles(dir);
    const summary = JSON.parse(result.stdout) as { interrupted: boolean; filesChanged: string[]; filesNotReached: string[] };
    expect(summary.interrupted).toBe(true);
    expect([...summary.filesChanged].sort()).toEqual(done);
    expect(summary.filesNotReached.length).toBeGreaterThan(0);
    expect(summary.filesNotReached.length + summary.filesChanged.length).toBeLessThanOrEqual(FILES);
  }, 180_000);

  it('SIGKILL (no handler runs): still whole files only, thanks to the atomic rename', async () => {
    const dir = tree();
    const result = await interruptedRun(dir, 'SIGKILL', [], 5);
    expect(result.signal).toBe('SIGKILL');
    const done = assertWholeFiles(dir);
    expect(done.length).toBeGreaterThanOrEqual(5);
    expect(done.length).toBeLessThan(FILES);
  }, 180_000);
});
