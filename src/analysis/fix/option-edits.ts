/**
 * Text edits that write an option into a creation's options: set a property's value, insert a
 * property into an object literal (in its own layout: one line, or one property per line with
 * or without a trailing comma, after a comment that ends the last property's line), or add an
 * options argument to a call that has none. `require-timeout`'s suggestions and the
 * `add-timeouts` codemod both apply these edits.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, staticPropertyName, unwrapExpression } from '../ast';
import type { StaticEvaluator } from '../static-value';
import { overflows } from './layout';
import { fileIndentUnit, indentationAt, newlineOf, usesTrailingCommas, type TextEdit } from './text';

/** `key: text`, nested: `a: { b: text }`. */
export function propertyText(path: readonly string[], text: string): string {
  const [key, ...rest] = path;
  return rest.length === 0 ? `${key}: ${text}` : `${key}: { ${propertyText(rest, text)} }`;
}

/** Replaces a property's value (a shorthand `{ x }` becomes `{ x: text }`). */
export function setValueEdit(source: string, property: TSESTree.Property, text: string): TextEdit {
  if (property.shorthand) {
    const key = source.slice(property.key.range[0], property.key.range[1]);
    return { start: property.range[0], end: property.range[1], text: `${key}: ${text}` };
  }
  return { start: property.value.range[0], end: property.value.range[1], text };
}

/**
 * Writes `path: text` into an object literal: into the nested literal the path already has, or
 * as a new property. A string says why not: a step holds something other than a literal, or a
 * spread may already bring the key (writing it would replace what the spread brings).
 */
export function writePathEdits(
  source: string,
  object: TSESTree.ObjectExpression,
  path: readonly string[],
  text: string,
  evaluator: StaticEvaluator,
  width?: number,
): TextEdit[] | string {
  const [key, ...rest] = path;
  if (key === undefined) return 'there is no option to write';
  const property = object.properties.find(
    (candidate): candidate is TSESTree.Property =>
      candidate.type === AST_NODE_TYPES.Property && staticPropertyName(candidate) === key,
  );
  if (rest.length === 0) return property ? [setValueEdit(source, property, text)] : insertPropertyEdits(source, object, `${key}: ${text}`, width);
  if (property) {
    const inner = unwrapExpression(property.value);
    if (inner.type === AST_NODE_TYPES.ObjectExpression) return writePathEdits(source, inner, rest, text, evaluator, width);
    return `its \`${key}\` is not an object literal to add ${rest.join('.')} to`;
  }
  const evaluated = evaluator.evaluate(object);
  if (evaluated.kind !== 'object' || evaluated.properties.has(key)) return `its options spread an object that may already set \`${key}\``;
  return insertPropertyEdits(source, object, `${key}: { ${propertyText(rest, text)} }`, width);
}

/**
 * Inserts a property after the last one, in the object's own layout; an object on one line that
 * would push its line past `width` is broken into one property a line, as a formatter would.
 */
export function insertPropertyEdits(source: string, object: TSESTree.ObjectExpression, text: string, width?: number): TextEdit[] {
  const inserted = insertPropertyInLayout(source, object, text);
  const [start, end] = object.range;
  // A nested literal on its line (`{ redisOptions: { … } }`) would break in the middle: left on one line.
  const nested = object.parent?.type === AST_NODE_TYPES.Property;
  if (width === undefined || nested || inserted.length !== 1 || !sameLine(source, start, end)) return inserted;
  const edit = inserted[0]!;
  if (!overflows(source, edit.start, edit.end, edit.text, width)) return inserted;
  const properties = object.properties.map((property) => source.slice(property.range[0], property.range[1]));
  // Comments inside the braces would have no clear line to go to: the line stays as it is.
  if (!listOnly(source, object.range, properties, '{', '}')) return inserted;
  return [{ start, end, text: brokenList('{', [...properties, text], '}', source, start) }];
}

/** Whether `text[range]` is just `open item, item close` on one line (no comments, no spread of lines). */
export function listOnly(text: string, range: readonly [number, number], items: readonly string[], open: string, close: string): boolean {
  const source = text.slice(range[0], range[1]);
  if (source.includes('\n') || items.some((item) => item === '')) return false;
  const inside = source.slice(open.length, source.length - close.length).trim().replace(/,$/, '').trim();
  return source.startsWith(open) && source.endsWith(close) && inside === items.join(', ');
}

/** `open item, item close` one item a line, in the file's indentation and trailing-comma style. */
export function brokenList(open: string, items: readonly string[], close: string, source: string, at: number): string {
  const newline = newlineOf(source);
  const indent = indentationAt(source, at);
  const inner = indent + fileIndentUnit(source);
  const trailing = usesTrailingCommas(source) ? ',' : '';
  return `${open}${items.map((item, index) => `${newline}${inner}${item}${index < items.length - 1 ? ',' : trailing}`).join('')}${newline}${indent}${close}`;
}

function insertPropertyInLayout(source: string, object: TSESTree.ObjectExpression, text: string): TextEdit[] {
  const [start, end] = object.range;
  const last = object.properties[object.properties.length - 1];
  if (!last) {
    const inside = source.slice(start + 1, end - 1);
    // `{}` or `{ }`; an object holding only comments keeps them.
    if (inside.trim() === '') return [{ start, end, text: `{ ${text} }` }];
    return [{ start: end - 1, end: end - 1, text: ` ${text} ` }];
  }
  const lastEnd = last.range[1];
  const comma = commaAfter(source, lastEnd);
  if (!sameLine(source, start, last.range[0])) {
    const indent = indentationAt(source, last.range[0]);
    const newline = newlineOf(source);
    const lineEnd = restOfLineEnd(source, comma === undefined ? lastEnd : comma + 1);
    if (comma !== undefined) {
      const at = lineEnd ?? comma + 1;
      return [{ start: at, end: at, text: `${newline}${indent}${text},` }];
    }
    if (lineEnd === undefined) return [{ start: lastEnd, end: lastEnd, text: `,${newline}${indent}${text}` }];
    return [
      { start: lastEnd, end: lastEnd, text: ',' },
      { start: lineEnd, end: lineEnd, text: `${newline}${indent}${text}` },
    ];
  }
  return [comma === undefined ? { start: lastEnd, end: lastEnd, text: `, ${text}` } : { start: comma + 1, end: comma + 1, text: ` ${text},` }];
}

/**
 * Adds an argument after the last one (or into empty parentheses, or as `(text)` after `new X`).
 * An options object that would push its line past `width` is written over lines, hugging the
 * call's parentheses (`new Redis(url, {⏎  commandTimeout: 5000,⏎})`).
 */
export function appendArgumentEdit(source: string, call: TSESTree.CallExpression | TSESTree.NewExpression, text: string, width?: number): TextEdit {
  const edit = appendArgumentInLayout(source, call, text);
  const object = /^\{ (.*) \}$/.exec(text);
  if (width === undefined || !object || !overflows(source, edit.start, edit.end, edit.text, width)) return edit;
  const at = edit.text.indexOf(text);
  return { ...edit, text: `${edit.text.slice(0, at)}${brokenList('{', [object[1]!], '}', source, call.range[0])}${edit.text.slice(at + text.length)}` };
}

function appendArgumentInLayout(source: string, call: TSESTree.CallExpression | TSESTree.NewExpression, text: string): TextEdit {
  const last = call.arguments[call.arguments.length - 1];
  if (last) {
    const comma = commaAfter(source, last.range[1]);
    return comma === undefined
      ? { start: last.range[1], end: last.range[1], text: `, ${text}` }
      : { start: comma + 1, end: comma + 1, text: ` ${text}` };
  }
  const end = call.range[1];
  const closing = source.lastIndexOf(')', end - 1);
  // `new Redis` without parentheses.
  if (closing < call.callee.range[1] || source[end - 1] !== ')') return { start: end, end, text: `(${text})` };
  return { start: closing, end: closing, text };
}

/** The offset of a comma that follows `offset` (past spaces and comments), if one does. */
export function commaAfter(source: string, offset: number): number | undefined {
  let i = offset;
  for (;;) {
    while (i < source.length && /\s/.test(source[i]!)) i++;
    const end = commentEnd(source, i);
    if (end === undefined) return source[i] === ',' ? i : undefined;
    i = end;
  }
}

/** Where the line ends when only spaces and comments follow `offset` on it, else undefined. */
function restOfLineEnd(source: string, offset: number): number | undefined {
  let i = offset;
  for (;;) {
    while (i < source.length && (source[i] === ' ' || source[i] === '\t')) i++;
    const end = commentEnd(source, i);
    if (end === undefined) break;
    if (source.slice(i, end).includes('\n')) return undefined;
    i = end;
  }
  if (i >= source.length || source[i] === '\n') return source[i - 1] === '\r' ? i - 1 : i;
  if (source[i] === '\r') return i;
  return undefined;
}

/** The end of a comment that starts at `i` (a line comment ends before its newline), if one does. */
function commentEnd(source: string, i: number): number | undefined {
  if (source.startsWith('//', i)) {
    const end = source.indexOf('\n', i);
    return end < 0 ? source.length : end;
  }
  if (!source.startsWith('/*', i)) return undefined;
  const end = source.indexOf('*/', i + 2);
  return end < 0 ? source.length : end + 2;
}

function sameLine(source: string, a: number, b: number): boolean {
  return !source.slice(Math.min(a, b), Math.max(a, b)).includes('\n');
}
