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
import { acquisitionAt, bindingOf, describeValue, type LoanOptions } from '../../src/analysis/loans';
import { mayThrow } from '../../src/analysis/may-throw';

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

  it('knows a caught promise does not reject unless its handler throws, and loggers do not throw', () => {
    const results: Record<string, boolean> = {};
    inspect(
      `import Redis from 'ioredis';
const redis = new Redis();
export async function f(x, logger, store) {
  await redis.get(x).catch(() => null);
  await redis.get(x).catch(console.error);
  await redis.get(x).then((v) => v?.length, () => 0);
  await redis.get(x).then((v) => JSON.parse(v)).catch((err) => logger.warn(err));
  await redis.get(x).catch((err) => { throw err; });
  await redis.get(x).catch(async () => null);
  await redis.get(x).catch(async () => { await store.flush(); });
  await redis.get(x).catch(() => redis.get('fallback'));
  await redis.get(x).catch(handle);
  await redis.get(x).then((v) => JSON.parse(v));
  await redis.get(x).catch(() => null).finally(() => store.flush());
  logger.warn(x);
  this.logger.error(x);
  store.error(x);
  const level = logger.info(x);
}`,
      (node, context) => {
        if (node.type !== 'AwaitExpression' && node.type !== 'CallExpression') return;
        results[context.sourceCode.getText(node)] = mayThrow(node, getRedisAnalysis(context));
      },
    );
    expect(results).toMatchObject({
      'await redis.get(x).catch(() => null)': false,
      'await redis.get(x).catch(console.error)': false,
      'await redis.get(x).then((v) => v?.length, () => 0)': false,
      'await redis.get(x).then((v) => JSON.parse(v)).catch((err) => logger.warn(err))': false,
      'await redis.get(x).catch((err) => { throw err; })': true,
      'await redis.get(x).catch(async () => null)': false,
      'await redis.get(x).catch(async () => { await store.flush(); })': true,
      "await redis.get(x).catch(() => redis.get('fallback'))": true,
      'await redis.get(x).catch(handle)': true,
      'await redis.get(x).then((v) => JSON.parse(v))': true,
      'await redis.get(x).catch(() => null).finally(() => store.flush())': true,
      'logger.warn(x)': false,
      'this.logger.error(x)': false,
      'store.error(x)': true,
      // A logger call whose value is used is not a statement of its own: no exemption.
      'logger.info(x)': true,
    });
  });

  it('knows a promise made in place rejects only through reject, a synchronous throw or what it resolves with', () => {
    const results: Record<string, boolean> = {};
    inspect(
      `import Redis from 'ioredis';
const redis = new Redis({ lazyConnect: true });
export async function f(ms, raw) {
  await new Promise((r) => setTimeout(r, ms));
  await new Promise<void>((resolve) => { console.log('wait'); setImmediate(() => resolve()); });
  await new Promise(async (resolve) => { await redis.connect(resolve); });
  await new Promise((resolve) => { resolve(); });
  await new Promise((resolve, reject) => setTimeout(reject, ms));
  await new Promise(async (resolve, reject) => { await redis.connect(resolve); });
  await new Promise((resolve) => { JSON.parse(raw); resolve(1); });
  await new Promise((resolve) => resolve(fetch(raw)));
  await new Promise(async (resolve) => resolve(fetch(raw)));
  await new Promise(executor);
  await new Promise(function* (resolve) { yield resolve; });
}`,
      (node, context) => {
        if (node.type !== 'AwaitExpression') return;
        results[context.sourceCode.getText(node).replace(/\s+/g, ' ')] = mayThrow(node, getRedisAnalysis(context));
      },
    );
    expect(results).toEqual({
      'await new Promise((r) => setTimeout(r, ms))': false,
      "await new Promise<void>((resolve) => { console.log('wait'); setImmediate(() => resolve()); })": false,
      'await new Promise(async (resolve) => { await redis.connect(resolve); })': false,
      'await new Promise((resolve) => { resolve(); })': false,
      'await redis.connect(resolve)': true,
      'await new Promise((resolve, reject) => setTimeout(reject, ms))': true,
      'await new Promise(async (resolve, reject) => { await redis.connect(resolve); })': false,
      'await new Promise((resolve) => { JSON.parse(raw); resolve(1); })': true,
      'await new Promise((resolve) => resolve(fetch(raw)))': true,
      // Async, so nothing it throws rejects: only what it resolves with can.
      'await new Promise(async (resolve) => resolve(fetch(raw)))': true,
      'await new Promise(executor)': true,
      'await new Promise(function* (resolve) { yield resolve; })': true,
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

  function finalizerOf(paths: FunctionPaths, line = 0): TSESTree.BlockStatement {
    const finalizers: TSESTree.BlockStatement[] = [];
    for (const steps of paths.steps.values()) {
      for (const step of steps) {
        const node = step.node;
        if (node.type === 'BlockStatement' && node.parent?.type === 'TryStatement' && node.parent.finalizer === node && !finalizers.includes(node)) {
          finalizers.push(node);
        }
      }
    }
    return finalizers.sort((a, b) => a.range[0] - b.range[0])[line]!;
  }

  it('enters a finally block on its normal copies first, then on the leaving copies', () => {
    const [paths] = pathsOf(`function f(x) {
  try {
    if (x) return 1;
    g();
  } finally {
    h();
  }
  return 2;
}`);
    const started = paths!.entersOf(finalizerOf(paths!)).map(({ segment }) => segment);
    expect(started).toHaveLength(2);
    // The leaving copy ends the function (return and throw merged); the normal one goes on to `return 2`.
    const returnsTwo = (segment: (typeof started)[number]) =>
      (paths!.steps.get(segment) ?? []).some((step) => step.node.type === 'ReturnStatement');
    expect(paths!.codePath.finalSegments).toContain(started[1]);
    expect(started[1]!.nextSegments).toEqual([]);
    expect(returnsTwo(started[0]!)).toBe(true);
    expect(returnsTwo(started[1]!)).toBe(false);
    // The try statement ends on the one normal path: twice that many copies means leaving copies exist.
    expect(paths!.exitsOf(finalizerOf(paths!).parent!)).toHaveLength(1);
  });

  it('runs a finally block only on its normal path when nothing returns or throws from try or catch', () => {
    // The catch ends in `continue`: ESLint merges the try and catch ends into one new path and
    // makes no leaving copy, so the one path entering the finally block is the normal one.
    const [paths] = pathsOf(`function f(xs) {
  for (const x of xs) {
    try {
      g(x);
    } catch (e) {
      continue;
    } finally {
      h();
    }
  }
}`);
    const finalizer = finalizerOf(paths!);
    expect(paths!.entersOf(finalizer)).toHaveLength(1);
    expect(paths!.exitsOf(finalizer.parent!)).toHaveLength(1);
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
    const finallySegments = paths!.entersOf(finalizerOf(paths!)).map((position) => position.segment);
    expect(segment.nextSegments.some((next) => finallySegments.includes(next))).toBe(false);
  });

  it('finds the paths from one node to another, stopping at barriers', () => {
    const [paths] = pathsOf(`function f(x) {
  a();
  if (x) { b(); return; }
  c();
  d();
}`);
    const call = (name: string) => {
      for (const steps of paths!.steps.values()) {
        for (const step of steps) {
          const node = step.node;
          if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === name) return node;
        }
      }
      throw new Error(name);
    };
    expect(paths!.reaches(call('a'), new Set([call('d')]), new Set())).toBe(true);
    expect(paths!.reaches(call('b'), new Set([call('d')]), new Set())).toBe(false);
    expect(paths!.reaches(call('a'), new Set([call('d')]), new Set([call('c')]))).toBe(false);
  });
});

