/** The analysis outside ESLint: parsers by file, the same findings as in ESLint, plans collected. */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile, hasFlowPragma, UnparsableFileError, type FileAnalysisOptions } from '../../src/analysis/standalone';
import { collectingPlans, collectPlans, recordPlan } from '../../src/analysis/plans';
import { rules } from '../../rules';

const every: FileAnalysisOptions['rules'] = Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, { rule: rule as never }]));
const at = (name: string) => path.join(__dirname, '..', 'fixtures', 'standalone', name);

const LEAK = `
const Redis = require('ioredis');
async function handler(key) {
  const client = new Redis({ commandTimeout: 500 });
  client.on('error', () => {});
  return client.get(key);
}
module.exports = { handler };
`;

describe('analyzeFile', () => {
  it('reads TypeScript with typescript-estree and finds what the rules find', () => {
    const source = `import Redis from 'ioredis';\nexport async function f(k: string): Promise<string | null> {\n  const c = new Redis({ commandTimeout: 500 });\n  c.on('error', () => {});\n  await c.get(k);\n  return null;\n}\n`;
    const result = analyzeFile(at('leak.ts'), source, { rules: every });
    expect(result.parser).toBe('typescript');
    expect(result.findings.map((finding) => `${finding.rule}:${finding.line}`)).toEqual(['no-unreleased-connection:3']);
  });

  it('reads `a < b > (c)` in JavaScript as comparisons, not as a generic call', () => {
    const source = `const a = 1, b = 2, c = 3;\nconst x = a < b > (c);\n${LEAK}`;
    const result = analyzeFile(at('compare.js'), source, { rules: every });
    expect(result.parser).toBe('espree-module');
    expect(result.findings.map((finding) => finding.rule)).toContain('no-unreleased-connection');
  });

  it('reads sloppy-mode scripts (`with`, legacy octals) as CommonJS', () => {
    const source = `var o = { v: 010 };\nwith (o) { v; }\n${LEAK}`;
    const result = analyzeFile(at('sloppy.js'), source, { rules: every });
    expect(result.parser).toBe('espree-script');
    expect(result.findings.map((finding) => finding.rule)).toContain('no-unreleased-connection');
  });

  it('falls back to typescript-estree for JavaScript espree cannot read (decorators)', () => {
    const source = `function d(t) { return t; }\n@d class A {}\n${LEAK}`;
    const result = analyzeFile(at('decorated.js'), source, { rules: every });
    expect(result.parser).toBe('typescript-js');
    expect(result.findings.map((finding) => finding.rule)).toContain('no-unreleased-connection');
  });

  it('reads JSX in .jsx and .tsx files', () => {
    const jsx = analyzeFile(at('view.jsx'), `export const V = () => <div a="1">{x}</div>;\n`, { rules: every });
    expect(jsx.findings).toEqual([]);
    const tsx = analyzeFile(at('view.tsx'), `export const V = (p: { x: string }) => <div>{p.x}</div>;\n`, { rules: every });
    expect(tsx.parser).toBe('typescript');
  });

  it('throws a one-line UnparsableFileError with the position', () => {
    try {
      analyzeFile(at('broken.ts'), 'export const = ;\n', { rules: every });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnparsableFileError);
      expect((error as UnparsableFileError).line).toBe(1);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads Flow files, Flow-only syntax included, with hermes-eslint', () => {
    const source = `// @flow\nfunction f(x: ?string): {| a: number |} { return { a: 1 }; }\n${LEAK}`;
    const result = analyzeFile(at('typed.js'), source, { rules: every });
    expect(result.parser).toBe('hermes');
    expect(result.findings.map((finding) => finding.rule)).toContain('no-unreleased-connection');
  });

  it('tells Flow files by their pragma only', () => {
    expect(hasFlowPragma('/* @flow */\nconst a = 1;')).toBe(true);
    expect(hasFlowPragma('// @flow strict\n')).toBe(true);
    expect(hasFlowPragma('const flow = "@flow";')).toBe(false);
  });
});

describe('plans', () => {
  it('are kept only while a caller collects them', () => {
    const plan = { type: 'skip' as const, rule: 'r', kind: 'k', line: 1, column: 0, reason: 'why' };
    expect(collectingPlans()).toBe(false);
    recordPlan(plan);
    const { plans, result } = collectPlans(() => {
      expect(collectingPlans()).toBe(true);
      recordPlan(plan);
      return 7;
    });
    expect(result).toBe(7);
    expect(plans).toEqual([plan]);
    expect(collectingPlans()).toBe(false);
  });
});
