/**
 * Sharing is decided once (src/analysis/sharing.ts `sharingOf`), and the rule reports exactly the
 * blocking calls that decision calls shared. This is the analysis-side half of issue 13's
 * agreement test: the report asks the same function per file (its half lives with the report).
 */
import * as parser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-blocking-on-shared-client';
import { getRedisAnalysis } from '../../src/analysis/context';
import { sharingOf, type ConnectionSharing } from '../../src/analysis/sharing';

type Facts = Omit<ConnectionSharing, 'connection' | 'reason'>;

function analyse(code: string): { facts: Facts[]; findings: Linter.LintMessage[] } {
  let facts: Facts[] = [];
  const probe = {
    meta: { type: 'problem', schema: [], messages: {} },
    create(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>) {
      return {
        'Program:exit'() {
          facts = sharingOf(getRedisAnalysis(context), { everyConnection: true }).map(({ connection: _connection, reason: _reason, ...rest }) => rest);
        },
      };
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: parser as never, sourceType: 'module' },
        plugins: { redis: { rules: { probe, 'no-blocking-on-shared-client': rule } } as never },
        rules: { 'redis/probe': 'error', 'redis/no-blocking-on-shared-client': 'error' },
      },
    ],
    'file.ts',
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(fatal.message);
  return { facts, findings: messages.filter((message) => message.ruleId === 'redis/no-blocking-on-shared-client') };
}

/** The rule reports a blocking call exactly when the decision calls it shared. */
function expectAgreement({ facts, findings }: ReturnType<typeof analyse>): void {
  const shared = facts.flatMap((fact) => fact.blocking.filter((use) => use.shared).map((use) => `${use.line}:${use.column}`));
  expect(findings.map((finding) => `${finding.line}:${finding.column - 1}`).sort()).toEqual(shared.sort());
}

const POOL = `import genericPool from 'generic-pool';
import Redis from 'ioredis';
const pool = genericPool.createPool({ create: async () => new Redis(), destroy: async (c) => { await c.quit(); } }, { max: 4 });
`;

describe('sharingOf', () => {
  it('a pool used only for a blocking hand-off is dedicated: BLPOP then LPUSH on the same loan', () => {
    const result = analyse(`${POOL}
export async function handoff(id: string) {
  const connection = await pool.acquire();
  try {
    const reply = await connection.blpop(\`reply:\${id}\`, 5);
    await connection.lpush('done', id);
    return reply;
  } finally {
    await pool.release(connection);
  }
}`);
    expect(result.facts).toEqual([
      {
        role: 'pool',
        name: 'pool',
        scope: 'module',
        usedForBlocking: true,
        usedForCommands: true,
        verdict: 'dedicated',
        blocking: [{ command: 'BLPOP', line: 8, column: 24, shared: false }],
      },
    ]);
    expect(result.findings).toEqual([]);
    expectAgreement(result);
  });

  it('a pool that serves blocking and ordinary commands on different loans is shared', () => {
    const result = analyse(`${POOL}
export const cached = (key: string) => pool.use((client) => client.get(key));
export async function next() {
  const connection = await pool.acquire();
  try {
    return await connection.brpop('jobs', 0);
  } finally {
    await pool.release(connection);
  }
}`);
    expect(result.facts.map(({ name, verdict, usedForBlocking, usedForCommands }) => ({ name, verdict, usedForBlocking, usedForCommands }))).toEqual([
      { name: 'pool', verdict: 'shared', usedForBlocking: true, usedForCommands: true },
    ]);
    expect(result.findings.map((finding) => [finding.messageId, finding.line])).toEqual([['blockingOnSharedPool', 9]]);
    expectAgreement(result);
  });

  it('clients: shared by other work or an export, dedicated duplicates, and clients that never block', () => {
    const result = analyse(`import Redis from 'ioredis';
const redis = new Redis();
const blocking = redis.duplicate();
export const exported = new Redis();
const cache = new Redis();
export const get = (key: string) => redis.get(key);
export const next = () => redis.blpop('jobs', 1);
export const take = () => blocking.blpop('jobs', 0);
export const drain = () => exported.brpop('jobs', 2);
export const read = (key: string) => cache.get(key);`);
    expect(result.facts.map(({ name, verdict }) => `${name} ${verdict}`)).toEqual(['redis shared', 'blocking dedicated', 'exported shared', 'cache no-blocking']);
    expect(result.findings.map((finding) => finding.line)).toEqual([7, 9]);
    expectAgreement(result);
  });

  it('everyConnection lists the clients of a file with no blocking call, for the report', () => {
    expect(analyse(`import Redis from 'ioredis';
const redis = new Redis();
export const get = (key: string) => redis.get(key);`).facts).toEqual([
      { role: 'client', name: 'redis', scope: 'module', usedForBlocking: false, usedForCommands: true, verdict: 'no-blocking', blocking: [] },
    ]);
  });
});
