/**
 * Text edits that write an option into a creation's options: set a property's value, insert a
 * property into an object literal (following its layout: one line or one property per line,
 * trailing comma or not), or add an options argument to a call that has none. The same edits
 * `require-timeout`'s suggestions make, planned on the jscodeshift AST.
 */
import { staticName, unwrap, type Node } from './ast';
import type { StaticEvaluator } from './evaluate';
import { indentationAt, type TextEdit } from './text';

/** `key: text`, nested: `a: { b: text }`. */
export function propertyText(path: readonly string[], text: string): string {
  const [key, ...rest] = path;
  return rest.length === 0 ? `${key}: ${text}` : `${key}: { ${propertyText(rest, text)} }`;
}

/** Replaces a property's value (a shorthand `{ x }` becomes `{ x: text }`). */
export function setValueEdit(property: Node, text: string): TextEdit {
  if (property.shorthand) return { start: property.start, end: property.end, text: `${property.key.name}: ${text}` };
  return { start: property.value.start, end: property.value.end, text };
}

/**
 * Writes `path: text` into an object literal: into the nested literal the path already has, or
 * as a new property. A string says why not: a step holds something other than a literal, or a
 * spread may already bring the key (writing it would replace what the spread brings).
 */
export function writePathEdits(source: string, object: Node, path: readonly string[], text: string, evaluator: StaticEvaluator): TextEdit[] | string {
  const [key, ...rest] = path;
  if (key === undefined) return 'there is no option to write';
  const property = object.properties.find((p: Node) => p.type === 'ObjectProperty' && staticName(p) === key);
  if (rest.length === 0) return property ? [setValueEdit(property, text)] : insertPropertyEdits(source, object, `${key}: ${text}`);
  if (property) {
    const inner = unwrap(property.value);
    if (inner.type === 'ObjectExpression') return writePathEdits(source, inner, rest, text, evaluator);
    return `its \`${key}\` is not an object literal to add ${rest.join('.')} to`;
  }
  const evaluated = evaluator.evaluate(object);
  if (evaluated.kind !== 'object' || evaluated.properties.has(key)) return `its options spread an object that may already set \`${key}\``;
  return insertPropertyEdits(source, object, `${key}: { ${propertyText(rest, text)} }`);
}

/**
 * Inserts a property after the last one, in the object's own layout: on its own line (after a
 * comment that ends the last property's line) when the properties are one per line, else inline.
 */
export function insertPropertyEdits(source: string, object: Node, text: string): TextEdit[] {
  const last = object.properties[object.properties.length - 1];
  if (!last) {
    const inside = source.slice(object.start + 1, object.end - 1);
    // `{}` or `{ }`; an object holding only comments keeps them.
    if (inside.trim() === '') return [{ start: object.start, end: object.end, text: `{ ${text} }` }];
    return [{ start: object.end - 1, end: object.end - 1, text: ` ${text} ` }];
  }
  const comma = commaAfter(source, last.end);
  if (lineOf(source, last.start) !== lineOf(source, object.start)) {
    const indent = indentationAt(source, last.start);
    const newline = source.includes('\r\n') ? '\r\n' : '\n';
    const lineEnd = restOfLineEnd(source, comma === undefined ? last.end : comma + 1);
    if (comma !== undefined) {
      return [lineEnd === undefined ? { start: comma + 1, end: comma + 1, text: `${newline}${indent}${text},` } : { start: lineEnd, end: lineEnd, text: `${newline}${indent}${text},` }];
    }
    if (lineEnd === undefined) return [{ start: last.end, end: last.end, text: `,${newline}${indent}${text}` }];
    return [
      { start: last.end, end: last.end, text: ',' },
      { start: lineEnd, end: lineEnd, text: `${newline}${indent}${text}` },
    ];
  }
  return [comma === undefined ? { start: last.end, end: last.end, text: `, ${text}` } : { start: comma + 1, end: comma + 1, text: ` ${text},` }];
}

/** Where the line ends when only spaces and comments follow `offset` on it (after a trailing comment), else undefined. */
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

/** Adds an argument after the last one (or into empty parentheses, or as `(text)` after `new X`). */
export function appendArgumentEdit(source: string, call: Node, text: string): TextEdit {
  const last = call.arguments[call.arguments.length - 1];
  if (last) {
    const comma = commaAfter(source, last.end);
    return comma === undefined ? { start: last.end, end: last.end, text: `, ${text}` } : { start: comma + 1, end: comma + 1, text: ` ${text}` };
  }
  const closing = source.lastIndexOf(')', call.end - 1);
  // `new Redis` without parentheses.
  if (closing < call.callee.end || source[call.end - 1] !== ')') return { start: call.end, end: call.end, text: `(${text})` };
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

function lineOf(source: string, offset: number): number {
  let line = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
