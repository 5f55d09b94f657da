/**
 * The budget arithmetic, the findings, and the three renderings of one report.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, MARKDOWN_MARKER } from '../../src/project/format';
import { REPORT_SCHEMA_VERSION, type ReportJson } from '../../src/project/report';
import { reportOf } from './helpers';

const SERVICE = {
  '/src/redis.ts': `
    import Redis from 'ioredis';
    import { createClientPool } from 'redis';
    export const redis = new Redis({ connectTimeout: 1500 });
    export const events = redis.duplicate();
    export const pool = createClientPool({}, { maximum: 40 });
  `,
  '/src/worker.ts': `
    import { redis, events } from './redis';
    export async function loop() {
      await events.xread('BLOCK', 0, 'STREAMS', 'events', '$');
      await redis.blpop('jobs', 0);
    }
  `,
  '/src/api.ts': `
    import { redis } from './redis';
    export const show = (key: string) => redis.get(key);
  `,
};

describe('budget', () => {
  it('adds clients, duplicates and pool maxima per process and multiplies by the replicas', () => {
    const report = reportOf(SERVICE, { replicas: 50, maxClients: 2000 }, { versions: { redis: 6, ioredis: 6 } });
    expect(report.budget).toEqual({
      perProcess: 42,
      replicas: 50,
      total: 2100,
      maxClients: 2000,
      headroom: -100,
      exceeded: true,
      complete: true,
      unknown: [],
      unbounded: [],
      byKind: { client: 1, duplicate: 1, cluster: 0, sentinel: 0, pool: 40, queue: 0 },
    });
    expect(report.findings.find((finding) => finding.rule === 'budget')).toEqual({
      rule: 'budget',
      message: '42 connections per process × 50 replicas = 2100, above maxclients 2000 by 100.',
      connection: null,
      location: null,
      crossFile: false,
    });
  });

  it('is within budget at the limit itself', () => {
    const report = reportOf(SERVICE, { replicas: 10, maxClients: 420 });
    expect(report.budget).toMatchObject({ total: 420, headroom: 0, exceeded: false });
    expect(report.findings.map((finding) => finding.rule)).toEqual(['shared-blocking']);
  });
});

describe('findings', () => {
  it('flags the shared connection used for blocking, not its dedicated duplicate', () => {
    const report = reportOf(SERVICE);
    expect(report.findings).toEqual([
      {
        rule: 'shared-blocking',
        message:
          '`redis` (ioredis client, src/redis.ts:4:26) runs BLPOP at src/worker.ts:5 and also serves GET at src/api.ts:3: ' +
          'every command queued behind it waits until it returns; give blocking work its own connection (`redis.duplicate()`).',
        connection: 'src/redis.ts:4:26',
        location: { file: 'src/worker.ts', line: 5, column: 19 },
        crossFile: true,
      },
    ]);
  });

  it('says so for a pool', () => {
    const report = reportOf({
      '/src/pool.ts': `
        import { createClientPool } from 'redis';
        export const pool = createClientPool({}, { maximum: 4 });
        export const f = async () => { await pool.brPop('q', 1); await pool.get('k'); };
      `,
    });
    expect(report.findings.map((finding) => finding.message)).toEqual([
      '`pool` (node-redis pool, src/pool.ts:3:29) runs BRPOP at src/pool.ts:4 and also serves GET at src/pool.ts:4: each blocking ' +
        'call pins one of its connections while other work waits for a free one; give blocking work its own pool or a dedicated client.',
    ]);
    expect(report.findings[0]!.crossFile).toBe(false);
  });
});

describe('formats', () => {
  const report = reportOf(SERVICE, { replicas: 3 }, { versions: { redis: 6, ioredis: 6 } });

  it('renders JSON in the documented schema', () => {
    const json = JSON.parse(formatReport(report, 'json')) as ReportJson;
    expect(json.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'root', 'config', 'files', 'unparsed', 'connections', 'unattributedBlockingUses', 'findings', 'budget']);
    expect(json.unparsed).toEqual([]);
    const redis = json.connections.find((connection) => connection.name === 'redis')!;
    expect(Object.keys(redis)).toEqual([
      'id', 'file', 'line', 'column', 'via', 'name', 'library', 'major', 'kind', 'scope', 'perProcess', 'perReplica', 'unbounded',
      'pool', 'memberOf', 'duplicateOf', 'timeouts', 'blockingUses', 'commandUses', 'isolatedUses', 'shared',
    ]);
    expect(redis).toMatchObject({
      file: 'src/redis.ts',
      line: 4,
      library: 'ioredis',
      major: 6,
      kind: 'client',
      perProcess: 1,
      timeouts: { connectTimeout: { bounds: 'connect', state: 'bounded', ms: 1500, source: 'explicit' } },
      blockingUses: [{ file: 'src/worker.ts', line: 5, column: 19, command: 'BLPOP', method: 'blpop', timeoutMs: 0, takeover: false }],
      commandUses: [{ file: 'src/api.ts', line: 3, column: 48, command: 'GET', method: 'get' }],
      shared: true,
    });
    expect(json.budget).toMatchObject({ perProcess: 42, replicas: 3, total: 126, maxClients: 10000, headroom: 9874 });
  });

  it('renders a table for the terminal', () => {
    const table = formatReport(report, 'table');
    const lines = table.split('\n');
    expect(lines[0]).toBe('Redis connections in / (3 files, from source files)');
    expect(lines[2]).toMatch(/^LOCATION\s+NAME\s+LIBRARY\s+KIND\s+CONNS\s+TIMEOUTS\s+BLOCKING\s+SHARED$/);
    expect(lines.find((line) => line.startsWith('src/redis.ts:4 '))).toMatch(
      /^src\/redis\.ts:4\s+redis\s+ioredis 6\s+client\s+1\s+connect 1\.5s, command none, idle none, blocking none\s+BLPOP\s+yes$/,
    );
    expect(lines.find((line) => line.startsWith('src/redis.ts:6 '))).toMatch(/node-redis 6\s+pool\s+40\s+connect 5s, command 5s, idle none, acquire 3s/);
    expect(table).toContain('  redis (src/redis.ts:4:26), shared\n    BLPOP      src/worker.ts:5:19  blocks forever\n    also serves 1 other command in 1 file, first GET at src/api.ts:3\n');
    expect(table).toContain('  events (src/redis.ts:5:27)\n    XREAD      src/worker.ts:4:20  blocks forever\n');
    expect(table).toContain('Budget\n  per process  42  (1 client, 1 duplicate, 40 in pools)\n  × replicas   3\n  = total      126 of maxclients 10000, headroom 9874\n');
    expect(table).toContain('  ✖ shared-blocking: `redis` (ioredis client, src/redis.ts:4:26) runs BLPOP');
  });

  it('renders Markdown for a pull-request comment', () => {
    const markdown = formatReport(report, 'markdown');
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(lines[1]).toBe('## Redis connection report');
    expect(markdown).toContain('**Budget** ✅ 42 connections per process × 3 replicas = **126** of `maxclients` 10000 (headroom 9874).');
    expect(markdown).toContain('**Shared connections** ⚠️ 1 connection runs blocking commands and other work.');
    expect(markdown).toContain('| Connection | Library | Kind | Conns | Timeouts | Blocking commands | Shared |');
    expect(markdown).toContain(
      '| `redis` `src/redis.ts:4` | ioredis 6 | client | 1 | connect 1.5s, command none, idle none, blocking none | BLPOP `src/worker.ts:5` (blocks forever) | ⚠️ yes |',
    );
    expect(markdown).toContain('- ⚠️ **shared-blocking**: `redis` (ioredis client, src/redis.ts:4:26) runs BLPOP');
  });

  it('says when there is nothing to report', () => {
    const empty = reportOf({ '/src/index.ts': 'export const x = 1;' });
    expect(formatReport(empty, 'table')).toContain('No Redis connections found.');
    expect(formatReport(empty, 'markdown')).toContain('**Budget** ✅ 0 connections per process × 1 replica = **0** of `maxclients` 10000 (headroom 10000).');
  });
});
