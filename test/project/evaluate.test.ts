/**
 * The static evaluator over the TypeScript AST: what it computes, and what it leaves unknown.
 */
import { SyntaxKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { lookupOption, ProjectEvaluator, toNumber, type StaticValue } from '../../src/project/evaluate';
import { memoryProject } from './helpers';

/** Evaluates the initializer of each `export const <name> = …` in the last file. */
function evaluateAll(files: Record<string, string>): Record<string, StaticValue> {
  const project = memoryProject(files);
  const evaluator = new ProjectEvaluator();
  const last = project.getSourceFileOrThrow(Object.keys(files).at(-1)!);
  const values: Record<string, StaticValue> = {};
  for (const declaration of last.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    if (!declaration.isExported()) continue;
    values[declaration.getName()] = evaluator.evaluate(declaration.getInitializerOrThrow());
  }
  return values;
}

function primitives(values: Record<string, StaticValue>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, value.kind === 'primitive' ? value.value : `<${value.kind}>`]),
  );
}

describe('ProjectEvaluator', () => {
  it('computes literals, constants from other files, arithmetic and Math', () => {
    const values = evaluateAll({
      '/src/config.ts': `
        export const SECOND = 1_000;
        export enum Limits { Connect = 3 * SECOND, Pool = 20 }
        export const settings = { redis: { timeout: SECOND / 2 } } as const;
        export const { redis: { timeout: destructured } } = settings;
      `,
      '/src/values.ts': `
        import { SECOND, Limits, settings, destructured } from './config';
        import * as config from './config';
        const local = 7;
        export const sum = local + SECOND * 2;
        export const viaNamespace = config.SECOND - 1;
        export const min = Math.min(Limits.Connect, 500, local * 100);
        export const max = Math.max(...[1, 2]);
        export const nested = settings.redis.timeout;
        export const fromDestructuring = destructured;
        export const conditional = SECOND > 10 ? 'big' : 'small';
        export const nullish = undefined ?? 42;
        export const template = \`redis://host:\${6379 + 1}\`;
        export const parsed = Number('15') + parseInt('20') + Number.parseInt('5');
        export const infinite = Infinity;
        export const maxSafe = Number.MAX_SAFE_INTEGER;
        export const negative = -SECOND;
        export const fromEnv = Number(process.env.TIMEOUT);
        export const called = compute();
        function compute() { return 5; }
        let mutable = 1;
        export const fromLet = mutable;
      `,
    });
    expect(primitives(values)).toEqual({
      sum: 2007,
      viaNamespace: 999,
      min: 500,
      max: '<unknown>',
      nested: 500,
      fromDestructuring: 500,
      conditional: 'big',
      nullish: 42,
      template: 'redis://host:6380',
      parsed: 40,
      infinite: Infinity,
      maxSafe: Number.MAX_SAFE_INTEGER,
      negative: -1000,
      fromEnv: '<unknown>',
      called: '<unknown>',
      fromLet: '<unknown>',
    });
  });

  it('merges object spreads, and loses what a spread it can’t see may override', () => {
    const values = evaluateAll({
      '/src/objects.ts': `
        declare const runtime: { commandTimeout: number };
        const base = { connectTimeout: 100, commandTimeout: 200 };
        export const known = { ...base, commandTimeout: 300, ...undefined };
        export const overridden = { ...base, ...runtime };
        export const after = { ...runtime, connectTimeout: 5 };
        export const computedKey = { ['connect' + 'Timeout']: 9 };
      `,
    });
    const lookup = (name: string, key: string) => {
      const found = lookupOption(values[name], [key]);
      return found.status === 'present' ? toNumber(found.value) : found.status;
    };
    expect(lookup('known', 'connectTimeout')).toBe(100);
    expect(lookup('known', 'commandTimeout')).toBe(300);
    expect(lookup('known', 'socketTimeout')).toBe('absent');
    expect(lookup('overridden', 'connectTimeout')).toBe('unknown');
    expect(lookup('after', 'connectTimeout')).toBe(5);
    expect(lookup('after', 'commandTimeout')).toBe('unknown');
    expect(lookup('computedKey', 'connectTimeout')).toBe(9);
  });

  it('stays unknown on a constant defined in terms of itself', () => {
    const values = evaluateAll({
      '/src/a.ts': `import { b } from './b'; export const a = b + 1;`,
      '/src/b.ts': `import { a } from './a'; export const b = a + 1;`,
    });
    expect(values.b).toEqual({ kind: 'unknown' });
  });
});
