/**
 * Function summaries: what calling a function of the project does with Redis connections, so
 * that a value keeps its origin across a call. Decided from the function's own body with the
 * resolver of the module it is written in (which in turn follows its imports), never from names.
 *
 * - returns `fresh`: every call makes a new connection (a factory, `new Redis()` or
 *   `x.duplicate()` made in the body and handed to nobody else), so the caller owns it;
 * - returns `shared`: every call hands out the same value (a module-level client, a class field,
 *   a memoised `if (!client) client = new Redis(); return client` getter);
 * - `releases`: the function ends the connection given as a parameter (`p.quit()`,
 *   `pool.release(p)`), as far as a method call on it says (checked against the catalog at the
 *   call site, where the argument's value is known);
 * - `takesOwnership`: it keeps the parameter (stores it outside, returns it, passes it on).
 *
 * Anything the body does not settle (mixed returns, a fresh value also stored in a registry, a
 * conditional) gives no `returns`: unknown, and the rules stay silent.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { LibraryCatalog, ValueKind } from '../catalog';
import { isFunctionNode, skipWrappersUp, staticPropertyName, unwrapExpression, walk, type FunctionNode } from './ast';
import type { Origin, OriginResolver, RedisValue } from './origin';
import { argumentAt } from './options';
import { returnedExpressions, type PoolResource } from './pools';
import type { StaticEvaluator } from './static-value';

export type ReturnSummary =
  /** A new connection per call: the caller owns it. */
  | {
      type: 'fresh';
      library: LibraryCatalog;
      kind: ValueKind;
      /** The caller gets a promise of it (an async function, `createClient().connect()`). */
      async: boolean;
      /** The parameter the function passes through, unchanged, as the client options. */
      optionsParam: number | undefined;
      /** Made with `duplicate()` of another connection (a dedicated connection). */
      madeBy: 'duplicate' | 'own' | 'unknown';
      /** For a generic-pool or tarn pool: whether it lends Redis connections. */
      resource: PoolResource | undefined;
      /**
       * The function opens the connection itself (node-redis `await client.connect()`), so the
       * caller holds a socket from the call on.
       */
      opened: boolean;
    }
  /** The same value on every call. */
  | {
      type: 'shared';
      library: LibraryCatalog;
      kind: ValueKind;
      async: boolean;
      madeBy: 'duplicate' | 'own' | 'unknown';
      resource: PoolResource | undefined;
      /**
       * The value in the summarised function's own module (its nodes belong to that module's
       * tree): used as is by callers in the same tree (`program`), translated for importers.
       * Absent for a getter declared in settings.
       */
      origin: Origin | undefined;
    };

export interface ParameterRelease {
  param: number;
  /** Methods called on the parameter; a release when the catalog says so for the argument's value. */
  methods: string[];
  /** The parameter is given back to a recognised pool or ended by a recognised value (`pool.release(p)`). */
  givenBack: boolean;
}

export interface FunctionSummary {
  /** The function's name, for messages (`createRedisInstance`). */
  name: string | undefined;
  /** The file the function is written in. */
  file: string | undefined;
  /** The tree the function belongs to: a caller in the same tree may use `returns.origin` as is. */
  program: TSESTree.Program | undefined;
  returns: ReturnSummary | undefined;
  releases: ParameterRelease[];
  /** Parameters the function keeps beyond the call (stores, returns or passes on). */
  takesOwnership: number[];
  /** Declared in `settings.redis` rather than read from a body. */
  declared?: boolean;
}

/** The summary of a function the resolver cannot see into, for `settings.redis` declarations. */
export function declaredSummary(
  name: string,
  returns: ReturnSummary | undefined,
  releasesFirst: boolean,
): FunctionSummary {
  return {
    name,
    file: undefined,
    program: undefined,
    returns,
    releases: releasesFirst ? [{ param: 0, methods: [], givenBack: true }] : [],
    takesOwnership: [],
    declared: true,
  };
}

/**
 * Summarises a function with the resolver and evaluator of the module it is written in.
 * `origins` must be able to resolve nodes of `fn`'s tree.
 */
export function summarizeFunction(
  fn: FunctionNode,
  origins: OriginResolver,
  evaluator: StaticEvaluator,
  file: string | undefined,
  program: TSESTree.Program,
  poolResourceOf: (pool: RedisValue) => PoolResource,
): FunctionSummary {
  return {
    name: functionName(fn),
    file,
    program,
    returns: returnSummaryOf(fn, origins, evaluator, poolResourceOf),
    releases: parameterReleases(fn, origins),
    takesOwnership: keptParameters(fn, origins),
  };
}

function returnSummaryOf(
  fn: FunctionNode,
  origins: OriginResolver,
  evaluator: StaticEvaluator,
  poolResourceOf: (pool: RedisValue) => PoolResource,
): ReturnSummary | undefined {
  const returned = returnedExpressions(fn).filter((expression) => !isNullish(expression));
  if (returned.length === 0) return undefined;
  let result: ReturnSummary | undefined;
  for (const expression of returned) {
    const one = classifyReturn(expression, fn, origins, evaluator, poolResourceOf);
    if (!one) return undefined;
    if (!result) {
      result = one;
      continue;
    }
    if (!sameReturn(result, one)) return undefined;
    // Fresh on every path: the options pass through only when every path passes the same parameter.
    if (result.type === 'fresh' && one.type === 'fresh' && result.optionsParam !== one.optionsParam) {
      result = { ...result, optionsParam: undefined };
    }
  }
  if (result && fn.async) result = { ...result, async: true };
  return result;
}

function sameReturn(a: ReturnSummary, b: ReturnSummary): boolean {
  if (a.type !== b.type || a.library !== b.library || a.kind !== b.kind) return false;
  if (a.type === 'shared' && b.type === 'shared') {
    return a.origin?.type === 'value' && b.origin?.type === 'value'
      ? a.origin.value.creation === b.origin.value.creation
      : a.origin === b.origin;
  }
  return true;
}

function classifyReturn(
  expression: TSESTree.Node,
  fn: FunctionNode,
  origins: OriginResolver,
  evaluator: StaticEvaluator,
  poolResourceOf: (pool: RedisValue) => PoolResource,
): ReturnSummary | undefined {
  let origin = origins.resolve(memoisedValue(expression));
  let async = false;
  while (origin?.type === 'promise') {
    async = true;
    origin = origin.of;
  }
  if (origin?.type !== 'value') return undefined;
  const value = origin.value;
  if (value.kind === 'lease' || value.kind === 'pending-acquire') return undefined;
  const resource = value.kind === 'pool' ? poolResourceOf(value) : undefined;
  const madeBy = madeByOf(value);
  if (isSharedShape(expression, fn, origins)) {
    return { type: 'shared', library: value.library, kind: value.kind, async, madeBy, resource, origin };
  }
  if (value.how === 'type') return undefined;
  if (!contains(fn, value.creation)) {
    // Made outside the function (a module-level client read through a local alias): shared.
    return { type: 'shared', library: value.library, kind: value.kind, async, madeBy, resource, origin };
  }
  if (!staysLocal(expression, fn, origins)) return undefined;
  return {
    type: 'fresh',
    library: value.library,
    kind: value.kind,
    async,
    optionsParam: passedThroughOptions(value, fn, origins, evaluator),
    madeBy,
    resource,
    opened: opensInBody(value, fn, origins),
  };
}

/** Whether the value needs no opening, or the function calls its opening method (`connect`). */
function opensInBody(value: RedisValue, fn: FunctionNode, origins: OriginResolver): boolean {
  const opensWith = value.library.values[value.kind]?.opensWith;
  if (opensWith === undefined || value.summary?.opened) return true;
  let opened = false;
  walk(fn.body, (node) => {
    if (opened) return false;
    if (node.type !== AST_NODE_TYPES.CallExpression) return true;
    const callee = unwrapExpression(node.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(callee) === opensWith) {
      if (origins.valueOrPromised(callee.object)?.creation === value.creation) opened = true;
    }
    return true;
  });
  return opened;
}

/** `client ??= new Redis()`, `client || (client = new Redis())`: the value made when empty. */
function memoisedValue(expression: TSESTree.Node): TSESTree.Node {
  const node = unwrapExpression(expression);
  if (node.type === AST_NODE_TYPES.AssignmentExpression && (node.operator === '??=' || node.operator === '||=')) return node.right;
  if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator !== '&&') {
    const right = unwrapExpression(node.right);
    return right.type === AST_NODE_TYPES.AssignmentExpression && right.operator === '=' ? right.right : node.right;
  }
  return expression;
}

export function madeByOf(value: RedisValue): 'duplicate' | 'own' | 'unknown' {
  if (value.summary) return value.summary.madeBy;
  if (value.how === 'factory' || value.how === 'constructor') return 'own';
  if (value.how === 'method' && value.call?.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrapExpression(value.call.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(callee) === 'duplicate') return 'duplicate';
  }
  return 'unknown';
}

/**
 * A returned expression that reads a value kept outside the call: a variable of an outer scope,
 * `this.x`, or a memoising `x ??= …` / `x || (x = …)` on one.
 */
function isSharedShape(expression: TSESTree.Node, fn: FunctionNode, origins: OriginResolver): boolean {
  let node = unwrapExpression(expression);
  while (node.type === AST_NODE_TYPES.AwaitExpression) node = unwrapExpression(node.argument);
  if (node.type === AST_NODE_TYPES.AssignmentExpression) {
    return node.operator !== '=' && isOutside(node.left, fn, origins);
  }
  if (node.type === AST_NODE_TYPES.LogicalExpression) return isOutside(node.left, fn, origins);
  return isOutside(node, fn, origins);
}

function isOutside(node: TSESTree.Node, fn: FunctionNode, origins: OriginResolver): boolean {
  const inner = unwrapExpression(node);
  if (inner.type === AST_NODE_TYPES.MemberExpression) {
    return unwrapExpression(inner.object).type === AST_NODE_TYPES.ThisExpression;
  }
  if (inner.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = origins.variableOf(inner);
  return variable !== undefined && !contains(fn, variable.scope.block);
}

/**
 * A value made in the function is the caller's alone only when the function hands it to no one
 * else: returned directly, or kept in a local variable that is only called on (`c.on(…)`,
 * `await c.connect()`) before it is returned. Stored in a registry, passed to a helper, or used
 * in a closure: someone else may close it, so unknown.
 */
function staysLocal(expression: TSESTree.Node, fn: FunctionNode, origins: OriginResolver): boolean {
  let node = unwrapExpression(expression);
  while (node.type === AST_NODE_TYPES.AwaitExpression) node = unwrapExpression(node.argument);
  if (node.type !== AST_NODE_TYPES.Identifier) return true;
  const variable = origins.variableOf(node);
  if (!variable) return false;
  for (const reference of variable.references) {
    if (reference.init) continue;
    const identifier = reference.identifier as TSESTree.Identifier;
    if (nearestFunction(identifier) !== fn) return false;
    const { node: ref, parent } = skipWrappersUp(identifier);
    if (reference.isWrite()) continue;
    if (!parent) return false;
    if (parent.type === AST_NODE_TYPES.ReturnStatement) continue;
    if (parent.type === AST_NODE_TYPES.AwaitExpression) {
      const outer = skipWrappersUp(parent).parent;
      if (outer?.type === AST_NODE_TYPES.ReturnStatement || outer?.type === AST_NODE_TYPES.ExpressionStatement) continue;
      return false;
    }
    // `c.on('error', …)`, `c.connect()`: a call on the value itself.
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === ref) {
      const call = skipWrappersUp(parent).parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && skipWrappersUp(parent).node === call.callee) continue;
      return false;
    }
    // `if (!c)`, `c ? … : …`: a test reads it.
    if (parent.type === AST_NODE_TYPES.UnaryExpression || parent.type === AST_NODE_TYPES.IfStatement) continue;
    return false;
  }
  return true;
}

/** The parameter given unchanged as the options of the value made in `fn`, if any. */
function passedThroughOptions(
  value: RedisValue,
  fn: FunctionNode,
  origins: OriginResolver,
  evaluator: StaticEvaluator,
): number | undefined {
  if (!value.call || value.optionsArg === undefined || value.inheritsFrom) return undefined;
  const argument = argumentAt(value.call, value.optionsArg, evaluator);
  const node = argument.node && unwrapExpression(argument.node);
  if (node?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const index = fn.params.findIndex((param) => param.type === AST_NODE_TYPES.Identifier && param.name === node.name);
  if (index < 0) return undefined;
  const variable = origins.variableOf(node);
  if (!variable || variable.defs[0]?.type !== 'Parameter') return undefined;
  // Changed on the way (`opts.commandTimeout ??= 1000`, `opts = { …opts }`): not what the caller passed.
  for (const reference of variable.references) {
    if (reference.isWrite()) return undefined;
    const { node: ref, parent } = skipWrappersUp(reference.identifier);
    if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === ref) {
      const above = skipWrappersUp(parent).parent;
      if (above?.type === AST_NODE_TYPES.AssignmentExpression && skipWrappersUp(parent).node === above.left) return undefined;
    }
  }
  return index;
}

/** Method calls and catalog give-backs on each parameter. */
function parameterReleases(fn: FunctionNode, origins: OriginResolver): ParameterRelease[] {
  const releases: ParameterRelease[] = [];
  fn.params.forEach((param, index) => {
    if (param.type !== AST_NODE_TYPES.Identifier) return;
    const variable = origins.variableOf(param);
    if (!variable) return;
    const methods = new Set<string>();
    let givenBack = false;
    for (const reference of variable.references) {
      const { node: ref, parent } = skipWrappersUp(reference.identifier);
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === ref) {
        const name = staticPropertyName(parent);
        const call = skipWrappersUp(parent).parent;
        if (name !== undefined && call?.type === AST_NODE_TYPES.CallExpression && call.callee === skipWrappersUp(parent).node) {
          methods.add(name);
        }
      } else if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(ref as TSESTree.CallExpressionArgument)) {
        const callee = unwrapExpression(parent.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) continue;
        const method = staticPropertyName(callee);
        const receiver = method === undefined ? undefined : origins.valueOrPromised(callee.object);
        const spec = receiver && method !== undefined ? receiver.library.values[receiver.kind]?.methods[method] : undefined;
        if (spec?.type === 'release' && spec.loanArg !== undefined && parent.arguments[spec.loanArg] === ref) givenBack = true;
      }
    }
    if (methods.size > 0 || givenBack) releases.push({ param: index, methods: [...methods], givenBack });
  });
  return releases;
}

/** Parameters stored outside the function, returned, or passed to another call. */
function keptParameters(fn: FunctionNode, origins: OriginResolver): number[] {
  const kept: number[] = [];
  fn.params.forEach((param, index) => {
    if (param.type !== AST_NODE_TYPES.Identifier) return;
    const variable = origins.variableOf(param);
    if (!variable) return;
    const keeps = variable.references.some((reference) => {
      const { node: ref, parent } = skipWrappersUp(reference.identifier);
      if (!parent) return false;
      if (parent.type === AST_NODE_TYPES.ReturnStatement) return true;
      if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === ref) return true;
      if (parent.type === AST_NODE_TYPES.Property && parent.value === ref) return true;
      if (parent.type === AST_NODE_TYPES.ArrayExpression) return true;
      if (parent.type === AST_NODE_TYPES.NewExpression) return true;
      return parent.type === AST_NODE_TYPES.CallExpression && parent.callee !== ref;
    });
    if (keeps) kept.push(index);
  });
  return kept;
}

function functionName(fn: FunctionNode): string | undefined {
  if (fn.id) return fn.id.name;
  const { parent } = skipWrappersUp(fn);
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (
    (parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.PropertyDefinition || parent?.type === AST_NODE_TYPES.Property) &&
    parent.value === fn
  ) {
    return staticPropertyName(parent);
  }
  return undefined;
}

function nearestFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

function isNullish(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  return (
    (inner.type === AST_NODE_TYPES.Literal && inner.value === null) ||
    (inner.type === AST_NODE_TYPES.Identifier && inner.name === 'undefined')
  );
}
