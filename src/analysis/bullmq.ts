/**
 * Clients handed to BullMQ. A Worker or QueueEvents blocks on its connection on purpose
 * (BZPOPMIN, XREAD BLOCK) and requires `maxRetriesPerRequest: null` on it: BullMQ throws for an
 * ioredis instance without it (dist/cjs/classes/redis-connection.js). Worker also duplicates
 * the client for its blocking connection, so a `commandTimeout` on the client would reject
 * BullMQ's own waits. Rules that ask an ordinary client for timeouts or retry limits ask here
 * first, so the rule, the `add-timeouts` codemod and the report exempt the same clients.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { LIBRARIES, type ClassSpec, type QueueConnectionsSpec } from '../catalog';
import { AST_NODE_TYPES, methodCallOn, skipAwaitsUp, walk } from './ast';
import type { RedisAnalysis } from './context';
import { clientOptionsOf } from './options';
import type { RedisValue } from './origin';
import { findVariableFor } from './scope';
import { isExported, usesOf } from './uses';

/** How a client relates to BullMQ's blocking consumers. */
export type BullmqRole =
  /** Handed to a Worker or QueueEvents here, itself or through a `duplicate()` that inherits its options. */
  | 'blocking-connection'
  /**
   * An ioredis-family client set up the way BullMQ requires (`maxRetriesPerRequest: null`) that
   * leaves this file's sight (exported, returned, passed on, stored): it may well be one.
   */
  | 'possible-connection'
  | 'none';

interface FileConnections {
  /** Creation nodes of clients a blocking consumer uses, and of the clients they inherit from. */
  blockingCreations: Set<TSESTree.Node>;
  /** `connection` properties of recognised consumers: a client written there goes nowhere unseen. */
  connectionProperties: Set<TSESTree.Node>;
}

const cache = new WeakMap<RedisAnalysis, FileConnections>();
/** Queue libraries whose objects can take a caller's client as their connection and block on it. */
const QUEUE_MODULES = LIBRARIES.filter((library) => Object.values(library.exports).some((spec) => blockingQueueOf(spec) !== undefined)).flatMap((library) => library.modules);
const BULLMQ_MENTIONS = QUEUE_MODULES.flatMap((name) => [`'${name}'`, `"${name}"`, `\`${name}\``]);

export function bullmqRoleOf(value: RedisValue, analysis: RedisAnalysis): BullmqRole {
  const file = fileConnections(analysis);
  if (file.blockingCreations.has(value.creation)) return 'blocking-connection';
  if (!value.library.queueConnection) return 'none';
  const retries = clientOptionsOf(value, analysis.evaluator).get(['maxRetriesPerRequest']);
  const bullmqReady = retries.status === 'present' && retries.value.kind === 'primitive' && retries.value.value === null;
  if (!bullmqReady || value.how === 'type') return 'none';
  return leavesSight(value.creation, analysis, file, 0) ? 'possible-connection' : 'none';
}

function fileConnections(analysis: RedisAnalysis): FileConnections {
  const cached = cache.get(analysis);
  if (cached) return cached;
  const file: FileConnections = { blockingCreations: new Set(), connectionProperties: new Set() };
  cache.set(analysis, file);
  // Without types a consumer is known only through an import of bullmq: no mention, no walk.
  if (!analysis.types && !BULLMQ_MENTIONS.some((mention) => analysis.sourceCode.text.includes(mention))) return file;
  walk(analysis.sourceCode.ast, (node) => {
    if (node.type === AST_NODE_TYPES.NewExpression) addConsumerConnection(node, analysis, file);
  });
  return file;
}

/** The client a queue object made here takes as its `connection` (BullMQ Worker, QueueEvents, Queue…). */
function addConsumerConnection(call: TSESTree.NewExpression, analysis: RedisAnalysis, file: FileConnections): void {
  const target = analysis.origins.resolve(call.callee);
  if (target?.type !== 'export' || target.spec.type !== 'class') return;
  const spec = target.spec.queue;
  if (!spec?.acceptsClient || typeof spec.optionsArg !== 'number') return;
  const optionsNode = call.arguments[spec.optionsArg];
  if (!optionsNode || call.arguments.some((arg) => arg.type === AST_NODE_TYPES.SpreadElement)) return;
  const options = analysis.evaluator.evaluate(optionsNode);
  const entry = options.kind === 'object' ? options.properties.get(spec.connectionKey) : undefined;
  if (!entry) return;
  if (entry.property) file.connectionProperties.add(entry.property);
  if (spec.blockingConnections === 0) return;
  // A duplicate inherits its source's options, so the source serves BullMQ's waits too.
  const client = analysis.origins.valueOf(entry.property?.value ?? entry.value.node);
  for (let current = client; current; current = current.inheritsFrom) {
    file.blockingCreations.add(current.creation);
  }
}

/** Whether a client made at `creation` can reach code this file doesn't show (see leavesSight). */
export function leavesFileSight(creation: TSESTree.Node, analysis: RedisAnalysis): boolean {
  return leavesSight(creation, analysis, fileConnections(analysis), 0);
}

/**
 * Whether a value created at `creation` can reach code this file doesn't show: exported,
 * returned, passed to a function, stored on an object, or put in a literal other than a
 * consumer's `connection`. Its own method calls keep it here; a duplicate made from it carries
 * its options, so the duplicate's way counts too.
 */
function leavesSight(creation: TSESTree.Node, analysis: RedisAnalysis, file: FileConnections, depth: number): boolean {
  if (depth > 4) return true;
  let current: TSESTree.Node = creation;
  for (;;) {
    const { node, parent } = skipAwaitsUp(current);
    if (!parent) return false;
    switch (parent.type) {
      case AST_NODE_TYPES.MemberExpression: {
        if (parent.object !== node) return true;
        const { call, method } = methodCallOn(node) ?? {};
        if (!call) return false;
        const step = methodStep(creation, method, analysis);
        if (step === 'chain') {
          current = call;
          continue;
        }
        return step === 'inherits' ? leavesSight(call, analysis, file, depth + 1) : false;
      }
      case AST_NODE_TYPES.Property:
        return !(parent.value === node && file.connectionProperties.has(parent));
      case AST_NODE_TYPES.ExpressionStatement:
        return false;
      case AST_NODE_TYPES.VariableDeclarator: {
        if (parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier) return true;
        const variable = findVariableFor(analysis.sourceCode, parent.id);
        if (!variable || isExported(variable, analysis.sourceCode)) return true;
        return usesOf(variable, analysis.sourceCode).some((use) => {
          switch (use.kind) {
            case 'read':
              return false;
            case 'method-call': {
              const step = methodStep(creation, use.method, analysis);
              return step === 'inherits' && use.call ? leavesSight(use.call, analysis, file, depth + 1) : false;
            }
            case 'contained': {
              const property = use.expression.parent;
              return !(
                property?.type === AST_NODE_TYPES.Property &&
                property.value === use.expression &&
                file.connectionProperties.has(property)
              );
            }
            default:
              return true;
          }
        });
      }
      default:
        return true;
    }
  }
}

/** What a method call on the value gives: the same value, a duplicate that inherits its options, or neither. */
function methodStep(creation: TSESTree.Node, method: string | undefined, analysis: RedisAnalysis): 'chain' | 'inherits' | 'other' {
  const value = analysis.origins.valueOrPromised(creation);
  const spec = value && method !== undefined ? value.library.values[value.kind]?.methods[method] : undefined;
  if (spec?.type === 'self' || spec?.type === 'listener') return 'chain';
  if (spec?.type === 'produces' && spec.inheritsOptions) return 'inherits';
  return 'other';
}

/** The connections spec of a queue class that takes a caller's client and blocks on it. */
function blockingQueueOf(spec: unknown): QueueConnectionsSpec | undefined {
  const queue = (spec as Partial<ClassSpec>).type === 'class' ? (spec as ClassSpec).queue : undefined;
  return queue?.acceptsClient && queue.blockingConnections > 0 ? queue : undefined;
}
