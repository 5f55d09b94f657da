/**
 * `redis-lint report` end to end: each test spawns the built binary (`npm run build` first) on
 * the on-disk fixture project of test/project/fixtures/app, or on a throwaway broken one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReportJson } from '../../src/project/report';
import { REPO_ROOT, runCli } from './helpers';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const FIXTURES = path.join(REPO_ROOT, 'test', 'project', 'fixtures');
const APP = path.join(FIXTURES, 'app');
const temporary: string[] = [];

/** Fails early when dist/ is missing or older than the sources `report` runs. */
function assertReportBuilt(): void {
  const sources = [
    'src/cli/bin.ts',
    'src/cli/main.ts',
    'src/cli/report-command.ts',
    ...fs.readdirSync(path.join(REPO_ROOT, 'src', 'project')).map((name) => `src/project/${name}`),
  ];
  for (const source of sources) {
    const built = path.join(REPO_ROOT, 'dist', source.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(path.join(REPO_ROOT, source)).mtimeMs) {
      throw new Error(`dist/ is missing or older than ${source}: run \`npm run build\` first`);
    }
  }
}

function report(args: string[], cwd = FIXTURES) {
  return runCli(['report', ...args], { cwd, timeoutMs: 60_000 });
}

function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-report-cli-'));
  temporary.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

beforeAll(assertReportBuilt);
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

describe('formats', () => {
  it('prints a table by default, for the current directory', async () => {
    const result = await report([], APP);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Redis connections in ${APP} (10 files, from tsconfig.json)`);
    expect(lines[2]).toMatch(/^LOCATION\s+NAME\s+LIBRARY\s+KIND\s+CONNS\s+TIMEOUTS\s+BLOCKING\s+SHARED$/);
    expect(lines.filter((line) => line.startsWith('src/'))).toHaveLength(6);
    expect(result.stdout).toContain('Budget\n  per process  14  (3 clients, 1 cluster, 10 in pools)\n  × replicas   1\n  = total      14 of maxclients 10000, headroom 9986\n');
  });

  it('prints the JSON schema, with the budget for --replicas and --maxclients', async () => {
    const result = await report(['app', '--format', 'json', '--replicas', '3', '--maxclients', '1000']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as ReportJson;
    expect(json.schemaVersion).toBe(1);
    expect(json.root).toBe(APP);
    expect(json.connections.map((c) => `${c.file}:${c.line} ${c.kind} ${c.perProcess} ${c.shared}`)).toEqual([
      'src/lib/cluster.ts:3 cluster 1 false',
      'src/lib/container.ts:11 client 1 true',
      'src/lib/redis.ts:7 client 1 true',
      'src/lib/redis.ts:11 client 0 false',
      'src/lib/redis.ts:11 client 1 false',
      'src/pool.ts:6 pool 10 true',
    ]);
    expect(json.connections[2]!.blockingUses).toEqual([
      { file: 'src/workers/email.ts', line: 8, column: 16, command: 'BRPOP', method: 'brpop', timeoutMs: 0, takeover: false },
    ]);
    expect(json.budget).toMatchObject({ perProcess: 14, replicas: 3, total: 42, maxClients: 1000, headroom: 958, exceeded: false });
    expect(json.findings.map((finding) => finding.rule)).toEqual(['shared-blocking', 'shared-blocking', 'shared-blocking']);
  });

  it('prints Markdown for a pull-request comment, or writes it to --output', async () => {
    const out = path.join(tempProject({}), 'out', 'report.md');
    const result = await report(['app', '--format', 'markdown', '--output', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const markdown = fs.readFileSync(out, 'utf8');
    expect(markdown.startsWith('<!-- redis-lint-report -->\n## Redis connection report\n')).toBe(true);
    expect(markdown).toContain('| `redis` `src/lib/redis.ts:7` | ioredis');
  });
});

describe('exit codes', () => {
  it('exits 1 when --fail-on names a finding that is present', async () => {
    const shared = await report(['app', '--fail-on', 'shared-blocking', '--format', 'json']);
    expect(shared.code).toBe(1);
    expect((JSON.parse(shared.stdout) as ReportJson).findings).toHaveLength(3);
    const budget = await report(['app', '--fail-on', 'budget', '--replicas', '2', '--maxclients', '20']);
    expect(budget.code).toBe(1);
    expect(budget.stdout).toContain('✖ budget: 14 connections per process × 2 replicas = 28, above maxclients 20 by 8.');
  });

  it('exits 0 when the findings --fail-on names are absent, or without --fail-on', async () => {
    expect((await report(['app', '--fail-on', 'budget'])).code).toBe(0);
    expect((await report(['app', '--replicas', '2', '--maxclients', '20'])).code).toBe(0);
  });

  it.each([
    [['missing-dir'], 'redis-lint: No such file or directory: missing-dir'],
    [['app', '--tsconfig', 'app/tsconfig.missing.json'], 'redis-lint: tsconfig not found: app/tsconfig.missing.json'],
    [['app', '--format', 'xml'], 'redis-lint: Unknown format "xml" for --format: use table, json or markdown'],
    [['app', '--replicas', '0'], 'redis-lint: --replicas needs a whole number of 1 or more, not "0"'],
    [['app', '--maxclients', 'lots'], 'redis-lint: --maxclients needs a whole number of 1 or more, not "lots"'],
    [['app', '--fail-on', 'budget,everything'], 'redis-lint: Unknown finding "everything" for --fail-on: use budget, shared-blocking'],
    [['app', '--versions', 'redis=four'], 'redis-lint: --versions needs <library>=<major> pairs such as redis=4, not "redis=four"'],
    [['app', 'app'], 'redis-lint: report takes one project path, got 2: app app'],
    [['app', '--bogus'], 'redis-lint: Unknown option --bogus (see redis-lint report --help)'],
  ])('exits 2 with one line for %j', async (args, message) => {
    const result = await report(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${message}\n`);
  });

  it('exits 2 with one line when --output can\'t be written, as check does', async () => {
    const result = await report(['app', '--output', 'app/tsconfig.json/report.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^redis-lint: Cannot write the report to .*app\/tsconfig\.json\/report\.json: ENOTDIR\n$/);
  });

  it('exits 2 with one line on a broken tsconfig', async () => {
    const dir = tempProject({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, ', 'src/index.ts': 'export {};\n' });
    const result = await report([dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^redis-lint: Cannot read .*tsconfig\.json: .+\n$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  describe('files that cannot be parsed', () => {
    const broken = () =>
      tempProject({
        'src/redis.ts': `import Redis from 'ioredis';\nexport const redis = new Redis();\n`,
        'src/broken.ts': `export const x = (;\n`,
      });

    it('lists them, carries them in the JSON, and exits 2', async () => {
      const dir = broken();
      const result = await report([dir, '--format', 'json']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'redis-lint: the report is partial: 1 file could not be parsed (src/broken.ts:1); fix them or pass --allow-partial\n',
      );
      const json = JSON.parse(result.stdout) as ReportJson;
      expect(json.unparsed).toEqual([{ file: 'src/broken.ts', line: 1, column: 18, message: expect.stringMatching(/^could not parse: /) }]);
      expect(json.files).toBe(2);
      expect(json.connections.map((c) => c.id)).toEqual(['src/redis.ts:2:22']);
    });

    it('says so in the table, and exits 1 with --fail-on', async () => {
      const dir = broken();
      const result = await report([dir, '--fail-on', 'budget']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('Not analysed: 1 file could not be parsed, so this report is partial\n  src/broken.ts:1:18  could not parse: ');
    });

    it('exits as usual with --allow-partial', async () => {
      const dir = broken();
      const result = await report([dir, '--allow-partial', '--format', 'markdown']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('**Not analysed** ⚠️ 1 file could not be parsed, so this report is partial:\n\n- `src/broken.ts:1` could not parse: ');
    });
  });

  it('shows its options with --help', async () => {
    const result = await report(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: redis-lint report \[path\] \[options\]/);
    expect(result.stdout).toContain('--fail-on <findings>');
  });
});
