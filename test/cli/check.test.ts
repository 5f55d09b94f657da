/**
 * `redis-lint check` end to end: each test spawns the built binary on a fixture project.
 * Assertions look at require-error-listener findings and parse errors only; the other rules are
 * turned off where an exit code depends on them, so their evolution can't break these tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rules } from '../../rules';
import { assertBuilt, copyFixture, FIXTURES, leakyModule, removeTemporaryDirs, runCli, writeFile, type CliResult } from './helpers';

// Each spawn starts Node, ESLint and the parser: allow for a machine busy with other work.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const RULE = 'redis/require-error-listener';
/** Every other rule off: exit codes then depend on require-error-listener alone. */
const ONLY_RULE = Object.keys(rules)
  .filter((name) => `redis/${name}` !== RULE)
  .flatMap((name) => ['--rule', `${name}=off`]);

// The findings of the `service` fixture, by file and line of the createClient() call.
const SERVICE_FINDINGS = ['src/cache.ts:4', 'src/routes/[id].ts:9', 'src/worker.cjs:4'];

interface JsonMessage {
  ruleId: string | null;
  severity: number;
  fatal?: boolean;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  suppressedMessages: Array<JsonMessage & { suppressions: Array<{ kind: string }> }>;
  errorCount: number;
  warningCount: number;
}

function parseJson(result: CliResult): JsonResult[] {
  return JSON.parse(result.stdout) as JsonResult[];
}

/** `file:line` of every finding of the rule (and every parse error) in a JSON report. */
function findings(results: JsonResult[], root: string, ruleId: string | null = RULE): string[] {
  return results
    .flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId === ruleId)
        .map((message) => `${path.relative(root, result.filePath).split(path.sep).join('/')}:${message.line}`),
    )
    .sort();
}

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^redis-lint: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

let messy: string;

beforeAll(() => {
  assertBuilt();
  // The service fixture plus what must be skipped (ignored, vendored, built) and a file that
  // doesn't parse. Made here: git would not keep ignored files in the fixture itself.
  messy = copyFixture('service');
  writeFile(messy, 'generated/client.ts', leakyModule('generated'));
  writeFile(messy, 'src/debug.local.ts', leakyModule('scratch'));
  writeFile(messy, 'node_modules/redis-helpers/index.js', leakyModule('vendored'));
  writeFile(messy, 'dist/cache.js', leakyModule('built'));
  writeFile(messy, 'coverage/lcov-report/prettify.js', leakyModule('covered'));
  writeFile(messy, 'src/legacy/broken.ts', "import { createClient } from 'redis';\nexport const client = createClient(;\n");
});

afterAll(() => removeTemporaryDirs());

describe('exit codes and formats', () => {
  it('exits 0 and prints nothing on a clean project', async () => {
    const result = await runCli([...ONLY_RULE], { cwd: path.join(FIXTURES, 'clean') });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 and lists the findings in stylish format, skipping ignored, vendored and built files', async () => {
    const result = await runCli([], { cwd: messy });
    expect(result.code).toBe(1);
    // The file that does not parse is a finding, and is named as not checked.
    expect(result.stderr).toBe('redis-lint: 1 of 5 files were not checked by any rule: 1 could not be parsed (src/legacy/broken.ts)\n');
    expect(result.stdout).toContain(path.join(messy, 'src', 'cache.ts'));
    expect(result.stdout).toMatch(/4:16\s+error\s+This node-redis client has no 'error' listener.*redis\/require-error-listener/);
    expect(result.stdout).toContain(path.join(messy, 'src', 'routes', '[id].ts'));
    expect(result.stdout).toContain(path.join(messy, 'src', 'worker.cjs'));
    for (const skipped of ['generated', 'debug.local.ts', 'node_modules', 'dist', 'coverage']) {
      expect(result.stdout).not.toContain(skipped);
    }
  });

  it('prints ESLint-shaped JSON: one result per linted file; a file that does not parse is reported and the rest still linted', async () => {
    const result = await runCli(['--format', 'json'], { cwd: messy });
    expect(result.code).toBe(1);
    const results = parseJson(result);
    expect(results.map((entry) => path.relative(messy, entry.filePath).split(path.sep).join('/')).sort()).toEqual([
      'src/cache.ts',
      'src/legacy/broken.ts',
      'src/routes/[id].ts',
      'src/session-store.ts',
      'src/worker.cjs',
    ]);
    for (const entry of results) {
      expect(path.isAbsolute(entry.filePath)).toBe(true);
      expect(entry.errorCount).toBe(entry.messages.filter((message) => message.severity === 2).length);
      expect(entry.warningCount).toBe(entry.messages.filter((message) => message.severity === 1).length);
      expect(Array.isArray(entry.suppressedMessages)).toBe(true);
    }
    expect(findings(results, messy)).toEqual(SERVICE_FINDINGS);
    const cache = results.find((entry) => entry.filePath.endsWith('cache.ts'))!;
    expect(cache.messages.find((message) => message.ruleId === RULE)).toMatchObject({
      severity: 2,
      line: 4,
      column: 16,
      endLine: 4,
      endColumn: 88,
    });
    const broken = results.find((entry) => entry.filePath.endsWith('broken.ts'))!;
    expect(broken.messages).toHaveLength(1);
    expect(broken.messages[0]).toMatchObject({ ruleId: null, fatal: true, severity: 2, line: 2 });
    expect(broken.messages[0]!.message).toMatch(/^Parsing error/);
  });

  it('writes the report to --output and nothing to stdout', async () => {
    const output = path.join(copyFixture('clean'), 'reports', 'redis-lint.json');
    const result = await runCli(['--format', 'json', '--output', output, ...ONLY_RULE], { cwd: path.join(FIXTURES, 'service') });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const results = JSON.parse(fs.readFileSync(output, 'utf8')) as JsonResult[];
    expect(findings(results, path.join(FIXTURES, 'service'))).toEqual(SERVICE_FINDINGS);
  });
});

describe('SARIF', () => {
  interface SarifLog {
    $schema: string;
    version: string;
    runs: Array<{
      tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
      results: SarifResult[];
    }>;
  }
  interface SarifRule {
    id: string;
    shortDescription: { text: string };
    fullDescription: { text: string };
    helpUri?: string;
    defaultConfiguration: { level: string };
  }
  interface SarifResult {
    ruleId: string;
    ruleIndex: number;
    level: string;
    message: { text: string };
    locations: Array<{
      physicalLocation: {
        artifactLocation: { uri: string; uriBaseId: string };
        region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
      };
    }>;
    partialFingerprints: Record<string, string>;
  }

  let log: SarifLog;
  beforeAll(async () => {
    const result = await runCli(['--format', 'sarif'], { cwd: messy });
    expect(result.code).toBe(1);
    log = JSON.parse(result.stdout) as SarifLog;
  });

  it('is one SARIF 2.1.0 run of the redis-lint driver', () => {
    expect(log.$schema).toMatch(/^https:\/\/.*sarif.*2\.1\.0.*\.json$/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0]!.tool;
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(driver.name).toBe('redis-lint');
    expect(driver.version).toBe(pkg.version);
    expect(driver.informationUri).toMatch(/^https:\/\//);
  });

  it('describes every rule with descriptions, a help URI and a default level', () => {
    const { rules: sarifRules } = log.runs[0]!.tool.driver;
    expect(new Set(sarifRules.map((rule) => rule.id)).size).toBe(sarifRules.length);
    for (const rule of sarifRules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
    const own = sarifRules.find((rule) => rule.id === RULE)!;
    expect(own.helpUri).toMatch(/\/docs\/rules\/require-error-listener\.md$/);
    expect(own.defaultConfiguration.level).toBe('error');
    expect(sarifRules.find((rule) => rule.id === 'redis-lint/parse-error')?.helpUri).toMatch(/docs\/cli\.md#parse-errors$/);
  });

  it('gives every result a rule, level, message, relative location and fingerprint', () => {
    const { results, tool } = log.runs[0]!;
    expect(results.length).toBeGreaterThanOrEqual(4);
    for (const result of results) {
      expect(tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(['error', 'warning']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      const { artifactLocation, region } = result.locations[0]!.physicalLocation;
      expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(artifactLocation.uri).not.toMatch(/^(\/|file:)/);
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.startColumn).toBeGreaterThanOrEqual(1);
      expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
      if (region.endLine === region.startLine) expect(region.endColumn).toBeGreaterThan(region.startColumn);
      expect(Object.values(result.partialFingerprints)).toEqual([expect.stringMatching(/^[0-9a-f]+:\d+$/)]);
    }
    const own = results.filter((result) => result.ruleId === RULE);
    expect(own.map((result) => `${decodeURIComponent(result.locations[0]!.physicalLocation.artifactLocation.uri)}:${result.locations[0]!.physicalLocation.region.startLine}`).sort()).toEqual(SERVICE_FINDINGS);
    const cache = own.find((result) => result.locations[0]!.physicalLocation.artifactLocation.uri === 'src/cache.ts')!;
    expect(cache.level).toBe('error');
    expect(cache.locations[0]!.physicalLocation.region).toEqual({ startLine: 4, startColumn: 16, endLine: 4, endColumn: 88 });
    // URIs are URI references: the brackets of a route file are percent-encoded.
    expect(own.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('src/routes/%5Bid%5D.ts');
    const parseError = results.find((result) => result.ruleId === 'redis-lint/parse-error')!;
    expect(parseError.level).toBe('error');
    expect(parseError.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/legacy/broken.ts');
  });
});

describe('baseline', () => {
  it('fails only on findings missing from the baseline, whatever moves around them', async () => {
    const root = copyFixture('service');
    const baseline = path.join(root, 'redis-lint-baseline.json');
    const check = (): Promise<CliResult> => runCli(['--baseline', 'redis-lint-baseline.json', '--format', 'json', ...ONLY_RULE], { cwd: root });

    const update = await runCli(['--baseline', 'redis-lint-baseline.json', '--update-baseline', ...ONLY_RULE], { cwd: root });
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/wrote 3 findings in 3 files to redis-lint-baseline\.json/);
    const written = JSON.parse(fs.readFileSync(baseline, 'utf8')) as { version: number; tool: string; findings: Array<Record<string, unknown>> };
    expect(written.version).toBe(1);
    expect(written.tool).toBe('redis-lint');
    expect(written.findings.map((entry) => entry.file)).toEqual(['src/cache.ts', 'src/routes/[id].ts', 'src/worker.cjs']);
    for (const entry of written.findings) {
      expect(Object.keys(entry).sort()).toEqual(['code', 'file', 'fingerprint', 'rule']);
      expect(entry.rule).toBe(RULE);
    }

    // Unchanged: every finding is known.
    let result = await check();
    expect(result.code).toBe(0);
    expect(findings(parseJson(result), root)).toEqual([]);
    const suppressed = parseJson(result).flatMap((entry) => entry.suppressedMessages);
    expect(suppressed).toHaveLength(3);
    expect(suppressed.every((message) => message.suppressions[0]!.kind === 'baseline')).toBe(true);

    // Unrelated lines above a finding move it down; it is still the same finding.
    const cacheFile = path.join(root, 'src', 'cache.ts');
    const original = fs.readFileSync(cacheFile, 'utf8');
    fs.writeFileSync(
      cacheFile,
      `// Keys are namespaced per service.\nconst PREFIX = 'users:';\n\nexport function keyFor(id: string): string {\n  return PREFIX + id;\n}\n\n${original}`,
    );
    result = await check();
    expect(result.code).toBe(0);
    expect(findings(parseJson(result), root)).toEqual([]);

    // A new finding in the edited file fails, and only it is reported.
    fs.appendFileSync(cacheFile, `\nconst metrics = createClient({ url: process.env.METRICS_REDIS_URL });\n\nexport async function count(name: string): Promise<number> {\n  return metrics.incr(name);\n}\n`);
    result = await check();
    expect(result.code).toBe(1);
    const newLine = fs.readFileSync(cacheFile, 'utf8').split('\n').findIndex((line) => line.includes('const metrics')) + 1;
    expect(findings(parseJson(result), root)).toEqual([`src/cache.ts:${newLine}`]);

    // A copy of a baselined line is a second occurrence, not hidden by the first.
    const routeFile = path.join(root, 'src', 'routes', '[id].ts');
    fs.appendFileSync(
      routeFile,
      `\nexport async function deleteUser(request: Request): Promise<number> {\n  const client = createClient({ url: process.env.REDIS_URL });\n  await client.connect();\n  return client.del(\`user:\${request.params.id}\`);\n}\n`,
    );
    result = await check();
    expect(result.code).toBe(1);
    expect(findings(parseJson(result), root).filter((finding) => finding.startsWith('src/routes/'))).toHaveLength(1);
  });

  it('reports baseline entries that no longer occur, and does not fail on them', async () => {
    const root = copyFixture('service');
    await runCli(['--baseline', 'baseline.json', '--update-baseline', ...ONLY_RULE], { cwd: root });
    const worker = path.join(root, 'src', 'worker.cjs');
    fs.writeFileSync(worker, fs.readFileSync(worker, 'utf8').replace("module.exports = { work };", "queue.on('error', console.error);\nmodule.exports = { work };"));
    const result = await runCli(['--baseline', 'baseline.json', ...ONLY_RULE], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^redis-lint: 1 baseline entry no longer occurs; run with --update-baseline/);
  });
});

describe('bad input', () => {
  const cwd = path.join(FIXTURES, 'service');
  it.each([
    [['--frobnicate'], /Unknown option --frobnicate/],
    [['src', 'does-not-exist'], /No such file or directory: does-not-exist/],
    [['--rule', 'redis/no-such-rule=error'], /Unknown rule "redis\/no-such-rule"/],
    [['--rule', 'require-error-listener=loud'], /Unknown level "loud"/],
    [['--rule', 'require-error-listener'], /--rule .*"require-error-listener"/],
    [['--format', 'xml'], /Unknown format "xml"/],
    [['--format'], /--format needs a value/],
    [['--config', 'missing.config.mjs'], /Cannot read config file .*missing\.config\.mjs/],
    [['--max-warnings', 'many'], /--max-warnings needs a whole number/],
    [['--concurrency', 'lots'], /--concurrency needs a positive number/],
    [['--update-baseline'], /--update-baseline needs --baseline/],
    [['--baseline', 'no-baseline.json'], /Cannot read baseline file .*no-baseline\.json/],
  ])('%j: one line on stderr, exit 2', async (args, pattern) => {
    expectOneLineError(await runCli(args, { cwd }), pattern);
  });

  it('a config file that does not load is a configuration error, in one line', async () => {
    const root = copyFixture('clean');
    writeFile(root, 'broken.config.mjs', 'export default [{ rules: { ');
    expectOneLineError(await runCli(['--config', 'broken.config.mjs'], { cwd: root }), /Invalid configuration: /);
  });
});

describe('rule levels', () => {
  const cwd = path.join(FIXTURES, 'service');

  it('--rule redis/require-error-listener=off silences the rule', async () => {
    expect(await runCli(['--rule', `${RULE}=off`, ...ONLY_RULE], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--rule without the prefix sets warnings, which fail only over --max-warnings', async () => {
    const warn = ['--rule', 'require-error-listener=warn', ...ONLY_RULE];
    const result = await runCli(warn, { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/4:16\s+warning/);
    expect(result.stdout).toMatch(/3 problems \(0 errors, 3 warnings\)/);
    expect((await runCli([...warn, '--max-warnings', '3'], { cwd })).code).toBe(0);
    const over = await runCli([...warn, '--max-warnings', '2'], { cwd });
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/3 warnings, more than --max-warnings 2/);
  });

  it('--quiet reports errors only', async () => {
    expect(await runCli(['--quiet', '--rule', 'require-error-listener=warn', ...ONLY_RULE], { cwd })).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const errors = await runCli(['--quiet', '--format', 'json', ...ONLY_RULE], { cwd });
    expect(errors.code).toBe(1);
    expect(findings(parseJson(errors), cwd)).toEqual(SERVICE_FINDINGS);
  });
});

describe('configuration and engine options', () => {
  it('--config replaces the embedded config with the given flat config', async () => {
    const root = copyFixture('service');
    writeFile(root, 'src/debugging.ts', 'export function stop(): void {\n  debugger;\n}\n');
    writeFile(
      root,
      'lint.config.cjs',
      `const redis = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'src', 'index.js'))});
const parser = require(${JSON.stringify(require.resolve('@typescript-eslint/parser'))});
module.exports = [
  { files: ['**/*.ts', '**/*.cjs'], plugins: { redis }, languageOptions: { parser }, rules: { 'redis/require-error-listener': 'warn', 'no-debugger': 'error' } },
];
`,
    );
    const result = await runCli(['--config', 'lint.config.cjs', '--format', 'json'], { cwd: root });
    expect(result.code).toBe(1);
    const results = parseJson(result);
    expect(findings(results, root)).toEqual(SERVICE_FINDINGS);
    expect(results.flatMap((entry) => entry.messages).filter((message) => message.ruleId === RULE).every((message) => message.severity === 1)).toBe(true);
    expect(findings(results, root, 'no-debugger')).toEqual(['src/debugging.ts:2']);
  });

  it('a rule that throws on one file makes that file a finding; the other files are still linted', async () => {
    const root = copyFixture('service');
    writeFile(
      root,
      'crash.config.cjs',
      `const redis = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'src', 'index.js'))});
const parser = require(${JSON.stringify(require.resolve('@typescript-eslint/parser'))});
const explode = {
  meta: { type: 'problem', schema: [] },
  create: (context) => ({ Program() { if (context.filename.endsWith('cache.ts')) throw new Error('exploded'); } }),
};
module.exports = [{
  files: ['**/*.ts', '**/*.cjs'],
  plugins: { redis, local: { rules: { explode } } },
  languageOptions: { parser },
  rules: { 'redis/require-error-listener': 'error', 'local/explode': 'error' },
}];
`,
    );
    const result = await runCli(['--config', 'crash.config.cjs', '--format', 'json'], { cwd: root });
    expect(result.code).toBe(1);
    const results = parseJson(result);
    expect(findings(results, root)).toEqual(SERVICE_FINDINGS.filter((finding) => !finding.startsWith('src/cache.ts')));
    expect(findings(results, root, null)).toEqual(['src/cache.ts:1']);
    const crash = results.find((entry) => entry.filePath.endsWith('cache.ts'))!.messages[0]!;
    expect(crash).toMatchObject({ fatal: true, severity: 2 });
    expect(crash.message).toMatch(/could not lint this file: exploded.*local\/explode/);
  });

  it('--fix applies only redis fixes with the embedded config, and the config’s fixes with --config', async () => {
    const root = copyFixture('clean');
    const source = '/* eslint no-var: "error" */\nvar retries = 3;\nexport { retries };\n';
    const file = writeFile(root, 'src/settings.ts', source);
    expect((await runCli(['--fix', ...ONLY_RULE], { cwd: root })).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(source);

    writeFile(root, 'fix.config.cjs', `module.exports = [{ files: ['**/*.ts'], languageOptions: { parser: require(${JSON.stringify(require.resolve('@typescript-eslint/parser'))}) } }];\n`);
    expect((await runCli(['--fix', '--config', 'fix.config.cjs'], { cwd: root })).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('/* eslint no-var: "error" */\nlet retries = 3;\nexport { retries };\n');
  });

  it('--cache writes a cache and gives the same findings from it', async () => {
    const root = copyFixture('service');
    const args = ['--cache', '--cache-location', '.cache/redis-lint', '--format', 'json', ...ONLY_RULE];
    const first = await runCli(args, { cwd: root });
    expect(fs.existsSync(path.join(root, '.cache', 'redis-lint'))).toBe(true);
    const second = await runCli(args, { cwd: root });
    expect(first.code).toBe(1);
    expect(second.code).toBe(1);
    expect(findings(parseJson(second), root)).toEqual(SERVICE_FINDINGS);
  });

  it('--type-aware uses the project tsconfig, and lints files outside it without types, saying so', async () => {
    const root = copyFixture('service');
    writeFile(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', types: [] }, include: ['src/**/*.ts'] }));
    const result = await runCli(['--type-aware', '--format', 'json', ...ONLY_RULE], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('redis-lint: 1 file is in no tsconfig.json under .; linted without type information: src/worker.cjs\n');
    expect(findings(parseJson(result), root)).toEqual(SERVICE_FINDINGS);
    expect(findings(parseJson(result), root, null)).toEqual([]);
  });

  it('--concurrency lints on worker threads with the same findings', async () => {
    const result = await runCli(['--concurrency', '2', '--format', 'json'], { cwd: messy });
    expect(result.code).toBe(1);
    expect(findings(parseJson(result), messy)).toEqual(SERVICE_FINDINGS);
    expect(findings(parseJson(result), messy, null)).toEqual(['src/legacy/broken.ts:2']);
  });
});
