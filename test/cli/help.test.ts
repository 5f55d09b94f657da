/**
 * The first-hour surface of the built `redis-lint`: `help`, `--rule` with options, test code
 * apart, `--format` with any ESLint formatter. Each test spawns dist/src/cli/bin.js.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, copyFixture, leakyModule, REPO_ROOT, removeTemporaryDirs, runCli, writeFile } from './helpers';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

beforeAll(() => assertBuilt());
afterAll(() => removeTemporaryDirs());

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string }[];
}

function findings(stdout: string, root: string): string[] {
  return (JSON.parse(stdout) as JsonResult[])
    .flatMap((result) => result.messages.map((message) => `${path.relative(root, result.filePath).split(path.sep).join('/')} ${message.ruleId} ${message.severity}`))
    .sort();
}

describe('redis-lint help', () => {
  it('prints the same usage as --help and exits 0', async () => {
    const help = await runCli(['help'], { cwd: REPO_ROOT });
    const flag = await runCli(['--help'], { cwd: REPO_ROOT });
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toBe(flag.stdout);
    expect(help.stdout).toMatch(/redis-lint codemod <name>/);
  });

  it('help <command> prints that command\'s options', async () => {
    const help = await runCli(['help', 'check'], { cwd: REPO_ROOT });
    const flag = await runCli(['check', '--help'], { cwd: REPO_ROOT });
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(flag.stdout);
    expect(help.stdout).toMatch(/--test-code/);
  });

  it('help <unknown> is a usage error naming the commands', async () => {
    const result = await runCli(['help', 'lint'], { cwd: REPO_ROOT });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no command "lint".*check, codemod, report/);
  });
});

// A pool of 30: over a cap of 20, within the default cap of 50.
const POOL = `import { createPool } from 'generic-pool';
import { createClient } from 'redis';

export const pool = createPool(
  {
    create: async () => {
      const client = createClient();
      client.on('error', () => {});
      await client.connect();
      return client;
    },
    destroy: async (client) => client.quit(),
  },
  { max: 30, min: 2, acquireTimeoutMillis: 2000 },
);
`;

describe('--rule with options', () => {
  it("takes ESLint's levn form and passes the options to the rule", async () => {
    const root = copyFixture('clean');
    writeFile(root, 'src/pool.ts', POOL);
    const without = await runCli(['src', '-f', 'json'], { cwd: root });
    expect(findings(without.stdout, root).filter((line) => line.includes('no-oversized-pool'))).toEqual([]);
    const capped = await runCli(['src', '-f', 'json', '--rule', 'redis/no-oversized-pool: [error, {maxPoolSize: 20}]'], { cwd: root });
    expect(capped.stderr).toBe('');
    expect(findings(capped.stdout, root).filter((line) => line.includes('no-oversized-pool'))).toEqual(['src/pool.ts redis/no-oversized-pool 2']);
    expect(capped.code).toBe(1);
  });

  it('takes JSON, numeric levels and the short id=level form', async () => {
    const root = copyFixture('clean');
    writeFile(root, 'src/pool.ts', POOL);
    const json = await runCli(['src', '-f', 'json', '--rule', '{"no-oversized-pool": [1, {"maxPoolSize": 20}]}'], { cwd: root });
    expect(findings(json.stdout, root).filter((line) => line.includes('no-oversized-pool'))).toEqual(['src/pool.ts redis/no-oversized-pool 1']);
    expect(json.code).toBe(0);
    writeFile(root, 'src/leaky.ts', leakyModule('cache'));
    const short = await runCli(['src', '-f', 'json', '--rule', 'require-error-listener=off'], { cwd: root });
    expect(findings(short.stdout, root).filter((line) => line.includes('require-error-listener'))).toEqual([]);
  });

  it('rejects an unknown rule, a bad level and unreadable text with one line and exit 2', async () => {
    const root = copyFixture('clean');
    for (const [spec, message] of [
      ['redis/no-such-rule: error', /Unknown rule "redis\/no-such-rule"/],
      ['redis/require-timeout: [loud]', /Unknown level "loud" for rule redis\/require-timeout/],
      ['redis/require-timeout: [error, {', /--rule needs <rule>=<off\|warn\|error> or '<rule>: \[<level>, \{options\}\]', not/],
      ['require-error-listener', /--rule needs <rule>=<off\|warn\|error>/],
    ] as const) {
      const result = await runCli(['src', '--rule', spec], { cwd: root });
      expect(result.code, spec).toBe(2);
      expect(result.stderr, spec).toMatch(message);
      expect(result.stderr.trim().split('\n'), spec).toHaveLength(1);
    }
  });
});

describe('test code apart', () => {
  function project(): string {
    const root = copyFixture('clean');
    writeFile(root, 'src/cache.ts', leakyModule('cache'));
    writeFile(root, 'src/cache.test.ts', leakyModule('testClient'));
    writeFile(root, 'test/helpers.ts', leakyModule('helperClient'));
    writeFile(root, 'scripts/seed.ts', leakyModule('seedClient'));
    return root;
  }
  const RULE = 'redis/require-error-listener';

  it('reports findings in tests, examples and scripts as warnings by default', async () => {
    const root = project();
    const result = await runCli(['.', '-f', 'json'], { cwd: root });
    expect(findings(result.stdout, root).filter((line) => line.includes(RULE))).toEqual([
      `scripts/seed.ts ${RULE} 1`,
      `src/cache.test.ts ${RULE} 1`,
      `src/cache.ts ${RULE} 2`,
      `test/helpers.ts ${RULE} 1`,
    ]);
    expect(result.code).toBe(1);
  });

  it('does not fail the run on test code alone', async () => {
    const root = project();
    const result = await runCli(['test', 'scripts', '-f', 'json', '--rule', 'require-timeout=off'], { cwd: root });
    // Classified below the directories given: neither file is under a test directory there.
    expect(findings(result.stdout, root).filter((line) => line.includes(RULE))).toEqual([`scripts/seed.ts ${RULE} 2`, `test/helpers.ts ${RULE} 2`]);
    const fromRoot = await runCli(['.', '-f', 'json', '--rule', `${RULE}=off`, '--rule', 'require-timeout=off'], { cwd: root });
    expect(fromRoot.code).toBe(0);
    writeFile(root, 'src/cache.ts', 'export const nothing = 1;\n');
    const onlyTests = await runCli(['.'], { cwd: root });
    expect(onlyTests.code, onlyTests.stdout).toBe(0);
    expect(onlyTests.stdout).toMatch(/warning/);
  });

  it('--test-code error holds test code to the same standard, off drops its findings', async () => {
    const root = project();
    const asErrors = await runCli(['.', '-f', 'json', '--test-code', 'error'], { cwd: root });
    expect(findings(asErrors.stdout, root).filter((line) => line.includes(RULE)).map((line) => line.slice(-1))).toEqual(['2', '2', '2', '2']);
    const dropped = await runCli(['.', '-f', 'json', '--test-code', 'off'], { cwd: root });
    expect(findings(dropped.stdout, root).filter((line) => line.includes(RULE))).toEqual([`src/cache.ts ${RULE} 2`]);
    const bad = await runCli(['.', '--test-code', 'maybe'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown level "maybe" for --test-code/);
  });

  it('--test-files replaces the conventional globs', async () => {
    const root = project();
    const result = await runCli(['.', '-f', 'json', '--test-files', 'src/**'], { cwd: root });
    expect(findings(result.stdout, root).filter((line) => line.includes(RULE))).toEqual([
      `scripts/seed.ts ${RULE} 2`,
      `src/cache.test.ts ${RULE} 1`,
      `src/cache.ts ${RULE} 1`,
      `test/helpers.ts ${RULE} 2`,
    ]);
  });

  it('the example service is production code when it is what is linted (npm run demo fails on it)', async () => {
    const asTarget = await runCli(['examples', '-f', 'json'], { cwd: REPO_ROOT, timeoutMs: 60_000 });
    expect(asTarget.code).toBe(1);
    const severities = (JSON.parse(asTarget.stdout) as JsonResult[]).flatMap((result) => result.messages.map((message) => message.severity));
    expect(severities.length).toBeGreaterThan(0);
    expect(new Set(severities)).toEqual(new Set([2]));
  });
});

describe('--format', () => {
  it('takes any built-in ESLint formatter', async () => {
    const root = copyFixture('clean');
    writeFile(root, 'src/cache.ts', leakyModule('cache'));
    const result = await runCli(['src', '--format', 'json-with-metadata'], { cwd: root });
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { results: JsonResult[]; metadata: { rulesMeta: Record<string, unknown> } };
    expect(parsed.results[0]!.messages.map((message) => message.ruleId)).toContain('redis/require-error-listener');
    expect(Object.keys(parsed.metadata.rulesMeta)).toContain('redis/require-error-listener');
  });

  it('takes a formatter file, and names a formatter it cannot load', async () => {
    const root = copyFixture('clean');
    writeFile(root, 'src/cache.ts', leakyModule('cache'));
    writeFile(root, 'count.cjs', 'module.exports = (results) => `${results.reduce((n, r) => n + r.messages.length, 0)} findings\\n`;\n');
    const custom = await runCli(['src', '--format', './count.cjs'], { cwd: root });
    expect(custom.stdout.trim()).toMatch(/^\d+ findings$/);
    const missing = await runCli(['src', '--format', 'no-such-formatter'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Unknown format "no-such-formatter"/);
  });
});
