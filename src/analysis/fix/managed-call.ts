/**
 * The managed-call plan: a loan taken into a variable and given back in the `finally` of the
 * `try` right after it becomes the lender's managed call, the `try` body its callback:
 *
 *     const conn = await pool.acquire();         await pool.use(async (conn) => {
 *     try {                                        …
 *       …                                   →    });
 *     } finally {
 *       await pool.release(conn);
 *     }
 *
 * It is `prefer-pool-use`'s fix or suggestion and the managed-lifecycle codemod's rewrite. The
 * body moves verbatim (an arrow callback keeps `this`, `super` and `new.target`), so formatting
 * and comments survive. Results are carried out: `return pool.use(…)` when the body returns,
 * `const v = await pool.use(async (conn) => { …; return E; })` for a `let v;` the body assigns
 * last and later code reads.
 *
 * Sites where the move would change meaning come back as skips with the reason: `break`,
 * `continue` or `yield` crossing the callback, `arguments` (TypeScript rejects it in an async arrow
 * below ES2017), a `return` that would end only the callback, a loan used after the `try` or
 * handed out of it, a `var` or function declared inside and used outside, or a variable assigned
 * inside and read after it in TypeScript that can't be carried out as the callback's result.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { enclosingFunction, isFunctionNode, lineOf, skipWrappersUp, unwrapExpression, walk } from '../ast';
import type { RedisAnalysis } from '../context';
import type { FixPlan, TextEdit } from '../plans';
import type { ManagedSite } from '../pool-use';
import { findVariableFor, type Variable } from '../scope';
import { applyEdits, indentationAt, newlineOf } from './text';

export interface ManagedCallOptions {
  rule: string;
  kind: string;
  typescript: boolean;
}

/** The plan for a site `findManagedSite` recognised. */
export function planManagedCall(site: ManagedSite, analysis: RedisAnalysis, options: ManagedCallOptions): FixPlan {
  const { declaration, tryStatement } = site;
  const { sourceCode } = analysis;
  const text = sourceCode.text;
  const position = { rule: options.rule, kind: options.kind, line: declaration.loc.start.line, column: declaration.loc.start.column };
  const skip = (reason: string): FixPlan => ({ type: 'skip', ...position, reason });
  const managed = site.managedMethod;
  if (managed === undefined) {
    return skip(`${site.owner.library.displayName} has no lifecycle-managed form for its loans; try/finally (release-in-finally) is the way to give them back`);
  }
  const finalizer = tryStatement.finalizer!;
  if (finalizer.body.length !== 1) return skip('the finally block does more than give the loan back');
  if (site.managedReleases !== undefined && site.managedReleases !== site.releaseMethod) {
    return skip(`it is given back with ${site.releaseMethod}(), and ${managed}() would ${site.managedReleases}() it instead`);
  }
  if (site.acquireArgs > 0) return skip(`${site.acquireMethod}() takes arguments that ${managed}() can't pass on`);
  if (!isRepeatable(site.ownerExpression)) return skip(`the ${site.owner.kind} is not a plain name or property, so ${managed}() can’t be called on it again`);

  const moved: TSESTree.Node[] = tryStatement.handler ? [tryStatement.block, tryStatement.handler] : [tryStatement.block];
  const inMoved = (node: TSESTree.Node) => moved.some((region) => within(node, region));

  // The loan lives exactly as long as the block.
  for (const reference of site.variable.references) {
    const identifier = reference.identifier as TSESTree.Identifier;
    if (identifier === site.binding) continue;
    if (reference.isWrite()) return skip('the loan variable is reassigned');
    if (within(identifier, finalizer) || (site.connect && within(identifier, site.connect))) continue;
    if (!inMoved(identifier) || handsOut(identifier)) return skip(`the loan is used after the try block or handed out of it (line ${lineOf(identifier)})`);
  }

  const crossing = crossingControl(moved);
  if (crossing) return skip(crossing);
  const escaping = escapingDeclaration(moved, inMoved, sourceCode);
  if (escaping) return skip(escaping);

  const indent = indentationAt(text, declaration.range[0]);
  const unit = indentUnit(text, tryStatement.block, indent);
  const owner = ownerText(site.ownerExpression, sourceCode);
  const param = sourceCode.getText(site.binding);
  const fn = enclosingFunction(declaration);
  const call = (body: string) => `${owner}.${managed}(async (${param}) => ${body})`;
  const comments = hoistedComments(site, moved, sourceCode, indent);
  const rewrite = (edits: TextEdit[]): FixPlan => ({ type: 'rewrite', ...position, description: `${owner}.${managed}(…)`, edits });

  if (hasReturn(moved)) {
    if (!isTail(tryStatement, fn) && !moved.every(endsAbruptly)) {
      return skip('a return inside the try would end only the callback, and the code after the try would still run');
    }
    const prefix = fn && insideTry(tryStatement, fn) ? 'return await ' : 'return ';
    return rewrite([{ start: declaration.range[0], end: tryStatement.range[1], text: `${comments}${prefix}${call(callbackBody(tryStatement, sourceCode, indent, unit))};` }]);
  }
  const carried = carriedVariables(site, fn, sourceCode, options.typescript);
  if (typeof carried === 'string') return skip(carried);
  if (carried.length === 0) {
    return rewrite([{ start: declaration.range[0], end: tryStatement.range[1], text: `${comments}await ${call(callbackBody(tryStatement, sourceCode, indent, unit))};` }]);
  }

  // Carry: `let v; … v = E;` (last in the try) → `const v = await pool.use(async (conn) => { …; return E; });`
  const block = tryStatement.block;
  const [carry] = carried;
  const edits: TextEdit[] = [removalOf(text, carry!)];
  const assignment = carry!.assignment.expression as TSESTree.AssignmentExpression;
  const inner: TextEdit[] = [{ start: carry!.assignment.range[0], end: assignment.right.range[0], text: 'return ' }];
  const body = applyEdits(text, inner, block.range[0], block.range[1]);
  const kind = carry!.reassignedAfter ? 'let' : 'const';
  const annotation = carry!.annotation ? `: ${carry!.annotation}` : '';
  edits.push({ start: declaration.range[0], end: tryStatement.range[1], text: `${comments}${kind} ${carry!.name}${annotation} = await ${call(body)};` });
  return rewrite(edits);
}

function within(node: TSESTree.Node, region: TSESTree.Node): boolean {
  return node.range[0] >= region.range[0] && node.range[1] <= region.range[1];
}

/** An owner reached without side effects (`pool`, `this.pool`, `deps.pools.main`). */
function isRepeatable(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.ThisExpression:
      return true;
    case AST_NODE_TYPES.MemberExpression:
      return !inner.optional && (!inner.computed || inner.property.type === AST_NODE_TYPES.Literal) && isRepeatable(inner.object);
    default:
      return false;
  }
}

/** The loan leaves the block: returned, yielded, stored, put in an object, or copied. */
function handsOut(identifier: TSESTree.Identifier): boolean {
  let { node, parent } = skipWrappersUp(identifier);
  while (parent?.type === AST_NODE_TYPES.AwaitExpression) ({ node, parent } = skipWrappersUp(parent));
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.YieldExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.SpreadElement:
      return true;
    case AST_NODE_TYPES.Property:
      return parent.value === node;
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === node;
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.right === node;
    case AST_NODE_TYPES.VariableDeclarator:
      return parent.init === node;
    default:
      return false;
  }
}

/** `break`/`continue` leaving the moved code, `yield`, or `arguments` inside it. */
function crossingControl(moved: readonly TSESTree.Node[]): string | undefined {
  let found: string | undefined;
  for (const region of moved) {
    walk(region, (node) => {
      if (found) return false;
      if (isFunctionNode(node)) {
        if (node.type === AST_NODE_TYPES.ArrowFunctionExpression && usesArguments(node.body)) found = '`arguments` would be read inside an async arrow';
        return false;
      }
      if (node.type === AST_NODE_TYPES.ClassBody) return false;
      if (node.type === AST_NODE_TYPES.YieldExpression) found = `a yield (line ${lineOf(node)}) would cross the callback`;
      else if ((node.type === AST_NODE_TYPES.BreakStatement || node.type === AST_NODE_TYPES.ContinueStatement) && !targetWithin(node, moved)) {
        found = `a ${node.type === AST_NODE_TYPES.BreakStatement ? 'break' : 'continue'} (line ${lineOf(node)}) would cross the callback`;
      } else if (node.type === AST_NODE_TYPES.Identifier && isArgumentsReference(node)) {
        found = '`arguments` would be read inside an async arrow';
      }
      return !found;
    });
  }
  return found;
}

function usesArguments(body: TSESTree.Node): boolean {
  let found = false;
  walk(body, (node) => {
    if (found || (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression)) return false;
    if (node.type === AST_NODE_TYPES.Identifier && isArgumentsReference(node)) found = true;
    return !found;
  });
  return found;
}

function isArgumentsReference(node: TSESTree.Identifier): boolean {
  if (node.name !== 'arguments') return false;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.property === node && !parent.computed) return false;
  if ((parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.key === node && !parent.computed) return false;
  return true;
}

/** Whether a break/continue lands inside the moved code. */
function targetWithin(node: TSESTree.BreakStatement | TSESTree.ContinueStatement, moved: readonly TSESTree.Node[]): boolean {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    const here = current;
    if (!moved.some((region) => within(here, region))) return false;
    if (node.label) {
      if (current.type === AST_NODE_TYPES.LabeledStatement && current.label.name === node.label.name) return true;
      continue;
    }
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return true;
      case AST_NODE_TYPES.SwitchStatement:
        if (node.type === AST_NODE_TYPES.BreakStatement) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** A `var` or function declared in the moved code and used outside it. */
function escapingDeclaration(moved: readonly TSESTree.Node[], inMoved: (node: TSESTree.Node) => boolean, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  let found: string | undefined;
  for (const region of moved) {
    walk(region, (node) => {
      if (found) return false;
      if ((node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'var') || node.type === AST_NODE_TYPES.FunctionDeclaration) {
        for (const variable of sourceCode.getDeclaredVariables(node)) {
          const outside = variable.references.find((reference) => !inMoved(reference.identifier));
          if (outside) found = `\`${variable.name}\`, declared inside the try, is used outside it (line ${lineOf(outside.identifier)})`;
        }
      }
      return !isFunctionNode(node);
    });
  }
  return found;
}

function hasReturn(moved: readonly TSESTree.Node[]): boolean {
  let found = false;
  for (const region of moved) {
    walk(region, (node) => {
      if (found || isFunctionNode(node)) return false;
      if (node.type === AST_NODE_TYPES.ReturnStatement) found = true;
      return !found;
    });
  }
  return found;
}

/** Falling off the statement ends the function: last in the body, or in a block or branch that is. */
function isTail(statement: TSESTree.Node, fn: TSESTree.Node | undefined): boolean {
  const owner = statement.parent;
  if (!owner || !fn) return false;
  if (owner.type === AST_NODE_TYPES.IfStatement) return isTail(owner, fn);
  if (owner.type !== AST_NODE_TYPES.BlockStatement) return false;
  if (owner.body[owner.body.length - 1] !== statement) return false;
  if (owner === (fn as { body?: TSESTree.Node }).body) return true;
  const outer = owner.parent;
  if (outer?.type === AST_NODE_TYPES.IfStatement) return isTail(outer, fn);
  if (outer?.type === AST_NODE_TYPES.BlockStatement) return isTail(owner, fn);
  return false;
}

/** The block never completes normally: its last statement returns or throws. */
function endsAbruptly(region: TSESTree.Node): boolean {
  const block = region.type === AST_NODE_TYPES.CatchClause ? region.body : region;
  if (block.type !== AST_NODE_TYPES.BlockStatement) return false;
  const last = block.body[block.body.length - 1];
  return last?.type === AST_NODE_TYPES.ReturnStatement || last?.type === AST_NODE_TYPES.ThrowStatement;
}

/** An enclosing `try` in the same function would catch a rejection of a returned promise: `return await`. */
function insideTry(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  let child = node;
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && (child === current.block || (child === current.handler && current.finalizer))) return true;
  }
  return false;
}

interface Carry {
  name: string;
  /** The outer `let v;` declaration and its declarator. */
  declaration: TSESTree.VariableDeclaration;
  declarator: TSESTree.VariableDeclarator;
  /** `v = E;`, the last statement of the try block. */
  assignment: TSESTree.ExpressionStatement;
  annotation: string | undefined;
  reassignedAfter: boolean;
}

/**
 * Outer variables the moved code assigns and later code reads. One `let v;` declared before the
 * loan whose only write is the last statement of the try block (`v = E;`) is carried out as the
 * callback's result, so no second `v` shadows it inside. Otherwise JavaScript keeps the closure
 * assignment; TypeScript can't see it (the variable would be "used before assigned"), so the
 * site is skipped.
 */
function carriedVariables(site: ManagedSite, fn: TSESTree.Node | undefined, sourceCode: Readonly<TSESLint.SourceCode>, typescript: boolean): Carry[] | string {
  const { tryStatement } = site;
  const written = new Map<Variable, TSESTree.Identifier[]>();
  const regions = tryStatement.handler ? [tryStatement.block, tryStatement.handler] : [tryStatement.block];
  for (const region of regions) {
    walk(region, (node) => {
      if (node.type !== AST_NODE_TYPES.Identifier) return true;
      const variable = findVariableFor(sourceCode, node);
      const reference = variable?.references.find((candidate) => candidate.identifier === node);
      if (!variable || !reference?.isWrite() || variable.defs.some((def) => within(def.name, tryStatement))) return true;
      // Writes from nested functions stay closures either way.
      if (enclosingFunction(node) !== fn) return true;
      written.set(variable, [...(written.get(variable) ?? []), node]);
      return true;
    });
  }
  const carried: Carry[] = [];
  const troubles: string[] = [];
  for (const [variable, writes] of written) {
    const readAfter = variable.references.some((reference) => reference.isRead() && reference.identifier.range[0] > tryStatement.range[1]);
    if (!readAfter) continue;
    const carry = carryOf(site, variable, writes, sourceCode);
    if (carry) carried.push(carry);
    else if (typescript) troubles.push(variable.name);
  }
  if (troubles.length > 0) {
    return `\`${troubles[0]}\` is assigned inside the try and read after it; TypeScript can't see that assignment through the callback`;
  }
  if (carried.length > 0 && tryStatement.handler) return 'values assigned inside a try with a catch can’t be carried out of the callback';
  if (carried.length > 1) return `\`${carried[0]!.name}\` and \`${carried[1]!.name}\` are assigned inside the try and read after it; only one result can be carried out of the callback`;
  return carried;
}

function carryOf(site: ManagedSite, variable: Variable, writes: readonly TSESTree.Identifier[], sourceCode: Readonly<TSESLint.SourceCode>): Carry | undefined {
  const def = variable.defs[0];
  if (variable.defs.length !== 1 || def?.type !== 'Variable' || def.node.init || def.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  const declaration = def.node.parent;
  if (declaration.kind !== 'let' || declaration.parent !== site.declaration.parent || declaration.range[0] > site.declaration.range[0]) return undefined;
  if (writes.length !== 1) return undefined;
  const target = writes[0]!;
  const assignment = target.parent;
  const statement = assignment?.parent;
  if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.operator !== '=' || assignment.left !== target) return undefined;
  const body = site.tryStatement.block.body;
  // Only as the last statement: `return E;` then ends the callback exactly where the try ended.
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || body[body.length - 1] !== statement) return undefined;
  // Read before the try, or written anywhere else before it: it is not just a carried result.
  for (const reference of variable.references) {
    if (reference.identifier === target || reference.init) continue;
    if (reference.identifier.range[0] < site.tryStatement.range[1]) return undefined;
  }
  const reassignedAfter = variable.references.some((reference) => reference.isWrite() && reference.identifier !== target && !reference.init);
  const annotation = def.node.id.typeAnnotation ? sourceCode.getText(def.node.id.typeAnnotation.typeAnnotation) : undefined;
  return { name: variable.name, declaration, declarator: def.node, assignment: statement, annotation, reassignedAfter };
}

/** Removes `v` from `let v;` (the whole line when it declares nothing else). */
function removalOf(text: string, carry: Carry): TextEdit {
  const { declaration, declarator } = carry;
  if (declaration.declarations.length > 1) {
    const position = (declaration.declarations as TSESTree.VariableDeclarator[]).indexOf(declarator);
    const next = declaration.declarations[position + 1];
    const previous = declaration.declarations[position - 1];
    return next ? { start: declarator.range[0], end: next.range[0], text: '' } : { start: previous!.range[1], end: declarator.range[1], text: '' };
  }
  let start = declaration.range[0];
  let end = declaration.range[1];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, start))) {
    const lineEnd = text.indexOf('\n', end);
    if (lineEnd >= 0 && /^[ \t]*\r?$/.test(text.slice(end, lineEnd))) {
      start = lineStart;
      end = lineEnd + 1;
    }
  }
  return { start, end, text: '' };
}

/** The callback's block: the try block as it is, or `{ try { … } catch … }` one level deeper. */
function callbackBody(tryStatement: TSESTree.TryStatement, sourceCode: Readonly<TSESLint.SourceCode>, indent: string, unit: string): string {
  if (!tryStatement.handler) return sourceCode.getText(tryStatement.block);
  const text = sourceCode.text;
  const start = tryStatement.range[0];
  const end = tryStatement.handler.range[1];
  const newline = newlineOf(text);
  return `{${newline}${indent}${unit}${reindent(text, start, end, unit, tryStatement)}${newline}${indent}}`;
}

/** Comments between the declaration and the try's end that are not inside the moved code go above the call. */
function hoistedComments(site: ManagedSite, moved: readonly TSESTree.Node[], sourceCode: Readonly<TSESLint.SourceCode>, indent: string): string {
  const from = site.declaration.range[0];
  const to = site.tryStatement.range[1];
  const newline = newlineOf(sourceCode.text);
  return sourceCode
    .getAllComments()
    .filter((comment) => comment.range[0] >= from && comment.range[1] <= to)
    .filter((comment) => !moved.some((region) => comment.range[0] >= region.range[0] && comment.range[1] <= region.range[1]))
    .map((comment) => `${sourceCode.text.slice(comment.range[0], comment.range[1])}${newline}${indent}`)
    .join('');
}

function ownerText(node: TSESTree.Expression, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const text = sourceCode.getText(node);
  const simple = node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.MemberExpression;
  return simple ? text : `(${text})`;
}

/** One level of indentation, as the try block's first statement uses it (two spaces otherwise). */
function indentUnit(text: string, block: TSESTree.BlockStatement, indent: string): string {
  const first = block.body[0];
  if (first) {
    const inner = indentationAt(text, first.range[0]);
    if (inner.startsWith(indent) && inner.length > indent.length) return inner.slice(indent.length);
  }
  return indent.includes('\t') ? '\t' : '  ';
}

/** Indents every line after the first by one unit, except blank lines and lines inside template literals. */
function reindent(text: string, start: number, end: number, unit: string, root: TSESTree.Node): string {
  const templates: Array<readonly [number, number]> = [];
  walk(root, (node) => {
    if (node.type === AST_NODE_TYPES.TemplateLiteral) templates.push(node.range);
    return true;
  });
  let result = '';
  for (let i = start; i < end; i++) {
    const char = text[i]!;
    result += char;
    if (char !== '\n') continue;
    const insideTemplate = templates.some(([from, to]) => i + 1 > from && i + 1 < to);
    const blank = text[i + 1] === '\n' || text[i + 1] === '\r' || i + 1 === end;
    if (!insideTemplate && !blank) result += unit;
  }
  return result;
}
