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
 * Sites where the move would change meaning come back as skips with the reason.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, isJumpTarget, isStatementOf, lineOf, methodCall, unwrapExpression, walk, within } from '../ast';
import type { RedisAnalysis } from '../context';
import { insideTry, managedMethodOf, type Loan, type LoanUses } from '../loans';
import { planAt, type FixPlan, type TextEdit } from '../plans';
import type { ManagedSite } from '../pool-use';
import { findVariableFor, type Variable } from '../scope';
import { applyEdits, endWithTrailingComment, indentationAt, indentLines, indentUnitOf, newlineOf, nextLineStart, removalSpan, startsLine } from './text';
import { releaseMethodName, type LoanPlanOptions } from './try-finally';
import { findNode, isRepeatable, templateRanges } from './nodes';
import { placementOf, type Placement } from '../uses';

/**
 * What the rewrite moves into the callback, whichever shape the code has now: the body of the
 * `try` whose `finally` releases (a managed site), or the statements after a loan that some path
 * does not give back (a leak).
 */
interface ManagedMove {
  declaration: TSESTree.VariableDeclaration;
  binding: TSESTree.Identifier;
  variable: Variable;
  ownerExpression: TSESTree.Expression;
  libraryName: string;
  /** What the owner is (`pool`, `sentinel`, `client`), for reasons. */
  ownerKind: string;
  managed: string | undefined;
  /** The release the managed method performs. */
  managedReleases: string | undefined;
  /** How the code gives the loan back now; undefined when it never does. */
  releaseMethod: string | undefined;
  acquireMethod: string;
  acquireArgs: number;
  /** The code that becomes the callback's body. */
  moved: readonly TSESTree.Node[];
  /** The statement lists the callback runs, in order; the callback ends where the last one does. */
  bodies: ReadonlyArray<readonly TSESTree.Node[]>;
  /** Falling off this statement is where control leaves the moved code now. */
  last: TSESTree.Node;
  /** The replaced text is [declaration start, end). */
  end: number;
  /** Uses of the loan outside `moved` that the rewrite removes (the finally's release, node-redis 4's connect). */
  removed: readonly TSESTree.Node[];
  /** A comment there moves with the code; any other between the declaration and `end` goes above the call. */
  bodyRanges: ReadonlyArray<readonly [number, number]>;
  /** A result can be carried out of the callback (not out of a try with a catch). */
  carries: boolean;
  indent: string;
  /** The callback's block, with `edits` (a carried result) applied to the moved code. */
  callback(edits: readonly TextEdit[]): string;
}

/** The plan for a site `findManagedSite` recognised. */
export function planManagedCall(site: ManagedSite, analysis: RedisAnalysis, options: LoanPlanOptions): FixPlan {
  const { declaration, tryStatement } = site;
  const { sourceCode } = analysis;
  const text = sourceCode.text;
  const finalizer = tryStatement.finalizer!;
  if (site.managedMethod !== undefined && finalizer.body.length !== 1) return skipAt(declaration, options, 'the finally block does more than give the loan back');
  const block = tryStatement.block;
  const indent = indentationAt(text, declaration.range[0]);
  const unit = indentUnitOf(text, block);
  const moved: TSESTree.Node[] = tryStatement.handler ? [block, tryStatement.handler] : [block];
  return planMove(
    {
      ...site,
      libraryName: site.owner.library.displayName,
      ownerKind: site.owner.kind,
      managed: site.managedMethod,
      moved,
      bodies: tryStatement.handler ? [block.body, tryStatement.handler.body.body] : [block.body],
      last: tryStatement,
      end: tryStatement.range[1],
      removed: site.connect ? [finalizer, site.connect] : [finalizer],
      bodyRanges: moved.map((region) => region.range),
      carries: !tryStatement.handler,
      indent,
      callback: (edits) => (edits.length > 0 ? applyEdits(text, edits, block.range[0], block.range[1]) : callbackBody(tryStatement, sourceCode, indent, unit)),
    },
    analysis,
    options,
  );
}

/**
 * The managed call for a leaking loan: the statements after it in its block move into the
 * callback, one level deeper, without their releases. Undefined when the lender has no managed
 * form; a skip when the code has another shape.
 */
export function planManagedCallForLeak(loan: Loan, uses: LoanUses, analysis: RedisAnalysis, options: LoanPlanOptions): FixPlan | undefined {
  const { acquisition } = loan;
  const lender = acquisition.lender;
  const managed = lender && managedMethodOf(lender);
  if (acquisition.kind !== 'loan' || !lender || !managed || loan.binding.type !== 'variable') return undefined;
  const { sourceCode } = analysis;
  const text = sourceCode.text;
  const variable = loan.binding.variable;
  const def = variable.defs[0];
  const skip = (reason: string) => skipAt(acquisition.node, options, reason);
  if (variable.defs.length !== 1 || def?.type !== 'Variable' || def.node.id.type !== AST_NODE_TYPES.Identifier || !def.node.init) return skip('the loan is not taken by its own declaration');
  const declaration = def.node.parent;
  const container = declaration.parent;
  if (container?.type !== AST_NODE_TYPES.BlockStatement || declaration.declarations.length !== 1) return skip('it is not declared alone in a block');
  // `const x = await owner.acquire()`: the managed call takes the loan the same way.
  const init = unwrapExpression(def.node.init);
  const call = methodCall(acquisition.node);
  if (init.type !== AST_NODE_TYPES.AwaitExpression || unwrapExpression(init.argument) !== acquisition.node || !call) return skip('the loan is not taken with `await owner.acquire()`');
  if (uses.rejectionLeaks.length > 0 || uses.events.some((event) => event.effect === 'transfer')) return skip('it is handed over, or released by a callback');

  const rest = container.body.slice(container.body.indexOf(declaration) + 1);
  const releases = new Set<TSESTree.Node>();
  const methods = new Set<string | undefined>();
  for (const event of uses.events) {
    if (event.effect !== 'release') continue;
    // A release left inside the callback would give the loan back twice.
    const statement = rest.find((candidate) => isStatementOf(candidate, new Set([event.at])));
    if (!statement) return skip(`it is released inside a nested block or an expression at line ${lineOf(event.at)}`);
    releases.add(statement);
    methods.add(releaseMethodName(event.at));
  }
  if (methods.size > 1) return skip('it is released with different methods');
  const kept = rest.filter((statement) => !releases.has(statement));
  if (kept.length === 0) return skip('nothing but releases follows the acquisition');
  // The statements move by whole lines, one level in.
  const comments = sourceCode.getAllComments();
  const head = endWithTrailingComment(text, comments, declaration.range[1]);
  const tail = endWithTrailingComment(text, comments, rest[rest.length - 1]!.range[1]);
  if (!startsLine(text, declaration.range[0]) || !head.endsLine || !tail.endsLine) return skip('the loan and the code after it do not sit on lines of their own');
  const from = text.indexOf('\n', head.end) + 1;
  const indent = indentationAt(text, declaration.range[0]);
  const unit = indentUnitOf(text, container);
  const newline = newlineOf(text);
  const templates: Array<readonly [number, number]> = [];
  for (const statement of rest) templateRanges(statement, templates);
  const removals = [...releases].map((statement): TextEdit => ({ ...removalSpan(text, comments, statement.range[0], statement.range[1]), text: '' }));
  return planMove(
    {
      declaration,
      binding: def.node.id,
      variable,
      ownerExpression: call.receiver,
      libraryName: lender.library.displayName,
      ownerKind: lender.kind,
      managed: managed.name,
      managedReleases: managed.spec.releases,
      releaseMethod: [...methods][0],
      acquireMethod: call.method,
      acquireArgs: call.call.arguments.length,
      moved: rest,
      bodies: [kept],
      last: rest[rest.length - 1]!,
      end: tail.end,
      removed: [],
      bodyRanges: [[from, tail.end]],
      carries: true,
      indent,
      callback: (edits) => {
        const body = applyEdits(text, [...removals, ...indentLines(text, from, tail.end, unit, templates), ...edits], from, tail.end);
        return `{${newline}${body.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd()}${newline}${indent}}`;
      },
    },
    analysis,
    options,
  );
}

function skipAt(node: TSESTree.Node, options: LoanPlanOptions, reason: string): FixPlan {
  return { type: 'skip', ...planAt(node, options), reason };
}

function planMove(move: ManagedMove, analysis: RedisAnalysis, options: LoanPlanOptions): FixPlan {
  const { declaration, moved } = move;
  const { sourceCode } = analysis;
  const text = sourceCode.text;
  const skip = (reason: string): FixPlan => skipAt(declaration, options, reason);
  const managed = move.managed;
  if (managed === undefined) {
    return skip(`${move.libraryName} has no lifecycle-managed form for its loans; try/finally (release-in-finally) is the way to give them back`);
  }
  if (move.managedReleases !== undefined && move.releaseMethod !== undefined && move.managedReleases !== move.releaseMethod) {
    return skip(`it is given back with ${move.releaseMethod}(), and ${managed}() would ${move.managedReleases}() it instead`);
  }
  if (move.acquireArgs > 0) return skip(`${move.acquireMethod}() takes arguments that ${managed}() can't pass on`);
  if (!isRepeatable(move.ownerExpression)) return skip(`the ${move.ownerKind} is not a plain name or property, so ${managed}() can’t be called on it again`);

  const inMoved = (node: TSESTree.Node) => moved.some((region) => within(node, region));

  // The loan lives exactly as long as the moved code.
  for (const reference of move.variable.references) {
    const identifier = reference.identifier as TSESTree.Identifier;
    if (identifier === move.binding) continue;
    if (reference.isWrite()) return skip('the loan variable is reassigned');
    if (move.removed.some((region) => within(identifier, region))) continue;
    if (!inMoved(identifier) || handsOut(identifier)) return skip(`the loan is used after the try block or handed out of it (line ${lineOf(identifier)})`);
  }

  const crossing = crossingControl(moved);
  if (crossing) return skip(crossing);
  const escaping = escapingDeclaration(moved, inMoved, sourceCode);
  if (escaping) return skip(escaping);

  const owner = ownerText(move.ownerExpression, sourceCode);
  const param = sourceCode.getText(move.binding);
  const fn = enclosingFunction(declaration);
  const call = (body: string) => `${owner}.${managed}(async (${param}) => ${body})`;
  const comments = hoistedComments(move, sourceCode);
  const replace = (replacement: string): TextEdit => ({ start: declaration.range[0], end: move.end, text: `${comments}${replacement}` });
  const rewrite = (edits: TextEdit[]): FixPlan => ({ type: 'rewrite', ...planAt(declaration, options), description: `${owner}.${managed}(…)`, edits });

  if (hasReturn(moved)) {
    if (!isTail(move.last, fn) && !move.bodies.every(endsAbruptly)) {
      return skip('a return inside the try would end only the callback, and the code after the try would still run');
    }
    const prefix = fn && insideTry(declaration, fn) ? 'return await ' : 'return ';
    return rewrite([replace(`${prefix}${call(move.callback([]))};`)]);
  }
  const carried = carriedVariables(move, fn, sourceCode, options.typescript);
  if (typeof carried === 'string') return skip(carried);
  if (carried.length === 0) return rewrite([replace(`await ${call(move.callback([]))};`)]);

  // Carry: `let v; … v = E;` (last in the try) → `const v = await pool.use(async (conn) => { …; return E; });`
  const [carry] = carried;
  const assignment = carry!.assignment.expression as TSESTree.AssignmentExpression;
  const body = move.callback([{ start: carry!.assignment.range[0], end: assignment.right.range[0], text: 'return ' }]);
  const kind = carry!.reassignedAfter ? 'let' : 'const';
  const annotation = carry!.annotation ? `: ${carry!.annotation}` : '';
  return rewrite([removalOf(text, carry!), replace(`${kind} ${carry!.name}${annotation} = await ${call(body)};`)]);
}

/** The loan leaves the block: returned, yielded, stored, put in an object, or copied. */
function handsOut(identifier: TSESTree.Identifier): boolean {
  return LEAVES_BLOCK.has(placementOf(identifier).placement);
}

const LEAVES_BLOCK: ReadonlySet<Placement> = new Set(['returned', 'yielded', 'contained', 'assigned', 'declared']);

/** `break`/`continue` leaving the moved code, `yield`, or `arguments` (TypeScript rejects it in an async arrow below ES2017). */
function crossingControl(moved: readonly TSESTree.Node[]): string | undefined {
  let found: string | undefined;
  for (const region of moved) {
    walk(region, (node) => {
      if (found) return false;
      // An arrow's `arguments` is the enclosing function's: its body is walked like the code around it.
      if (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) return false;
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
    if (isJumpTarget(node, current)) return true;
  }
  return false;
}

/** A declaration in the moved code used outside it (a `var` or function of the try; any declaration of a leak's moved statements). */
function escapingDeclaration(moved: readonly TSESTree.Node[], inMoved: (node: TSESTree.Node) => boolean, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  let found: string | undefined;
  for (const region of moved) {
    walk(region, (node) => {
      if (found) return false;
      if (node.type === AST_NODE_TYPES.VariableDeclaration || node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.ClassDeclaration) {
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
  return moved.some((region) => findNode(region, (node) => node.type === AST_NODE_TYPES.ReturnStatement, isFunctionNode));
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

/** The statements never complete normally: the last returns or throws. */
function endsAbruptly(statements: readonly TSESTree.Node[]): boolean {
  const last = statements[statements.length - 1];
  return last?.type === AST_NODE_TYPES.ReturnStatement || last?.type === AST_NODE_TYPES.ThrowStatement;
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
 * Outer variables the moved code assigns and later code reads. A `let v;` declared before the
 * loan and written only by the try block's last statement (`v = E;`) is carried out as the
 * callback's result; any other stays a closure assignment in JavaScript, and TypeScript (which
 * would call it "used before assigned") skips the site.
 */
function carriedVariables(move: ManagedMove, fn: TSESTree.Node | undefined, sourceCode: Readonly<TSESLint.SourceCode>, typescript: boolean): Carry[] | string {
  const written = new Map<Variable, TSESTree.Identifier[]>();
  const inMoved = (node: TSESTree.Node) => move.moved.some((region) => within(node, region));
  for (const region of move.moved) {
    walk(region, (node) => {
      if (node.type !== AST_NODE_TYPES.Identifier) return true;
      const variable = findVariableFor(sourceCode, node);
      const reference = variable?.references.find((candidate) => candidate.identifier === node);
      if (!variable || !reference?.isWrite() || variable.defs.some((def) => inMoved(def.name))) return true;
      // Writes from nested functions stay closures either way.
      if (enclosingFunction(node) !== fn) return true;
      written.set(variable, [...(written.get(variable) ?? []), node]);
      return true;
    });
  }
  const carried: Carry[] = [];
  const troubles: string[] = [];
  for (const [variable, writes] of written) {
    const readAfter = variable.references.some((reference) => reference.isRead() && reference.identifier.range[0] > move.end);
    if (!readAfter) continue;
    const carry = carryOf(move, variable, writes, sourceCode);
    if (carry) carried.push(carry);
    else if (typescript) troubles.push(variable.name);
  }
  if (troubles.length > 0) {
    return `\`${troubles[0]}\` is assigned inside the try and read after it; TypeScript can't see that assignment through the callback`;
  }
  if (carried.length > 0 && !move.carries) return 'values assigned inside a try with a catch can’t be carried out of the callback';
  if (carried.length > 1) return `\`${carried[0]!.name}\` and \`${carried[1]!.name}\` are assigned inside the try and read after it; only one result can be carried out of the callback`;
  return carried;
}

function carryOf(move: ManagedMove, variable: Variable, writes: readonly TSESTree.Identifier[], sourceCode: Readonly<TSESLint.SourceCode>): Carry | undefined {
  const def = variable.defs[0];
  if (variable.defs.length !== 1 || def?.type !== 'Variable' || def.node.init || def.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  const declaration = def.node.parent;
  if (declaration.kind !== 'let' || declaration.parent !== move.declaration.parent || declaration.range[0] > move.declaration.range[0]) return undefined;
  if (writes.length !== 1) return undefined;
  const target = writes[0]!;
  const assignment = target.parent;
  const statement = assignment?.parent;
  if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.operator !== '=' || assignment.left !== target) return undefined;
  const body = move.bodies[move.bodies.length - 1]!;
  // Only as the last statement: `return E;` then ends the callback exactly where the try ended.
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || body[body.length - 1] !== statement) return undefined;
  // Read before the try, or written anywhere else before it: it is not just a carried result.
  for (const reference of variable.references) {
    if (reference.identifier === target || reference.init) continue;
    if (reference.identifier.range[0] < move.end) return undefined;
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
  return { ...removalSpan(text, [], declaration.range[0], declaration.range[1]), text: '' };
}

/** The callback's block: the try block as it is, or `{ try { … } catch … }` one level deeper. */
function callbackBody(tryStatement: TSESTree.TryStatement, sourceCode: Readonly<TSESLint.SourceCode>, indent: string, unit: string): string {
  if (!tryStatement.handler) return sourceCode.getText(tryStatement.block);
  const text = sourceCode.text;
  const start = tryStatement.range[0];
  const end = tryStatement.handler.range[1];
  const newline = newlineOf(text);
  const deeper = indentLines(text, nextLineStart(text, start), end, unit, templateRanges(tryStatement));
  return `{${newline}${indent}${unit}${applyEdits(text, deeper, start, end)}${newline}${indent}}`;
}

/** Comments between the declaration and the end of the replaced code that don't move with the code go above the call. */
function hoistedComments(move: ManagedMove, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const from = move.declaration.range[0];
  const to = move.end;
  const newline = newlineOf(sourceCode.text);
  return sourceCode
    .getAllComments()
    .filter((comment) => comment.range[0] >= from && comment.range[1] <= to)
    .filter((comment) => !move.bodyRanges.some(([start, end]) => comment.range[0] >= start && comment.range[1] <= end))
    .map((comment) => `${sourceCode.text.slice(comment.range[0], comment.range[1])}${newline}${move.indent}`)
    .join('');
}

function ownerText(node: TSESTree.Expression, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const text = sourceCode.getText(node);
  const simple = node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.MemberExpression;
  return simple ? text : `(${text})`;
}
