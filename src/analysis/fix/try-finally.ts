/**
 * The try/finally plan for a loan or a per-call connection that some path does not give back:
 * wrap the statements from the acquisition to the loan's last use in
 * `try { … } finally { <release> }`, remove the releases that become redundant (releasing twice
 * rejects in generic-pool), and make `return conn.get(k)` wait for its reply before the loan goes
 * back. The plan is the rule's suggestion (`no-unreleased-connection`) and the codemod's rewrite
 * (`release-in-finally`), or the reason no rewrite is safe.
 *
 * Minimal diffs: statements that cannot fail stay before the `try`; an existing `try/catch` that
 * holds all the loan's code gets the `finally` instead of a second `try`; only moved lines are
 * re-indented. A declaration in the moved code that is read after it is handled by taking those
 * readers into the `try` when that holds the loan no longer in practice (they don't wait), else
 * by declaring it above the acquisition with its type (TypeScript: from the annotation or the
 * initializer; when it can't be known, the site is skipped with the reason).
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { isRedisClientLibrary, LIBRARIES } from '../../catalog';
import { AST_NODE_TYPES, isFunctionNode, isNullish, isStatementOf, lineOf, unwrapExpression, walk, within } from '../ast';
import type { RedisAnalysis } from '../context';
import { releaseMethodFor, type Loan, type LoanUses } from '../loans';
import { mayThrowWithin } from '../may-throw';
import { planAt, type FixPlan, type TextEdit } from '../plans';
import { findVariableFor, type Variable } from '../scope';
import {
  endsLineAfter,
  endWithTrailingComment,
  indentationAt,
  indentLines,
  indentUnitOf,
  leadingCommentStart,
  lineStartOf,
  newlineOf,
  nextLineStart,
  removalSpan,
  semicolonAfter,
  startsLine,
} from './text';
import { findNode, isRepeatable, templateRanges, tryOfBareFinally, wholeStatement, withGuard } from './nodes';

type Statement = TSESTree.Statement | TSESTree.ProgramStatement;

/** What the try-finally and managed-call plans of a loan are recorded as, and for which language. */
export interface LoanPlanOptions {
  rule: string;
  kind: string;
  /** The file is TypeScript: hoisted declarations need a type. */
  typescript: boolean;
}

/** How a report names a hand-over, by the kind of use. */
const HAND_OVER: Partial<Record<string, string>> = {
  returned: 'returned',
  yielded: 'yielded',
  exported: 'exported',
  stored: 'stored',
  contained: 'put in an object or array',
  passed: 'passed on',
  'method-call': 'passed on',
};

/** The plan for a leaking loan bound to a variable or a `.then` callback. */
export function planTryFinally(loan: Loan, uses: LoanUses, analysis: RedisAnalysis, options: LoanPlanOptions): FixPlan {
  const { sourceCode } = analysis;
  const text = sourceCode.text;
  const acquisitionNode = loan.acquisition.node;
  const skipAt = (node: TSESTree.Node, reason: string): FixPlan => ({ type: 'skip', ...planAt(node, options), reason });
  if (loan.binding.type === 'callback') return skipAt(acquisitionNode, 'the loan is taken in a promise chain; rewrite it with await first');
  const variable = loan.binding.variable;
  const def = variable.defs[0];
  if (def?.type !== 'Variable' || variable.defs.length !== 1 || !def.node.init || !within(acquisitionNode, def.node.init)) {
    return skipAt(acquisitionNode, 'the loan is assigned to a variable declared elsewhere; take it with `const x = await …acquire()`');
  }
  const declaration = def.node.parent;
  const skip = (reason: string) => skipAt(declaration, reason);
  const container = declaration.parent;
  if (container?.type === AST_NODE_TYPES.SwitchCase) return skip('it is declared directly in a switch case; wrap the case in a block first');
  if (container?.type !== AST_NODE_TYPES.BlockStatement || declaration.declarations.length !== 1) {
    return skip('it is not declared alone in a block; declare it with its own `const` inside a function first');
  }
  const reassigned = variable.references.find((reference) => reference.isWrite() && !reference.init);
  if (reassigned) return skip(`the variable is assigned again at line ${lineOf(reassigned.identifier)}`);
  const alias = [...loan.variables].find((candidate) => candidate !== variable);
  if (alias) return skip(`it is copied to another variable at line ${lineOf(alias.defs[0]?.name ?? declaration)}; release it through one name`);

  const transfers = uses.events.filter((event) => event.effect === 'transfer');
  if (transfers.length > 0 || uses.rejectionLeaks.length > 0) {
    const first = transfers[0];
    if (!first) return skip('it is released by a callback that a rejection skips; give it back in a catch by hand');
    const how = first.use.closure ? (closureReleases(first.use.closure, loan) ? 'released by a callback' : 'used by a callback that may run later') : HAND_OVER[first.use.kind] ?? 'handed on';
    return skip(`it is ${how} at line ${lineOf(first.use.reference)}, but an error before that leaks it; give it back in a catch by hand`);
  }

  const list = container.body;
  const mentions = mentionTest(loan);
  // The statements that do nothing but give the loan back, and the release call of each.
  const releases = new Map<Statement, TSESTree.Node>();
  for (const event of uses.events) {
    if (event.effect !== 'release') continue;
    const statement = releaseStatementOf(event.at, loan);
    if (!statement) return skip(`it is released inside an expression at line ${lineOf(event.at)}`);
    const parent = statement.parent;
    if (parent?.type !== AST_NODE_TYPES.BlockStatement && parent?.type !== AST_NODE_TYPES.SwitchCase && parent?.type !== AST_NODE_TYPES.Program) {
      return skip(`it is released in a branch without braces at line ${lineOf(statement)}`);
    }
    releases.set(statement, event.at);
  }
  if (releases.size === 0) {
    for (const event of uses.events) {
      const why = longLivedUse(loan, event.use);
      if (why) return skip(`${why} (line ${lineOf(event.use.reference)}), and nothing releases it`);
    }
  }
  const methods = new Set([...releases.values()].map(releaseMethodName).filter((name): name is string => name !== undefined));
  if (methods.size > 1) return skip(`it is released with different methods on different paths (${[...methods].join(', ')}); choose one by hand`);

  // The segment: from the first statement after the acquisition (and a connection's set-up) to the last that mentions the loan.
  const setup = new Set(uses.events.filter((event) => event.effect === 'open' || event.effect === 'setup').map((event) => event.at));
  let start = list.indexOf(declaration) + 1;
  while (start < list.length && isStatementOf(list[start]!, setup)) start++;
  let end = list.findLastIndex((statement, index) => index >= start && mentions(statement));
  if (end < start) return skip('it is never used after it is taken; remove it or release it by hand');
  // Statements that cannot fail stay where they are, before the `try`.
  while (start < end && !releases.has(list[start]!) && cannotFail(list[start]!, analysis)) start++;

  // Declarations read after the segment: take their readers in when that does not hold the loan
  // over anything that waits, or when the code never gave it back anyway; else declare them above.
  const hoist: TSESTree.VariableDeclaration[] = [];
  for (;;) {
    const segment = list.slice(start, end + 1);
    const readAfter = declarationsReadAfter(segment, sourceCode, end, list);
    if (typeof readAfter === 'string') return skip(readAfter);
    if (readAfter.lastReader < 0) {
      hoist.push(...readAfter.declarations);
      break;
    }
    const extension = list.slice(end + 1, readAfter.lastReader + 1);
    if (releases.size === 0 || extension.every((statement) => !waits(statement))) {
      end = readAfter.lastReader;
      continue;
    }
    const untyped = options.typescript ? readAfter.declarations.flatMap((statement) => untypedNames(statement, sourceCode)) : [];
    if (untyped.length > 0) {
      return skip(
        `\`${untyped[0]}\` is read after the loan is given back (line ${readAfter.readerLine}) and its type is not written; annotate it so it can be declared above the try`,
      );
    }
    hoist.push(...readAfter.declarations);
    break;
  }
  const segment = list.slice(start, end + 1);

  // The release that goes in the finally: the one that ends the happy path, else the first one.
  const comments = sourceCode.getAllComments();
  const sortedReleases = [...releases.keys()].sort((a, b) => a.range[0] - b.range[0]);
  const last = list[end]!;
  const chosen = releases.has(last) ? last : sortedReleases[0];
  let releaseText: string;
  if (chosen) {
    const inner = chosen.type === AST_NODE_TYPES.IfStatement ? guardedRelease(chosen, loan) : chosen;
    releaseText = text.slice(inner.range[0], endWithTrailingComment(text, comments, inner.range[1]).end);
  } else {
    const built = buildRelease(loan, analysis, semicolonAfter(text, declaration));
    if (typeof built !== 'string') return skip(built.error);
    releaseText = built;
  }

  // The finally can't see what the try block declares (`const done = () => pool.release(c)` made after a call that may fail).
  if (chosen) {
    const local = declaredIn(chosen, segment, sourceCode);
    if (local) return skip(`the release at line ${lineOf(chosen)} uses \`${local}\`, which would be declared inside the try; declare it before the acquire`);
  }

  const newline = newlineOf(text);
  const indent = indentationAt(text, list[start]!.range[0]);
  const unit = indentUnitOf(text, container);
  const edits: TextEdit[] = [];

  const emptied = new Map<Statement, EmptiedTry>();
  for (const statement of sortedReleases) {
    const found = emptiedTry(text, comments, statement, releases);
    if (found) emptied.set(statement, found);
  }
  const kept = segment.filter((statement) => !releases.has(statement));
  if (kept.length === 0) return skip('nothing but releases follows the acquisition; nothing to wrap');
  const existingTry = kept.length === 1 && kept[0]!.type === AST_NODE_TYPES.TryStatement && !kept[0]!.finalizer ? kept[0] : undefined;
  const wrapping = !existingTry;

  // Releases that become redundant go; the chosen one moves into the finally with its comments.
  let movedComments = '';
  for (const statement of sortedReleases) {
    const from = statement === chosen ? leadingCommentStart(text, comments, statement.range[0]) : statement.range[0];
    if (statement === chosen && from < statement.range[0]) {
      movedComments = text
        .slice(from, lineStartOf(text, statement.range[0]))
        .split(/\r?\n/)
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map((part) => `${part}${newline}${indent}${unit}`)
        .join('');
    }
    if (wrapping && emptied.has(statement)) continue;
    const span = removalSpan(text, comments, statement.range[0], statement.range[1]);
    const removal = { start: from < statement.range[0] ? lineStartOf(text, from) : span.start, end: span.end, text: '' };
    edits.push(withoutBlankLineBeforeBrace(text, removal));
  }
  const finallyBlock = (outer: string) => {
    // A release that spans lines (`if (client.isOpen) { … }`) is re-indented to its new depth.
    const from = chosen ? indentationAt(text, chosen.range[0]) : '';
    const moved = releaseText
      .split(/\r?\n/)
      .map((part, index) => (index === 0 ? part : `${outer}${unit}${part.startsWith(from) ? part.slice(from.length) : part.trimStart()}`))
      .join(newline);
    return `finally {${newline}${outer}${unit}${movedComments}${moved}${newline}${outer}}`;
  };
  const lastKept = kept[kept.length - 1]!;
  const lastEnd = endWithTrailingComment(text, comments, lastKept.range[1]);

  if (container.loc.start.line === container.loc.end.line && !existingTry) {
    // A block written on one line stays on one line: `{ const c = new Redis(); try { … } finally { c.disconnect(); } }`.
    const oneLineFinally = `finally { ${movedComments}${releaseText} }`;
    const first = segment[0]!;
    edits.push({ start: first.range[0], end: first.range[0], text: 'try { ' });
    edits.push({ start: lastEnd.end, end: lastEnd.end, text: ` } ${oneLineFinally}` });
  } else if (existingTry) {
    // try { … } catch { … } already covers the loan's code: give it the finally.
    edits.push({ start: existingTry.range[1], end: existingTry.range[1], text: ` ${finallyBlock(indentationAt(text, existingTry.range[0]))}` });
  } else {
    const first = segment[0]!;
    const noIndent: Array<readonly [number, number]> = templateRanges(container);
    for (const found of emptied.values()) {
      edits.push(...found.edits);
      if (found.keepIndentation) noIndent.push(found.keepIndentation);
    }
    if (startsLine(text, first.range[0])) {
      // The try opens on its own line above the first statement (comments directly above it move in with it).
      const from = lineStartOf(text, leadingCommentStart(text, comments, first.range[0]));
      edits.push({ start: from, end: from, text: `${indent}try {${newline}` });
      edits.push(...indentLines(text, from, lastEnd.end, unit, noIndent));
    } else {
      // Code before it on the line (`const conn = await pool.acquire(); await conn.ping();`): break the line there.
      let from = first.range[0];
      while (text[from - 1] === ' ' || text[from - 1] === '\t') from--;
      edits.push({ start: from, end: first.range[0], text: `${newline}${indent}try {${newline}${indent}${unit}` });
      edits.push(...indentLines(text, nextLineStart(text, first.range[0]), lastEnd.end, unit, noIndent));
    }
    const endsLine = endsLineAfter(text, lastEnd.end, edits.filter((edit) => edit.end > edit.start && edit.text === ''));
    edits.push({ start: lastEnd.end, end: lastEnd.end, text: `${newline}${indent}} ${finallyBlock(indent)}${endsLine ? '' : `${newline}${indent}`}` });
  }

  // `return conn.get(k)` must have its reply before the finally gives the connection back.
  if (loan.owner.async) edits.push(...awaitReturnEdits(kept, mentions));
  if (hoist.length > 0) edits.push(...hoistEdits(text, declaration, hoist, newline, unit, sourceCode, options.typescript));
  return { type: 'rewrite', ...planAt(declaration, options), description: 'released in finally', edits };
}

/** Whether a statement (or any node) contains a reference to the loan's variables. */
function mentionTest(loan: Loan): (node: TSESTree.Node) => boolean {
  const references = [...loan.variables].flatMap((variable) => variable.references.map((reference) => reference.identifier));
  return (node) => references.some((identifier) => within(identifier, node));
}

function closureReleases(closure: TSESTree.Node, loan: Loan): boolean {
  return findNode(closure, (node) => node.type === AST_NODE_TYPES.CallExpression && loan.isReleasedBy(node)) !== undefined;
}

/**
 * The statement a release is: `pool.release(conn);`, `await client.quit();`, `void lease.release();`,
 * or the `if (conn)` / `if (client.isOpen)` that guards it and does nothing else.
 */
function releaseStatementOf(at: TSESTree.Node, loan: Loan): Statement | undefined {
  const statement = wholeStatement(at);
  // `if (conn) pool.release(conn)` is a release; so is `if (flag) pool.release(conn)` once the
  // finally releases on every path (the branch would be left empty).
  return statement && withGuard(statement, (test) => readsTheLoan(test, loan) || isPure(test));
}

const PURE_NODES = new Set<string>([
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.Literal,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.ThisExpression,
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.LogicalExpression,
  AST_NODE_TYPES.PrivateIdentifier,
  AST_NODE_TYPES.UnaryExpression,
]);

/** A test that does nothing but read: names, properties, literals and operators on them. */
function isPure(test: TSESTree.Node): boolean {
  return !findNode(test, (node) => !PURE_NODES.has(node.type) || (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === 'delete'));
}

function readsTheLoan(test: TSESTree.Node, loan: Loan): boolean {
  return findNode(test, (node) => node.type === AST_NODE_TYPES.Identifier && loan.refersTo(node), isFunctionNode) !== undefined;
}

/** `if (conn) pool.release(conn);` → `pool.release(conn);`: in a finally after a `const`, the loan is always set. */
function guardedRelease(statement: TSESTree.IfStatement, loan: Loan): TSESTree.Node {
  // A guard on the connection's state (`client.isOpen`) stays: closing a closed client throws.
  if (!testsOnlyTheLoan(statement.test, loan) && readsTheLoan(statement.test, loan)) return statement;
  const body = statement.consequent;
  return body.type === AST_NODE_TYPES.BlockStatement ? body.body[0]! : body;
}

function testsOnlyTheLoan(test: TSESTree.Node, loan: Loan): boolean {
  const isLoan = (node: TSESTree.Node) => {
    const inner = unwrapExpression(node);
    return inner.type === AST_NODE_TYPES.Identifier && loan.refersTo(inner);
  };
  const node = unwrapExpression(test);
  if (isLoan(node)) return true;
  if (node.type === AST_NODE_TYPES.BinaryExpression && (node.operator === '!=' || node.operator === '!==')) {
    return (isLoan(node.left) && isNullish(node.right)) || (isLoan(node.right) && isNullish(node.left));
  }
  return false;
}

export function releaseMethodName(at: TSESTree.Node): string | undefined {
  const call = unwrapExpression(at);
  if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = unwrapExpression(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  return callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : undefined;
}

/**
 * Uses that keep the connection busy after the code moves on: SUBSCRIBE or MONITOR take it over,
 * and listeners for events other than 'error' wait for later events.
 */
function longLivedUse(loan: Loan, use: LoanUses['events'][number]['use']): string | undefined {
  if (use.kind !== 'method-call' || !use.method || !use.call) return undefined;
  const { value } = loan.acquisition;
  // A loan's methods are those of the client its pool lends, which the analysis does not name:
  // any catalog client's spelling counts (this only ever stops a rewrite).
  const candidates = value.kind === 'lease' ? CLIENT_LIBRARIES.flatMap((library) => (['client', 'cluster'] as const).map((kind) => ({ library, kind }))) : [{ library: value.library, kind: value.kind }];
  for (const { library, kind } of candidates) {
    const takeover = library.takeoverMethods?.[use.method];
    if (takeover) return `${takeover} takes the connection over`;
    const spec = library.values[kind]?.methods[use.method];
    if (spec?.type === 'listener') {
      const event = use.call.arguments[0];
      if (!(event?.type === AST_NODE_TYPES.Literal && event.value === 'error')) return 'it listens for events that may arrive later';
    }
  }
  return undefined;
}

const CLIENT_LIBRARIES = LIBRARIES.filter(isRedisClientLibrary);

/** A declaration or expression statement that cannot fail at run time: nothing in it may throw or waits. */
export function cannotFail(statement: Statement, analysis: RedisAnalysis): boolean {
  // Declaring a function runs nothing (and a release helper must stay visible to the finally).
  if (statement.type === AST_NODE_TYPES.FunctionDeclaration) return true;
  if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
    if (statement.kind === 'using' || statement.kind === 'await using' || statement.declare) return false;
  } else if (statement.type !== AST_NODE_TYPES.ExpressionStatement) {
    return false;
  }
  return !mayThrowWithin(statement, analysis);
}

/** A name the release reads that a statement of the segment (outside the release) declares. */
function declaredIn(release: TSESTree.Node, segment: readonly Statement[], sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const range: [number, number] = [segment[0]!.range[0], segment[segment.length - 1]!.range[1]];
  const found = findNode(release, (node) => {
    const def = node.type === AST_NODE_TYPES.Identifier ? findVariableFor(sourceCode, node)?.defs[0] : undefined;
    return def !== undefined && def.name.range[0] >= range[0] && def.name.range[1] <= range[1] && !within(def.name, release);
  });
  return (found as TSESTree.Identifier | undefined)?.name;
}

/** Whether running the statement waits (an `await` or `yield` outside nested functions). */
function waits(statement: TSESTree.Node): boolean {
  const wait = (node: TSESTree.Node) =>
    node.type === AST_NODE_TYPES.AwaitExpression ||
    node.type === AST_NODE_TYPES.YieldExpression ||
    (node.type === AST_NODE_TYPES.ForOfStatement && node.await) ||
    (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'await using');
  return findNode(statement, wait, isFunctionNode) !== undefined;
}

/**
 * The segment's `let`/`const` declarations that statements after it read, and the last of those
 * readers (an index in `list`, -1 when none); or why the segment can't move into a block.
 */
function declarationsReadAfter(
  segment: readonly Statement[],
  sourceCode: Readonly<TSESLint.SourceCode>,
  end: number,
  list: readonly Statement[],
): { declarations: TSESTree.VariableDeclaration[]; lastReader: number; readerLine: number } | string {
  const range: [number, number] = [segment[0]!.range[0], segment[segment.length - 1]!.range[1]];
  const outside = (variable: Variable) => variable.references.filter((reference) => reference.identifier.range[0] < range[0] || reference.identifier.range[1] > range[1]);
  const declarations: TSESTree.VariableDeclaration[] = [];
  let lastReader = -1;
  let readerLine = 0;
  for (const statement of segment) {
    if (statement.type === AST_NODE_TYPES.FunctionDeclaration || statement.type === AST_NODE_TYPES.ClassDeclaration) {
      const used = sourceCode.getDeclaredVariables(statement).some((variable) => outside(variable).length > 0);
      if (used && statement.id) return `\`${statement.id.name}\` (line ${lineOf(statement)}) is declared between the acquire and the last use but used outside them`;
      continue;
    }
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration || statement.kind === 'var') continue;
    const variables = sourceCode.getDeclaredVariables(statement);
    const readers = variables.flatMap(outside);
    if (readers.length === 0) continue;
    if (statement.kind === 'using' || statement.kind === 'await using') {
      return `the \`${statement.kind}\` declaration at line ${lineOf(statement)} would be disposed at the end of the new try block`;
    }
    declarations.push(statement);
    for (const reference of readers) {
      const index = list.findIndex((candidate, at) => at > end && within(reference.identifier, candidate));
      if (index > lastReader) {
        lastReader = index;
        readerLine = lineOf(reference.identifier);
      }
      // A read before the segment (a closure declared earlier) can't be helped by moving readers in.
      if (index < 0) lastReader = Math.max(lastReader, -1);
    }
  }
  return { declarations, lastReader, readerLine };
}

/** Names a TypeScript hoist would declare without a type it can write. */
function untypedNames(statement: TSESTree.VariableDeclaration, sourceCode: Readonly<TSESLint.SourceCode>): string[] {
  const names: string[] = [];
  for (const declarator of statement.declarations) {
    if (declarator.id.type !== AST_NODE_TYPES.Identifier) {
      names.push(sourceCode.getText(declarator.id));
      continue;
    }
    if (declarator.id.typeAnnotation || !declarator.init) continue;
    if (typeOfInitializer(declarator.init, sourceCode) === undefined) names.push(declarator.id.name);
  }
  return names;
}

/** The type an initializer states: `x as T`, a literal, a template, `Number(…)`. */
function typeOfInitializer(init: TSESTree.Expression, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  switch (init.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression: {
      const type = sourceCode.getText(init.typeAnnotation);
      return type === 'const' ? undefined : type;
    }
    case AST_NODE_TYPES.TemplateLiteral:
      return 'string';
    case AST_NODE_TYPES.Literal:
      if (typeof init.value === 'string') return 'string';
      if (typeof init.value === 'number') return 'number';
      if (typeof init.value === 'boolean') return 'boolean';
      return undefined;
    case AST_NODE_TYPES.CallExpression: {
      const callee = init.callee;
      const known: Record<string, string> = { Number: 'number', String: 'string', Boolean: 'boolean' };
      return callee.type === AST_NODE_TYPES.Identifier ? known[callee.name] : undefined;
    }
    default:
      return undefined;
  }
}

/** A release statement written from the catalog: `await pool.release(conn);`, `await client.close();`. */
function buildRelease(loan: Loan, analysis: RedisAnalysis, semicolon: string): string | { error: string } {
  const release = releaseMethodFor(loan.acquisition, analysis);
  const { value } = loan.acquisition;
  if (!release) return { error: `the catalog knows no way to release a ${value.library.displayName} ${value.kind}` };
  const name = loan.binding.variable.name;
  const awaited = release.async && loan.owner.async ? 'await ' : '';
  if (release.on === 'value') return `${awaited}${name}.${release.method}()${semicolon}`;
  const acquire = loan.acquisition.node;
  const call = acquire.type === AST_NODE_TYPES.MemberExpression ? unwrapExpression(acquire.object) : acquire;
  const callee = call.type === AST_NODE_TYPES.CallExpression ? unwrapExpression(call.callee) : undefined;
  if (callee?.type !== AST_NODE_TYPES.MemberExpression || !isRepeatable(callee.object)) {
    return { error: 'the pool is not a plain name or property, so the release can’t name it again' };
  }
  return `${awaited}${analysis.sourceCode.getText(unwrapExpression(callee.object))}.${release.method}(${name})${semicolon}`;
}

/** `return conn.get(k)` → `return await conn.get(k)` in the statements that move into the try. */
function awaitReturnEdits(statements: readonly Statement[], mentions: (node: TSESTree.Node) => boolean): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const statement of statements) {
    walk(statement, (node) => {
      if (isFunctionNode(node)) return false;
      if (node.type !== AST_NODE_TYPES.ReturnStatement || !node.argument) return true;
      const argument = node.argument;
      if (unwrapExpression(argument).type === AST_NODE_TYPES.AwaitExpression || !mentions(argument)) return true;
      if (NEEDS_PARENTHESES.has(argument.type)) {
        edits.push({ start: argument.range[0], end: argument.range[0], text: 'await (' }, { start: argument.range[1], end: argument.range[1], text: ')' });
      } else {
        edits.push({ start: argument.range[0], end: argument.range[0], text: 'await ' });
      }
      return true;
    });
  }
  return edits;
}

const NEEDS_PARENTHESES = new Set<string>([
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.SequenceExpression,
  AST_NODE_TYPES.AssignmentExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.YieldExpression,
  AST_NODE_TYPES.BinaryExpression,
  AST_NODE_TYPES.LogicalExpression,
  AST_NODE_TYPES.TSAsExpression,
  AST_NODE_TYPES.TSSatisfiesExpression,
]);

/** A removal of whole lines that would leave a blank line right above a closing brace takes that blank line too. */
function withoutBlankLineBeforeBrace(text: string, removal: TextEdit): TextEdit {
  if (removal.start !== lineStartOf(text, removal.start)) return removal;
  const after = text.slice(removal.end);
  if (!/^[ \t]*\}/.test(after)) return removal;
  let start = removal.start;
  while (start > 0 && text.slice(lineStartOf(text, start - 1), start).trim() === '') start = lineStartOf(text, start - 1);
  return { ...removal, start };
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
function emptiedTry(text: string, comments: readonly TSESTree.Comment[], release: Statement, releases: ReadonlyMap<Statement, TSESTree.Node>): EmptiedTry | undefined {
  const tryStatement = tryOfBareFinally(release, releases, comments);
  if (!tryStatement) return undefined;
  if (tryStatement.handler) return { edits: [{ start: tryStatement.handler.range[1], end: tryStatement.finalizer!.range[1], text: '' }] };
  const block = tryStatement.block;
  const body = block.body;
  const inside = comments.filter((comment) => comment.range[0] > block.range[0] && comment.range[1] < block.range[1]);
  if (body.length === 0 && inside.length === 0) return { edits: [{ ...removalSpan(text, comments, tryStatement.range[0], tryStatement.range[1]), text: '' }] };
  const firstInside = Math.min(...body.map((statement) => statement.range[0]), ...inside.map((comment) => comment.range[0]));
  const lastInside = Math.max(...body.map((statement) => endWithTrailingComment(text, comments, statement.range[1]).end), ...inside.map((comment) => comment.range[1]));
  return {
    edits: [
      { start: tryStatement.range[0], end: firstInside, text: '' },
      { start: lastInside, end: tryStatement.range[1], text: '' },
    ],
    keepIndentation: [firstInside, lastInside],
  };
}

/**
 * `const x = compute(conn);` inside the new try, read after it: `let x: T;` goes above the
 * acquisition and the declaration becomes an assignment.
 */
function hoistEdits(
  text: string,
  acquisition: TSESTree.VariableDeclaration,
  declarations: readonly TSESTree.VariableDeclaration[],
  newline: string,
  unit: string,
  sourceCode: Readonly<TSESLint.SourceCode>,
  typescript: boolean,
): TextEdit[] {
  const edits: TextEdit[] = [];
  const names: string[] = [];
  for (const declaration of declarations) {
    const declarators = declaration.declarations;
    for (const declarator of declarators) {
      const { id, init } = declarator;
      if (id.type !== AST_NODE_TYPES.Identifier) {
        names.push(...sourceCode.getDeclaredVariables(declarator).map((variable) => variable.name));
        continue;
      }
      const inferred = typescript && init ? typeOfInitializer(init, sourceCode) : undefined;
      names.push(`${id.name}${id.typeAnnotation ? sourceCode.getText(id.typeAnnotation) : inferred ? `: ${inferred}` : ''}`);
    }
    const first = declarators[0]!;
    if (!first.init) {
      // `let tier;`: nothing is left to assign.
      edits.push({ ...removalSpan(text, [], declaration.range[0], declaration.range[1]), text: '' });
      continue;
    }
    if (first.id.type === AST_NODE_TYPES.Identifier) {
      edits.push({ start: declaration.range[0], end: first.init.range[0], text: `${first.id.name} = ` });
      const lineIndent = `${indentationAt(text, declaration.range[0])}${unit}`;
      declarators.slice(1).forEach((declarator, index) => {
        const name = declarator.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : sourceCode.getText(declarator.id);
        edits.push({ start: declarators[index]!.range[1], end: declarator.init!.range[0], text: `;${newline}${lineIndent}${name} = ` });
      });
    } else {
      // `({ a, b } = init);`: a statement can't start with `{` (and, without semicolons, `;(` keeps it off the line above).
      const guard = semicolonAfter(text, acquisition) === '' ? ';' : '';
      edits.push({ start: declaration.range[0], end: first.id.range[0], text: `${guard}(` }, { start: first.init.range[1], end: first.init.range[1], text: ')' });
    }
  }
  const at = acquisition.range[0];
  const indent = indentationAt(text, at);
  const declaration = `let ${names.join(', ')}${semicolonAfter(text, acquisition)}`;
  edits.push(startsLine(text, at) ? { start: lineStartOf(text, at), end: lineStartOf(text, at), text: `${indent}${declaration}${newline}` } : { start: at, end: at, text: `${declaration} ` });
  return edits;
}
