/**
 * Manual loans that a lifecycle-managed call can replace, and the rewrite into that call.
 *
 * A site is a declaration that takes a loan, immediately followed by a `try` whose `finally`
 * gives it back and does nothing else:
 *
 *     const conn = await pool.acquire();            const lease = await sentinel.acquire();
 *     try { … } finally { pool.release(conn); }     try { … } finally { lease.release(); }
 *
 * and, on node-redis 4, a per-call duplicate used for isolated work and ended in `finally`
 * (`client.executeIsolated` is the managed form there). The owner (pool, sentinel or client) is
 * recognised by origin or type; the managed method and the release it stands for come from the
 * catalog (`managed` method specs), never from a method's name.
 *
 * `redis/prefer-pool-use` reports through this module and takes the fix text from the
 * managed-lifecycle codemod (`src/transform/managed.ts`) whenever the codemod recognises the site,
 * so both write the same thing; `managedRewrite` below writes the same edit for the sites only
 * this analysis sees (known from types, node-redis 4 duplicates, module-level code).
 *
 * Moving the `try` body into an arrow callback keeps `this`, `super` and `new.target`. It
 * changes meaning when control leaves the body for somewhere outside the callback (`break`,
 * `continue`, `yield`), when a `return` would end the callback instead of the function, when the
 * loan is used after the `try` or handed out of it, or when a `var`/function declared inside is
 * used outside; those sites come back with a skip reason. `arguments` is skipped too: TypeScript
 * rejects it inside an async arrow below ES2017.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { libraryById, type MethodSpec } from '../catalog';
import { isFunctionNode, methodCall, skipWrappersUp, unwrapExpression, walk } from './ast';
import type { RedisAnalysis } from './context';
import type { RedisValue } from './origin';
import { poolResourceOf } from './pools';
import { findVariableFor, type Variable } from './scope';
import { appliesToMajor } from './versions';

export type ManagedSiteKind =
  /** A loan from a pool or sentinel: generic-pool `use`, sentinel `use`. */
  | 'loan'
  /** node-redis 4: a per-call `duplicate()` for isolated work; `executeIsolated` lends a pooled one. */
  | 'isolated-duplicate';

export interface ManagedSite {
  kind: ManagedSiteKind;
  declaration: TSESTree.VariableDeclaration;
  /** The loan variable's binding (with its type annotation, if any). */
  binding: TSESTree.Identifier;
  /** node-redis 4: the `await dup.connect();` between the declaration and the `try`. */
  connect: TSESTree.ExpressionStatement | undefined;
  tryStatement: TSESTree.TryStatement;
  /** The statement in `finally` that gives the loan back. */
  release: TSESTree.ExpressionStatement;
  /** The pool, sentinel or client whose managed method replaces the manual form. */
  owner: RedisValue;
  /** The expression the code reaches the owner through (`pool`, `this.pool`). */
  ownerExpression: TSESTree.Expression;
  managedMethod: string;
  /**
   * What the managed method does with the loan when the callback rejects, when that is not the
   * release the code uses (generic-pool `use` destroys it): the rewrite is then not exact.
   */
  onReject: string | undefined;
  acquireMethod: string;
  releaseMethod: string;
  /** The moved code returns, so the managed call's result is returned. */
  returns: boolean;
}

export type SkipReason =
  | 'finally-does-more'
  | 'acquire-arguments'
  | 'break-or-continue'
  | 'yield'
  | 'arguments'
  | 'return-not-in-tail'
  | 'loan-outlives-block'
  | 'loan-reassigned'
  | 'declaration-escapes'
  | 'assigned-read-after'
  | 'owner-expression';

export interface ManagedSiteMatch {
  site: ManagedSite;
  /** Set when moving the code into the callback would change what it does. */
  skip?: SkipReason;
}

/**
 * The manual loan that starts at this declaration, if any. Undefined when the declaration is not
 * a recognised loan followed by `try/finally` that releases it (nothing to say about it).
 */
export function findManagedSite(
  declaration: TSESTree.VariableDeclaration,
  analysis: RedisAnalysis,
  { typescript }: { typescript: boolean },
): ManagedSiteMatch | undefined {
  const container = declaration.parent;
  if (container?.type !== AST_NODE_TYPES.BlockStatement && container?.type !== AST_NODE_TYPES.Program) return undefined;
  if (declaration.declarations.length !== 1 || declaration.declare) return undefined;
  if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return undefined;
  const declarator = declaration.declarations[0]!;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  const binding = declarator.id;
  const statements: TSESTree.Node[] = container.body;
  const index = statements.indexOf(declaration);

  const loan = loanOf(declarator.init, analysis);
  if (!loan) return undefined;
  let next = statements[index + 1];
  let connect: TSESTree.ExpressionStatement | undefined;
  if (loan.kind === 'isolated-duplicate' && loan.needsConnect) {
    if (!next || !isConnectOf(next, binding, analysis)) return undefined;
    connect = next;
    next = statements[index + 2];
  }
  if (next?.type !== AST_NODE_TYPES.TryStatement || !next.finalizer) return undefined;
  const tryStatement = next;
  const finalizer = next.finalizer;

  const variable = findVariableFor(analysis.sourceCode, binding);
  if (!variable) return undefined;
  let release: TSESTree.ExpressionStatement | undefined;
  let releaseMethod: string | undefined;
  for (const statement of finalizer.body) {
    releaseMethod = releaseOf(statement, variable, loan, analysis);
    if (releaseMethod !== undefined) {
      release = statement as TSESTree.ExpressionStatement;
      break;
    }
  }
  if (!release || releaseMethod === undefined) return undefined;

  const site: ManagedSite = {
    kind: loan.kind,
    declaration,
    binding,
    connect,
    tryStatement,
    release,
    owner: loan.owner,
    ownerExpression: loan.ownerExpression,
    managedMethod: loan.managedMethod,
    onReject: loan.managedOnReject,
    acquireMethod: loan.acquireMethod,
    releaseMethod,
    returns: false,
  };
  if (loan.managedReleases !== undefined && releaseMethod !== loan.managedReleases) return undefined;
  const skip = skipReason(site, variable, finalizer, loan.acquireArgs, analysis.sourceCode, typescript);
  return skip ? { site, skip } : { site };
}

interface LoanOrigin {
  kind: ManagedSiteKind;
  owner: RedisValue;
  ownerExpression: TSESTree.Expression;
  managedMethod: string;
  /** The release the managed method performs (generic-pool `use` releases, never destroys). */
  managedReleases: string | undefined;
  managedOnReject: string | undefined;
  acquireMethod: string;
  acquireArgs: number;
  /** node-redis 4 `const d = client.duplicate();` still needs `await d.connect();`. */
  needsConnect: boolean;
}

function loanOf(init: TSESTree.Expression, analysis: RedisAnalysis): LoanOrigin | undefined {
  const { origins } = analysis;
  // `await pool.acquire()` / `await sentinel.acquire()`.
  if (init.type === AST_NODE_TYPES.AwaitExpression) {
    const inner = unwrapExpression(init.argument);
    const call = methodCall(inner);
    if (!call) return undefined;
    const value = origins.valueOrPromised(call.call);
    if (value?.kind === 'lease' && value.creation === call.call && value.parent) {
      const owner = value.parent;
      if (owner.library.id === 'generic-pool' && poolResourceOf(owner, origins, analysis.evaluator) !== 'redis') return undefined;
      const managed = managedMethodOf(owner);
      if (!managed) return undefined;
      return {
        kind: 'loan',
        owner,
        ownerExpression: call.receiver,
        managedMethod: managed.name,
        managedReleases: managed.spec.releases,
        managedOnReject: managed.spec.onReject,
        acquireMethod: call.method,
        acquireArgs: call.call.arguments.length,
        needsConnect: false,
      };
    }
    // node-redis 4: `await client.duplicate().connect()` (connect resolves to the client).
    const duplicate = connectedDuplicate(call, analysis);
    return duplicate ? { ...duplicate, needsConnect: false } : undefined;
  }
  const call = methodCall(unwrapExpression(init));
  if (!call) return undefined;
  const duplicate = isolatedDuplicate(call, analysis);
  return duplicate ? { ...duplicate, needsConnect: true } : undefined;
}

/** `client.duplicate().connect()`, where connect is a `self` method of the duplicate. */
function connectedDuplicate(
  call: NonNullable<ReturnType<typeof methodCall>>,
  analysis: RedisAnalysis,
): Omit<LoanOrigin, 'needsConnect'> | undefined {
  if (call.call.arguments.length > 0) return undefined;
  const inner = methodCall(unwrapExpression(call.receiver));
  if (!inner) return undefined;
  const duplicate = isolatedDuplicate(inner, analysis);
  if (!duplicate) return undefined;
  const spec = methodSpec(analysis.origins.valueOf(inner.call), call.method);
  return spec?.type === 'self' && spec.async ? duplicate : undefined;
}

/** node-redis 4: `client.duplicate()` on a client whose managed method lends an isolated client. */
function isolatedDuplicate(
  call: NonNullable<ReturnType<typeof methodCall>>,
  analysis: RedisAnalysis,
): Omit<LoanOrigin, 'needsConnect'> | undefined {
  const value = analysis.origins.valueOf(call.call);
  if (!value || value.creation !== call.call || value.how !== 'method' || value.kind !== 'client') return undefined;
  const owner = value.parent;
  if (!owner || owner.kind !== 'client' || owner.library.id !== 'node-redis') return undefined;
  // executeIsolated exists only in node-redis 4; an unknown version takes the newest major's facts.
  const library = libraryById('node-redis');
  if (!appliesToMajor({ majors: [4] }, analysis.versions.major(library), library.latestMajor)) return undefined;
  const managed = managedMethodOf(owner);
  if (!managed) return undefined;
  return {
    kind: 'isolated-duplicate',
    owner,
    ownerExpression: call.receiver,
    managedMethod: managed.name,
    managedReleases: managed.spec.releases,
    managedOnReject: managed.spec.onReject,
    acquireMethod: call.method,
    acquireArgs: call.call.arguments.length,
  };
}

type ManagedSpec = Extract<MethodSpec, { type: 'managed' }>;

/** The one managed method of the owner's kind, per the catalog. */
function managedMethodOf(owner: RedisValue): { name: string; spec: ManagedSpec } | undefined {
  const methods = owner.library.values[owner.kind]?.methods ?? {};
  const managed = Object.entries(methods).filter((entry): entry is [string, ManagedSpec] => entry[1].type === 'managed');
  if (managed.length !== 1) return undefined;
  const [name, spec] = managed[0]!;
  return spec.callbackArg === 0 ? { name, spec } : undefined;
}

function methodSpec(value: RedisValue | undefined, method: string): MethodSpec | undefined {
  return value?.library.values[value.kind]?.methods[method];
}

/** `await dup.connect();` on the duplicate bound to `binding`. */
function isConnectOf(statement: TSESTree.Node, binding: TSESTree.Identifier, analysis: RedisAnalysis): statement is TSESTree.ExpressionStatement {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const expression = unwrapExpression(statement.expression);
  if (expression.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const call = methodCall(unwrapExpression(expression.argument));
  if (!call || call.call.arguments.length > 0) return false;
  const receiver = unwrapExpression(call.receiver);
  if (receiver.type !== AST_NODE_TYPES.Identifier || receiver.name !== binding.name) return false;
  const spec = methodSpec(analysis.origins.valueOf(receiver), call.method);
  return spec?.type === 'self' && spec.async === true;
}

/**
 * The release method when the statement gives the loan back: `pool.release(conn)` on the same
 * pool (the catalog's `loanArg`), or `lease.release()` / `dup.quit()` on the loan itself.
 */
function releaseOf(statement: TSESTree.Node, loan: Variable, origin: LoanOrigin, analysis: RedisAnalysis): string | undefined {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  let expression = unwrapExpression(statement.expression);
  if (expression.type === AST_NODE_TYPES.AwaitExpression) expression = unwrapExpression(expression.argument);
  else if (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void') {
    expression = unwrapExpression(expression.argument);
  }
  const call = methodCall(expression);
  if (!call || call.call.optional) return undefined;
  const receiver = unwrapExpression(call.receiver);
  const receiverValue = analysis.origins.valueOf(receiver);
  const spec = methodSpec(receiverValue, call.method);
  if (spec?.type !== 'release') return undefined;
  if (spec.loanArg === undefined) {
    if (!refersTo(receiver, loan, analysis)) return undefined;
    if (call.call.arguments.length > 0) return undefined;
    return call.method;
  }
  if (receiverValue?.creation !== origin.owner.creation) return undefined;
  if (call.call.arguments.length !== spec.loanArg + 1) return undefined;
  const argument = call.call.arguments[spec.loanArg]!;
  return refersTo(unwrapExpression(argument), loan, analysis) ? call.method : undefined;
}

function refersTo(node: TSESTree.Node, variable: Variable, analysis: RedisAnalysis): boolean {
  return node.type === AST_NODE_TYPES.Identifier && findVariableFor(analysis.sourceCode, node) === variable;
}

/** Why moving the `try` body into the managed callback would change meaning, if it would. */
function skipReason(
  site: ManagedSite,
  loan: Variable,
  finalizer: TSESTree.BlockStatement,
  acquireArgs: number,
  sourceCode: Readonly<TSESLint.SourceCode>,
  typescript: boolean,
): SkipReason | undefined {
  if (finalizer.body.length !== 1) return 'finally-does-more';
  if (acquireArgs > 0) return 'acquire-arguments';
  if (!isRepeatableOwner(site.ownerExpression)) return 'owner-expression';
  const moved = movedRegions(site.tryStatement);
  const inMoved = (node: TSESTree.Node) => moved.some((region) => within(node, region));

  let reason: SkipReason | undefined;
  const returns: TSESTree.ReturnStatement[] = [];
  for (const region of moved) {
    walk(region, (node) => {
      if (reason) return false;
      if (isFunctionNode(node)) {
        // Arrows see the same `arguments`; other functions have their own.
        if (node.type === AST_NODE_TYPES.ArrowFunctionExpression) walkArrowForArguments(node);
        return false;
      }
      if (node.type === AST_NODE_TYPES.ClassBody) return false;
      switch (node.type) {
        case AST_NODE_TYPES.YieldExpression:
          reason = 'yield';
          return false;
        case AST_NODE_TYPES.BreakStatement:
        case AST_NODE_TYPES.ContinueStatement:
          if (!targetWithin(node, moved)) reason = 'break-or-continue';
          return false;
        case AST_NODE_TYPES.ReturnStatement:
          returns.push(node);
          return true;
        case AST_NODE_TYPES.Identifier:
          if (isArgumentsReference(node)) reason = 'arguments';
          return true;
        default:
          return true;
      }
    });
  }
  if (reason) return reason;

  // Variables declared in the moved code (var, sloppy-mode functions) must not be used outside it.
  for (const region of moved) {
    let escapes = false;
    walk(region, (node) => {
      if (escapes) return false;
      if (
        (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'var') ||
        node.type === AST_NODE_TYPES.FunctionDeclaration
      ) {
        for (const variable of sourceCode.getDeclaredVariables(node)) {
          if (variable.references.some((reference) => !inMoved(reference.identifier))) escapes = true;
        }
      }
      return !isFunctionNode(node);
    });
    if (escapes) return 'declaration-escapes';
  }

  // The loan lives exactly as long as the block: read only inside it, never written again.
  for (const reference of loan.references) {
    const identifier = reference.identifier as TSESTree.Identifier;
    if (identifier === site.binding) continue;
    if (reference.isWrite()) return 'loan-reassigned';
    if (within(identifier, site.release) || (site.connect && within(identifier, site.connect))) continue;
    if (!inMoved(identifier)) return 'loan-outlives-block';
    if (handsOut(identifier)) return 'loan-outlives-block';
  }

  if (returns.length > 0) {
    site.returns = true;
    if (!inTailPosition(site.tryStatement) && !moved.every(endsAbruptly)) return 'return-not-in-tail';
  }
  if (typescript && assignedThenReadAfter(site.tryStatement, moved, sourceCode)) return 'assigned-read-after';
  return undefined;

  function walkArrowForArguments(arrow: TSESTree.ArrowFunctionExpression): void {
    walk(arrow.body, (node) => {
      if (reason) return false;
      if (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) return false;
      if (node.type === AST_NODE_TYPES.Identifier && isArgumentsReference(node)) reason = 'arguments';
      return true;
    });
  }
}

/**
 * An outer `let x;` (no initializer) written in the moved code and read after the `try`: the
 * write moves into a closure, and TypeScript reports the read as "used before being assigned".
 */
function assignedThenReadAfter(tryStatement: TSESTree.TryStatement, moved: TSESTree.Node[], sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  let found = false;
  for (const region of moved) {
    walk(region, (node) => {
      if (found || isFunctionNode(node)) return false;
      if (node.type !== AST_NODE_TYPES.Identifier) return true;
      const variable = findVariableFor(sourceCode, node);
      const declarator = variable?.defs[0]?.node;
      if (
        !variable ||
        declarator?.type !== AST_NODE_TYPES.VariableDeclarator ||
        declarator.init ||
        declarator.parent.kind !== 'let' ||
        within(declarator, tryStatement)
      ) {
        return true;
      }
      const reference = variable.references.find((candidate) => candidate.identifier === node);
      if (reference?.isWrite() && variable.references.some((other) => other.isRead() && other.identifier.range[0] > tryStatement.range[1])) {
        found = true;
      }
      return true;
    });
  }
  return found;
}

/** The code that moves into the callback: the `try` block and its `catch` clause. */
function movedRegions(tryStatement: TSESTree.TryStatement): TSESTree.Node[] {
  return tryStatement.handler ? [tryStatement.block, tryStatement.handler] : [tryStatement.block];
}

function within(node: TSESTree.Node, region: TSESTree.Node): boolean {
  return node.range[0] >= region.range[0] && node.range[1] <= region.range[1];
}

/** Whether a break/continue lands inside the moved code. */
function targetWithin(node: TSESTree.BreakStatement | TSESTree.ContinueStatement, moved: TSESTree.Node[]): boolean {
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

function isArgumentsReference(node: TSESTree.Identifier): boolean {
  if (node.name !== 'arguments') return false;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.property === node && !parent.computed) return false;
  if ((parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.key === node && !parent.computed) {
    return false;
  }
  return true;
}

/** The loan leaves the block: returned, yielded, stored, or exported from inside it. */
function handsOut(identifier: TSESTree.Identifier): boolean {
  let { node, parent } = skipWrappersUp(identifier);
  while (parent?.type === AST_NODE_TYPES.AwaitExpression) ({ node, parent } = skipWrappersUp(parent));
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.YieldExpression:
      return true;
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.body === node;
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.right === node;
    case AST_NODE_TYPES.VariableDeclarator:
      // An alias may be used after the block; keep it simple and treat it as handing out.
      return parent.init === node;
    default:
      return false;
  }
}

/** The `try` is the last statement of its function's body: falling off it ends the function. */
function inTailPosition(tryStatement: TSESTree.TryStatement): boolean {
  const block = tryStatement.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement || !isFunctionNode(block.parent)) return false;
  return block.body[block.body.length - 1] === tryStatement;
}

/** The block never completes normally: its last statement returns or throws. */
function endsAbruptly(region: TSESTree.Node): boolean {
  const block = region.type === AST_NODE_TYPES.CatchClause ? region.body : region;
  if (block.type !== AST_NODE_TYPES.BlockStatement) return false;
  const last = block.body[block.body.length - 1];
  return last?.type === AST_NODE_TYPES.ReturnStatement || last?.type === AST_NODE_TYPES.ThrowStatement;
}

/** An owner reached without side effects, so calling a method on it once more is safe. */
function isRepeatableOwner(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.ThisExpression:
      return true;
    case AST_NODE_TYPES.MemberExpression:
      return !inner.optional && (!inner.computed || inner.property.type === AST_NODE_TYPES.Literal) && isRepeatableOwner(inner.object);
    default:
      return false;
  }
}

/** Whether an enclosing `try` (in the same function) would catch a rejection of the returned call. */
function insideTry(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return false;
    if (current.type === AST_NODE_TYPES.TryStatement && within(node, current.block)) return true;
    if (current.type === AST_NODE_TYPES.CatchClause && current.parent.finalizer) return true;
  }
  return false;
}

/**
 * The managed form of a site, as the text that replaces it from the declaration to the end of
 * the `try` statement. Comments outside the moved code are kept above it.
 *
 *     await pool.use(async (conn) => { …try body… });
 *     return pool.use(async (conn) => { … });            when the body returns
 */
export function managedRewrite(site: ManagedSite, sourceCode: Readonly<TSESLint.SourceCode>): { range: [number, number]; text: string } {
  const { declaration, tryStatement } = site;
  const text = sourceCode.text;
  const indent = indentationAt(text, declaration.range[0]);
  const unit = indentUnit(text, tryStatement.block, indent);
  const owner = ownerText(site.ownerExpression, sourceCode);
  const param = sourceCode.getText(site.binding);

  let body: string;
  if (tryStatement.handler) {
    const start = tryStatement.range[0];
    const end = tryStatement.handler.range[1];
    const inner = reindent(text.slice(start, end), start, unit, sourceCode);
    body = `{\n${indent}${unit}${inner}\n${indent}}`;
  } else {
    body = sourceCode.getText(tryStatement.block);
  }

  const keep: [number, number][] = [tryStatement.block.range, ...(tryStatement.handler ? [tryStatement.handler.range] : [])];
  const comments = sourceCode
    .getAllComments()
    .filter((comment) => comment.range[0] >= declaration.range[0] && comment.range[1] <= tryStatement.range[1])
    .filter((comment) => !keep.some(([start, end]) => comment.range[0] >= start && comment.range[1] <= end))
    .map((comment) => `${sourceCode.getText(comment as unknown as TSESTree.Node)}\n${indent}`)
    .join('');

  const call = `${owner}.${site.managedMethod}(async (${param}) => ${body})`;
  const prefix = site.returns ? (insideTry(tryStatement) ? 'return await ' : 'return ') : 'await ';
  return { range: [declaration.range[0], tryStatement.range[1]], text: `${comments}${prefix}${call};` };
}

function ownerText(node: TSESTree.Expression, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const text = sourceCode.getText(node);
  const inner = unwrapExpression(node);
  const simple = inner === node && (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.MemberExpression);
  return simple ? text : `(${text})`;
}

function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

/** One level of indentation, as the try block's first line uses it (two spaces otherwise). */
function indentUnit(text: string, block: TSESTree.BlockStatement, indent: string): string {
  const first = block.body[0];
  if (first) {
    const inner = indentationAt(text, first.range[0]);
    if (inner.startsWith(indent) && inner.length > indent.length) return inner.slice(indent.length);
  }
  return indent.includes('\t') ? '\t' : '  ';
}

/** Indents every line after the first by one unit, except lines inside template literals. */
function reindent(slice: string, start: number, unit: string, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const templates = sourceCode.ast.tokens
    .filter((token) => token.type === 'Template' && token.range[0] < start + slice.length && token.range[1] > start)
    .map((token) => token.range);
  let result = '';
  for (let i = 0; i < slice.length; i++) {
    const char = slice[i]!;
    result += char;
    if (char !== '\n') continue;
    const offset = start + i + 1;
    const insideTemplate = templates.some(([from, to]) => offset > from && offset < to);
    const blank = slice[i + 1] === '\n' || slice[i + 1] === '\r' || i + 1 === slice.length;
    if (!insideTemplate && !blank) result += unit;
  }
  return result;
}
