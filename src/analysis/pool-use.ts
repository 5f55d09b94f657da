/**
 * Manual loans that a lifecycle-managed call can replace: a declaration that takes a loan,
 * immediately followed by a `try` whose `finally` gives it back:
 *
 *     const conn = await pool.acquire();            const lease = await sentinel.acquire();
 *     try { … } finally { pool.release(conn); }     try { … } finally { lease.release(); }
 *
 * and, on node-redis 4, a per-call duplicate ended in `finally` (`client.executeIsolated` is the
 * managed form there). The managed method comes from the catalog's `managed` method specs, never
 * from a name; whether the rewrite keeps the code's meaning is `fix/managed-call.ts`'s business.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { isRedisClientLibrary, TARN_PENDING_PROMISE_PROPERTY } from '../catalog';
import { AST_NODE_TYPES, methodCall, statementCall, staticPropertyName, unwrapExpression } from './ast';
import type { RedisAnalysis } from './context';
import { managedMethodOf, valueSpecOf } from './loans';
import type { RedisValue } from './origin';
import { poolResourceOf } from './pools';
import { findVariableFor, type Variable } from './scope';
import { appliesToMajor } from './versions';

export type ManagedSiteKind =
  /** A loan from a pool or sentinel: generic-pool `use`, sentinel `use`. */
  | 'loan'
  /** node-redis 4: a per-call `duplicate()` for isolated work; `executeIsolated` lends a pooled one. */
  | 'isolated-duplicate';

/** Where a loan comes from: its owner, how the code takes it, and the owner's managed form. */
export interface LoanOrigin {
  kind: ManagedSiteKind;
  /** The pool, sentinel or client whose managed method replaces the manual form. */
  owner: RedisValue;
  /** The expression the code reaches the owner through (`pool`, `this.pool`). */
  ownerExpression: TSESTree.Expression;
  /** Undefined when the owner's library has no managed form for its loans (tarn). */
  managedMethod: string | undefined;
  /** The release the managed method performs (generic-pool `use` releases, never destroys). */
  managedReleases: string | undefined;
  /**
   * What the managed method does with the loan when the callback rejects, when that is not the
   * release the code uses (generic-pool `use` destroys it): the rewrite is then not exact.
   */
  onReject: string | undefined;
  acquireMethod: string;
  acquireArgs: number;
}

export interface ManagedSite extends LoanOrigin {
  declaration: TSESTree.VariableDeclaration;
  /** The loan variable's binding (with its type annotation, if any). */
  binding: TSESTree.Identifier;
  /** node-redis 4: the `await dup.connect();` between the declaration and the `try`. */
  connect: TSESTree.ExpressionStatement | undefined;
  tryStatement: TSESTree.TryStatement;
  /** The statement in `finally` that gives the loan back. */
  release: TSESTree.ExpressionStatement;
  releaseMethod: string;
  variable: Variable;
}

/**
 * The manual loan that starts at this declaration, if any. Undefined when the declaration is not
 * a recognised loan followed by `try/finally` that releases it (nothing to say about it).
 */
export function findManagedSite(
  declaration: TSESTree.VariableDeclaration,
  analysis: RedisAnalysis,
): ManagedSite | undefined {
  const container = declaration.parent;
  if (container?.type !== AST_NODE_TYPES.BlockStatement && container?.type !== AST_NODE_TYPES.Program) return undefined;
  if (declaration.declarations.length !== 1 || declaration.declare) return undefined;
  if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return undefined;
  const declarator = declaration.declarations[0]!;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  const binding = declarator.id;
  const statements: TSESTree.Node[] = container.body;
  const index = indexIn(container, statements, declaration);
  // Cheap shape first: a managed site is followed by its try/finally (after a connect at most).
  if (!hasFinallyAt(statements, index + 1) && !hasFinallyAt(statements, index + 2)) return undefined;

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

  return { ...loan, declaration, binding, connect, tryStatement, release, releaseMethod, variable };
}

interface LoanStart extends LoanOrigin {
  /** node-redis 4 `const d = client.duplicate();` still needs `await d.connect();`. */
  needsConnect: boolean;
}

// A block's statement positions, computed once per block: looking each declaration up with
// indexOf made a block of n declarations cost n².
const statementIndexes = new WeakMap<TSESTree.Node, Map<TSESTree.Node, number>>();

function indexIn(container: TSESTree.Node, statements: readonly TSESTree.Node[], statement: TSESTree.Node): number {
  let indexes = statementIndexes.get(container);
  if (!indexes) {
    indexes = new Map(statements.map((node, index) => [node, index]));
    statementIndexes.set(container, indexes);
  }
  return indexes.get(statement) ?? -1;
}

function hasFinallyAt(statements: readonly TSESTree.Node[], index: number): boolean {
  const statement = statements[index];
  return statement?.type === AST_NODE_TYPES.TryStatement && statement.finalizer !== null;
}

function loanOf(init: TSESTree.Expression, analysis: RedisAnalysis): LoanStart | undefined {
  const { origins } = analysis;
  // `await pool.acquire()` / `await sentinel.acquire()`.
  if (init.type === AST_NODE_TYPES.AwaitExpression) {
    const inner = unwrapExpression(init.argument);
    // tarn: `await pool.acquire().promise`.
    const pending = inner.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(inner) === TARN_PENDING_PROMISE_PROPERTY ? unwrapExpression(inner.object) : undefined;
    const call = methodCall(pending ?? inner);
    if (!call) return undefined;
    const value = origins.valueOrPromised(pending ? inner : call.call);
    if (value?.kind === 'lease' && (value.creation === call.call || value.creation === inner) && value.parent) {
      const owner = value.parent;
      // A pool library lends whatever its factory makes: only a pool of Redis connections is ours.
      if (!isRedisClientLibrary(owner.library) && poolResourceOf(owner, origins, analysis.evaluator) !== 'redis') return undefined;
      return { ...loanOrigin('loan', owner, call, managedMethodOf(owner)), needsConnect: false };
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
  call: MethodCallParts,
  analysis: RedisAnalysis,
): LoanOrigin | undefined {
  if (call.call.arguments.length > 0) return undefined;
  const inner = methodCall(unwrapExpression(call.receiver));
  if (!inner) return undefined;
  const duplicate = isolatedDuplicate(inner, analysis);
  if (!duplicate) return undefined;
  const spec = valueSpecOf(analysis.origins.valueOf(inner.call))?.methods[call.method];
  return spec?.type === 'self' && spec.async ? duplicate : undefined;
}

/** node-redis 4: `client.duplicate()` on a client whose managed method lends an isolated client. */
function isolatedDuplicate(
  call: MethodCallParts,
  analysis: RedisAnalysis,
): LoanOrigin | undefined {
  const value = analysis.origins.valueOf(call.call);
  if (!value || value.creation !== call.call || value.how !== 'method' || value.kind !== 'client') return undefined;
  const owner = value.parent;
  if (!owner || owner.kind !== 'client') return undefined;
  // Only a client with an isolation pool (node-redis 4's executeIsolated); an unknown version takes the newest major's facts.
  const { library } = owner;
  if (!library.isolatedCalls || !appliesToMajor(library.isolatedCalls.versions, analysis.versions.major(library), library.latestMajor)) return undefined;
  const managed = managedMethodOf(owner);
  return managed && loanOrigin('isolated-duplicate', owner, call, managed);
}

function loanOrigin(kind: ManagedSiteKind, owner: RedisValue, acquire: MethodCallParts, managed: ReturnType<typeof managedMethodOf>): LoanOrigin {
  return {
    kind,
    owner,
    ownerExpression: acquire.receiver,
    managedMethod: managed?.name,
    managedReleases: managed?.spec.releases,
    onReject: managed?.spec.onReject,
    acquireMethod: acquire.method,
    acquireArgs: acquire.call.arguments.length,
  };
}

type MethodCallParts = NonNullable<ReturnType<typeof methodCall>>;

/** `await dup.connect();` on the duplicate bound to `binding`. */
function isConnectOf(statement: TSESTree.Node, binding: TSESTree.Identifier, analysis: RedisAnalysis): statement is TSESTree.ExpressionStatement {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const expression = unwrapExpression(statement.expression);
  if (expression.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const call = methodCall(unwrapExpression(expression.argument));
  if (!call || call.call.arguments.length > 0) return false;
  const receiver = unwrapExpression(call.receiver);
  if (receiver.type !== AST_NODE_TYPES.Identifier || receiver.name !== binding.name) return false;
  const spec = valueSpecOf(analysis.origins.valueOf(receiver))?.methods[call.method];
  return spec?.type === 'self' && spec.async === true;
}

/**
 * The release method when the statement gives the loan back: `pool.release(conn)` on the same
 * pool (the catalog's `loanArg`), or `lease.release()` / `dup.quit()` on the loan itself.
 */
function releaseOf(statement: TSESTree.Node, loan: Variable, origin: LoanOrigin, analysis: RedisAnalysis): string | undefined {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const call = methodCall(statementCall(statement));
  if (!call || call.call.optional) return undefined;
  const receiver = unwrapExpression(call.receiver);
  const receiverValue = analysis.origins.valueOf(receiver);
  const spec = valueSpecOf(receiverValue)?.methods[call.method];
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
