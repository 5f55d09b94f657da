/**
 * Issue 14, "Done when": on one multi-module project (test/fixtures/agreement: a pool from a
 * local factory module, a client from a getter, a fresh-client factory, a re-export chain, a
 * CommonJS module), the rules, each codemod and the report agree on every connection: the same
 * connections, the same leak and blocking verdicts; a codemod rewrites exactly the sites its rule
 * reports, and its output leaves no finding of that rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import addTimeouts from '../../codemods/add-timeouts';
import dedicatedBlockingClient from '../../codemods/dedicated-blocking-client';
import managedLifecycle from '../../codemods/managed-lifecycle';
import releaseInFinally from '../../codemods/release-in-finally';
import sharedClient from '../../codemods/shared-client';
import { rules } from '../../rules';
import { analyzeFile, type FileAnalysisOptions } from '../../src/analysis/standalone';
import { takeInventory } from '../../src/project/inventory';
import { buildReport, DEFAULT_BUDGET } from '../../src/project/report';
import type { CodemodReporter, SiteReport } from '../../src/transform/report';

const root = path.join(__dirname, '../fixtures/agreement');
const files = [
  'src/lib/pool-factory.ts',
  'src/lib/pool.ts',
  'src/lib/redis.ts',
  'src/lib/index.ts',
  'src/lib/legacy.js',
  'src/services/loans.ts',
  'src/services/jobs.ts',
  'src/services/orders.ts',
  'src/services/users.js',
];
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const everyRule = Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, { rule }])) as FileAnalysisOptions['rules'];

/** `file:line rule` for every finding of every rule in `text` (as `file`). */
function findingsIn(file: string, text: string): string[] {
  return analyzeFile(path.join(root, file), text, { rules: everyRule }).findings.map((finding) => `${file}:${finding.line} ${finding.rule}`);
}

type Transform = (file: FileInfo, api: API, options: Options) => string | undefined;

/** Runs a codemod on one file: its output and the lines it rewrote and skipped. */
function runCodemod(transform: Transform, file: string, changedElsewhere?: CodemodReporter['changedElsewhere']): { output: string; rewritten: string[]; skipped: string[] } {
  const rewritten: string[] = [];
  const skipped: string[] = [];
  const reporter = {
    rewritten: (site: SiteReport) => rewritten.push(`${file}:${site.line}`),
    skipped: (site: SiteReport) => skipped.push(`${file}:${site.line}`),
    changedElsewhere,
  };
  const api = { report: () => undefined, stats: () => undefined } as unknown as API;
  const output = transform({ path: path.join(root, file), source: read(file) }, api, { reporter }) ?? read(file);
  return { output, rewritten, skipped };
}

const ruleFindings = files.flatMap((file) => findingsIn(file, read(file)));
const sitesOf = (rule: string): string[] => ruleFindings.filter((finding) => finding.endsWith(` ${rule}`)).map((finding) => finding.split(' ')[0]!);
const report = buildReport(
  takeInventory(files.map((file) => path.join(root, file)), { readFile: (file) => fs.readFileSync(file, 'utf8') }),
  { root, config: undefined },
  DEFAULT_BUDGET,
);

describe('rules, codemods and report agree on the agreement project', () => {
  it('the rules report the faults the project has, and nothing on the correct code beside them', () => {
    expect(ruleFindings.sort()).toEqual([
      'src/services/jobs.ts:5 no-blocking-on-shared-client',
      'src/services/loans.ts:12 prefer-pool-use',
      'src/services/loans.ts:5 no-unreleased-connection',
      'src/services/orders.ts:5 no-unreleased-connection',
    ]);
  });

  it('the report finds every connection, each where it is made and through the modules that make it', () => {
    expect(report.connections.map((connection) => `${connection.id} ${connection.kind} ${connection.scope}`).sort()).toEqual([
      'src/lib/legacy.js:4:16 client module',
      'src/lib/pool-factory.ts:6:10 via src/lib/pool.ts:4:21 pool module',
      'src/lib/pool-factory.ts:8:27 via src/lib/pool.ts:4:21 client module',
      'src/lib/redis.ts:15:10 via src/services/orders.ts:11:17 client function',
      'src/lib/redis.ts:15:10 via src/services/orders.ts:5:17 client function',
      'src/lib/redis.ts:9:25 client function',
    ]);
  });

  it('blocking verdicts: the rule reports exactly the blocking uses the report finds on a shared connection', () => {
    const reportBlocking = report.connections.filter((connection) => connection.shared).flatMap((connection) => connection.blockingUses.map((use) => `${use.file}:${use.line}`));
    // Not vacuous: the project has a blocking use on a shared connection, and connections that are not shared.
    expect(reportBlocking.length).toBeGreaterThan(0);
    expect(report.connections.some((connection) => !connection.shared)).toBe(true);
    expect(reportBlocking).toEqual(sitesOf('no-blocking-on-shared-client'));
    expect(report.findings.filter((finding) => finding.rule === 'shared-blocking').map((finding) => `${finding.location?.file}:${finding.location?.line}`)).toEqual(
      sitesOf('no-blocking-on-shared-client'),
    );
    // The getter's client is one connection however many callers; the CommonJS client serves ordinary commands only.
    expect(report.connections.filter((connection) => !connection.shared).every((connection) => connection.blockingUses.length === 0)).toBe(true);
  });

  it('leak verdicts: each leak the rule reports is a connection or loan the report counts, made where the rule says', () => {
    const leaks = sitesOf('no-unreleased-connection');
    expect(leaks).toEqual(['src/services/loans.ts:5', 'src/services/orders.ts:5']);
    // A fresh client per call of the factory: the report counts one per call site, at the call the rule reports.
    const perCall = report.connections.filter((connection) => connection.via.some((via) => `${via.file}:${via.line}` === 'src/services/orders.ts:5'));
    expect(perCall.map((connection) => connection.commandUses.map((use) => `${use.file}:${use.line}`))).toEqual([['src/services/orders.ts:6']]);
    // The loan comes from the pool the factory module makes: the report puts the loan's commands on that pool.
    const pool = report.connections.find((connection) => connection.kind === 'pool');
    expect(pool?.commandUses.map((use) => `${use.file}:${use.line}`)).toContain('src/services/loans.ts:6');
  });

  it('release-in-finally rewrites exactly the leaks the rule reports, and its output has none left', () => {
    const rewritten: string[] = [];
    for (const file of files) {
      const result = runCodemod(releaseInFinally as Transform, file);
      expect(result.skipped).toEqual([]);
      rewritten.push(...result.rewritten);
      expect(findingsIn(file, result.output).filter((finding) => finding.endsWith(' no-unreleased-connection'))).toEqual([]);
    }
    expect(rewritten).toEqual(sitesOf('no-unreleased-connection'));
  });

  it('managed-lifecycle rewrites the loans the rules report (the leak and the pool.use advice), and its output has neither left', () => {
    const rewritten = new Set<string>();
    for (const file of files) {
      const result = runCodemod(managedLifecycle as Transform, file);
      expect(result.skipped).toEqual([]);
      for (const site of result.rewritten) rewritten.add(site);
      // It rewrites loans only: a file it leaves alone (a client made per call) keeps its finding for release-in-finally.
      if (result.rewritten.length === 0) {
        expect(result.output).toBe(read(file));
        continue;
      }
      const left = findingsIn(file, result.output).filter((finding) => / (no-unreleased-connection|prefer-pool-use)$/.test(finding));
      expect(left).toEqual([]);
    }
    const loanFindings = [...sitesOf('no-unreleased-connection'), ...sitesOf('prefer-pool-use')].filter((site) => site.startsWith('src/services/loans.ts'));
    expect([...rewritten].sort()).toEqual(loanFindings.sort());
  });

  it('add-timeouts and shared-client rewrite nothing where no rule reports anything', () => {
    expect(sitesOf('require-timeout')).toEqual([]);
    for (const file of files) {
      expect(runCodemod(addTimeouts as Transform, file).rewritten).toEqual([]);
      expect(runCodemod(sharedClient as Transform, file).rewritten).toEqual([]);
    }
  });

  it('dedicated-blocking-client rewrites each blocking use the rule reports, adding the dedicated getter to the module that owns the client', () => {
    const elsewhere = new Map<string, string>();
    const rewritten: string[] = [];
    const outputs = new Map<string, string>();
    for (const file of files) {
      const result = runCodemod(dedicatedBlockingClient as Transform, file, (other, _original, text) => elsewhere.set(path.relative(root, other), text));
      expect(result.skipped).toEqual([]);
      rewritten.push(...result.rewritten);
      if (result.output !== read(file)) outputs.set(file, result.output);
    }
    expect(rewritten).toEqual(sitesOf('no-blocking-on-shared-client'));
    // Two more files: the getter's module gets `getRedisBlocking()`, the index re-exports it.
    expect([...outputs.keys(), ...elsewhere.keys()].sort()).toEqual(['src/lib/index.ts', 'src/lib/redis.ts', 'src/services/jobs.ts']);
    expect(elsewhere.get('src/lib/index.ts')).toContain('export { getRedis, getRedisBlocking, createRedisInstance }');
    expect(elsewhere.get('src/lib/redis.ts')).toContain('if (!sharedBlocking) sharedBlocking = getRedis().duplicate({ commandTimeout: 6000 });');
    expect(outputs.get('src/services/jobs.ts')).toContain("await getRedisBlocking().brpop('jobs', 5)");
    // Every file, as rewritten, has no finding of any rule the project did not have, and the blocking one is gone.
    const after = files.flatMap((file) => findingsIn(file, elsewhere.get(file) ?? outputs.get(file) ?? read(file)));
    expect(after.sort()).toEqual(ruleFindings.filter((finding) => !finding.endsWith(' no-blocking-on-shared-client')).sort());
  });
});
