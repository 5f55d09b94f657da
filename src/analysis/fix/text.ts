/**
 * Text edits: every fix plan (a rule's suggestion or a codemod's rewrite) is a list of them.
 * Plans change source text directly rather than reprinting trees: untouched code stays byte for
 * byte, moved code keeps its formatting and comments, and re-indenting skips the inside of
 * template literals (whose text is their value).
 */
import type { TSESTree } from '@typescript-eslint/utils';

/** A comment or any node: only its range is read. */
type Ranged = { range: readonly [number, number] };

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** An indentation at a line start, dropped when another edit removes that spot. */
  indent?: boolean;
}

/** Applies edits to `source[from, to)`. Edits other than indentation must not overlap. */
export function applyEdits(source: string, edits: readonly TextEdit[], from = 0, to = source.length): string {
  const replacing = edits.filter((edit) => !edit.indent);
  const kept = edits.filter((edit) => !edit.indent || !replacing.some((other) => other.end > other.start && edit.start >= other.start && edit.start < other.end));
  // Stable: insertions at one offset keep the order they were planned in.
  const sorted = kept.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order);
  let result = '';
  let cursor = from;
  for (const { edit } of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping text edits at ${edit.start}`);
    result += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + source.slice(cursor, to);
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The whitespace a line starts with. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** Where the line after the offset's starts (the text's end when it is the last). */
export function nextLineStart(text: string, offset: number): number {
  const lineEnd = text.indexOf('\n', offset);
  return lineEnd < 0 ? text.length : lineEnd + 1;
}

/** Only whitespace before the offset on its line. */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartOf(text, offset), offset));
}

/** The line terminator the text uses. */
export function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Where a statement's line ends: after a comment on that line (`stmt; // note`), else after it. */
export function endWithTrailingComment(text: string, comments: readonly Ranged[], end: number): { end: number; endsLine: boolean } {
  let cursor = end;
  for (;;) {
    const rest = /^[ \t]*/.exec(text.slice(cursor))![0];
    const next = cursor + rest.length;
    // A comment that starts on the statement's line belongs to it, even a block comment that runs on.
    const comment = comments.find((candidate) => candidate.range[0] === next);
    if (comment) {
      cursor = comment.range[1];
      continue;
    }
    const endsLine = next >= text.length || text[next] === '\n' || text[next] === '\r';
    return { end: endsLine ? cursor : end, endsLine };
  }
}

/** `code` as a statement of its own on the line after `statement` (after a comment that ends its line), at its indentation. */
export function statementAfter(text: string, comments: readonly Ranged[], statement: Ranged, code: string): TextEdit {
  const end = endWithTrailingComment(text, comments, statement.range[1]).end;
  return { start: end, end, text: `${newlineOf(text)}${indentationAt(text, statement.range[0])}${code}` };
}

/** Comments on their own lines right above a statement: they belong to it and move with it. */
export function leadingCommentStart(text: string, comments: readonly Ranged[], start: number): number {
  let cursor = start;
  for (;;) {
    const lineStart = lineStartOf(text, cursor);
    if (lineStart === 0) return cursor;
    const previousLineEnd = lineStart - 1;
    const previousStart = lineStartOf(text, previousLineEnd);
    if (text.slice(previousStart, previousLineEnd).trim() === '') return cursor;
    const comment = comments.find((candidate) => candidate.range[1] <= previousLineEnd && candidate.range[1] >= previousStart && text.slice(candidate.range[1], previousLineEnd).trim() === '');
    if (!comment || text.slice(lineStartOf(text, comment.range[0]), comment.range[0]).trim() !== '') return cursor;
    cursor = comment.range[0];
  }
}

/** What removes a statement: its whole lines (with a trailing comment) if it has them, else it. */
export function removalSpan(text: string, comments: readonly Ranged[], start: number, end: number): { start: number; end: number } {
  const trailing = endWithTrailingComment(text, comments, end);
  if (startsLine(text, start) && trailing.endsLine) {
    const lineEnd = text.indexOf('\n', trailing.end);
    return { start: lineStartOf(text, start), end: lineEnd < 0 ? text.length : lineEnd + 1 };
  }
  // Mid-line: take the spaces before it, so neither a gap nor trailing whitespace is left.
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return { start: from, end: trailing.end };
}

/** Whether only whitespace, or text the given spans delete, follows the offset on its line. */
export function endsLineAfter(text: string, offset: number, deleted: ReadonlyArray<{ start: number; end: number }>): boolean {
  let cursor = offset;
  for (;;) {
    while (text[cursor] === ' ' || text[cursor] === '\t') cursor++;
    if (cursor >= text.length || text[cursor] === '\n' || text[cursor] === '\r') return true;
    const span = deleted.find((candidate) => candidate.start <= cursor && candidate.end > cursor);
    if (!span) return false;
    cursor = span.end;
  }
}

/** An indentation insertion per line starting in [from, to), but blank and template lines. */
export function indentLines(text: string, from: number, to: number, unit: string, templates: ReadonlyArray<readonly [number, number]>): TextEdit[] {
  const edits: TextEdit[] = [];
  for (let offset = from; offset < to; ) {
    const inTemplate = templates.some(([start, end]) => offset > start && offset < end);
    const lineEnd = text.indexOf('\n', offset);
    const line = text.slice(offset, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
    if (!inTemplate && line.trim() !== '') edits.push({ start: offset, end: offset, text: unit, indent: true });
    if (lineEnd < 0) break;
    offset = lineEnd + 1;
  }
  return edits;
}

/** One level of indentation as the code in a block uses it, else as the file does (two spaces by default). */
export function indentUnitOf(text: string, block: TSESTree.BlockStatement | TSESTree.Program | TSESTree.ClassBody): string {
  const outer = indentationAt(text, block.range[0]);
  const first = block.body[0];
  if (first && startsLine(text, first.range[0])) {
    const inner = indentationAt(text, first.range[0]);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return fileIndentUnit(text);
}

/** One level of indentation as the file uses it (two spaces by default). */
export function fileIndentUnit(text: string): string {
  const tabs = /\n\t/.test(text);
  const spaces = /\n( +)\S/.exec(text);
  if (tabs && !spaces) return '\t';
  return spaces && spaces[1]!.length === 4 ? '    ' : '  ';
}

/** Whether the file ends the last item of a literal written over lines with a comma. */
export function usesTrailingCommas(text: string): boolean {
  return /,[ \t]*\r?\n[ \t]*[}\])]/.test(text);
}

/** The statement terminator the code uses: `;` when the statement ends with one, else ''. */
export function semicolonAfter(text: string, statement: Ranged): string {
  return text.slice(statement.range[0], statement.range[1]).trimEnd().endsWith(';') ? ';' : '';
}

/** The newline and indentation before each `.method(…)` of a chain written over lines, else ''. */
export function chainBreakOf(text: string, statement: Ranged): string {
  const source = text.slice(statement.range[0], statement.range[1]);
  const broken = /\r?\n([ \t]*)\./.exec(source);
  return broken ? `${newlineOf(text)}${broken[1]}` : '';
}
