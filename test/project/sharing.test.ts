/**
 * The report half of "rule and report agree on sharing" (issue 13): a pool used only for a
 * blocking hand-off (BLPOP then LPUSH on the same loan) is dedicated; a pool that also serves
 * ordinary commands on other loans is shared. Both read the same decision (`decideSharing` in
 * src/analysis/sharing.ts); the analysis half is test/analysis/sharing.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { TSESLint } from '@typescript-eslint/utils';
import rule from '../../rules/no-blocking-on-shared-client';
import { analyzeFile } from '../../src/analysis/standalone';
import { connectionNamed, reportOf } from './helpers';

const DEDICATED = `
import { createPool } from 'generic-pool';
import Redis from 'ioredis';
export const handoff = createPool({ create: async () => new Redis(), destroy: async (c) => { await c.quit(); } }, { max: 4 });
export async function move() {
  const client = await handoff.acquire();
  try {
    const job = await client.blpop('incoming', 5);
    if (job) await client.lpush('working', job[1]);
  } finally {
    await handoff.release(client);
  }
}
`;

const SHARED = `
import { createPool } from 'generic-pool';
import Redis from 'ioredis';
export const cache = createPool({ create: async () => new Redis(), destroy: async (c) => { await c.quit(); } }, { max: 4 });
export async function next() {
  const client = await cache.acquire();
  try {
    return await client.blpop('incoming', 5);
  } finally {
    await cache.release(client);
  }
}
export const read = (key: string) => cache.use((client) => client.get(key));
`;

function ruleFindings(text: string): string[] {
  const { findings } = analyzeFile('/src/pool.ts', text, {
    rules: { 'no-blocking-on-shared-client': { rule: rule as unknown as TSESLint.RuleModule<string, readonly unknown[]> } },
  });
  return findings.map((finding) => `${finding.line} ${finding.messageId}`);
}

describe('rule and report agree on sharing', () => {
  it('a pool used only for a blocking hand-off is dedicated', () => {
    const report = reportOf({ '/src/pool.ts': DEDICATED });
    const pool = connectionNamed(report, 'handoff');
    expect(pool.blockingUses.map((use) => use.command)).toEqual(['BLPOP']);
    expect(pool.commandUses.map((use) => use.command)).toEqual(['LPUSH']);
    expect(pool.shared).toBe(false);
    expect(report.findings).toEqual([]);
    expect(ruleFindings(DEDICATED)).toEqual([]);
  });

  it('a pool that serves blocking and ordinary commands on other loans is shared', () => {
    const report = reportOf({ '/src/pool.ts': SHARED });
    const pool = connectionNamed(report, 'cache');
    expect(pool.shared).toBe(true);
    expect(report.findings.map((finding) => `${finding.location?.line} ${finding.rule}`)).toEqual(['8 shared-blocking']);
    expect(ruleFindings(SHARED)).toEqual(['8 blockingOnSharedPool']);
  });
});
