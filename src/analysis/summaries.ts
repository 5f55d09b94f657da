/**
 * Function summaries: what calling a function of the project does with Redis connections, so
 * that a value keeps its origin across a call. Decided from the function's own body with the
 * resolver of the module it is written in (which in turn follows its imports), never from names.
 * Anything the body does not settle (mixed returns, a fresh value also stored in a registry)
 * gives no `returns`: unknown, and the rules stay silent.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import type { ClassSpec, LibraryCatalog, MethodSpec, OptionsPosition, QueueConnectionsSpec, ValueKind } from '../catalog';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, isNullish, methodCall, methodCallOn, skipWrappersUp, staticPropertyName, unwrapExpression, walk, within, type FunctionNode } from './ast';
import type { Origin, OriginResolver, RedisValue } from './origin';
import { argumentAt } from './options';
import { returnedExpressions, type PoolResource } from './pools';
import type { Variable } from './scope';
import type { StaticEvaluator } from './static-value';

/** What the caller gets, either way. */
interface ReturnedValue {
  library: LibraryCatalog;
  kind: ValueKind;
  /** The caller gets a promise of it (an async function, `createClient().connect()`). */
  async: boolean;
  /** Made with `duplicate()` of another connection (a dedicated connection). */
  madeBy: 'duplicate' | 'own' | 'unknown';
  /** For a generic-pool or tarn pool: whether it lends Redis connections. */
  resource: PoolResource | undefined;
}

export type ReturnSummary =
  /** A new connection per call: the caller owns it. */
  | (ReturnedValue & {
      type: 'fresh';
      /** The parameter the function passes through, unchanged, as the client options. */
      optionsParam: number | undefined;
      /** The function opens the connection itself (node-redis `await client.connect()`). */
      opened: boolean;
      /** An 'error' listener may reach it in the function (added, or the value passed on): if not, the caller's duty. */
      errorListened: boolean;
    })
  /** The same value on every call (a module-level client, a class field, a memoised getter). */
  | (ReturnedValue & {
      type: 'shared';
      /**
       * The value in the summarised function's own module (its nodes belong to that module's
       * tree): used as is by callers in the same tree (`program`), translated for importers.
       * Absent for a getter declared in settings.
       */
      origin: Origin | undefined;
    });

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
  /** Parameters the function ends (`p.quit()`, `pool.release(p)`), checked against the catalog at the call site. */
  releases: ParameterRelease[];
  /** Parameters the function keeps beyond the call (stores, returns or passes on). */
  takesOwnership: number[];
  /** Declared in `settings.redis` rather than read from a body. */
  declared?: boolean;
  /** A class that extends a catalog class: what `new` of it makes (calling it without `new` makes nothing). */
  constructs?: SubclassFacts;
}

/**
 * `class RedisAdapter extends Redis { constructor(url, opts) { super(url, { ...opts, keyPrefix }) } }`:
 * every instance is the base class's value. Where the options sit among the subclass's own
 * arguments, when its constructor hands a parameter to `super` unchanged (or spread under keys
 * that no timeout or size option uses); `optionsReadable: false` when the options it passes
 * can't be read from a call site. Carries no nodes, so an importer can use it as is.
 */
export interface SubclassFacts {
  library: LibraryCatalog;
  kind: ValueKind;
  optionsReadable: boolean;
  optionsArg: OptionsPosition | undefined;
  poolOptionsArg: OptionsPosition | undefined;
  resourceFactoryArg: number | undefined;
  nodeOptionsKey: string | undefined;
  queue: QueueConnectionsSpec | undefined;
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
    if (!one || (result && !sameReturn(result, one))) return undefined;
    result ??= one;
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
  // Made outside the function counts too (a module-level client read through a local alias).
  if (isSharedShape(expression, fn, origins) || (value.how !== 'type' && !within(value.creation, fn))) {
    return { type: 'shared', library: value.library, kind: value.kind, async, madeBy, resource, origin };
  }
  if (value.how === 'type') return undefined;
  if (!staysLocal(expression, fn, origins)) return undefined;
  return {
    type: 'fresh',
    library: value.library,
    kind: value.kind,
    async,
    optionsParam: passedThroughOptions(value, fn, origins, evaluator),
    madeBy,
    resource,
    opened: value.summary?.opened === true || opensIn(fn.body, value, origins),
    errorListened: (value.how === 'summary' && value.summary?.errorListened !== false) || mayListenIn(fn.body, value, origins, evaluator),
  };
}

/**
 * Whether code under `root` may add an 'error' listener to the value: a listener method (the
 * catalog's) for 'error' or an event it can't read, or the value passed to any call, which may.
 */
function mayListenIn(root: TSESTree.Node, value: RedisValue, origins: OriginResolver, evaluator: StaticEvaluator): boolean {
  const isTheValue = (node: TSESTree.Node) => origins.valueOrPromised(node)?.creation === value.creation;
  let listens = false;
  walk(root, (node) => {
    if (listens) return false;
    if (node.type !== AST_NODE_TYPES.CallExpression) return true;
    const parts = methodCall(node);
    if (parts && value.library.values[value.kind]?.methods[parts.method]?.type === 'listener' && isTheValue(parts.receiver)) {
      const event = node.arguments[0] && evaluator.evaluate(node.arguments[0]);
      listens = event !== undefined && (event.kind !== 'primitive' || event.value === 'error');
    }
    listens ||= node.arguments.some((argument) => argument.type !== AST_NODE_TYPES.SpreadElement && isTheValue(argument));
    return !listens;
  });
  return listens;
}

/** Whether the value needs no opening, or code under `root` calls its opening method (node-redis `connect()`) on it. */
export function opensIn(root: TSESTree.Node, value: RedisValue, origins: OriginResolver): boolean {
  const opensWith = value.library.values[value.kind]?.opensWith;
  if (opensWith === undefined) return true;
  let opened = false;
  walk(root, (node) => {
    if (opened) return false;
    const parts = methodCall(node);
    if (parts?.method === opensWith && origins.valueOrPromised(parts.receiver)?.creation === value.creation) opened = true;
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
  // A producing method that starts from its receiver's options (the catalog's `inheritsOptions`:
  // `duplicate()` in every client library) makes a second connection of the same client.
  if (value.how === 'method' && value.inheritsFrom) return 'duplicate';
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
  return variable !== undefined && !within(variable.scope.block, fn);
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
    if (enclosingFunction(identifier) !== fn) return false;
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
      if (methodCallOn(ref)) continue;
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
  for (const { index, variable } of namedParameters(fn, origins)) {
    const methods = new Set<string>();
    let givenBack = false;
    for (const reference of variable.references) {
      const { node: ref, parent } = skipWrappersUp(reference.identifier);
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === ref) {
        const name = methodCallOn(ref)?.method;
        if (name !== undefined) methods.add(name);
      } else if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(ref as TSESTree.CallExpressionArgument)) {
        const parts = methodCall(parent);
        const receiver = parts && origins.valueOrPromised(parts.receiver);
        const spec = receiver ? receiver.library.values[receiver.kind]?.methods[parts!.method] : undefined;
        if (spec?.type === 'release' && spec.loanArg !== undefined && parent.arguments[spec.loanArg] === ref) givenBack = true;
      }
    }
    if (methods.size > 0 || givenBack) releases.push({ param: index, methods: [...methods], givenBack });
  }
  return releases;
}

/** Parameters stored outside the function, returned, or passed to another call. */
function keptParameters(fn: FunctionNode, origins: OriginResolver): number[] {
  const keeps = (reference: Variable['references'][number]): boolean => {
    const { node: ref, parent } = skipWrappersUp(reference.identifier);
    if (!parent) return false;
    if (parent.type === AST_NODE_TYPES.ReturnStatement) return true;
    if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === ref) return true;
    if (parent.type === AST_NODE_TYPES.Property && parent.value === ref) return true;
    if (parent.type === AST_NODE_TYPES.ArrayExpression) return true;
    if (parent.type === AST_NODE_TYPES.NewExpression) return true;
    return parent.type === AST_NODE_TYPES.CallExpression && parent.callee !== ref;
  };
  return namedParameters(fn, origins).filter(({ variable }) => variable.references.some(keeps)).map(({ index }) => index);
}

/** The parameters that are plain names, with their variables. */
function namedParameters(fn: FunctionNode, origins: OriginResolver): { index: number; variable: Variable }[] {
  return fn.params.flatMap((param, index) => {
    const variable = param.type === AST_NODE_TYPES.Identifier ? origins.variableOf(param) : undefined;
    return variable ? [{ index, variable }] : [];
  });
}

/** The name a function is known by, for messages: its own, its variable's, its key's, `db.connect = function`. */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.id) return fn.id.name;
  const { parent } = skipWrappersUp(fn);
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left.type === AST_NODE_TYPES.MemberExpression) return staticPropertyName(parent.left);
  const keyed = parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.PropertyDefinition || parent?.type === AST_NODE_TYPES.Property;
  return keyed && parent.value === fn ? staticPropertyName(parent) : undefined;
}

/**
 * What `new` of a class that extends catalog class `base` makes. Methods the subclass defines
 * are its own, not the catalog's, except that an override of a catalog release still releases
 * and a method of its own that ends `this` (`close() { return this.quit() }`) releases too: the
 * value's library is a copy whose methods say so (same id, so versions and messages agree).
 */
export function summarizeSubclass(
  classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  library: LibraryCatalog,
  base: ClassSpec,
  file: string | undefined,
  program: TSESTree.Program,
): FunctionSummary {
  const constructor = classNode.body.body.find(
    (member): member is TSESTree.MethodDefinition => member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor',
  );
  const superArgs = constructor ? superArguments(constructor.value) : 'inherited';
  const sensitiveKeys = new Set<string>([
    ...library.timeouts.map((spec) => spec.path[0]!),
    ...library.poolSizes.map((spec) => spec.path[0]!),
    ...(base.nodeOptionsKey ? [base.nodeOptionsKey] : []),
    ...(base.queue ? [base.queue.connectionKey] : []),
  ]);
  const map = (position: OptionsPosition | undefined): OptionsPosition | undefined | null =>
    position === undefined ? undefined : mapPosition(position, superArgs, constructor?.value, sensitiveKeys);
  const optionsArg = map(base.optionsArg);
  const poolOptionsArg = map(base.poolOptionsArg);
  const queueOptionsArg = base.queue ? map(base.queue.optionsArg) : undefined;
  const resourceFactoryArg = map(base.resourceFactoryArg);
  const optionsReadable = optionsArg !== null && poolOptionsArg !== null && queueOptionsArg !== null && resourceFactoryArg !== null;
  return {
    name: classNode.id?.name,
    file,
    program,
    returns: undefined,
    releases: [],
    takesOwnership: [],
    constructs: {
      library: subclassLibrary(classNode, library, base.produces),
      kind: base.produces,
      optionsReadable,
      optionsArg: optionsArg ?? undefined,
      poolOptionsArg: poolOptionsArg ?? undefined,
      resourceFactoryArg: typeof resourceFactoryArg === 'number' ? resourceFactoryArg : undefined,
      nodeOptionsKey: base.nodeOptionsKey,
      queue: base.queue && queueOptionsArg !== null && queueOptionsArg !== undefined ? { ...base.queue, optionsArg: queueOptionsArg } : undefined,
    },
  };
}

/** The arguments of the one `super(…)` statement of a constructor; undefined when there is not exactly one. */
function superArguments(constructor: TSESTree.FunctionExpression | TSESTree.TSEmptyBodyFunctionExpression): TSESTree.CallExpressionArgument[] | undefined {
  const calls: TSESTree.CallExpression[] = [];
  if (!constructor.body) return undefined;
  walk(constructor.body, (node) => {
    if (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) return false;
    if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Super) calls.push(node);
    return true;
  });
  const only = calls.length === 1 ? calls[0]! : undefined;
  // Conditional `super` calls (one per branch) can't be read as one.
  return only && only.parent?.type === AST_NODE_TYPES.ExpressionStatement && only.parent.parent === constructor.body ? only.arguments : undefined;
}

/**
 * Where the base class's argument at `position` comes from among the subclass's arguments:
 * the same place without a constructor or with `super(...args)`, the parameter the constructor
 * passes on, or null when the subclass builds it (unreadable from a call site).
 */
function mapPosition(
  position: OptionsPosition,
  superArgs: TSESTree.CallExpressionArgument[] | 'inherited' | undefined,
  constructor: TSESTree.FunctionExpression | TSESTree.TSEmptyBodyFunctionExpression | undefined,
  sensitiveKeys: ReadonlySet<string>,
): OptionsPosition | null {
  if (superArgs === 'inherited') return position;
  if (!superArgs || !constructor) return null;
  const params = constructor.params;
  // constructor(...args) { super(...args) }
  const onlyArgument = superArgs.length === 1 ? superArgs[0]! : undefined;
  const restParam = params.length === 1 && params[0]!.type === AST_NODE_TYPES.RestElement ? params[0] : undefined;
  if (restParam && onlyArgument?.type === AST_NODE_TYPES.SpreadElement && sameName(onlyArgument.argument, restParam.argument)) return position;
  if (superArgs.some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)) return null;
  // `(port, host, options)` taken in any combination: read from the call site only when passed on in order.
  if (position === 'last-object') {
    const inOrder = superArgs.length === params.length && superArgs.every((argument, index) => parameterIndex(argument, params) === index);
    if (inOrder) return 'last-object';
  }
  const argument = superArgs[position === 'last-object' ? superArgs.length - 1 : position];
  const index = argument ? forwardedParameter(argument, params, sensitiveKeys) : undefined;
  return index ?? null;
}

/** `opts`, or `{ ...opts, keyPrefix }` with keys that no timeout or size option uses: the parameter's index. */
function forwardedParameter(argument: TSESTree.Node, params: TSESTree.Parameter[], sensitiveKeys: ReadonlySet<string>): number | undefined {
  const inner = unwrapExpression(argument);
  if (inner.type !== AST_NODE_TYPES.ObjectExpression) return parameterIndex(inner, params);
  const [first, ...rest] = inner.properties;
  if (first?.type !== AST_NODE_TYPES.SpreadElement) return undefined;
  const harmless = rest.every((property) => {
    if (property.type !== AST_NODE_TYPES.Property) return false;
    const key = staticPropertyName(property);
    return key !== undefined && !sensitiveKeys.has(key);
  });
  return harmless ? parameterIndex(first.argument, params) : undefined;
}

/** The index of the plain parameter an expression names (no default, or an empty `{}` one). */
function parameterIndex(node: TSESTree.Node, params: TSESTree.Parameter[]): number | undefined {
  const inner = unwrapExpression(node);
  if (inner.type !== AST_NODE_TYPES.Identifier) return undefined;
  const index = params.findIndex((param) => {
    const target = param.type === AST_NODE_TYPES.AssignmentPattern && isEmptyObject(param.right) ? param.left : param;
    return target.type === AST_NODE_TYPES.Identifier && target.name === inner.name;
  });
  return index < 0 ? undefined : index;
}

function isEmptyObject(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  return inner.type === AST_NODE_TYPES.ObjectExpression && inner.properties.length === 0;
}

function sameName(a: TSESTree.Node, b: TSESTree.Node): boolean {
  return a.type === AST_NODE_TYPES.Identifier && b.type === AST_NODE_TYPES.Identifier && a.name === b.name;
}

/** The library as the subclass's instances see it: own methods are not the catalog's, own closes release. */
function subclassLibrary(classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression, library: LibraryCatalog, kind: ValueKind): LibraryCatalog {
  const spec = library.values[kind];
  if (!spec) return library;
  const methods: Record<string, MethodSpec> = { ...spec.methods };
  let changed = false;
  for (const member of classNode.body.body) {
    if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind !== 'method' || member.static) continue;
    const name = staticPropertyName(member);
    if (name === undefined) continue;
    const inherited = spec.methods[name];
    // An override of quit()/disconnect() still ends the connection.
    if (inherited?.type === 'release' && inherited.loanArg === undefined) continue;
    const release = releaseOfThis(member.value, spec.methods);
    if (release) methods[name] = release;
    else if (inherited) delete methods[name];
    else continue;
    changed = true;
  }
  return changed ? { ...library, values: { ...library.values, [kind]: { ...spec, methods } } } : library;
}

/** The catalog release a method calls on its own instance (`this.quit()`, `super.disconnect()`), if any. */
function releaseOfThis(fn: TSESTree.FunctionExpression | TSESTree.TSEmptyBodyFunctionExpression, methods: Record<string, MethodSpec>): MethodSpec | undefined {
  let found: MethodSpec | undefined;
  if (!fn.body) return undefined;
  walk(fn.body, (node) => {
    if (found) return false;
    if (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) return false;
    const parts = methodCall(node);
    const object = parts && unwrapExpression(parts.receiver);
    if (object?.type !== AST_NODE_TYPES.ThisExpression && object?.type !== AST_NODE_TYPES.Super) return true;
    const spec = methods[parts!.method];
    if (spec?.type === 'release' && spec.loanArg === undefined) found = spec;
    return true;
  });
  return found;
}
