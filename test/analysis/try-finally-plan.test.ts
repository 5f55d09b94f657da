/**
 * The try/finally plan of `redis/no-unreleased-connection` (what its suggestion and the
 * release-in-finally codemod apply), asked through `analyzeFile` as the codemod asks it: the
 * reason for each shape it will not rewrite, and the kinds that tell loans of a lender with a
 * managed form apart (managed-lifecycle fixes only those).
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import noUnreleasedConnection from '../../rules/no-unreleased-connection';
import { analyzeFile } from '../../src/analysis/standalone';

const FILE = path.join(__dirname, 'example.ts');
const POOL = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis(), destroy: async (c) => void (await c.quit()) }, { max: 2 });
`;

function plansOf(code: string) {
  return analyzeFile(FILE, code, { rules: { 'no-unreleased-connection': { rule: noUnreleasedConnection as never } } }).plans.map((plan) =>
    plan.type === 'skip' ? `S ${plan.line} ${plan.kind}: ${plan.reason}` : `R ${plan.line} ${plan.kind}: ${plan.description}`,
  );
}

describe('try/finally plan: skip reasons', () => {
  it.each([
    [
      'a declaration directly in a switch case',
      `export async function f(kind: string) {
  switch (kind) {
    case 'a':
      const conn = await pool.acquire();
      await conn.ping();
      pool.release(conn);
  }
}`,
      'S 7 try-finally:managed-lender: it is declared directly in a switch case; wrap the case in a block first',
    ],
    [
      'a release inside an expression',
      `export async function f(key: string) {
  const conn = await pool.acquire();
  const value = await conn.get(key);
  const done = (pool.release(conn), value);
  return done;
}`,
      'S 5 try-finally:managed-lender: it is released inside an expression at line 7',
    ],
    [
      'a release in a branch without braces that does something else otherwise',
      `export async function f(key: string) {
  const conn = await pool.acquire();
  await conn.get(key);
  if (await conn.exists(key)) pool.release(conn); else pool.destroy(conn);
}`,
      'S 5 try-finally:managed-lender: it is released in a branch without braces at line 7',
    ],
    [
      'an `await using` declaration the new block would dispose early',
      `export async function f(key: string) {
  const conn = await pool.acquire();
  await using lock = { async [Symbol.asyncDispose]() {} };
  await conn.get(key);
  pool.release(conn);
  void lock;
}`,
      'S 5 try-finally:managed-lender: the `await using` declaration at line 6 would be disposed at the end of the new try block',
    ],
    [
      'a connection taken over by MONITOR',
      `export async function f() {
  const conn = await pool.acquire();
  await conn.monitor();
}`,
      'S 5 try-finally:managed-lender: MONITOR takes the connection over (line 6), and nothing releases it',
    ],
  ])('%s', (_, code, expected) => {
    expect(plansOf(`${POOL}${code}\n`)).toEqual([expected]);
  });
});

describe('try/finally plan: kinds', () => {
  it('tells a loan of a lender with a managed form from a connection', () => {
    expect(
      plansOf(`${POOL}export async function a(key: string) {
  const conn = await pool.acquire();
  await conn.get(key);
  pool.release(conn);
}
export async function b(key: string) {
  const redis = new Redis();
  await redis.get(key);
  redis.disconnect();
}
`),
    ).toEqual(['R 5 try-finally:managed-lender: released in finally', 'R 10 try-finally: released in finally']);
  });
});

describe('try/finally plan: naming the pool again', () => {
  it('names a pool reached by a literal key (`this[\'pool\']`) in the release it adds', () => {
    const code = `${POOL}export class S {
  pool = pool;
  async f(key: string) {
    const conn = await this['pool'].acquire();
    await conn.get(key);
  }
}
`;
    const [plan] = analyzeFile(FILE, code, { rules: { 'no-unreleased-connection': { rule: noUnreleasedConnection as never } } }).plans;
    expect(plan?.type === 'rewrite' && plan.edits.map((edit) => edit.text).join('')).toContain("await this['pool'].release(conn);");
  });
});
