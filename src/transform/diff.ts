/**
 * Line diffs: the unified diff `redis-lint codemod --dry` prints (`git apply` takes it), and the
 * mapping of lines of a rewritten text back to the original (so a site is reported at its line
 * in the file the user has, whatever an earlier rewrite inserted above it). Myers' O(ND)
 * algorithm on lines; no package of this repository's dependencies ships one.
 */

type Operation = { kind: 'equal' | 'delete' | 'insert'; oldIndex: number; newIndex: number };

/** The edit script turning `a` into `b`, as equal / delete / insert steps in order. */
export function diffLines(a: readonly string[], b: readonly string[]): Operation[] {
  // Trim the common prefix and suffix first: codemod diffs are small islands in large files.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const middle = myers(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));
  const operations: Operation[] = [];
  for (let i = 0; i < prefix; i++) operations.push({ kind: 'equal', oldIndex: i, newIndex: i });
  for (const operation of middle) operations.push({ ...operation, oldIndex: operation.oldIndex + prefix, newIndex: operation.newIndex + prefix });
  for (let i = 0; i < suffix; i++) {
    operations.push({ kind: 'equal', oldIndex: a.length - suffix + i, newIndex: b.length - suffix + i });
  }
  return operations;
}

function myers(a: readonly string[], b: readonly string[]): Operation[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from the end to recover the path.
  const operations: Operation[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : vd[offset + previousK]!;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      operations.push({ kind: 'equal', oldIndex: x, newIndex: y });
    }
    if (d > 0) {
      if (x === previousX) operations.push({ kind: 'insert', oldIndex: x, newIndex: y - 1 });
      else operations.push({ kind: 'delete', oldIndex: x - 1, newIndex: y });
    }
    x = previousX;
    y = previousY;
  }
  return operations.reverse();
}

const NO_NEWLINE = '\n\\ No newline at end of file';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A unified diff with three lines of context, or '' when the texts are equal. */
export function unifiedDiff(oldText: string, newText: string, fileName: string, context = 3): string {
  if (oldText === newText) return '';
  // A last line without a line break differs from the same text with one; it is printed with the marker, as in diff -u.
  const keyed = (text: string) => {
    const lines = splitLines(text);
    return text.endsWith('\n') || lines.length === 0 ? lines : [...lines.slice(0, -1), `${lines[lines.length - 1]}${NO_NEWLINE}`];
  };
  const a = keyed(oldText);
  const b = keyed(newText);
  const operations = diffLines(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < operations.length) {
    while (i < operations.length && operations[i]!.kind === 'equal') i++;
    if (i >= operations.length) break;
    // Extend the hunk while changes are closer than two contexts apart.
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < operations.length) {
      if (operations[end]!.kind !== 'equal') lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    end = Math.min(operations.length, lastChange + context + 1);
    const slice = operations.slice(start, end);
    const oldStart = firstIndex(slice, 'old');
    const newStart = firstIndex(slice, 'new');
    const oldCount = slice.filter((operation) => operation.kind !== 'insert').length;
    const newCount = slice.filter((operation) => operation.kind !== 'delete').length;
    const lines = [`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`];
    for (const operation of slice) {
      if (operation.kind === 'equal') lines.push(` ${a[operation.oldIndex]}`);
      else if (operation.kind === 'delete') lines.push(`-${a[operation.oldIndex]}`);
      else lines.push(`+${b[operation.newIndex]}`);
    }
    hunks.push(lines.join('\n'));
    i = end;
  }
  return `--- a/${fileName}\n+++ b/${fileName}\n${hunks.join('\n')}\n`;

  function firstIndex(slice: Operation[], side: 'old' | 'new'): number {
    // A pure insertion (or deletion): the position before which it happens.
    const first = slice.find((operation) => (side === 'old' ? operation.kind !== 'insert' : operation.kind !== 'delete')) ?? slice[0]!;
    return side === 'old' ? first.oldIndex : first.newIndex;
  }
}

/** `start,count` in 1-based lines; an empty range names the line before it. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/**
 * Maps 1-based lines of `newText` to lines of `oldText`: unchanged (or only re-indented) lines
 * to themselves, inserted ones to the old line they were inserted after (or the first line).
 */
export function lineMapper(oldText: string, newText: string): (line: number) => number {
  if (oldText === newText) return (line) => line;
  // Re-indented lines (code moved into a new block) still match: compare them trimmed.
  const trimmed = (text: string) => splitLines(text).map((line) => line.trim());
  const operations = diffLines(trimmed(oldText), trimmed(newText));
  const map = new Map<number, number>();
  let lastOld = 0;
  for (const operation of operations) {
    if (operation.kind === 'equal') {
      map.set(operation.newIndex + 1, operation.oldIndex + 1);
      lastOld = operation.oldIndex + 1;
    } else if (operation.kind === 'insert') {
      map.set(operation.newIndex + 1, Math.max(1, lastOld));
    } else {
      lastOld = operation.oldIndex + 1;
    }
  }
  return (line) => map.get(line) ?? line;
}
