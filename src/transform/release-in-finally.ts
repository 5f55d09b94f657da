/**
 * The `release-in-finally` rewrite of one site: wrap the statements from the acquisition to the
 * last use of the loan in `try { … } finally { <release> }`, remove the releases that become
 * redundant (releasing twice rejects in generic-pool), hoist declarations that are read after
 * the new `try`, and make `return conn.get(k)` wait for its reply before the loan goes back.
 *
 * The plan is made on the tree; the rewrite is a set of text edits, so everything the edits do
 * not touch stays byte for byte, moved code keeps its formatting, and the inside of template
 * literals is never re-indented.
 */
import * as path from 'node:path';
import type { MethodSpec, LibraryCatalog, ValueSpec } from '../catalog';
import { detectInstalledVersion, majorOf } from '../analysis/versions';
import { boundIdentifiers, isMember, methodCall, statementList, unwrap, walk, walkOwn, type Node } from './ast';
import type { FileContext } from './file-context';
import { parserNameFor } from './parsers';
import { HoldAnalysis } from './paths';
import type { Session } from './session';
import { findSites, longLivedUse, looseAcquisitions, releaseStatementCall, testsOnlyTheLoan, usesOf, type Site, type Use } from './sites';
import {
  commentsOf,
  endsLineAfter,
  endWithTrailingComment,
  indentationAt,
  indentLines,
  indentUnitOf,
  leadingCommentStart,
  lineStartOf,
  newlineOf,
  removalSpan,
  startsLine,
  type TextEdit,
} from './text';

export type Verdict =
  /** Already released on every path. */
  | { kind: 'correct' }
  /** Ownership leaves the function (returned, stored, handed on): not this function's duty. */
  | { kind: 'not-ours' }
  | { kind: 'skip'; reason: string }
  | { kind: 'rewrite'; edits: TextEdit[] };

const TRANSFERS = new Set(['returned', 'yielded', 'exported', 'stored']);

/** How a report names a hand-over. */
const HAND_OVER: Record<string, string> = {
  returned: 'returned',
  yielded: 'yielded',
  exported: 'exported',
  stored: 'stored',
  contained: 'put in an object or array',
  passed: 'passed on',
  release: 'released by a callback',
};

/** What the planner found about a site's releases, shared with the managed-lifecycle rewrite. */
export interface ReleaseFacts {
  uses: Use[];
  /** Each statement that does nothing but release the site, with its release call. */
  statements: Map<Node, Node>;
  /** Index in `site.list` of the first statement after the acquisition (and its setup). */
  start: number;
}

/** Uses and release statements of a site, or why the site can't be handled. */
export function releaseFacts(context: FileContext, site: Site, lineOf: (node: Node) => number = line): ReleaseFacts | Exclude<Verdict, { kind: 'rewrite' | 'correct' }> {
  if (site.owner.type !== 'BlockStatement') return { kind: 'skip', reason: 'it is declared directly in a switch case; wrap the case in a block first' };
  const uses = usesOf(context, site);
  const reassigned = uses.find((use) => use.kind === 'reassigned');
  if (reassigned) return { kind: 'skip', reason: `the variable is assigned again at line ${lineOf(reassigned.reference)}` };
  const alias = uses.find((use) => use.kind === 'aliased');
  if (alias) return { kind: 'skip', reason: `it is copied to another variable at line ${lineOf(alias.reference)}; release it through one name` };
  const releases = uses.filter((use) => use.kind === 'release');
  // Handed on: returned, stored, yielded, released by a callback (`.finally(() => pool.release(conn))`),
  // or passed to a function when this one never releases it.
  const transfers = uses.filter(
    (use) =>
      TRANSFERS.has(use.kind) ||
      (use.kind === 'release' && use.inClosure) ||
      // Lent to a call or an object while this function still releases it: borrowed, not handed on.
      ((use.kind === 'passed' || use.kind === 'contained') && releases.length === 0),
  );
  if (transfers.length > 0) return handedOn(context, site, transfers, lineOf);
  const statements = new Map<Node, Node>();
  for (const use of releases) {
    const statement = releaseStatementOf(context, site, use.call!);
    if (!statement) return { kind: 'skip', reason: `it is released inside an expression at line ${lineOf(use.call!)}` };
    if (!statementList(context.index.slotOf(statement))) {
      return { kind: 'skip', reason: `it is released in a branch without braces at line ${lineOf(statement)}` };
    }
    statements.set(statement, use.call!);
  }
  let start = site.list.indexOf(site.declaration) + 1;
  if (site.kind === 'connection') {
    while (start < site.list.length && isSetupStatement(context, site, site.list[start])) start++;
  }
  return { uses, statements, start };
}

/**
 * Ownership leaves the function, so no finally here may release it; but an error between the
 * acquisition and the hand-over still leaks it. That is reported, not rewritten.
 */
function handedOn(context: FileContext, site: Site, transfers: Use[], lineOf: (node: Node) => number): Exclude<Verdict, { kind: 'rewrite' | 'correct' }> {
  const handOvers = new Set<Node>();
  for (const use of transfers) {
    const statement = [...context.index.ancestors(use.reference)].find(
      (ancestor) => (ancestor.type.endsWith('Statement') || ancestor.type === 'VariableDeclaration') && context.index.enclosingFunction(ancestor) === site.fn,
    );
    if (statement) handOvers.add(statement);
  }
  let start = site.list.indexOf(site.declaration) + 1;
  if (site.kind === 'connection') while (start < site.list.length && isSetupStatement(context, site, site.list[start])) start++;
  const analysis = new HoldAnalysis((statement) => handOvers.has(statement) || releaseStatementCall(context, site, statement) !== undefined);
  if (!analysis.leaks(site.list.slice(start))) return { kind: 'not-ours' };
  const first = transfers[0]!;
  const how = HAND_OVER[first.kind] ?? first.kind;
  return { kind: 'skip', reason: `it is ${how} at line ${lineOf(first.reference)}, but an error before that leaks it; give it back in a catch by hand` };
}

export function planReleaseInFinally(session: Session, site: Site): Verdict {
  const { context, text } = session;
  const lineOf = (node: Node) => session.lineOf(node);
  const facts = releaseFacts(context, site, lineOf);
  if (!('uses' in facts)) return facts;
  const { uses, statements, start } = facts;
  const { list } = site;
  const analysis = new HoldAnalysis((statement) => statements.has(statement));
  if (!analysis.leaks(list.slice(start))) return { kind: 'correct' };

  if (statements.size === 0) {
    if (uses.some((use) => use.inClosure)) {
      return { kind: 'skip', reason: 'it is used inside a callback that may run later, and nothing releases it' };
    }
    for (const use of uses) {
      const why = longLivedUse(site, use);
      if (why) return { kind: 'skip', reason: `${why} (line ${lineOf(use.reference)}), and nothing releases it` };
    }
  }
  const methods = new Set([...statements.values()].map((call) => methodCall(call)!.method));
  if (methods.size > 1) {
    return { kind: 'skip', reason: `it is released with different methods on different paths (${[...methods].join(', ')}); choose one by hand` };
  }

  // The segment: from the first statement after the acquisition to the last one that mentions the loan.
  const references = uses.map((use) => use.reference);
  let end = -1;
  for (let i = list.length - 1; i >= start; i--) {
    if (references.some((reference) => context.index.isWithin(reference, list[i]))) {
      end = i;
      break;
    }
  }
  if (end < start) return { kind: 'skip', reason: 'it is never used after it is taken; remove it or release it by hand' };
  const segment = list.slice(start, end + 1);
  const typescript = ['ts', 'tsx'].includes(parserNameFor(session.file));

  // Declarations in the segment that code after it reads are hoisted above the acquisition.
  const hoisted = hoistedDeclarations(context, site, segment, lineOf, typescript);
  if (typeof hoisted === 'string') return { kind: 'skip', reason: hoisted };

  // The release that goes in the finally: the one that ends the happy path, else the first one.
  const comments = commentsOf(context.root);
  const releases = [...statements.keys()].sort((a, b) => a.start - b.start);
  const chosen: Node | undefined = statements.has(list[end]) ? list[end] : releases[0];
  let releaseText: string;
  if (chosen) {
    const inner = chosen.type === 'IfStatement' ? guardedRelease(context, site, chosen) : chosen;
    releaseText = text.slice(inner.start, endWithTrailingComment(text, comments, inner.end).end);
  } else {
    const built = buildRelease(session, site);
    if ('error' in built) return { kind: 'skip', reason: built.error };
    releaseText = built.text;
  }

  const newline = newlineOf(text);
  const indent = indentationAt(text, list[start].start);
  const unit = indentUnitOf(text, site.owner);
  const edits: TextEdit[] = [];

  // Inner trys whose finally did nothing but give the loan back lose that finally (or unwrap).
  const emptied = new Map<Node, EmptiedTry>();
  for (const statement of releases) {
    const found = emptiedTry(context, text, comments, statement, statements);
    if (found) emptied.set(statement, found);
  }
  const wrapping = !(segment[0]?.type === 'TryStatement' && !segment[0].finalizer && segment.filter((statement) => !statements.has(statement)).length === 1);

  // Releases that become redundant go; the chosen one moves into the finally with its comments.
  let movedComments = '';
  for (const statement of releases) {
    const from = statement === chosen ? leadingCommentStart(text, comments, statement.start) : statement.start;
    if (statement === chosen && from < statement.start) {
      movedComments = text
        .slice(from, lineStartOf(text, statement.start))
        .split(/\r?\n/)
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map((part) => `${part}${newline}${indent}${unit}`)
        .join('');
    }
    if (wrapping && emptied.has(statement)) continue;
    const span = removalSpan(text, comments, statement.start, statement.end);
    edits.push({ start: from < statement.start ? lineStartOf(text, from) : span.start, end: span.end, text: '' });
  }
  const finallyBlock = (outer: string) => {
    // A release that spans lines (`if (client.isOpen) { … }`) is re-indented to its new depth.
    const from = chosen ? indentationAt(text, chosen.start) : '';
    const moved = releaseText
      .split(/\r?\n/)
      .map((part, index) => (index === 0 ? part : `${outer}${unit}${part.startsWith(from) ? part.slice(from.length) : part.trimStart()}`))
      .join(newline);
    return `finally {${newline}${outer}${unit}${movedComments}${moved}${newline}${outer}}`;
  };
  const kept = segment.filter((statement) => !statements.has(statement));
  const last = kept[kept.length - 1]!;
  const lastEnd = endWithTrailingComment(text, comments, last.end);

  if (!wrapping) {
    // try { … } catch { … } already covers the loan's code: give it the finally.
    const existingTry = segment[0];
    edits.push({ start: existingTry.end, end: existingTry.end, text: ` ${finallyBlock(indentationAt(text, existingTry.start))}` });
  } else {
    const first = segment[0];
    const noIndent: Array<readonly [number, number]> = [...templateRanges(context.root)];
    for (const found of emptied.values()) {
      edits.push(...found.edits);
      if (found.keepIndentation) noIndent.push(found.keepIndentation);
    }
    if (startsLine(text, first.start)) {
      // The try opens on its own line above the first statement (comments directly above it move in with it).
      const from = lineStartOf(text, leadingCommentStart(text, comments, first.start));
      edits.push({ start: from, end: from, text: `${indent}try {${newline}` });
      edits.push(...indentLines(text, from, lastEnd.end, unit, noIndent));
    } else {
      // Code before it on the line (`const conn = await pool.acquire(); await conn.ping();`): break the line there.
      let from = first.start;
      while (text[from - 1] === ' ' || text[from - 1] === '\t') from--;
      edits.push({ start: from, end: first.start, text: `${newline}${indent}try {${newline}${indent}${unit}` });
      const nextLine = text.indexOf('\n', first.start);
      if (nextLine >= 0 && nextLine < lastEnd.end) edits.push(...indentLines(text, nextLine + 1, lastEnd.end, unit, noIndent));
    }
    const endsLine = endsLineAfter(text, lastEnd.end, edits.filter((edit) => edit.end > edit.start && edit.text === ''));
    edits.push({ start: lastEnd.end, end: lastEnd.end, text: `${newline}${indent}} ${finallyBlock(indent)}${endsLine ? '' : `${newline}${indent}`}` });
  }

  // `return conn.get(k)` must have its reply before the finally gives the connection back.
  if (site.fn.async) edits.push(...awaitReturnEdits(context, site, kept));
  if (hoisted.length > 0) edits.push(...hoistEdits(text, site, hoisted, newline, unit));
  return { kind: 'rewrite', edits };
}

/**
 * `const x = …` declarations in the segment that code after it reads, to hoist above the
 * acquisition; or why the site can't be rewritten.
 */
function hoistedDeclarations(context: FileContext, site: Site, segment: Node[], lineOf: (node: Node) => number, typescript: boolean): Node[] | string {
  const inSegment = (node: Node) => segment.some((statement) => context.index.isWithin(node, statement));
  const outsideReferences = (name: string) => {
    const binding = context.scopes.declaredIn(site.owner, name);
    return binding ? context.scopes.referencesOf(binding).filter((reference) => !inSegment(reference.identifier)) : [];
  };
  const hoisted: Node[] = [];
  for (const statement of segment) {
    if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') {
      if (statement.id && outsideReferences(statement.id.name).length > 0) {
        return `\`${statement.id.name}\` (line ${lineOf(statement)}) is declared between the acquire and the last use but used outside them`;
      }
      continue;
    }
    if (statement.type !== 'VariableDeclaration' || statement.kind === 'var') continue;
    if (statement.kind === 'using' || statement.kind === 'await using') {
      return `the \`${statement.kind}\` declaration at line ${lineOf(statement)} would be disposed at the end of the new try block`;
    }
    const declarators: Node[] = statement.declarations;
    const readAfter = declarators.filter((declarator) => boundIdentifiers(declarator.id).some((identifier) => outsideReferences(identifier.name).length > 0));
    if (readAfter.length === 0) continue;
    if (readAfter.length !== declarators.length || (readAfter.length > 1 && readAfter.some((declarator) => !declarator.init || declarator.id.type !== 'Identifier'))) {
      return `the declaration at line ${lineOf(statement)} mixes names used after the loan ends with others; split it first`;
    }
    if (readAfter.some((declarator) => declarator.id.type !== 'Identifier' && declarator.id.typeAnnotation)) {
      return `the annotated destructuring at line ${lineOf(statement)} is used after the loan ends and can't be hoisted`;
    }
    // TypeScript types an unannotated `let x;` from its assignments, except where a callback reads it.
    const unannotated = typescript ? readAfter.flatMap((declarator) => (declarator.id.typeAnnotation ? [] : boundIdentifiers(declarator.id))) : [];
    for (const identifier of unannotated) {
      const inCallback = outsideReferences(identifier.name).find((reference) => context.index.enclosingFunction(reference.identifier) !== site.fn);
      if (inCallback) {
        return `\`${identifier.name}\` would be declared above the try without a type, and the callback at line ${lineOf(inCallback.identifier)} reads it; annotate it first`;
      }
    }
    hoisted.push(statement);
  }
  return hoisted;
}

/** `return conn.get(k)` → `return await conn.get(k)` in the statements that move into the try. */
function awaitReturnEdits(context: FileContext, site: Site, statements: Node[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const statement of statements) {
    walkOwn(statement, (node) => {
      if (node.type !== 'ReturnStatement' || !node.argument || unwrap(node.argument).type === 'AwaitExpression') return;
      if (!mentions(context, node.argument, site)) return;
      const argument = node.argument;
      if (NEEDS_PARENTHESES.has(argument.type)) {
        edits.push({ start: argument.start, end: argument.start, text: 'await (' }, { start: argument.end, end: argument.end, text: ')' });
      } else {
        edits.push({ start: argument.start, end: argument.start, text: 'await ' });
      }
    });
  }
  return edits;
}

const NEEDS_PARENTHESES = new Set([
  'ConditionalExpression',
  'SequenceExpression',
  'AssignmentExpression',
  'ArrowFunctionExpression',
  'YieldExpression',
  'BinaryExpression',
  'LogicalExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
]);

function mentions(context: FileContext, node: Node, site: Site): boolean {
  let found = false;
  walkOwn(node, (child) => {
    if (child.type === 'Identifier' && context.scopes.resolve(child) === site.binding) found = true;
    return !found;
  });
  return found;
}

function templateRanges(root: Node): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  walk(root.program ?? root, (node) => {
    if (node.type === 'TemplateLiteral') ranges.push([node.start, node.end]);
  });
  return ranges;
}

interface EmptiedTry {
  edits: TextEdit[];
  /** The unwrapped block's lines keep their indentation: they are one level in already. */
  keepIndentation?: readonly [number, number];
}

/**
 * When a release is all an inner `finally` holds: drop ` finally { … }` (its removal covers the
 * release's), and when that `try` has no `catch` either, unwrap its block into the new outer try.
 */
function emptiedTry(context: FileContext, text: string, comments: readonly Node[], release: Node, statements: Map<Node, Node>): EmptiedTry | undefined {
  const finalizer = context.index.parentOf(release);
  const tryStatement = finalizer && context.index.parentOf(finalizer);
  if (finalizer?.type !== 'BlockStatement' || tryStatement?.type !== 'TryStatement' || tryStatement.finalizer !== finalizer) return undefined;
  if (!finalizer.body.every((statement: Node) => statements.has(statement))) return undefined;
  if (comments.some((comment) => comment.start > finalizer.start && comment.end < finalizer.end && !statements.has(release))) return undefined;
  const before = tryStatement.handler ?? tryStatement.block;
  if (tryStatement.handler) return { edits: [{ start: before.end, end: finalizer.end, text: '' }] };
  const block = tryStatement.block;
  const body: Node[] = block.body;
  const inside = comments.filter((comment) => comment.start > block.start && comment.end < block.end);
  if (body.length === 0 && inside.length === 0) return { edits: [{ ...removalSpan(text, comments, tryStatement.start, tryStatement.end), text: '' }] };
  // `try {` up to the first thing inside it, and from the last thing inside to the end of the finally.
  const firstInside = Math.min(...body.map((statement) => statement.start), ...inside.map((comment) => comment.start));
  const lastInside = Math.max(
    ...body.map((statement) => endWithTrailingComment(text, comments, statement.end).end),
    ...inside.map((comment) => comment.end),
  );
  return {
    edits: [
      { start: tryStatement.start, end: firstInside, text: '' },
      { start: lastInside, end: tryStatement.end, text: '' },
    ],
    keepIndentation: [firstInside, lastInside],
  };
}

/**
 * `const x = compute(conn);` inside the new try, read after it: `let x;` goes above the
 * acquisition (keeping a type annotation) and the declaration becomes an assignment.
 */
function hoistEdits(text: string, site: Site, declarations: Node[], newline: string, unit: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const names: string[] = [];
  for (const declaration of declarations) {
    const declarators: Node[] = declaration.declarations;
    for (const declarator of declarators) {
      for (const identifier of boundIdentifiers(declarator.id)) {
        const annotation = declarator.id === identifier && identifier.typeAnnotation ? text.slice(identifier.typeAnnotation.start, identifier.typeAnnotation.end) : '';
        names.push(`${identifier.name}${annotation}`);
      }
    }
    const [first] = declarators;
    if (!first.init) {
      // `let tier;`: nothing is left to assign.
      edits.push({ ...removalSpan(text, [], declaration.start, declaration.end), text: '' });
      continue;
    }
    if (first.id.type === 'Identifier') {
      edits.push({ start: declaration.start, end: first.init.start, text: `${first.id.name} = ` });
      // `const a = 1, b = 2;` → one assignment per line (the lines are inside the new try: one level deeper).
      const lineIndent = `${indentationAt(text, declaration.start)}${unit}`;
      declarators.slice(1).forEach((declarator, index) => {
        edits.push({ start: declarators[index]!.end, end: declarator.init.start, text: `;${newline}${lineIndent}${declarator.id.name} = ` });
      });
    } else {
      // `({ a, b } = init);`: a statement can't start with `{` (and, without semicolons, `;(` keeps it off the line above).
      const guard = semicolonOf(text, site) === '' ? ';' : '';
      edits.push({ start: declaration.start, end: first.id.start, text: `${guard}(` }, { start: first.init.end, end: first.init.end, text: ')' });
    }
  }
  const at = site.declaration.start;
  const indent = indentationAt(text, at);
  const declaration = `let ${names.join(', ')}${semicolonOf(text, site)}`;
  edits.push(startsLine(text, at) ? { start: lineStartOf(text, at), end: lineStartOf(text, at), text: `${indent}${declaration}${newline}` } : { start: at, end: at, text: `${declaration} ` });
  return edits;
}

/** The statement around a release call: `pool.release(conn);`, or the `if (conn)` that guards it. */
function releaseStatementOf(context: FileContext, site: Site, call: Node): Node | undefined {
  let node = call;
  let slot = context.index.slotOf(node);
  while (slot && ['AwaitExpression', 'UnaryExpression', 'TSAsExpression', 'TSNonNullExpression', 'ParenthesizedExpression'].includes(slot.parent.type)) {
    node = slot.parent;
    slot = context.index.slotOf(node);
  }
  if (slot?.parent.type !== 'ExpressionStatement') return undefined;
  const statement = slot.parent;
  if (releaseStatementCall(context, site, statement) !== call) return undefined;
  let guard = context.index.parentOf(statement);
  if (guard?.type === 'BlockStatement' && guard.body.length === 1) guard = context.index.parentOf(guard);
  if (guard?.type === 'IfStatement' && releaseStatementCall(context, site, guard) === call) return guard;
  return statement;
}

/** `if (conn) pool.release(conn);` → `pool.release(conn);` (the loan is always set in a finally after a `const`). */
function guardedRelease(context: FileContext, site: Site, statement: Node): Node {
  // A guard on the connection's state (`client.isOpen`) stays: closing a closed client throws.
  if (!testsOnlyTheLoan(context, site, statement.test)) return statement;
  const body = statement.consequent;
  return body.type === 'BlockStatement' ? body.body[0] : body;
}

/** `await client.connect()` and `client.on('error', …)` right after a connection is made stay before the `try`. */
export function isSetupStatement(context: FileContext, site: Site, statement: Node): boolean {
  if (statement.type !== 'ExpressionStatement') return false;
  let expression = unwrap(statement.expression);
  if (expression.type === 'AwaitExpression') expression = unwrap(expression.argument);
  const parts = methodCall(expression);
  if (!parts) return false;
  const receiver = unwrap(parts.receiver);
  if (receiver.type !== 'Identifier' || context.scopes.resolve(receiver) !== site.binding) return false;
  const spec = site.value.library.values[site.value.kind]?.methods[parts.method];
  return spec?.type === 'listener' || (spec?.type === 'self' && spec.async === true);
}

/** A release statement written from the catalog: `await pool.release(conn);`, `await client.close();`. */
function buildRelease(session: Session, site: Site): { text: string } | { error: string } {
  const choice = chooseRelease(session, site);
  if (typeof choice === 'string') return { error: choice };
  const { method, spec } = choice;
  let call: string;
  if (spec.loanArg !== undefined) {
    if (spec.loanArg !== 0) return { error: 'the catalog puts the loan in a later argument of the release; release it by hand' };
    const receiver = site.value.call && methodCall(site.value.call)?.receiver;
    if (!receiver || !isPlainReference(receiver)) return { error: 'the pool is not a plain name or property, so the release can’t name it again' };
    const inner = unwrap(receiver);
    call = `${session.text.slice(inner.start, inner.end)}.${method}(${site.binding.name})`;
  } else {
    call = `${site.binding.name}.${method}()`;
  }
  const awaited = spec.async === true && site.fn.async === true;
  return { text: `${awaited ? 'await ' : ''}${call}${semicolonOf(session.text, site)}` };
}

type ReleaseSpec = Extract<MethodSpec, { type: 'release' }>;

/**
 * Which release to write, from the catalog: the loan's own release (`lease.release()`), or the
 * pool's release that takes the loan (`pool.release(conn)`); when there are several, the kind's
 * `preferredRelease` for the installed major, then the one the pool's managed form performs.
 */
export function chooseRelease(session: Session, site: Site): { method: string; spec: ReleaseSpec } | string {
  const own = releasesOf(site.value.library.values[site.value.kind], false);
  const poolSpec = site.pool ? site.pool.library.values[site.pool.kind] : undefined;
  const fromPool = own.length === 0 && poolSpec ? releasesOf(poolSpec, true) : [];
  const candidates = own.length > 0 ? own : fromPool;
  const holder = own.length > 0 ? site.value.library.values[site.value.kind] : poolSpec;
  if (candidates.length === 0) return `the catalog knows no way to release a ${site.value.library.displayName} ${site.value.kind}`;
  if (candidates.length === 1) return candidates[0]!;
  const preferred = holder?.preferredRelease;
  if (preferred) {
    const major = installedMajor(session, site.value.library);
    const entry = preferred.find((candidate) => !candidate.versions || (major !== undefined && candidate.versions.majors.includes(major)));
    if (!entry) {
      return major === undefined
        ? `can't tell which ${site.value.library.displayName} major is installed, so not which release to write; pass --node-redis-major`
        : `the catalog has no release for ${site.value.library.displayName} ${major}`;
    }
    const found = candidates.find((candidate) => candidate.method === entry.method);
    if (found) return found;
  }
  const managed = Object.values(poolSpec?.methods ?? {}).find((spec) => spec.type === 'managed' && spec.releases);
  const performed = managed?.type === 'managed' ? candidates.find((candidate) => candidate.method === managed.releases) : undefined;
  return performed ?? `the catalog lists several releases for a ${site.value.library.displayName} ${site.value.kind} and prefers none`;
}

function releasesOf(spec: ValueSpec | undefined, withLoan: boolean): Array<{ method: string; spec: ReleaseSpec }> {
  const found: Array<{ method: string; spec: ReleaseSpec }> = [];
  for (const [method, candidate] of Object.entries(spec?.methods ?? {})) {
    if (candidate.type === 'release' && (candidate.loanArg !== undefined) === withLoan) found.push({ method, spec: candidate });
  }
  return found;
}

/** The installed major: the `--node-redis-major` flag, else the package.json found from the file. */
export function installedMajor(session: Session, library: LibraryCatalog): number | undefined {
  const flag = session.options.nodeRedisMajor;
  if (library.id === 'node-redis' && flag !== undefined) return majorOf(flag as number | string);
  const dir = path.dirname(path.resolve(session.file));
  for (const packageName of library.packages) {
    const version = detectInstalledVersion(packageName, dir);
    if (version) return majorOf(version);
  }
  return undefined;
}

/** Statements end as the acquisition does: with a semicolon, or without in a file that relies on ASI. */
function semicolonOf(text: string, site: Site): string {
  return text[site.declaration.end - 1] === ';' ? ';' : '';
}

/** `pool`, `this.pool`, `pools.main`: safe to evaluate twice. */
function isPlainReference(node: Node): boolean {
  const inner = unwrap(node);
  if (inner.type === 'Identifier' || inner.type === 'ThisExpression') return true;
  return isMember(inner) && !inner.computed && isPlainReference(inner.object);
}

function line(node: Node): number {
  return node.loc?.start.line ?? 0;
}

/**
 * Runs release-in-finally over a whole file: every leaking site is rewritten or reported. Sites
 * are taken from the last to the first, so the edits for one never move a site still to be
 * planned, and the text is parsed again after each rewrite. `only` narrows the sites considered
 * (managed-lifecycle fixes only the loans it can then convert).
 */
export function releaseInFinally(session: Session, only: (site: Site) => boolean = () => true, reportLoose = true): { skipped: Set<number> } {
  if (reportLoose) {
    for (const loose of looseAcquisitions(session.context, findSites(session.context))) session.skipped(loose.node, loose.reason);
  }
  const skipped = new Set<number>();
  let limit = Infinity;
  for (;;) {
    const site = findSites(session.context)
      .filter((candidate) => candidate.declaration.start < limit && only(candidate))
      .sort((a, b) => b.declaration.start - a.declaration.start)[0];
    if (!site) return { skipped };
    limit = site.declaration.start;
    const verdict = planReleaseInFinally(session, site);
    if (verdict.kind === 'skip') {
      session.skipped(site.declaration, verdict.reason);
      skipped.add(session.lineOf(site.declaration));
    }
    if (verdict.kind !== 'rewrite') continue;
    session.rewritten(site.declaration, 'released in finally');
    session.apply(verdict.edits);
  }
}
