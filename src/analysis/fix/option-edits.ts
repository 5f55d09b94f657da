/**
 * Text edits that write an option into a creation's options: set a property's value, insert a
 * property into an object literal (in its own layout: one line, or one property per line with
 * or without a trailing comma, after a comment that ends the last property's line), or add an
 * options argument to a call that has none. `require-timeout`'s suggestions and the
 * `add-timeouts` codemod both apply these edits.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { staticPropertyName, unwrapExpression } from '../ast';
import type { StaticEvaluator } from '../static-value';
import { indentationAt, newlineOf, type TextEdit } from './text';

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
): TextEdit[] | string {
  const [key, ...rest] = path;
  if (key === undefined) return 'there is no option to write';
  const property = object.properties.find(
    (candidate): candidate is TSESTree.Property =>
      candidate.type === AST_NODE_TYPES.Property && staticPropertyName(candidate) === key,
  );
  if (rest.length === 0) return property ? [setValueEdit(source, property, text)] : insertPropertyEdits(source, object, `${key}: ${text}`);
  if (property) {
    const inner = unwrapExpression(property.value);
    if (inner.type === AST_NODE_TYPES.ObjectExpression) return writePathEdits(source, inner, rest, text, evaluator);
    return `its \`${key}\` is not an object literal to add ${rest.join('.')} to`;
  }
  const evaluated = evaluator.evaluate(object);
  if (evaluated.kind !== 'object' || evaluated.properties.has(key)) return `its options spread an object that may already set \`${key}\``;
  return insertPropertyEdits(source, object, `${key}: { ${propertyText(rest, text)} }`);
}

/** Inserts a property after the last one, in the object's own layout. */
export function insertPropertyEdits(source: string, object: TSESTree.ObjectExpression, text: string): TextEdit[] {
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

/** Adds an argument after the last one (or into empty parentheses, or as `(text)` after `new X`). */
export function appendArgumentEdit(source: string, call: TSESTree.CallExpression | TSESTree.NewExpression, text: string): TextEdit {
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
    if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
      continue;
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    return source[i] === ',' ? i : undefined;
  }
}

/** Where the line ends when only spaces and comments follow `offset` on it, else undefined. */
function restOfLineEnd(source: string, offset: number): number | undefined {
  let i = offset;
  for (;;) {
    while (i < source.length && (source[i] === ' ' || source[i] === '\t')) i++;
    if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
      break;
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0 || source.slice(i, end).includes('\n')) return undefined;
      i = end + 2;
      continue;
    }
    break;
  }
  if (i >= source.length || source[i] === '\n') return source[i - 1] === '\r' ? i - 1 : i;
  if (source[i] === '\r') return i;
  return undefined;
}

function sameLine(source: string, a: number, b: number): boolean {
  return !source.slice(Math.min(a, b), Math.max(a, b)).includes('\n');
}
