/**
 * Sharing is decided once (src/analysis/sharing.ts, `FileSharing.reasonFor`), and the rule
 * reports exactly the blocking calls that decision calls shared. This is the analysis-side half
 * of issue 13's agreement test (the report's half lives with the report).
 */
import * as parser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-blocking-on-shared-client';
import { getRedisAnalysis } from '../../src/analysis/context';
import { getSharing } from '../../src/analysis/sharing';
import { takesOverConnection } from '../../src/catalog';

/** What is decided about one connection of a file. */
interface Facts {
  role: 'client' | 'pool';
  name: string;
  scope: string;
  /** Some blocking or takeover command runs on it (one that takes it over, for takeovers). */
  usedForBlocking: boolean;
  usedForCommands: boolean;
  /**
   * `shared`: a blocking call on it stalls other work (the rule reports it); `dedicated`: it
   * runs blocking calls and nothing shares it (a pool whose loans each do one hand-off, BLPOP
   * then LPUSH on the same loan, is dedicated); `no-blocking`: no blocking call runs on it.
   */
  verdict: 'shared' | 'dedicated' | 'no-blocking';
  blocking: { command: string; line: number; column: number; shared: boolean }[];
}

/** Every connection of the file with the decision for each of its blocking calls. */
function sharingOf(analysis: ReturnType<typeof getRedisAnalysis>): Facts[] {
  const sharing = getSharing(analysis, { everyConnection: true });
  return sharing.connections.map((connection) => {
    const blocking = connection.blocking
      .filter((use) => use.command.type === 'blocking' || takesOverConnection(use.command.command, sharing.protocolOf(connection)))
      .map((use) => ({ use, reason: sharing.reasonFor(connection, use) }));
    const shared = blocking.some((entry) => entry.reason);
    return {
      role: connection.role,
      name: connection.name,
      scope: connection.scope,
      usedForBlocking: blocking.length > 0,
      usedForCommands: connection.work.length > 0,
      verdict: blocking.length === 0 ? 'no-blocking' : shared ? 'shared' : 'dedicated',
      blocking: blocking.map(({ use, reason }) => ({
        command: use.command.command,
        line: use.command.call.loc.start.line,
        column: use.command.call.loc.start.column,
        shared: reason !== undefined,
      })),
    };
  });
}

function analyse(code: string): { facts: Facts[]; findings: Linter.LintMessage[] } {
  let facts: Facts[] = [];
  const probe = {
    meta: { type: 'problem', schema: [], messages: {} },
    create(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>) {
      return {
        'Program:exit'() {
          facts = sharingOf(getRedisAnalysis(context));
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
