/**
 * Closing a connection a rewrite creates on the module's shutdown path: where the module already
 * closes other Redis values (a module-level `shutdown()`/`close()`, a class's `onModuleDestroy()`,
 * a `process.on('SIGTERM' | 'SIGINT' | 'beforeExit', …)` handler), the new connection is closed
 * right after the last of those closings. Used by the shared-client and dedicated-connection plans.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, methodCall, statementCall, unwrapExpression, walk, within, type FunctionNode } from '../ast';
import type { RedisAnalysis } from '../context';
import type { RedisValue } from '../origin';
import { semicolonAfter, statementAfter, type TextEdit } from './text';

const SHUTDOWN_SIGNALS = new Set(['SIGTERM', 'SIGINT', 'beforeExit']);

/**
 * An edit that closes `name` (a client of `value`'s library and kind) where the module already
 * closes other Redis values on shutdown, right after the last of those closings; guarded by the
 * catalog's open-state check for clients opened on first use. Undefined when there is no such
 * place. Functions that contain `exclude` (the per-call code being rewritten) don't count.
 */
export function closeOnShutdown(analysis: RedisAnalysis, value: RedisValue, name: string, release: string, exclude?: TSESTree.Node): TextEdit | undefined {
  const text = analysis.sourceCode.text;
  const found = shutdownClosingsOf(analysis).find(({ fn }) => !(exclude && within(exclude, fn)));
  if (!found) return undefined;
  const { statement, fn } = found;
  const openState = value.library.values[value.kind]?.openState;
  const call = `${fn.async ? 'await ' : 'void '}${name}.${release}()${semicolonAfter(text, statement)}`;
  const line = openState ? `if (${name}.${openState.property}) ${call}` : call;
  return statementAfter(text, analysis.sourceCode.getAllComments(), statement, line);
}

const closingsByProgram = new WeakMap<TSESTree.Program, ShutdownClosing[]>();

interface ShutdownClosing {
  fn: FunctionNode;
  /** The last statement of `fn` that closes a Redis value. */
  statement: TSESTree.Statement;
}

/** The shutdown functions that close Redis values, in source order: read once per file, since every planned connection asks. */
function shutdownClosingsOf(analysis: RedisAnalysis): ShutdownClosing[] {
  const program = analysis.sourceCode.ast;
  let closings = closingsByProgram.get(program);
  if (closings) return closings;
  closings = [];
  walk(program, (node) => {
    if (!isFunctionNode(node) || node.body.type !== AST_NODE_TYPES.BlockStatement || !isShutdownFunction(node, analysis)) return;
    const statement = node.body.body.filter((candidate) => closesRedisValue(candidate, node, analysis)).at(-1);
    if (statement) closings!.push({ fn: node, statement });
  });
  closingsByProgram.set(program, closings);
  return closings;
}

/**
 * A module-level function or method, whatever its name (closing Redis values made elsewhere is
 * what marks a shutdown path), or a handler of a shutdown signal.
 */
function isShutdownFunction(fn: FunctionNode, analysis: RedisAnalysis): boolean {
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
    const parts = methodCall(parent);
    const receiver = parts && unwrapExpression(parts.receiver);
    const signal = parent.arguments[0] && analysis.evaluator.string(parent.arguments[0]);
    return receiver?.type === AST_NODE_TYPES.Identifier && receiver.name === 'process' && (parts!.method === 'on' || parts!.method === 'once') && signal !== undefined && SHUTDOWN_SIGNALS.has(signal);
  }
  return enclosingFunction(fn) === undefined && parent?.type !== AST_NODE_TYPES.CallExpression && parent?.type !== AST_NODE_TYPES.NewExpression;
}

/** `await cache.quit();`: closes a Redis value made outside the function (not a loan's release). */
function closesRedisValue(statement: TSESTree.Statement, fn: FunctionNode, analysis: RedisAnalysis): boolean {
  // `if (sessions.isOpen) await sessions.close();`
  if (statement.type === AST_NODE_TYPES.IfStatement && !statement.alternate) {
    const body = statement.consequent;
    const only = body.type === AST_NODE_TYPES.BlockStatement ? (body.body.length === 1 ? body.body[0] : undefined) : body;
    return only !== undefined && closesRedisValue(only, fn, analysis);
  }
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const parts = methodCall(statementCall(statement));
  const value = parts && analysis.origins.valueOrPromised(parts.receiver);
  if (!value || value.kind === 'lease' || within(value.creation, fn)) return false;
  const spec = value.library.values[value.kind]?.methods[parts.method];
  return (spec?.type === 'release' && spec.loanArg === undefined) || spec?.type === 'shutdown';
}

