/**
 * What a pool lends. node-redis pools and sentinels lend Redis clients by construction; a
 * generic-pool or tarn pool lends whatever its factory's `create` returns, so we look at that.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isRedisClientLibrary } from '../catalog';
import { unwrapExpression, walk, isFunctionNode } from './ast';
import type { OriginResolver, RedisValue } from './origin';
import type { StaticEvaluator } from './static-value';

export type PoolResource = 'redis' | 'other' | 'unknown';

/** Whether a pool (or the pool a lease came from) lends Redis connections. */
export function poolResourceOf(pool: RedisValue, origins: OriginResolver, evaluator: StaticEvaluator): PoolResource {
  if (isRedisClientLibrary(pool.library)) return 'redis';
  if (pool.how === 'type') return pool.typedResource ?? 'unknown';
  if (!pool.call || pool.resourceFactoryArg === undefined) return 'unknown';
  const factoryNode = pool.call.arguments[pool.resourceFactoryArg];
  if (!factoryNode) return 'unknown';
  const factory = evaluator.evaluate(factoryNode);
  if (factory.kind !== 'object') return 'unknown';
  const create = factory.properties.get('create');
  if (!create) return factory.complete ? 'other' : 'unknown';
  const fn = functionOf(create.value.node, create.property);
  if (!fn) return 'unknown';
  const returned = returnedExpressions(fn);
  if (returned.length === 0) return 'unknown';
  let sawUnknown = false;
  for (const expression of returned) {
    const value = origins.valueOrPromised(expression);
    if (value && isRedisClientLibrary(value.library)) return 'redis';
    if (!value) sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : 'other';
}

function functionOf(node: TSESTree.Node, property: TSESTree.Property | undefined): TSESTree.FunctionLike | undefined {
  const candidate = property?.method || property?.kind === 'init' ? unwrapExpression(property.value) : unwrapExpression(node);
  if (
    candidate.type === AST_NODE_TYPES.FunctionExpression ||
    candidate.type === AST_NODE_TYPES.ArrowFunctionExpression
  ) {
    return candidate;
  }
  return undefined;
}

/** The expressions a function returns (its own returns, not nested functions'). */
export function returnedExpressions(fn: TSESTree.FunctionLike): TSESTree.Node[] {
  if (fn.type === AST_NODE_TYPES.ArrowFunctionExpression && fn.body.type !== AST_NODE_TYPES.BlockStatement) {
    return [fn.body];
  }
  const results: TSESTree.Node[] = [];
  if (!fn.body) return results;
  walk(fn.body, (node) => {
    if (isFunctionNode(node)) return false;
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) results.push(node.argument);
    return true;
  });
  return results;
}
