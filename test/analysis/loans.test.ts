/**
 * The shared loan analysis on its own: recognition (what acquires, how it is bound, what may
 * throw), the ESLint code-path shapes the path engine relies on, and the text builders the
 * codemods reuse.
 */
import * as parser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { getRedisAnalysis } from '../../src/analysis';
import { createPathRecorder, type FunctionPaths } from '../../src/analysis/loan-paths';
import { managedCallText, movedBody, tryFinallyText, type MovedCode } from '../../src/analysis/loan-rewrites';
import { acquisitionAt, bindingOf, describeValue, mayThrow, type LoanOptions } from '../../src/analysis/loans';

const OPTIONS: LoanOptions = { releaseMethods: new Set(), callsTakeOwnership: true };

/** Runs `visit` on every node of the code with the file's analysis at hand. */
function inspect(code: string, visit: (node: TSESTree.Node, context: TSESLint.RuleContext<string, []>) => void): void {
  const linter = new Linter({ configType: 'flat' });
  const rule = {
    create(context: TSESLint.RuleContext<string, []>) {
      return { '*': (node: TSESTree.Node) => visit(node, context) };
    },
  };
  const messages = linter.verify(code, {
    files: ['**/*.ts'],
    languageOptions: { parser: parser as never, sourceType: 'module' },
    plugins: { test: { rules: { inspect: rule as never } } },
    rules: { 'test/inspect': 'error' },
    settings: { redis: { versions: {} } },
  }, 'file.ts');
  expect(messages.filter((message) => message.fatal)).toEqual([]);
}

function acquisitions(code: string) {
  const found: { text: string; what: string; binding: string }[] = [];
  inspect(code, (node, context) => {
    const analysis = getRedisAnalysis(context);
    const acquisition = acquisitionAt(node, analysis);
    if (!acquisition) return;
    found.push({
      text: context.sourceCode.getText(acquisition.node),
      what: describeValue(acquisition.value, acquisition.lender),
      binding: bindingOf(acquisition, analysis, OPTIONS).type,
    });
  });
  return found;
}

describe('acquisitionAt and bindingOf', () => {
  it('recognises loans and per-call connections by origin, and how they are kept', () => {
    expect(
      acquisitions(`import { createPool } from 'generic-pool';
import { Pool } from 'tarn';
import Redis from 'ioredis';
import { createClient } from 'redis';
const pool = createPool({ create: async () => new Redis(), destroy: (c) => c.quit() });
const tarnPool = new Pool({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 0, max: 2 });
const shared = createClient();
export async function f() {
  const a = await pool.acquire();
  const b = await tarnPool.acquire().promise;
  const c = shared.duplicate();
  pool.acquire().then((d) => d.get('x'));
  await new Redis().get('x');
  return new Redis();
}`),
    ).toEqual([
      // The pools' own factories make connections and hand them to the pool.
      { text: 'new Redis()', what: 'ioredis client', binding: 'handed-over' },
      { text: 'new Redis()', what: 'ioredis client', binding: 'handed-over' },
      { text: 'pool.acquire()', what: 'generic-pool loan', binding: 'variable' },
      { text: 'tarnPool.acquire().promise', what: 'tarn loan', binding: 'variable' },
      // Unconnected until connect(): nothing is held yet, but the variable still binds it.
      { text: 'shared.duplicate()', what: 'node-redis duplicate client', binding: 'variable' },
      { text: 'pool.acquire()', what: 'generic-pool loan', binding: 'callback' },
      { text: 'new Redis()', what: 'ioredis client', binding: 'dropped' },
      { text: 'new Redis()', what: 'ioredis client', binding: 'handed-over' },
    ]);
  });

  it('ignores module-level values, unknown origins and pools that lend something else', () => {
    expect(
      acquisitions(`import { createPool } from 'generic-pool';
import Redis from 'ioredis';
import pg from 'pg';
import { makePool } from './pools';
const pgPool = createPool({ create: async () => new pg.Client(), destroy: (c) => c.end() });
const mine = makePool();
const redis = new Redis();
export async function f(anything) {
  await pgPool.acquire();
  await mine.acquire();
  await anything.acquire();
}`),
    ).toEqual([]);
  });
});

describe('mayThrow', () => {
  it('treats calls, awaits and throws as throwing, except safe built-ins, promise chains and Redis commands', () => {
    const results: Record<string, boolean> = {};
    inspect(
      `import Redis from 'ioredis';
const redis = new Redis();
export async function f(x) {
  JSON.parse(x);
  console.log(x);
  Math.max(1, 2);
  new Map();
  new Session(x);
  fetch(x).then(String);
  redis.get(x);
  await redis.get(x);
}`,
      (node, context) => {
        if (node.type !== 'CallExpression' && node.type !== 'NewExpression' && node.type !== 'AwaitExpression') return;
        results[context.sourceCode.getText(node)] = mayThrow(node, getRedisAnalysis(context));
      },
    );
    expect(results).toMatchObject({
      'JSON.parse(x)': true,
      'console.log(x)': false,
      'Math.max(1, 2)': false,
      'new Map()': false,
      'new Session(x)': true,
      'fetch(x)': false,
      'fetch(x).then(String)': false,
      'redis.get(x)': false,
      'await redis.get(x)': true,
    });
  });
});

describe('ESLint code paths the engine relies on', () => {
  function pathsOf(code: string): FunctionPaths[] {
    const recorded: FunctionPaths[] = [];
    const linter = new Linter({ configType: 'flat' });
    const rule = { create: () => createPathRecorder((paths) => recorded.push(paths)) };
    linter.verify(code, {
      languageOptions: { sourceType: 'module' },
      plugins: { test: { rules: { record: rule as never } } },
      rules: { 'test/record': 'error' },
    });
    return recorded;
  }

  it('starts the normal copies of a finally block first, then the leaving copies', () => {
    const [paths] = pathsOf(`function f(x) {
  try {
    if (x) return 1;
    g();
  } finally {
    h();
  }
  return 2;
}`);
    const finalizer = [...paths!.startedAt.keys()].find((node) => node.type === 'BlockStatement' && node.parent?.type === 'TryStatement');
    const started = paths!.startedAt.get(finalizer!)!;
    expect(started).toHaveLength(2);
    // The leaving copy ends the function (return and throw merged); the normal one goes on to `return 2`.
    const returnsTwo = (segment: (typeof started)[number]) =>
      (paths!.steps.get(segment) ?? []).some((step) => step.node.type === 'ReturnStatement');
    expect(paths!.codePath.finalSegments).toContain(started[1]);
    expect(started[1]!.nextSegments).toEqual([]);
    expect(returnsTwo(started[0]!)).toBe(true);
    expect(returnsTwo(started[1]!)).toBe(false);
  });

  it('sends continue straight to the loop, past the finally block', () => {
    const [paths] = pathsOf(`function f(xs) {
  for (const x of xs) {
    try {
      if (x) continue;
    } finally {
      h();
    }
  }
}`);
    const jump = [...paths!.steps.entries()].find(([, steps]) => steps.some((step) => step.node.type === 'ContinueStatement'));
    const [segment] = jump!;
    const finalizer = [...paths!.startedAt.keys()].find((node) => node.type === 'BlockStatement' && node.parent?.type === 'TryStatement');
    const finallySegments = paths!.startedAt.get(finalizer!) ?? [];
    expect(segment.nextSegments.some((next) => finallySegments.includes(next))).toBe(false);
  });
});

describe('rewrite text', () => {
  const text = `async function f() {
  const c = await pool.acquire();
  const v = await c.get(\`a
b\`);
  await pool.release(c);
  return v;
}`;
  const start = text.indexOf('const v');
  const releaseStart = text.indexOf('await pool.release');
  const code: MovedCode = {
    text,
    range: [start, text.indexOf('return v;') + 'return v;'.length],
    omit: [[releaseStart, text.indexOf(';', releaseStart) + 1]],
    verbatim: [[text.indexOf('`'), text.lastIndexOf('`') + 1]],
    indent: '  ',
    unit: '  ',
  };

  it('moves statements one level in, drops the omitted ones, and keeps template lines', () => {
    expect(movedBody(code)).toBe('    const v = await c.get(`a\nb`);\n    return v;');
  });

  it('builds try/finally and the managed call', () => {
    expect(tryFinallyText(code, 'await pool.release(c);')).toBe(
      'try {\n    const v = await c.get(`a\nb`);\n    return v;\n  } finally {\n    await pool.release(c);\n  }',
    );
    expect(managedCallText(code, { prefix: 'return ', owner: 'pool', method: 'use', param: 'c' })).toBe(
      'return pool.use(async (c) => {\n    const v = await c.get(`a\nb`);\n    return v;\n  });',
    );
  });
});
