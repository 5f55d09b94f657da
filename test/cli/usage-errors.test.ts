/**
 * Every usage error is one line on stderr and exit 2, never a stack: config validation with
 * ESLint's cause, codemod numbers checked up front, unknown majors with the known ones, an
 * unwritable `-o`; a reader that closes stdout early ends the run quietly. Spawns the built CLI
 * (`npm run build` first).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, copyFixture, leakyModule, removeTemporaryDirs, runCli, writeFile, type CliResult } from './helpers';

const PLUGIN = JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'src', 'index.js'));
const PARSER = JSON.stringify(require.resolve('@typescript-eslint/parser'));

beforeAll(assertBuilt);
afterAll(removeTemporaryDirs);

function expectOneLine(result: CliResult, pattern: RegExp): void {
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.code).toBe(2);
}

function project(): string {
  const root = copyFixture('clean');
  writeFile(root, 'src/cache.ts', leakyModule('cache'));
  writeFile(root, 'src/pool.ts', `import Redis from 'ioredis';\nexport const redis = new Redis({ host: 'x' });\nredis.on('error', () => {});\n`);
  return root;
}

describe('configuration errors carry their cause', () => {
  it.each([
    [{ maxPoolSize: 2.5 }, /^redis-lint: Invalid configuration: Key "rules": Key "redis\/no-oversized-pool": .*should be integer/],
    [{ maxPoolSize: 'fifty' }, /^redis-lint: Invalid configuration: .*"redis\/no-oversized-pool": .*should be integer/],
    [{ size: 3 }, /^redis-lint: Invalid configuration: .*"redis\/no-oversized-pool": .*(additional properties|size)/i],
  ])('a rule option %j', async (option, pattern) => {
    const root = project();
    writeFile(
      root,
      'bad.config.cjs',
      `const redis = require(${PLUGIN});\nmodule.exports = [{ files: ['**/*.ts'], ...redis.configs.recommended, languageOptions: { parser: require(${PARSER}) } }, { rules: { 'redis/no-oversized-pool': ['error', ${JSON.stringify(option)}] } }];\n`,
    );
    expectOneLine(await runCli(['src', '-c', 'bad.config.cjs'], { cwd: root }), pattern);
  });
});

describe('codemod flags are checked before any file is read', () => {
  it.each([
    [['--command-timeout', '-5'], /^redis-lint: --command-timeout needs a number of 1 or more, not "-5"$/m],
    [['--command-timeout', '0'], /^redis-lint: --command-timeout needs a number of 1 or more, not "0"$/m],
    [['--command-timeout', '2.5'], /^redis-lint: --command-timeout needs a whole number, not "2\.5"$/m],
    [['--acquire-timeout', '-1'], /^redis-lint: --acquire-timeout needs a number of 1 or more, not "-1"$/m],
    [['--node-redis-major', '9'], /^redis-lint: --node-redis-major 9 is not a major redis-lint knows; use one of 0, 1, 2, 3, 4, 5, 6$/m],
  ])('add-timeouts %j', async (flags, pattern) => {
    const root = project();
    const before = fs.readFileSync(path.join(root, 'src/pool.ts'), 'utf8');
    expectOneLine(await runCli(['codemod', 'add-timeouts', 'src', ...flags], { cwd: root }), pattern);
    expect(fs.readFileSync(path.join(root, 'src/pool.ts'), 'utf8')).toBe(before);
  });
});

describe('-o into a path that cannot be written', () => {
  it.each([
    [(root: string) => path.join(root, 'src', 'cache.ts', 'report.json'), /^redis-lint: Cannot write the report to src\/cache\.ts\/report\.json: src\/cache\.ts is not a directory\n$/],
    [(root: string) => path.join(root, 'src'), /^redis-lint: Cannot write the report to src: it is a directory\n$/],
    [() => '/proc/no-such-dir/report.json', /^redis-lint: Cannot write the report to .*report\.json: /],
  ])('%#', async (target, pattern) => {
    const root = project();
    expectOneLine(await runCli(['src', '-o', target(root)], { cwd: root, timeoutMs: 60_000 }), pattern);
  });
});

describe('a reader that closes stdout early', () => {
  it('`redis-lint src -f sarif | head -c 100`: no EPIPE stack, the exit code of the run', async () => {
    const root = project();
    // Many findings make a report larger than the pipe buffer, so the write really hits a closed pipe.
    for (let index = 0; index < 40; index++) writeFile(root, `src/many/m${index}.ts`, leakyModule(`client${index}`));
    const result = await new Promise<{ code: number | null; stderr: string; head: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'src', '-f', 'sarif'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let head = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdout.once('data', (chunk: Buffer) => {
        head = chunk.subarray(0, 100).toString();
        child.stdout.destroy();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, head }));
    });
    expect(result.head).toMatch(/^\{\n {2}"\$schema"/);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    // The findings still fail the run: a truncated report is no pass.
    expect(result.code).toBe(1);
  });
});
