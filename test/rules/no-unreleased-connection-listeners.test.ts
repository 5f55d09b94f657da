/**
 * no-unreleased-connection finds every acquisition before ESLint's traversal, and listens to code
 * paths (every node, through `*` and `*:exit`) only in files that have one: the rule's cost in
 * files that use a shared client and never acquire is no listener per node at all.
 */
import parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-unreleased-connection';

function lint(code: string): { listeners: string[]; messages: string[] } {
  let listeners: string[] = [];
  const watched = {
    ...rule,
    create(context: Parameters<typeof rule.create>[0]) {
      const returned = rule.create(context);
      listeners = Object.keys(returned);
      return returned;
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], plugins: { redis: { rules: { 'no-unreleased-connection': watched as never } } }, languageOptions: { parser }, rules: { 'redis/no-unreleased-connection': 'error' } }],
    { filename: 'file.ts' },
  );
  return { listeners, messages: messages.map((message) => message.messageId ?? message.message) };
}

const POOL = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() }, { max: 10 });`;

describe('no-unreleased-connection listeners', () => {
  it('records no code paths in a file that only uses a module-level client', () => {
    const { listeners, messages } = lint(`import Redis from 'ioredis';
const redis = new Redis();
export async function get(key: string) {
  return redis.get(key);
}`);
    expect(messages).toEqual([]);
    expect(listeners).not.toContain('*');
    expect(listeners).not.toContain('onCodePathStart');
  });

  it('records code paths once a function acquires, and still finds the leak', () => {
    const { listeners, messages } = lint(`${POOL}
export async function get(key: string) {
  const conn = await pool.acquire();
  const value = await conn.get(key);
  await pool.release(conn);
  return value;
}`);
    expect(listeners).toEqual(expect.arrayContaining(['*', '*:exit', 'onCodePathStart']));
    expect(messages).toEqual(['notReleasedOnThrow']);
  });

  it('follows a loan into the reply callback of a command, recorded because it sits in the owner', () => {
    const { messages } = lint(`${POOL}
export function get(key: string, done: (err: unknown, value?: string | null) => void) {
  pool.acquire().then((conn) => {
    conn.get(key, (err, value) => {
      if (err) return done(err);
      pool.release(conn);
      done(null, value);
    });
  });
}`);
    expect(messages).toEqual(['notReleasedOnReturn']);
  });
});
