/**
 * Queue objects (Bull, bee-queue, BullMQ) as connection owners, from the catalog's
 * `QueueConnectionsSpec`: how many connections one opens given its options, whether a connection
 * the caller supplies is closed with it, and whether a queue made in a function is closed there.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import type { QueueConnectionsSpec } from '../catalog';
import { AST_NODE_TYPES, skipAwaitsUp, skipWrappersUp, staticPropertyName } from './ast';
import type { RedisAnalysis } from './context';
import { closesItself, endsMainConnectionOnly } from './loans';
import { argumentAt } from './options';
import type { RedisValue } from './origin';
import { findVariableFor } from './scope';
import { lookupOption } from './static-value';
import { usesOf, type Use } from './uses';

/** What the queue's connection option holds. */
export type SuppliedConnection =
  /** Options or a URL: the queue makes its own connections. */
  | { type: 'options' }
  /** A client the caller made: the queue duplicates it at most. */
  | { type: 'client'; client: RedisValue | undefined }
  /** A caller's factory (Bull `createClient`) makes them; the queue closes none. */
  | { type: 'factory' }
  | { type: 'unknown' };

export interface QueueConnections {
  supplied: SuppliedConnection;
  /** Fewest and most connections the object opens itself (the most when unknown). */
  min: number;
  max: number;
  /** Of those, serving only blocking commands. */
  blocking: number;
}

/** What a queue object made here opens, from its options. Undefined for anything else. */
export function queueConnectionsOf(value: RedisValue, analysis: RedisAnalysis): QueueConnections | undefined {
  const spec = value.queue;
  if (!spec || !value.call) return undefined;
  const supplied = suppliedConnection(value.call, spec, analysis);
  const blocking = spec.blockingConnections;
  switch (supplied.type) {
    case 'options':
      return { supplied, min: spec.ownConnections, max: spec.ownConnections, blocking };
    case 'client':
      return { supplied, min: spec.connectionsBesideSupplied, max: spec.connectionsBesideSupplied, blocking };
    case 'factory':
      return { supplied, min: 0, max: 0, blocking: 0 };
    case 'unknown': {
      const counts = spec.acceptsClient ? [spec.ownConnections, spec.connectionsBesideSupplied] : [spec.ownConnections];
      return { supplied, min: Math.min(...counts), max: Math.max(...counts), blocking };
    }
  }
}

function suppliedConnection(
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  spec: QueueConnectionsSpec,
  analysis: RedisAnalysis,
): SuppliedConnection {
  const argument = argumentAt(call, spec.optionsArg, analysis.evaluator);
  if (argument.status === 'unknown') return { type: 'unknown' };
  // No options at all (Bull's `new Queue(name, url)`): its own connections, to the URL or localhost.
  if (!argument.node) return { type: 'options' };
  const options = analysis.evaluator.evaluate(argument.node);
  if (spec.clientFactoryKey) {
    const factory = lookupOption(options, [spec.clientFactoryKey]);
    if (factory.status === 'present') return { type: 'factory' };
    if (factory.status === 'unknown') return { type: 'unknown' };
  }
  const connection = lookupOption(options, [spec.connectionKey]);
  if (connection.status === 'absent') return { type: 'options' };
  if (connection.status === 'unknown') return { type: 'unknown' };
  if (!spec.acceptsClient) return { type: 'options' };
  const node = connection.property?.value;
  const client = node ? analysis.origins.valueOrPromised(node) : undefined;
  if (client) return { type: 'client', client };
  const kind = connection.value.kind;
  // A literal object or string: options. Anything else may be a client made elsewhere.
  return kind === 'object' || (kind === 'primitive' && typeof connection.value.value === 'string')
    ? { type: 'options' }
    : { type: 'unknown' };
}

/**
 * When `node` (an expression in value position) is the connection option of a queue object made
 * here whose `close()` leaves a supplied client open: that queue object. BullMQ never closes an
 * instance it is given; bee-queue only with `quitCommandClient: true`.
 */
export function queueKeepingOpen(node: TSESTree.Node, analysis: RedisAnalysis): RedisValue | undefined {
  const { node: inner, parent: property } = skipWrappersUp(node);
  if (property?.type !== AST_NODE_TYPES.Property || property.value !== inner || property.computed) return undefined;
  const object = property.parent;
  if (object?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  const { node: options, parent: call } = skipWrappersUp(object);
  if (call?.type !== AST_NODE_TYPES.NewExpression && call?.type !== AST_NODE_TYPES.CallExpression) return undefined;
  if (!call.arguments.includes(options as TSESTree.CallExpressionArgument)) return undefined;
  const queue = analysis.origins.valueOf(call);
  const spec = queue?.queue;
  if (!queue || !spec?.acceptsClient || queue.creation !== call) return undefined;
  if (staticPropertyName(property) !== spec.connectionKey) return undefined;
  if (argumentAt(call, spec.optionsArg, analysis.evaluator).node !== options) return undefined;
  if (spec.closesSuppliedWith) {
    const closes = lookupOption(analysis.evaluator.evaluate(object), [spec.closesSuppliedWith]);
    // Closed with the queue, or unknowable: not this function's to close.
    if (closes.status !== 'absent' && !(closes.status === 'present' && closes.value.kind === 'primitive' && closes.value.value === false)) {
      return undefined;
    }
  }
  return queue;
}

/**
 * Whether the queue object made by `creation` is bound to a variable that this code closes (a
 * catalog release on it): then the connection it was given outlives it, and is still the
 * caller's to close. Not when it is closed by a release that ends its main connection, which is
 * the given one (BullMQ `disconnect()`).
 */
export function queueClosedHere(queue: RedisValue, analysis: RedisAnalysis): boolean {
  return (queueUses(queue, analysis) ?? []).some(
    (use) => use.kind === 'method-call' && !endsMainConnectionOnly(queue, use.method) && closesItself(queue, use, analysis),
  );
}

/**
 * Whether the queue lives only as long as one call of its function: closed in the function's own
 * body and never returned, stored or exported. A queue closed in a shutdown hook, or kept by the
 * caller, lives as long as the process does (`createQueue()` memoised by its callers).
 */
export function queueMadePerCall(queue: RedisValue, analysis: RedisAnalysis): boolean {
  const uses = queueUses(queue, analysis);
  // Only called and read here: returned, stored, exported, passed or put in a literal, it is kept.
  if (!uses || !uses.every((use) => use.kind === 'method-call' || use.kind === 'read')) return false;
  return uses.some((use) => use.closure === undefined && use.kind === 'method-call' && closesItself(queue, use, analysis));
}

/** The uses of the variable the queue object is bound to (`const q = new Queue(…)`, maybe awaited). */
function queueUses(queue: RedisValue, analysis: RedisAnalysis): Use[] | undefined {
  const { node, parent } = skipAwaitsUp(queue.creation);
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier) {
    return undefined;
  }
  const variable = findVariableFor(analysis.sourceCode, parent.id);
  return variable && usesOf(variable, analysis.sourceCode);
}
