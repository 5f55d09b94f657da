/**
 * How much of a file every codemod changes: for each fixture pair, the lines changed (removed
 * plus added, by a line diff of input and expected output) against the smallest correct rewrite
 * we can justify, recorded beside the fixture as `<case>.minimal.json`
 * (`{ minimal, allowedExcess?, why }`). A rewrite that grows past its recorded excess fails, and
 * so does a minimal that the output beats (the record must then be lowered).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCases } from './harness';

interface Minimal {
  minimal: number;
  allowedExcess?: number;
  why: string;
}

/** Lines removed plus lines added by a longest-common-subsequence line diff. */
export function linesChanged(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    previous = current;
  }
  const common = previous[b.length]!;
  return a.length - common + (b.length - common);
}

const CODEMODS = ['release-in-finally', 'managed-lifecycle', 'add-timeouts', 'dedicated-blocking-client', 'shared-client'];

describe('lines changed vs the smallest correct rewrite', () => {
  it('counts a line diff', () => {
    expect(linesChanged('a\nb\nc', 'a\nb\nc')).toBe(0);
    expect(linesChanged('a\nb\nc', 'a\ntry {\n  b\n}\nc')).toBe(4);
  });

  for (const codemod of CODEMODS) {
    const dir = path.join(__dirname, '__testfixtures__', codemod);
    for (const fixture of fixtureCases(dir)) {
      it(`${codemod}/${fixture.name}`, () => {
        const record = path.join(dir, `${fixture.name}.minimal.json`);
        expect(fs.existsSync(record), `${record} records the smallest rewrite`).toBe(true);
        const { minimal, allowedExcess = 0, why } = JSON.parse(fs.readFileSync(record, 'utf8')) as Minimal;
        expect(why.trim(), `${record} says why`).not.toBe('');
        const actual = linesChanged(fs.readFileSync(fixture.input, 'utf8'), fs.readFileSync(fixture.output, 'utf8'));
        expect(actual).toBeGreaterThanOrEqual(minimal);
        expect(actual - minimal).toBeLessThanOrEqual(allowedExcess);
      });
    }
  }

  // Computed here, not from the per-case tests' side effects, so it holds when run alone; what it
  // checks the per-case tests cannot: every codemod has recorded fixtures, and they rewrite something.
  it('reports the totals', () => {
    for (const codemod of CODEMODS) {
      const dir = path.join(__dirname, '__testfixtures__', codemod);
      const cases = fixtureCases(dir);
      let actual = 0;
      let minimal = 0;
      let recorded = 0;
      for (const fixture of cases) {
        const record = path.join(dir, `${fixture.name}.minimal.json`);
        if (!fs.existsSync(record)) continue;
        recorded++;
        minimal += (JSON.parse(fs.readFileSync(record, 'utf8')) as Minimal).minimal;
        actual += linesChanged(fs.readFileSync(fixture.input, 'utf8'), fs.readFileSync(fixture.output, 'utf8'));
      }
      console.log(`${codemod}: ${actual} lines changed, smallest justified ${minimal}`);
      expect(cases.length, `${codemod} has fixtures`).toBeGreaterThan(0);
      expect(recorded, `every ${codemod} fixture has a .minimal.json`).toBe(cases.length);
      expect(minimal, `${codemod}'s records justify some change`).toBeGreaterThan(0);
      expect(actual).toBeGreaterThanOrEqual(minimal);
    }
  });
});
