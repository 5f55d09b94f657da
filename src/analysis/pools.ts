/**
 * What a pool lends. node-redis pools and sentinels lend Redis clients by construction; a
 * generic-pool or tarn pool lends whatever its factory's `create` returns, so we look at that.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { isRedisClientLibrary, libraryForModule, type LibraryCatalog } from '../catalog';
import { AST_NODE_TYPES, unwrapExpression, walk, isFunctionNode, type FunctionNode } from './ast';
import type { OriginResolver, RedisValue } from './origin';
import { localFunctionOf } from './scope';
import type { StaticEvaluator } from './static-value';

export type PoolResource = 'redis' | 'other' | 'unknown';

/** What `RedisValue.typedResource` keeps of a pool's resource: 'unknown' is no knowledge. */
export function knownResource(resource: PoolResource | undefined): 'redis' | 'other' | undefined {
  return resource === 'unknown' ? undefined : resource;
}

/** Whether a pool (or the pool a lease came from) lends Redis connections. */
export function poolResourceOf(pool: RedisValue, origins: OriginResolver, evaluator: StaticEvaluator): PoolResource {
  if (isRedisClientLibrary(pool.library)) return 'redis';
  // Known from its type, or from the module that made it (the module view computed it there).
  if (pool.typedResource) return pool.typedResource;
  if (pool.how === 'type' || pool.how === 'summary') return 'unknown';
  if (!pool.call || pool.resourceFactoryArg === undefined) return 'unknown';
  const factoryNode = pool.call.arguments[pool.resourceFactoryArg];
  if (!factoryNode) return 'unknown';
  const factory = evaluator.evaluate(factoryNode);
  if (factory.kind !== 'object') return 'unknown';
  const create = factory.properties.get('create');
  if (!create) return factory.complete ? 'other' : 'unknown';
  const fn = functionOf(create.value.node, create.property, origins);
  if (!fn) return 'unknown';
  const returned = resourcesMadeBy(fn);
  if (returned.length === 0) return 'unknown';
  let sawUnknown = false;
  for (const expression of returned) {
    const value = origins.valueOrPromised(expression);
    if (value && isRedisClientLibrary(value.library)) return 'redis';
    if (!value && !isKnownNonRedis(expression, origins)) sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : 'other';
}

/** A generic-pool or tarn pool's `create`, when its factory argument spells it as a function. */
export function createFunctionOf(pool: RedisValue, evaluator: StaticEvaluator): FunctionNode | undefined {
  const factoryNode = pool.call && pool.resourceFactoryArg !== undefined ? pool.call.arguments[pool.resourceFactoryArg] : undefined;
  const factory = factoryNode && evaluator.evaluate(factoryNode);
  const create = factory?.kind === 'object' ? factory.properties.get('create')?.value : undefined;
  // The evaluator gives `function` only for function and arrow expressions.
  return create?.kind === 'function' ? (create.node as FunctionNode) : undefined;
}

/** The one client library a generic-pool or tarn pool's `create` makes its resources with, if known. */
export function resourceLibraryOf(pool: RedisValue, origins: OriginResolver, evaluator: StaticEvaluator): LibraryCatalog | undefined {
  const fn = createFunctionOf(pool, evaluator);
  if (!fn) return undefined;
  const libraries = new Set(resourcesMadeBy(fn).map((expression) => origins.valueOrPromised(expression)?.library));
  const [only] = libraries;
  return libraries.size === 1 && only && isRedisClientLibrary(only) ? only : undefined;
}

/**
 * A resource that is provably not a Redis connection: an object literal, or something made by
 * a module that is not in the catalog (`new pg.Client()`, `mysql.createConnection()`).
 */
function isKnownNonRedis(expression: TSESTree.Node, origins: OriginResolver): boolean {
  let node = unwrapExpression(expression);
  if (node.type === AST_NODE_TYPES.AwaitExpression) node = unwrapExpression(node.argument);
  if (node.type === AST_NODE_TYPES.ObjectExpression || node.type === AST_NODE_TYPES.Literal) return true;
  if (node.type !== AST_NODE_TYPES.NewExpression && node.type !== AST_NODE_TYPES.CallExpression) return false;
  if (node.type === AST_NODE_TYPES.NewExpression && isPlainLocalClass(node.callee, origins) && !makesRedisValue(node.arguments, origins)) return true;
  let callee = unwrapExpression(node.callee);
  while (callee.type === AST_NODE_TYPES.MemberExpression) callee = unwrapExpression(callee.object);
  if (callee.type !== AST_NODE_TYPES.Identifier) return false;
  const source = origins.importSourceOf(callee);
  return source !== undefined && isForeignPackage(source);
}

/**
 * `new PythonStatsServer(…)` of a class declared in this file that extends nothing and makes no
 * Redis value anywhere in its body (given none either): what it wraps is not Redis.
 */
function isPlainLocalClass(callee: TSESTree.Node, origins: OriginResolver): boolean {
  const name = unwrapExpression(callee);
  if (name.type !== AST_NODE_TYPES.Identifier) return false;
  const def = origins.variableOf(name)?.defs[0];
  const classNode = def?.type === 'ClassName' ? def.node : undefined;
  if (!classNode || (classNode.type !== AST_NODE_TYPES.ClassDeclaration && classNode.type !== AST_NODE_TYPES.ClassExpression) || classNode.superClass) return false;
  return !makesRedisValue([classNode.body], origins);
}

/** Some call or `new` under these nodes makes (or hands over) a Redis value. */
function makesRedisValue(roots: readonly TSESTree.Node[], origins: OriginResolver): boolean {
  let found = false;
  for (const root of roots) {
    walk(root, (node) => {
      if (found) return false;
      if (node.type === AST_NODE_TYPES.NewExpression || node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.Identifier) {
        const value = origins.valueOrPromised(node);
        found = value !== undefined && value.how !== 'type';
      }
      return !found;
    });
  }
  return found;
}

/**
 * A package that is not a Redis client: not in the catalog, not one of the project's own modules
 * (a local wrapper may well create Redis clients), and not named after Redis or Valkey (a
 * third-party wrapper may too).
 */
function isForeignPackage(specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#')) return false;
  if (/redis|valkey/i.test(specifier)) return false;
  return libraryForModule(specifier) === undefined;
}

function functionOf(
  node: TSESTree.Node,
  property: TSESTree.Property | undefined,
  origins: OriginResolver,
): TSESTree.FunctionLike | undefined {
  const candidate = property?.method || property?.kind === 'init' ? unwrapExpression(property.value) : unwrapExpression(node);
  if (
    candidate.type === AST_NODE_TYPES.FunctionExpression ||
    candidate.type === AST_NODE_TYPES.ArrowFunctionExpression
  ) {
    return candidate;
  }
  // `create: makeClient`, a function declared in this file.
  if (candidate.type === AST_NODE_TYPES.Identifier) return localFunctionOf(origins.variableOf(candidate));
  return undefined;
}

/**
 * What a pool's `create` makes: what it returns, and what it hands to its node-style callback
 * (generic-pool 2: `create(cb) { cb(null, redis.createClient()) }`).
 */
export function resourcesMadeBy(fn: TSESTree.FunctionLike): TSESTree.Node[] {
  const results = returnedExpressions(fn);
  const callback = fn.params[0];
  if (callback?.type !== AST_NODE_TYPES.Identifier || !fn.body) return results;
  walk(fn.body, (node) => {
    if (isFunctionNode(node) && node !== fn) return node.params.every((param) => param.type !== AST_NODE_TYPES.Identifier || param.name !== callback.name);
    if (
      node.type === AST_NODE_TYPES.CallExpression &&
      node.callee.type === AST_NODE_TYPES.Identifier &&
      node.callee.name === callback.name &&
      node.arguments.length >= 2
    ) {
      results.push(node.arguments[1]!);
    }
    return true;
  });
  return results;
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
