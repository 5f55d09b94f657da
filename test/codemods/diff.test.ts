/**
 * The unified diff `--dry` prints matches GNU `diff -u` hunk for hunk (so `patch` and
 * `git apply` take it), and rewritten lines map back to the lines of the original.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffLines, lineMapper, unifiedDiff } from '../../src/transform/diff';

function gnuDiff(a: string, b: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-diff-'));
  try {
    fs.writeFileSync(path.join(dir, 'old'), a);
    fs.writeFileSync(path.join(dir, 'new'), b);
    try {
      return execFileSync('diff', ['-u', 'old', 'new'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      return (error as { stdout: string }).stdout;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** GNU diff's hunks, without its file header lines. */
const hunks = (diff: string) => diff.split('\n').filter((line) => !line.startsWith('--- ') && !line.startsWith('+++ ')).join('\n');

const lines = (count: number, prefix = 'line') => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

describe('unifiedDiff', () => {
  const cases: Array<[string, string, string]> = [
    ['a change in the middle', `${lines(20).join('\n')}\n`, `${lines(20).map((line, i) => (i === 9 ? 'changed' : line)).join('\n')}\n`],
    ['insertions near both ends (two hunks)', `${lines(30).join('\n')}\n`, `${['top', ...lines(30).slice(0, 29), 'inserted', lines(30)[29]].join('\n')}\n`],
    ['close changes (one hunk)', `${lines(12).join('\n')}\n`, `${lines(12).map((line, i) => (i === 3 || i === 8 ? `${line}!` : line)).join('\n')}\n`],
    ['a deletion at the start', `${lines(6).join('\n')}\n`, `${lines(6).slice(2).join('\n')}\n`],
    ['no newline at the end', `${lines(4).join('\n')}`, `${lines(4).join('\n')}\nmore`],
    ['an empty old text', '', 'one\ntwo\n'],
  ];

  it.each(cases)('%s: the same hunks as diff -u', (_, a, b) => {
    const ours = unifiedDiff(a, b, 'file.ts');
    expect(ours.startsWith('--- a/file.ts\n+++ b/file.ts\n')).toBe(true);
    expect(hunks(ours)).toBe(hunks(gnuDiff(a, b)));
  });

  it('is empty for equal texts', () => {
    expect(unifiedDiff('same\n', 'same\n', 'x')).toBe('');
  });

  it('applies with patch', () => {
    const [, a, b] = cases[1]!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-patch-'));
    try {
      fs.writeFileSync(path.join(dir, 'file.ts'), a);
      execFileSync('patch', ['-p1', '-s'], { cwd: dir, input: unifiedDiff(a, b, 'file.ts') });
      expect(fs.readFileSync(path.join(dir, 'file.ts'), 'utf8')).toBe(b);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds a shortest edit script', () => {
    const operations = diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
    expect(operations.filter((operation) => operation.kind !== 'equal')).toHaveLength(5);
  });
});

describe('lineMapper', () => {
  it('maps re-indented and unchanged lines back, and inserted ones to the line before', () => {
    const original = 'function f() {\n  const conn = get();\n  use(conn);\n  done();\n}\n';
    const rewritten = 'function f() {\n  let x;\n  const conn = get();\n  try {\n    use(conn);\n  } finally {\n    done();\n  }\n}\n';
    const toOriginal = lineMapper(original, rewritten);
    expect([1, 2, 3, 4, 5, 9].map(toOriginal)).toEqual([1, 1, 2, 2, 3, 5]);
  });
});
