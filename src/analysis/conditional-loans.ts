/**
 * Two shapes where a function owns a connection the plain binding rules don't follow:
 *
 * - on one branch only: `const r = isClient(x) ? x : new Redis(x)`. Which branch ran is a
 *   run-time fact, so this is judged without paths: a finding only when nothing in the function
 *   ever closes the variable or hands it on (`if (r !== x) r.quit()` ends the question).
 * - handed down a promise chain: `.then(() => pool.acquire()).then((c) => …)`: the next callback
 *   holds the loan from its start.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, isFunctionNode, methodCall, methodCallOn, skipWrappersUp, unwrapExpression, walk } from './ast';
import type { RedisAnalysis } from './context';
import { closesItself, type Acquisition, type LoanBinding, type LoanOptions } from './loans';
import { findVariableFor, isReassigned } from './scope';
import { onlyBorrowed, usesOf, type Use } from './uses';

/**
 * For an acquisition on a branch of a `?:` bound to a local variable, whether the function
 * drops it: no use closes it or hands it on (a store on a per-request object, `keptOnRequest`,
 * keeps nothing). The store's target ('' when none), else undefined.
 */
export function droppedOnOwnBranch(acquisition: Acquisition, analysis: RedisAnalysis, options: LoanOptions): string | undefined {
  if (acquisition.kind !== 'connection' || acquisition.promised) return undefined;
  let { node, parent } = skipWrappersUp(acquisition.node);
  // `a ? createClient(x) : b ? createClient(y) : fallback`: every branch that makes one is the function's own.
  while (parent?.type === AST_NODE_TYPES.ConditionalExpression && parent.test !== node) ({ node, parent } = skipWrappersUp(parent));
  if (node === acquisition.node || parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (parent.parent.kind === 'using' || parent.parent.kind === 'await using') return undefined;
  const variable = findVariableFor(analysis.sourceCode, parent.id);
  if (!variable || isReassigned(variable)) return undefined;
  const uses = usesOf(variable, analysis.sourceCode);
  // A node-redis client that is never connected holds no socket.
  if (acquisition.opensWith !== undefined && !uses.some((use) => use.kind === 'method-call' && use.method === acquisition.opensWith)) return undefined;
  const closes = (use: Use) => use.kind === 'method-call' && closesItself(acquisition.value, use, analysis, options.releaseMethods);
  return onlyBorrowed(uses, closes, analysis.sourceCode);
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
  if (thenCall?.type !== AST_NODE_TYPES.CallExpression || thenCall.arguments[0] !== callback || thenCall.arguments.length !== 1 || methodCall(thenCall)?.method !== 'then') return undefined;
  const nextLink = methodCallOn(thenCall);
  if (nextLink?.method !== 'then') return undefined;
  const next = nextLink.call.arguments[0] && unwrapExpression(nextLink.call.arguments[0]);
  if (!isFunctionNode(next) || next.params[0]?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariableFor(analysis.sourceCode, next.params[0]);
  return variable ? { type: 'callback', variable, callback: next } : undefined;
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
