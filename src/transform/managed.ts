/**
 * The `managed-lifecycle` rewrite of one site: a loan taken into a variable and given back in
 * the `finally` of the `try` right after it becomes the pool's managed call, the `try` body its
 * callback:
 *
 *     const conn = await pool.acquire();         await pool.use(async (conn) => {
 *     try {                                        …
 *       …                                   →    });
 *     } finally {
 *       await pool.release(conn);
 *     }
 *
 * The managed method and the release it performs come from the catalog (`managed` specs with
 * `releases`), never from a method's name. The rewrite is a text edit: the body moves verbatim
 * (an arrow callback keeps `this`, `super` and `new.target`), so formatting and comments survive
 * exactly, and the same edit serves as an ESLint fix (`rewriteManagedSite`).
 *
 * Sites where the move would change meaning are skipped with a reason: `break`/`continue`/`yield`
 * crossing the callback, `arguments` (TypeScript rejects it in an async arrow below ES2017), a
 * `return` that would end only the callback, a loan used after the `try` or handed out of it,
 * a `var` or function declared inside and used outside, or a variable assigned inside and read
 * after it in TypeScript when it can't be carried out as the callback's result.
 */
import type { MethodSpec } from '../catalog';
import { boundIdentifiers, isFunction, methodCall, positionOf, statementList, unwrap, walk, walkOwn, type Node } from './ast';
import type { FileContext } from './file-context';
import { parserNameFor } from './parsers';
import { parseFile } from './session';
import { findSites, releaseStatementCall, usesOf, type Site } from './sites';
import { applyEdits, indentationAt, newlineOf, type TextEdit } from './text';

type ManagedSpec = Extract<MethodSpec, { type: 'managed' }>;

export type ManagedPlan =
  /** Not a loan followed by `try { … } finally { <release> }` (nothing to say about it). */
  | { kind: 'none' }
  | { kind: 'skip'; reason: string }
  | { kind: 'rewrite'; edits: TextEdit[]; managed: string; owner: string };

const TRANSFERS = new Set(['returned', 'yielded', 'exported', 'stored', 'contained', 'aliased']);

/** The pool's managed method for a loan site, per the catalog, or why there is none. */
export function managedMethodFor(site: Site): { name: string; spec: ManagedSpec } | string {
  const pool = site.pool;
  if (!pool) return 'only pool loans have a managed form';
  const methods = Object.entries(pool.library.values[pool.kind]?.methods ?? {}).filter(
    (entry): entry is [string, ManagedSpec] => entry[1].type === 'managed' && entry[1].callbackArg === 0,
  );
  if (methods.length === 0) return `${pool.library.displayName} has no lifecycle-managed form for its loans; try/finally (release-in-finally) is the way to give them back`;
  if (methods.length > 1) return `${pool.library.displayName} has several managed forms and the catalog prefers none`;
  const [name, spec] = methods[0]!;
  return { name, spec };
}

/** Plans the rewrite of a loan site in a file parsed from `source`. Mutates nothing. */
export function planManaged(context: FileContext, site: Site, source: string, lineOf: (node: Node) => number = (node) => positionOf(node).line): ManagedPlan {
  if (site.kind !== 'loan' || !site.pool || !site.value.call) return { kind: 'none' };
  const { index } = context;
  const acquire = methodCall(site.value.call);
  const init = unwrap(site.declarator.init);
  if (!acquire || init.type !== 'AwaitExpression' || unwrap(init.argument) !== site.value.call) return { kind: 'none' };
  const position = site.list.indexOf(site.declaration);
  const tryStatement: Node | undefined = site.list[position + 1];
  if (tryStatement?.type !== 'TryStatement' || !tryStatement.finalizer) return { kind: 'none' };
  const releaseCall = tryStatement.finalizer.body
    .map((statement: Node) => releaseStatementCall(context, site, statement))
    .find((call: Node | undefined) => call !== undefined);
  if (!releaseCall) return { kind: 'none' };
  const releaseMethod = methodCall(releaseCall)!.method;

  const managed = managedMethodFor(site);
  if (typeof managed === 'string') return { kind: 'skip', reason: managed };
  if (tryStatement.finalizer.body.length !== 1) return { kind: 'skip', reason: 'the finally block does more than give the loan back' };
  if (managed.spec.releases !== undefined && managed.spec.releases !== releaseMethod) {
    return { kind: 'skip', reason: `it is given back with ${releaseMethod}(), and ${managed.name}() would ${managed.spec.releases}() it instead` };
  }
  if (site.value.call.arguments.length > 0) return { kind: 'skip', reason: `${acquire.method}() takes arguments that ${managed.name}() can't pass on` };

  const moved: Node[] = tryStatement.handler ? [tryStatement.block, tryStatement.handler] : [tryStatement.block];
  const inMoved = (node: Node) => moved.some((region) => index.isWithin(node, region));

  // The loan lives exactly as long as the block.
  for (const use of usesOf(context, site)) {
    if (use.kind === 'reassigned') return { kind: 'skip', reason: 'the loan variable is reassigned' };
    if (index.isWithin(use.reference, tryStatement.finalizer)) continue;
    if (!inMoved(use.reference) || TRANSFERS.has(use.kind)) {
      return { kind: 'skip', reason: `the loan is used after the try block or handed out of it (line ${lineOf(use.reference)})` };
    }
  }

  const crossing = crossingControl(context, moved, lineOf);
  if (crossing) return { kind: 'skip', reason: crossing.reason };
  const escaping = escapingDeclaration(context, moved, inMoved, lineOf);
  if (escaping) return { kind: 'skip', reason: escaping };

  const indent = indentationAt(source, site.declaration.start);
  const unit = indentUnit(source, tryStatement.block, indent);
  const owner = ownerText(acquire.receiver, source);
  const param = source.slice(site.declarator.id.start, site.declarator.id.end);
  const typescript = parserNameFor(context.filePath) === 'ts' || parserNameFor(context.filePath) === 'tsx';

  let prefix: string;
  const carried: Carry[] = [];
  if (hasReturn(moved)) {
    if (!isTail(context, tryStatement, site.fn) && !moved.every(endsAbruptly)) {
      return { kind: 'skip', reason: 'a return inside the try would end only the callback, and the code after the try would still run' };
    }
    prefix = insideTry(context, tryStatement, site.fn) ? 'return await ' : 'return ';
  } else {
    const carry = carriedVariables(context, site, tryStatement, typescript);
    if (typeof carry === 'string') return { kind: 'skip', reason: carry };
    carried.push(...carry);
    prefix = carried.length === 0 ? 'await ' : '';
  }

  const call = (body: string) => `${owner}.${managed.name}(async (${param}) => ${body})`;
  const edits: TextEdit[] = [];
  if (carried.length === 0) {
    const body = callbackBody(context, tryStatement, source, indent, unit);
    edits.push({ start: site.declaration.start, end: tryStatement.end, text: `${hoistedComments(context, site, tryStatement, moved, indent)}${prefix}${call(body)};` });
    return { kind: 'rewrite', edits, managed: managed.name, owner };
  }

  // Carry: `let v; … v = E;` inside → `const v = await pool.use(async (conn) => { const v = E; …; return v; });`
  const block = tryStatement.block;
  const innerEdits: TextEdit[] = [];
  for (const variable of carried) {
    innerEdits.push({ start: variable.assignment.start, end: variable.assignment.start, text: 'const ' });
    if (variable.annotation) innerEdits.push({ start: variable.target.end, end: variable.target.end, text: variable.annotation });
    edits.push(removalOf(source, variable));
  }
  const names = carried.map((variable) => variable.name);
  const result = names.length === 1 ? names[0] : `{ ${names.join(', ')} }`;
  const lastStatement = block.body[block.body.length - 1];
  innerEdits.push({ start: lastStatement.end, end: lastStatement.end, text: `${newlineOf(source)}${indent}${unit}return ${result};` });
  const body = applyEdits(source, innerEdits.filter((edit) => edit.start >= block.start && edit.end <= block.end), block.start, block.end);
  const kind = carried.some((variable) => variable.reassignedAfter) ? 'let' : 'const';
  edits.push({
    start: site.declaration.start,
    end: tryStatement.end,
    text: `${hoistedComments(context, site, tryStatement, moved, indent)}${kind} ${result} = await ${call(body)};`,
  });
  return { kind: 'rewrite', edits, managed: managed.name, owner };
}

/** `break`/`continue` leaving the moved code, `yield`, or `arguments` inside it. */
function crossingControl(context: FileContext, moved: Node[], lineOf: (node: Node) => number): { reason: string } | undefined {
  let found: { reason: string } | undefined;
  for (const region of moved) {
    walk(region, (node) => {
      if (found) return false;
      if (node !== region && isFunction(node)) {
        if (node.type === 'ArrowFunctionExpression' && usesArguments(node.body)) found = { reason: '`arguments` would be read inside an async arrow' };
        return false;
      }
      if (node.type === 'ClassBody') return false;
      if (node.type === 'YieldExpression') found = { reason: `a yield (line ${lineOf(node)}) would cross the callback` };
      else if ((node.type === 'BreakStatement' || node.type === 'ContinueStatement') && !targetWithin(context, node, moved)) {
        found = { reason: `a ${node.type === 'BreakStatement' ? 'break' : 'continue'} (line ${lineOf(node)}) would cross the callback` };
      } else if (node.type === 'Identifier' && node.name === 'arguments' && isValueReference(context, node)) {
        found = { reason: '`arguments` would be read inside an async arrow' };
      }
      return !found;
    });
  }
  return found;
}

function usesArguments(body: Node): boolean {
  let found = false;
  walk(body, (node, slot) => {
    if (found || (isFunction(node) && node.type !== 'ArrowFunctionExpression')) return false;
    if (node.type === 'Identifier' && node.name === 'arguments' && !(slot && slot.key === 'property' && !slot.parent.computed)) found = true;
    return !found;
  });
  return found;
}

function isValueReference(context: FileContext, identifier: Node): boolean {
  const slot = context.index.slotOf(identifier);
  if (!slot) return true;
  if ((slot.parent.type === 'MemberExpression' || slot.parent.type === 'OptionalMemberExpression') && slot.key === 'property' && !slot.parent.computed) return false;
  if ((slot.parent.type === 'ObjectProperty' || slot.parent.type === 'ClassProperty') && slot.key === 'key' && !slot.parent.computed) return false;
  return true;
}

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

function targetWithin(context: FileContext, node: Node, moved: Node[]): boolean {
  for (const ancestor of context.index.ancestors(node)) {
    if (!moved.some((region) => context.index.isWithin(ancestor, region))) return false;
    if (node.label) {
      if (ancestor.type === 'LabeledStatement' && ancestor.label.name === node.label.name) return true;
      continue;
    }
    if (LOOPS.has(ancestor.type)) return true;
    if (ancestor.type === 'SwitchStatement' && node.type === 'BreakStatement') return true;
  }
  return false;
}

/** A `var` or function declared in the moved code and used outside it. */
function escapingDeclaration(context: FileContext, moved: Node[], inMoved: (node: Node) => boolean, lineOf: (node: Node) => number): string | undefined {
  for (const region of moved) {
    const names: Node[] = [];
    walkOwn(region, (node) => {
      if (node.type === 'VariableDeclaration' && node.kind === 'var') for (const declarator of node.declarations) boundIdentifiers(declarator.id, names);
      if (node.type === 'FunctionDeclaration' && node.id) names.push(node.id);
    });
    for (const name of names) {
      const binding = context.scopes.resolve(name) ?? context.scopes.declaredIn(context.index.parentOf(name)!, name.name);
      const outside = binding && context.scopes.referencesOf(binding).find((reference) => !inMoved(reference.identifier));
      if (outside) return `\`${name.name}\`, declared inside the try, is used outside it (line ${lineOf(outside.identifier)})`;
    }
  }
  return undefined;
}

function hasReturn(moved: Node[]): boolean {
  let found = false;
  for (const region of moved) {
    walkOwn(region, (node) => {
      if (node.type === 'ReturnStatement') found = true;
      return !found;
    });
  }
  return found;
}

/** Falling off the statement ends the function: last in the body, or in a block or branch that is. */
function isTail(context: FileContext, statement: Node, fn: Node): boolean {
  const slot = context.index.slotOf(statement);
  const list = statementList(slot);
  if (!slot || !list || list[list.length - 1] !== statement) return false;
  const owner = slot.parent;
  if (owner === fn.body) return true;
  if (owner.type !== 'BlockStatement') return false;
  const outer = context.index.slotOf(owner);
  if (!outer) return false;
  if (outer.parent.type === 'IfStatement') return isTail(context, outer.parent, fn);
  if (statementList(outer)) return isTail(context, owner, fn);
  return false;
}

/** The block never completes normally: its last statement returns or throws. */
function endsAbruptly(region: Node): boolean {
  const block = region.type === 'CatchClause' ? region.body : region;
  const last = block.body[block.body.length - 1];
  return last?.type === 'ReturnStatement' || last?.type === 'ThrowStatement';
}

/** An enclosing `try` in the same function would catch a rejection of a returned promise: `return await`. */
function insideTry(context: FileContext, node: Node, fn: Node): boolean {
  let child = node;
  for (const ancestor of context.index.ancestors(node)) {
    if (ancestor === fn) return false;
    if (ancestor.type === 'TryStatement' && (child === ancestor.block || (child === ancestor.handler && ancestor.finalizer))) return true;
    child = ancestor;
  }
  return false;
}

interface Carry {
  name: string;
  /** The outer `let v;` declaration and its declarator. */
  declaration: Node;
  declarator: Node;
  /** `v = E;` inside the try, and its `v`. */
  assignment: Node;
  target: Node;
  annotation: string | undefined;
  reassignedAfter: boolean;
}

/**
 * Outer variables the moved code assigns and later code reads. When each is a `let v;` declared
 * before the loan with its only write a top-level `v = E;` in the try block (what
 * release-in-finally's hoisting leaves), it is carried out as the callback's result. Otherwise
 * JavaScript keeps the closure assignment; TypeScript can't see it (the variable would be
 * "used before assigned"), so the site is skipped.
 */
function carriedVariables(context: FileContext, site: Site, tryStatement: Node, typescript: boolean): Carry[] | string {
  const { index, scopes } = context;
  const written = new Map<Node, Node[]>();
  const regions = tryStatement.handler ? [tryStatement.block, tryStatement.handler] : [tryStatement.block];
  for (const region of regions) {
    walk(region, (node, slot) => {
      if (node.type !== 'Identifier' || !slot) return;
      const binding = scopes.resolve(node);
      if (!binding || index.isWithin(binding.scope, tryStatement) || binding.kind === 'import') return;
      const isWrite =
        (slot.parent.type === 'AssignmentExpression' && slot.key === 'left') ||
        slot.parent.type === 'UpdateExpression' ||
        ((slot.parent.type === 'ObjectProperty' || slot.parent.type === 'ArrayPattern' || slot.parent.type === 'RestElement') && isPatternTarget(context, node));
      if (!isWrite) return;
      // Writes from nested functions stay closures either way.
      if (index.enclosingFunction(node) !== site.fn) return;
      const list = written.get(binding.identifier) ?? [];
      list.push(node);
      written.set(binding.identifier, list);
    });
  }
  const carried: Carry[] = [];
  for (const [declaring, writes] of written) {
    const binding = scopes.resolve(declaring) ?? scopes.declaredIn(index.parentOf(declaring)!, declaring.name);
    if (!binding) continue;
    const references = scopes.referencesOf(binding);
    const readAfter = references.some((reference) => reference.read && (reference.identifier.start ?? 0) > tryStatement.end);
    if (!readAfter) continue;
    const carry = carryOf(context, site, tryStatement, binding, writes, references);
    if (carry) {
      carried.push(carry);
      continue;
    }
    if (typescript && binding.kind === 'let' && !binding.declarator?.init) {
      return `\`${binding.name}\` is assigned inside the try and read after it; TypeScript can't see that assignment through the callback`;
    }
  }
  if (carried.length > 0 && tryStatement.handler) return 'values assigned inside a try with a catch can’t be carried out of the callback';
  return carried;
}

function isPatternTarget(context: FileContext, node: Node): boolean {
  for (const ancestor of context.index.ancestors(node)) {
    if (ancestor.type === 'AssignmentExpression') return true;
    if (!['ObjectProperty', 'ObjectPattern', 'ArrayPattern', 'RestElement', 'AssignmentPattern'].includes(ancestor.type)) return false;
  }
  return false;
}

function carryOf(
  context: FileContext,
  site: Site,
  tryStatement: Node,
  binding: NonNullable<ReturnType<FileContext['scopes']['resolve']>>,
  writes: Node[],
  references: ReturnType<FileContext['scopes']['referencesOf']>,
): Carry | undefined {
  const { declarator, declaration } = binding;
  if (binding.kind !== 'let' || !declarator || declarator.init || declarator.id.type !== 'Identifier') return undefined;
  if (!site.list.includes(declaration) || site.list.indexOf(declaration) > site.list.indexOf(site.declaration)) return undefined;
  if (writes.length !== 1) return undefined;
  const target = writes[0]!;
  const assignment = context.index.parentOf(target);
  const statement = assignment && context.index.parentOf(assignment);
  if (assignment?.type !== 'AssignmentExpression' || assignment.operator !== '=' || assignment.left !== target) return undefined;
  if (statement?.type !== 'ExpressionStatement' || !tryStatement.block.body.includes(statement)) return undefined;
  // Read before the try, or written anywhere else: it is not just a carried result.
  for (const reference of references) {
    if (reference.identifier === target) continue;
    if ((reference.identifier.start ?? 0) < tryStatement.end) return undefined;
  }
  const reassignedAfter = references.some((reference) => reference.write && reference.identifier !== target);
  const annotation = declarator.id.typeAnnotation ? context.source.slice(declarator.id.name.length + declarator.id.start, declarator.id.end) : undefined;
  return { name: binding.name, declaration, declarator, assignment: statement, target, annotation, reassignedAfter };
}

/** Removes `v` from `let v;` (the whole line when it declares nothing else). */
function removalOf(source: string, carry: Carry): TextEdit {
  const { declaration, declarator } = carry;
  if (declaration.declarations.length > 1) {
    const position = declaration.declarations.indexOf(declarator);
    const next = declaration.declarations[position + 1];
    const previous = declaration.declarations[position - 1];
    return next ? { start: declarator.start, end: next.start, text: '' } : { start: previous.end, end: declarator.end, text: '' };
  }
  let start = declaration.start;
  let end = declaration.end;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  if (/^[ \t]*$/.test(source.slice(lineStart, start))) {
    const lineEnd = source.indexOf('\n', end);
    if (lineEnd >= 0 && /^[ \t]*\r?$/.test(source.slice(end, lineEnd))) {
      start = lineStart;
      end = lineEnd + 1;
    }
  }
  return { start, end, text: '' };
}

/** The callback's block: the try block as it is, or `{ try { … } catch … }` one level deeper. */
function callbackBody(context: FileContext, tryStatement: Node, source: string, indent: string, unit: string): string {
  if (!tryStatement.handler) return source.slice(tryStatement.block.start, tryStatement.block.end);
  const start = tryStatement.start;
  const end = tryStatement.handler.end;
  const inner = reindent(context, source, start, end, unit);
  const newline = newlineOf(source);
  return `{${newline}${indent}${unit}${inner}${newline}${indent}}`;
}

/** Comments between the declaration and the try that are not inside the moved code go above the call. */
function hoistedComments(context: FileContext, site: Site, tryStatement: Node, moved: Node[], indent: string): string {
  const tokens: Node[] = context.root.tokens ?? [];
  const from = site.declaration.start;
  const to = tryStatement.end;
  return tokens
    .filter((token) => (token.type === 'CommentLine' || token.type === 'CommentBlock') && token.start >= from && token.end <= to)
    .filter((token) => !moved.some((region) => token.start >= region.start && token.end <= region.end))
    .map((token) => `${context.source.slice(token.start, token.end)}${newlineOf(context.source)}${indent}`)
    .join('');
}

function ownerText(receiver: Node, source: string): string {
  const text = source.slice(receiver.start, receiver.end);
  const simple = receiver.type === 'Identifier' || receiver.type === 'ThisExpression' || receiver.type === 'MemberExpression';
  return simple ? text : `(${text})`;
}

/** One level of indentation, as the try block's first statement uses it (two spaces otherwise). */
function indentUnit(source: string, block: Node, indent: string): string {
  const first = block.body[0];
  if (first) {
    const inner = indentationAt(source, first.start);
    if (inner.startsWith(indent) && inner.length > indent.length) return inner.slice(indent.length);
  }
  return indent.includes('\t') ? '\t' : '  ';
}

/** Indents every line after the first by one unit, except blank lines and lines inside template literals. */
function reindent(context: FileContext, source: string, start: number, end: number, unit: string): string {
  const templates: Array<[number, number]> = [];
  walk(context.program, (node) => {
    if (node.end < start || node.start > end) return false;
    if (node.type === 'TemplateLiteral') templates.push([node.start, node.end]);
    return true;
  });
  let result = '';
  for (let i = start; i < end; i++) {
    const char = source[i]!;
    result += char;
    if (char !== '\n') continue;
    const insideTemplate = templates.some(([from, to]) => i + 1 > from && i + 1 < to);
    const blank = source[i + 1] === '\n' || source[i + 1] === '\r' || i + 1 === end;
    if (!insideTemplate && !blank) result += unit;
  }
  return result;
}

export type ManagedSiteResult =
  | { kind: 'rewritten'; range: [number, number]; text: string; output: string; managed: string }
  | { kind: 'skipped'; reason: string; line: number; column: number }
  | { kind: 'none' };

/**
 * The managed-lifecycle rewrite of the one site whose acquisition contains `offset`, as a single
 * replacement (`range` in `source`, `text`) — what an ESLint fix needs — and the whole new text.
 * Only sites already in the `acquire` + `try/finally release` form are rewritten.
 */
export function rewriteManagedSite(source: string, filePath: string, offset: number): ManagedSiteResult {
  let context: FileContext;
  try {
    context = parseFile(filePath, source);
  } catch {
    return { kind: 'none' };
  }
  const site = findSites(context).find((candidate) => candidate.declaration.start <= offset && offset < candidate.declaration.end);
  if (!site) return { kind: 'none' };
  const plan = planManaged(context, site, source);
  if (plan.kind === 'none') return plan;
  if (plan.kind === 'skip') return { kind: 'skipped', reason: plan.reason, ...positionOf(site.declaration) };
  const start = Math.min(...plan.edits.map((edit) => edit.start));
  const end = Math.max(...plan.edits.map((edit) => edit.end));
  const text = applyEdits(source, plan.edits, start, end);
  return { kind: 'rewritten', range: [start, end], text, output: source.slice(0, start) + text + source.slice(end), managed: plan.managed };
}
