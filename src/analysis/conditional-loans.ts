/**
 * Two shapes where a function owns a connection the plain binding rules don't follow:
 *
 * - on one branch only: `const r = isClient(x) ? x : new Redis(x)` owns the connection when it
 *   made it. Which branch ran is a run-time fact, so this is judged without paths: a finding only
 *   when nothing in the function ever closes the variable or hands it on (any `r.quit()`,
 *   conditional or not, `if (r !== x) r.quit()`, a return or a store, ends the question).
 * - handed down a promise chain: `.then(() => pool.acquire()).then((c) => …)` gives the loan to
 *   the next callback, which then holds it from its start like `pool.acquire().then((c) => …)`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode, skipWrappersUp, staticPropertyName, unwrapExpression, walk } from './ast';
import type { RedisAnalysis } from './context';
import { acquisitionAt, valueSpecOf, type Acquisition, type LoanBinding, type LoanOptions } from './loans';
import { findVariableFor } from './scope';
import { usesOf } from './uses';

/**
 * For an acquisition on one branch of a `?:` bound to a local variable, whether the function
 * drops it: true when no use closes or hands on the variable.
 */
export function droppedOnOwnBranch(acquisition: Acquisition, analysis: RedisAnalysis, options: LoanOptions): boolean {
  if (acquisition.kind !== 'connection' || acquisition.promised) return false;
  const { node, parent } = skipWrappersUp(acquisition.node);
  if (parent?.type !== AST_NODE_TYPES.ConditionalExpression || parent.test === node) return false;
  const other = parent.consequent === node ? parent.alternate : parent.consequent;
  // Both branches make one: each is the function's own; left to the paths of a plain binding.
  if (containsAcquisition(other, analysis)) return false;
  const { node: conditional, parent: declarator } = skipWrappersUp(parent);
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== conditional || declarator.id.type !== AST_NODE_TYPES.Identifier) return false;
  const declaration = declarator.parent;
  if (declaration.kind === 'using' || declaration.kind === 'await using') return false;
  const variable = findVariableFor(analysis.sourceCode, declarator.id);
  if (!variable || variable.references.some((reference) => reference.isWrite() && !reference.init)) return false;
  const spec = valueSpecOf(acquisition.value);
  const uses = usesOf(variable, analysis.sourceCode);
  // A node-redis client that is never connected holds no socket.
  if (acquisition.opensWith !== undefined && !uses.some((use) => use.kind === 'method-call' && use.method === acquisition.opensWith)) return false;
  return uses.every((use) => {
    if (use.kind === 'read') return true;
    if (use.kind !== 'method-call' || use.method === undefined) return false;
    const method = spec?.methods[use.method];
    if (options.releaseMethods.has(use.method)) return false;
    return method === undefined ? !FALLBACK_CLOSERS.has(use.method) : method.type !== 'release';
  });
}

/** Names that close whatever the library: a use by one of these is taken as a close. */
const FALLBACK_CLOSERS = new Set(['quit', 'disconnect', 'close', 'destroy', 'end']);

function containsAcquisition(expression: TSESTree.Node, analysis: RedisAnalysis): boolean {
  const inner = unwrapExpression(expression.type === AST_NODE_TYPES.AwaitExpression ? expression.argument : expression);
  if (inner.type === AST_NODE_TYPES.ConditionalExpression) return containsAcquisition(inner.consequent, analysis) || containsAcquisition(inner.alternate, analysis);
  return (inner.type === AST_NODE_TYPES.CallExpression || inner.type === AST_NODE_TYPES.NewExpression) && acquisitionAt(inner, analysis) !== undefined;
}

/**
 * `.then(() => pool.acquire()).then((c) => …)`: the callback that receives what a `.then`
 * callback returns. Undefined unless the acquisition is all the first callback returns and the
 * next link is `.then` with a callback whose first parameter is a plain name.
 */
export function nextLinkBinding(acquisition: Acquisition, analysis: RedisAnalysis): Extract<LoanBinding, { type: 'callback' }> | undefined {
  let { node, parent } = skipWrappersUp(acquisition.node);
  if (acquisition.promised && parent?.type === AST_NODE_TYPES.AwaitExpression) ({ node, parent } = skipWrappersUp(parent));
  let producer: TSESTree.Node | undefined;
  if (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node) producer = parent;
  else if (parent?.type === AST_NODE_TYPES.ReturnStatement) {
    const block = parent.parent;
    const fn = block?.parent;
    if (block?.type === AST_NODE_TYPES.BlockStatement && isFunctionNode(fn) && block.body.at(-1) === parent && !hasOtherReturn(fn, parent)) producer = fn;
  }
  if (!producer || !isFunctionNode(producer)) return undefined;
  const { node: callback, parent: thenCall } = skipWrappersUp(producer);
  if (thenCall?.type !== AST_NODE_TYPES.CallExpression || thenCall.arguments[0] !== callback || thenCall.arguments.length !== 1 || !isThen(thenCall.callee)) return undefined;
  const { node: chained, parent: member } = skipWrappersUp(thenCall);
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== chained || staticPropertyName(member) !== 'then') return undefined;
  const { node: callee, parent: nextCall } = skipWrappersUp(member);
  if (nextCall?.type !== AST_NODE_TYPES.CallExpression || nextCall.callee !== callee) return undefined;
  const next = nextCall.arguments[0] && unwrapExpression(nextCall.arguments[0]);
  if (!isFunctionNode(next) || next.params[0]?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariableFor(analysis.sourceCode, next.params[0]);
  return variable ? { type: 'callback', variable, callback: next } : undefined;
}

function isThen(callee: TSESTree.Node): boolean {
  const inner = unwrapExpression(callee);
  return inner.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(inner) === 'then';
}

function hasOtherReturn(fn: TSESTree.Node, only: TSESTree.ReturnStatement): boolean {
  let found = false;
  walk(fn, (node) => {
    if (found || (node !== fn && isFunctionNode(node))) return false;
    if (node.type === AST_NODE_TYPES.ReturnStatement && node !== only) found = true;
    return !found;
  });
  return found;
}
