/**
 * Loans and per-call connections: which expression acquires one, which call gives it back, and
 * which use hands it to someone else, for `no-unreleased-connection`, `prefer-pool-use` and the
 * try/finally and `pool.use` codemods. A loan comes from a recognised pool or sentinel
 * (`await pool.acquire()`); a per-call connection is a client, cluster, client pool or sentinel
 * made inside a function (one made at module level is a singleton). A release is a catalog
 * `release` method on the same value or taking it as the loan argument, or a local helper that
 * does one. Everything is decided by origin or type, never by a method name on an unrecognised
 * object.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import {
  isRedisClientLibrary,
  LIBRARIES,
  TARN_PENDING_PROMISE_PROPERTY,
  type ExportSpec,
  type MethodSpec,
  type ValueKind,
  type ValueSpec,
} from '../catalog';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, isModuleLevel, isNullish, methodCall, methodCallOn, skipAwaitsUp, skipWrappersUp, staticPropertyName, unwrapExpression, walk, within, type FunctionNode } from './ast';
import type { RedisAnalysis } from './context';
import type { LoanFlow } from './loan-paths';
import { mayThrow } from './may-throw';
import { mentionsCatalogModule, type RedisValue } from './origin';
import { argumentAt } from './options';
import { poolResourceOf, resourceLibraryOf } from './pools';
import { queueClosedHere, queueConnectionsOf, queueKeepingOpen, queueMadePerCall } from './queues';
import { memberNamed } from './relevance';
import { findVariableFor, homeFunction, isGlobal, type Variable } from './scope';
import { aliasesOf, callsOf, CLOSING_NAMES, nameOfFunction, outermostClosure, usesOf, type Use } from './uses';
import { appliesToMajor } from './versions';

/** Value kinds that are a connection of their own when made inside a function. */
export const PER_CALL_CONNECTION_KINDS: ReadonlySet<ValueKind> = new Set(['client', 'cluster', 'pool', 'sentinel']);

/**
 * The connection of its own (a client library's client, cluster, pool or sentinel) that this very
 * expression makes, known by origin: not from a type, nor (unless asked) through a summary.
 */
export function connectionMadeIn(
  expression: TSESTree.Node,
  analysis: Pick<RedisAnalysis, 'origins'>,
  withSummaries = false,
): { value: RedisValue; creation: TSESTree.CallExpression | TSESTree.NewExpression } | undefined {
  const value = analysis.origins.valueOrPromised(expression);
  if (!value || value.how === 'type' || (value.how === 'summary' && !withSummaries)) return undefined;
  if (!PER_CALL_CONNECTION_KINDS.has(value.kind) || !isRedisClientLibrary(value.library)) return undefined;
  const creation = value.creation;
  if (creation.type !== AST_NODE_TYPES.CallExpression && creation.type !== AST_NODE_TYPES.NewExpression) return undefined;
  return within(creation, expression) ? { value, creation } : undefined;
}

export interface Acquisition {
  /** A loan from a pool or sentinel, or a connection made for this call. */
  kind: 'loan' | 'connection';
  /** The lease or the connection. */
  value: RedisValue;
  /** The pool or sentinel a loan comes from. */
  lender: RedisValue | undefined;
  /**
   * The expression that acquires: `pool.acquire()`, `pool.acquire().promise`, `createClient(…)`,
   * `new Redis(…)`, `client.duplicate()`. Reports go here.
   */
  node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.MemberExpression;
  /** The expression yields a promise of the value (`pool.acquire()`, glide `createClient`). */
  promised: boolean;
  /** The method that opens the connection, when making the value does not (node-redis `connect`). */
  opensWith: string | undefined;
  /** The function the code that acquires runs in. */
  owner: FunctionNode;
  /**
   * The value goes to a node-style callback instead of being returned (generic-pool 2
   * `pool.acquire((err, client) => …)`): the callback, its parameter and its error parameter.
   */
  callback?: { fn: FunctionNode; variable: Variable; error: Variable | undefined };
}

/**
 * Whether this expression acquires a loan or a per-call connection. Undefined at module level and
 * for values known only from their type (a pool whose resources are unknown still counts: its
 * loans must go back all the same).
 */
export function acquisitionAt(node: TSESTree.Node, analysis: RedisAnalysis): Acquisition | undefined {
  if (
    node.type !== AST_NODE_TYPES.CallExpression &&
    node.type !== AST_NODE_TYPES.NewExpression &&
    node.type !== AST_NODE_TYPES.MemberExpression
  ) {
    return undefined;
  }
  if (node.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(node) !== TARN_PENDING_PROMISE_PROPERTY) return undefined;
  if (!mayCreate(node) && (node.type === AST_NODE_TYPES.MemberExpression || !analysis.origins.mayCallProjectFunction(node))) return undefined;
  if (isModuleLevel(node)) return undefined;
  const owner = enclosingFunction(node);
  if (!owner) return undefined;
  if (node.type === AST_NODE_TYPES.CallExpression) {
    const delivered = deliveredToCallback(node, owner, analysis);
    if (delivered !== 'no') return delivered;
  }
  const value = analysis.origins.valueOrPromised(node);
  if (!value || value.how === 'type') return undefined;
  const promised = analysis.origins.resolve(node)?.type === 'promise';
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    // tarn: `pool.acquire().promise` is the loan of the pending acquire made just before.
    if (value.kind !== 'lease' || value.creation !== unwrapExpression(node.object)) return undefined;
  } else if (value.creation !== node) {
    return undefined;
  }
  // `pool.acquire((err, client) => …)` is generic-pool 2's callback API, not the promise the catalog describes.
  if (value.kind === 'lease' && node.type === AST_NODE_TYPES.CallExpression && node.arguments.some((argument) => isFunctionNode(unwrapExpression(argument)))) {
    return undefined;
  }
  return acquired({ value, lender: value.parent, node, promised, owner }, analysis);
}

/** A lease (unless its pool is proven to lend something other than Redis connections), or a connection of its own. */
function acquired(
  found: Pick<Acquisition, 'value' | 'lender' | 'node' | 'promised' | 'owner' | 'callback'>,
  analysis: RedisAnalysis,
): Acquisition | undefined {
  const { value, lender } = found;
  if (value.kind === 'lease') {
    if (!lender || poolResourceOf(lender, analysis.origins, analysis.evaluator) === 'other') return undefined;
    return { kind: 'loan', ...found, opensWith: undefined };
  }
  if (!opensConnection(value, analysis)) return undefined;
  return { kind: 'connection', ...found, lender: undefined, opensWith: value.summary?.opened ? undefined : valueSpecOf(value)?.opensWith };
}

/**
 * A connection of its own: a client, cluster, client pool or sentinel, or a queue object that
 * opens at least one connection whatever its options turn out to be (a BullMQ `Queue` given a
 * client opens none), or that holds on to the clients its caller's factory makes until closed.
 */
function opensConnection(value: RedisValue, analysis: RedisAnalysis): boolean {
  if (value.queue) {
    const connections = queueConnectionsOf(value, analysis);
    return (connections?.min ?? 0) > 0 || (connections?.supplied.type === 'factory' && value.queue.listensOnFactoryClients === true);
  }
  return PER_CALL_CONNECTION_KINDS.has(value.kind) && isRedisClientLibrary(value.library);
}

/**
 * `pool.acquire((err, client) => …)`, `client.duplicate((err, dup) => …)`: a catalog method that
 * hands its value to a node-style callback. 'no' when the call is not one.
 */
function deliveredToCallback(node: TSESTree.CallExpression, owner: FunctionNode, analysis: RedisAnalysis): Acquisition | undefined | 'no' {
  const parts = methodCall(node);
  if (!parts || !PRODUCING_METHODS.has(parts.method)) return 'no';
  const receiver = analysis.origins.valueOrPromised(parts.receiver);
  const spec = receiver ? valueSpecOf(receiver)?.methods[parts.method] : undefined;
  if (!receiver || spec?.type !== 'produces' || !spec.callback) return 'no';
  const position = spec.callback.arg;
  const argument = position === 'last' ? node.arguments[node.arguments.length - 1] : node.arguments[position];
  const fn = argument && unwrapExpression(argument);
  if (!isFunctionNode(fn)) return 'no';
  const parameter = fn.params[spec.callback.param];
  if (parameter?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const value = analysis.origins.valueOf(parameter);
  const variable = findVariableFor(analysis.sourceCode, parameter);
  if (!value || value.creation !== node || !variable) return undefined;
  const errorParameter = fn.params[0];
  const error =
    spec.callback.param > 0 && errorParameter?.type === AST_NODE_TYPES.Identifier ? findVariableFor(analysis.sourceCode, errorParameter) : undefined;
  return acquired({ value, lender: receiver, node, promised: false, owner, callback: { fn, variable, error } }, analysis);
}

/** Methods that make a new value (`acquire`, `duplicate`), in any library. */
const PRODUCING_METHODS: ReadonlySet<string> = new Set(
  LIBRARIES.flatMap((library) =>
    Object.values(library.values).flatMap((spec) =>
      Object.entries(spec?.methods ?? {}).filter(([, method]) => method.type === 'produces').map(([name]) => name),
    ),
  ),
);

/** Names under which a factory or a class is reached as a member (`redis.createClient`, `Redis.Cluster`, `m.default`). */
const MAKER_MEMBERS: ReadonlySet<string> = new Set(
  LIBRARIES.flatMap((library) => [
    'default',
    ...Object.entries(library.exports).flatMap(([name, spec]) => [name, ...memberNames(spec)]),
    ...(library.defaultExport ? memberNames(library.defaultExport) : []),
    ...(library.commonjsExport ? memberNames(library.commonjsExport) : []),
  ]),
);

function memberNames(spec: ExportSpec): string[] {
  const members = spec.type === 'class' ? spec.statics : spec.type === 'namespace' ? spec.members : undefined;
  return Object.entries(members ?? {}).flatMap(([name, member]) => [name, ...memberNames(member)]);
}

/**
 * A call or `new` that can make a value, judged by its shape alone: a method call must be spelt
 * like a catalog factory, class or producing method (`pool.acquire()`, `redis.createClient()`).
 * Saves resolving (and, with types, asking the checker about) every other call of a file.
 */
function mayCreate(node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.MemberExpression): boolean {
  if (node.type === AST_NODE_TYPES.MemberExpression) return true;
  const callee = unwrapExpression(node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return true;
  const name = staticPropertyName(callee);
  if (name === undefined) return false;
  return MAKER_MEMBERS.has(name) || (node.type === AST_NODE_TYPES.CallExpression && PRODUCING_METHODS.has(name));
}

/** `.acquire`, `?.duplicate`, `['acquire']`: every way a producing method can be named (as staticPropertyName reads it). */
const PRODUCING_MEMBER = memberNamed(PRODUCING_METHODS);

/**
 * Whether a file's text can hold an acquisition at all. Every factory and class is reached
 * through an import or require of a catalog module; without one, only a producing method on a
 * value known from its type can acquire (`pool.acquire()` on a `Pool<Redis>` parameter), and
 * only with type information. Most files of a project are answered here, before any traversal.
 */
export function mayHoldAcquisitions(text: string, typed: boolean): boolean {
  if (mentionsCatalogModule(text)) return true;
  return typed && PRODUCING_MEMBER.test(text);
}

/** How an acquired value is kept once the acquiring expression is done. */
export type LoanBinding =
  /** `const c = await pool.acquire()`, `c = new Redis()` (a variable of the owner function). */
  | { type: 'variable'; variable: Variable; heldAfter: TSESTree.Node | undefined }
  /**
   * `pool.acquire().then((c) => …)`: the callback holds it from its start. A node-style callback
   * (`(err, c) => …`) holds it except where `error` is set.
   */
  | { type: 'callback'; variable: Variable; callback: FunctionNode; error?: Variable }
  /** Used and dropped, or never kept: nothing can release it. */
  | { type: 'dropped'; heldAfter: TSESTree.Node | undefined; lastCall?: TSESTree.CallExpression }
  /** Returned, stored outside, passed on, put in an object: someone else's duty. */
  | { type: 'handed-over'; at: TSESTree.Node }
  /** Released in the same expression (`createClient().quit()`). */
  | { type: 'released' }
  /** A shape we do not follow. */
  | { type: 'unknown' };

export interface LoanOptions {
  /** Extra method or function names that release (`client.shutdown()`, `pool.giveBack(c)`, `releaseClient(c)`). */
  releaseMethods: ReadonlySet<string>;
  /** Passing the value to a function the analysis does not know hands it over. */
  callsTakeOwnership: boolean;
}

/**
 * Follows the acquiring expression up through `await`, `.connect()` and chained listeners to
 * where the value ends up.
 */
export function bindingOf(acquisition: Acquisition, analysis: RedisAnalysis, options: LoanOptions): LoanBinding {
  const { sourceCode } = analysis;
  if (acquisition.callback) {
    const { variable, fn, error } = acquisition.callback;
    return { type: 'callback', variable, callback: fn, error };
  }
  const spec = valueSpecOf(acquisition.value);
  let current: TSESTree.Node = acquisition.node;
  let promised = acquisition.promised;
  let opened = acquisition.opensWith === undefined;
  let openedAt: TSESTree.Node | undefined = opened && !promised ? acquisition.node : undefined;
  let openPending = opened && promised;
  for (;;) {
    const { node, parent } = skipWrappersUp(current);
    if (!parent) return { type: 'unknown' };
    if (parent.type === AST_NODE_TYPES.AwaitExpression) {
      if (promised) {
        promised = false;
        if (openPending) {
          openedAt = parent;
          openPending = false;
        }
      }
      current = parent;
      continue;
    }
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
      const { call, method } = methodCallOn(node) ?? {};
      if (!call || method === undefined) return { type: 'unknown' };
      if (promised) {
        if (method !== 'then' || (!opened && !openPending)) return { type: 'unknown' };
        const callback = call.arguments[0] && unwrapExpression(call.arguments[0]);
        if (!isFunctionNode(callback) || callback.params[0]?.type !== AST_NODE_TYPES.Identifier) return { type: 'unknown' };
        const variable = findVariableFor(sourceCode, callback.params[0]);
        return variable ? { type: 'callback', variable, callback } : { type: 'unknown' };
      }
      const methodSpec = spec?.methods[method];
      if (methodSpec?.type === 'self' || methodSpec?.type === 'listener') {
        if (method === acquisition.opensWith && !opened) {
          opened = true;
          if (methodSpec.type === 'self' && methodSpec.async) openPending = true;
          else openedAt = call;
        }
        if (methodSpec.type === 'self' && methodSpec.async) promised = true;
        current = call;
        continue;
      }
      if (closesItself(acquisition.value, { method, call }, analysis, options.releaseMethods)) return { type: 'released' };
      // A command on a value nobody keeps.
      return opened ? { type: 'dropped', heldAfter: openedAt ?? call, lastCall: call } : { type: 'unknown' };
    }
    switch (parent.type) {
      case AST_NODE_TYPES.VariableDeclarator: {
        if (parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier || promised) return { type: 'unknown' };
        const declaration = parent.parent;
        if (declaration.kind === 'using' || declaration.kind === 'await using') return { type: 'handed-over', at: parent };
        const variable = findVariableFor(sourceCode, parent.id);
        return variable ? { type: 'variable', variable, heldAfter: openedAt } : { type: 'unknown' };
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (parent.right !== node || parent.operator !== '=' || promised) return { type: 'unknown' };
        if (parent.left.type !== AST_NODE_TYPES.Identifier) return { type: 'handed-over', at: parent };
        const variable = findVariableFor(sourceCode, parent.left);
        if (!variable || homeFunction(variable) !== acquisition.owner) return { type: 'handed-over', at: parent };
        return { type: 'variable', variable, heldAfter: openedAt };
      }
      case AST_NODE_TYPES.ExpressionStatement:
        if (!opened && !openPending) return { type: 'unknown' };
        // `new Worker(…)` as a statement: a consumer started to run on its own.
        if (acquisition.value.queue) return { type: 'unknown' };
        return { type: 'dropped', heldAfter: openedAt ?? node };
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        if (!parent.arguments.includes(node as TSESTree.CallExpressionArgument)) return { type: 'unknown' };
        if (options.callsTakeOwnership || promised) return { type: 'handed-over', at: parent };
        return opened || openPending ? { type: 'dropped', heldAfter: openedAt ?? node } : { type: 'unknown' };
      case AST_NODE_TYPES.Property: {
        // `new Queue(name, { connection: new Redis() })` and `queue.close()`: BullMQ closes no
        // connection it is given, so nothing can close this one.
        const queue = queueKeepingOpen(node, analysis);
        if (queue && queueClosedHere(queue, analysis)) return { type: 'dropped', heldAfter: acquisition.node };
        return { type: 'handed-over', at: parent };
      }
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.ArrowFunctionExpression:
        if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body !== node) return { type: 'unknown' };
        if (madeForQueueClosedHere(acquisition.owner, analysis)) return { type: 'dropped', heldAfter: acquisition.node };
        return { type: 'handed-over', at: parent };
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.ExportDefaultDeclaration:
        return { type: 'handed-over', at: parent };
      default:
        return { type: 'unknown' };
    }
  }
}

/**
 * Whether `fn` is the client factory option (Bull `createClient`) of a queue object made and
 * closed within one call of a function: the queue closes none of the clients it got from it, so
 * each call leaves the one the factory makes fresh open, with nobody to close it.
 */
function madeForQueueClosedHere(fn: FunctionNode, analysis: RedisAnalysis): boolean {
  const { node, parent: property } = skipWrappersUp(fn);
  if (property?.type !== AST_NODE_TYPES.Property || property.value !== node || property.parent.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const { node: options, parent: call } = skipWrappersUp(property.parent);
  if ((call?.type !== AST_NODE_TYPES.NewExpression && call?.type !== AST_NODE_TYPES.CallExpression) || isModuleLevel(call)) return false;
  const queue = analysis.origins.valueOf(call);
  const spec = queue?.queue;
  if (!queue || queue.creation !== call || !spec?.clientFactoryKey || staticPropertyName(property) !== spec.clientFactoryKey) return false;
  return argumentAt(call, spec.optionsArg, analysis.evaluator).node === options && queueMadePerCall(queue, analysis);
}

/** What one use of the loan does. */
export type LoanEffect =
  /** Gives it back or closes it. */
  | 'release'
  /** Hands it to someone else: returned, stored, passed on, captured by a closure that outlives the call. */
  | 'transfer'
  /** Opens the connection (node-redis `connect()`). */
  | 'open'
  /** Adds a listener or makes a proxy: set-up that does not throw. */
  | 'setup'
  /** A command or a read. */
  | 'borrow';

export interface LoanEvent {
  effect: LoanEffect;
  /** The node whose completion is the event (a call, the closure's parent, the identifier). */
  at: TSESTree.Node;
  use: Use;
}

/** What the loan's uses in its owner function amount to, for path analysis and for reports. */
export interface LoanUses {
  events: LoanEvent[];
  /** A subscribe or monitor command runs on it: a connection kept open on purpose. */
  subscribed: boolean;
  /**
   * A release registered with `.then(onFulfilled)` and no rejection handler that also releases:
   * the receiver of `.then` is where a rejection leaks it.
   */
  rejectionLeaks: TSESTree.Node[];
  /**
   * The function gives the value back itself somewhere, directly or through a local helper it
   * calls (a release registered in a callback is a hand-over, not this).
   */
  releases: boolean;
  /**
   * Commands on the value itself whose reply callback carries the duty on
   * (`conn.scan(c, (err, reply) => { …; pool.release(conn) })`), each with that callback: the
   * call ends this function's duty, and the callback holds the value from its start.
   */
  continuations: Map<TSESTree.CallExpression, FunctionNode>;
}

/**
 * Whether some normal path of the owner function goes from the end of `from` to the end of one
 * of `targets` without passing one of `barriers` (the acquisition, which starts a new value).
 */
export type Reachability = (
  from: TSESTree.Node,
  targets: ReadonlySet<TSESTree.Node>,
  barriers: ReadonlySet<TSESTree.Node>,
) => boolean;

/** Uses that hand the value over unless the function goes on to release it itself. */
const BORROWED_WHEN_RELEASED_AFTER: ReadonlySet<Use['kind']> = new Set(['passed', 'stored', 'contained']);

/** Names of methods whose callback runs during the call (array iteration) or on the same promise chain. */
const INLINE_CALLBACK_METHODS = new Set([
  'map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flatMap', 'sort', 'then', 'catch', 'finally',
]);

/** Container methods that keep their argument: `list.push(c)`, `map.set(k, c)`, `set.add(c)`. */
const STORING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add']);

/**
 * A loan bound to a variable (or a `.then` callback's parameter): its aliases, and the
 * questions a rule or a codemod asks about it.
 */
export class Loan {
  /** The binding variable and every local alias of it. */
  readonly variables: ReadonlySet<Variable>;

  /** The client the value is (a loan seen as the pool's resource), when its library is known: undefined until asked. */
  private resource: RedisValue | null | undefined;

  constructor(
    readonly acquisition: Acquisition,
    readonly binding: Extract<LoanBinding, { type: 'variable' | 'callback' }>,
    readonly owner: FunctionNode,
    private readonly analysis: RedisAnalysis,
    private readonly options: LoanOptions,
    /** The owner is a command's reply callback that carries the duty on (see `continuedIn`). */
    private readonly continuation = false,
    variables?: ReadonlySet<Variable>,
  ) {
    this.variables = variables ?? aliasesOf(binding.variable, analysis.sourceCode);
  }

  /** The same value followed into a reply callback that carries the duty on: held from its start. */
  continuedIn(callback: FunctionNode): Loan {
    return new Loan(this.acquisition, this.binding, callback, this.analysis, this.options, true, this.variables);
  }

  /** Whether an expression denotes this value: one of its variables, or its creation per the resolver. */
  refersTo(node: TSESTree.Node | undefined): boolean {
    if (!node) return false;
    let inner = unwrapExpression(node);
    while (inner.type === AST_NODE_TYPES.AwaitExpression) inner = unwrapExpression(inner.argument);
    if (inner.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariableFor(this.analysis.sourceCode, inner);
      if (variable && this.variables.has(variable)) return true;
    }
    const value = this.analysis.origins.valueOrPromised(inner);
    return value !== undefined && value.how !== 'type' && value.creation === this.acquisition.value.creation;
  }

  /** Whether this call gives the value back or closes it. */
  isReleasedBy(call: TSESTree.CallExpression): boolean {
    const callee = unwrapExpression(call.callee);
    const extra = this.options.releaseMethods;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      if (extra.has(callee.name) && call.arguments.some((argument) => this.refersTo(argument))) return true;
      // A project function whose body releases its parameter, or a releaser named in settings.
      return this.analysis.origins.releasedArguments(call).some((argument) => this.refersTo(argument));
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const method = staticPropertyName(callee);
    if (method === undefined) return false;
    if (this.refersTo(callee.object)) return closesItself(this.acquisition.value, { method, call }, this.analysis, extra);
    const receiver = this.analysis.origins.valueOrPromised(callee.object);
    const spec = receiver ? valueSpecOf(receiver)?.methods[method] : undefined;
    if (spec?.type === 'release' && spec.loanArg !== undefined) return this.refersTo(call.arguments[spec.loanArg]);
    return extra.has(method) && this.refersTo(call.arguments[0]);
  }

  /**
   * Classifies every use of the value in its owner function (and the closures in it). With
   * `reaches`, a hand-over (passing it on, storing it, putting it in an object) followed on some
   * path by this function's own release is taken as a loan to the callee: the function still
   * owns it, and the code in between must not leak it.
   */
  uses(reaches?: Reachability): LoanUses {
    const events: LoanEvent[] = [];
    const rejectionLeaks: TSESTree.Node[] = [];
    let subscribed = false;
    const byClosure = new Map<FunctionNode, Use[]>();
    const outside: Use[] = [];
    for (const found of usesOf(this.binding.variable, this.analysis.sourceCode)) {
      let use = found;
      if (this.continuation) {
        // Only what runs in the callback counts, and closures are counted from it.
        if (!within(use.reference, this.owner)) {
          outside.push(use);
          continue;
        }
        use = { ...use, closure: outermostClosure(use.reference, this.owner) };
      }
      if (use.closure) {
        const list = byClosure.get(use.closure);
        if (list) list.push(use);
        else byClosure.set(use.closure, [use]);
        continue;
      }
      const event = this.classify(use);
      if (event) events.push(event);
      if (use.kind === 'method-call' && use.method && this.acquisition.value.library.takeoverMethods?.[use.method]) subscribed = true;
    }
    const releasing = new Set<FunctionNode>();
    const escaping = new Set<FunctionNode>();
    const continuations = new Map<TSESTree.CallExpression, FunctionNode>();
    for (const [closure, closureUses] of byClosure) {
      for (const use of closureUses) {
        const event = this.classify(use);
        if (event?.effect === 'release') releasing.add(closure);
        else if (event?.effect === 'transfer') escaping.add(closure);
      }
    }
    for (const [closure, closureUses] of byClosure) {
      const at = skipWrappersUp(closure).parent ?? closure;
      const use = closureUses[0]!;
      if (this.isReplyCallback(closure)) {
        continuations.set(at as TSESTree.CallExpression, closure);
        events.push({ effect: 'transfer', at, use });
      } else if (releasing.has(closure)) {
        // A named local helper (`function done() { pool.release(c) }`) releases where it is
        // called, and is handed over where it is passed on (`req.on('close', done)`).
        const helper = this.helperEvents(closure);
        if (helper) {
          for (const { effect, at: where } of helper) events.push({ effect, at: where, use });
          continue;
        }
        events.push({ effect: 'transfer', at, use });
        const leak = this.uncoveredRejection(closure, releasing);
        if (leak) rejectionLeaks.push(leak);
      } else if (escaping.has(closure) || !this.closureRunsInline(closure)) {
        events.push({ effect: 'transfer', at, use });
      }
    }
    // A reply callback may release through a helper of the function around it (`if (e) return finish(e)`).
    for (const use of outside) {
      const helper = this.classify(use)?.effect === 'release' ? enclosingFunction(use.reference) : undefined;
      for (const { effect, at } of (helper && this.helperEvents(helper, true)) || []) events.push({ effect, at, use });
    }
    const releaseSteps = new Set(events.filter((event) => event.effect === 'release').map((event) => event.at));
    if (reaches && releaseSteps.size > 0) {
      const barriers = new Set<TSESTree.Node>([this.acquisition.node]);
      for (const event of events) {
        if (event.effect !== 'transfer' || event.use.closure || !BORROWED_WHEN_RELEASED_AFTER.has(event.use.kind)) continue;
        if (reaches(event.at, releaseSteps, barriers)) event.effect = 'borrow';
      }
    }
    // A queue object that only gets listeners and handlers is a consumer started to run on its own.
    if (this.acquisition.value.queue && !events.some((event) => event.effect === 'borrow' || event.effect === 'release')) subscribed = true;
    return { events, subscribed, rejectionLeaks, releases: releaseSteps.size > 0, continuations };
  }

  /**
   * A function given as the last argument of a command sent on this value, where the value's
   * library hands the reply to such a callback: `conn.scan(cursor, 'MATCH', p, (err, reply) => …)`.
   * The value is still this code's when the callback runs, so its paths are the loan's paths.
   */
  private isReplyCallback(closure: FunctionNode): boolean {
    const { node, parent: call } = skipWrappersUp(closure);
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[call.arguments.length - 1] !== node) return false;
    const parts = methodCall(call);
    const resource = parts && this.refersTo(parts.receiver) ? this.resourceClient() : undefined;
    if (!resource?.library.values[resource.kind]?.replyCallback) return false;
    const command = this.analysis.commands.classifyOn(resource, parts!.method, call);
    return command?.type === 'command' || command?.type === 'blocking';
  }

  /** The client this value is: itself, or for a loan the client its pool lends when that library is known. */
  private resourceClient(): RedisValue | undefined {
    if (this.resource !== undefined) return this.resource ?? undefined;
    const { acquisition, analysis } = this;
    let resource: RedisValue | undefined;
    if (acquisition.kind === 'connection') {
      resource = acquisition.value;
    } else if (acquisition.lender) {
      const lender = acquisition.lender;
      const library = isRedisClientLibrary(lender.library) ? undefined : resourceLibraryOf(lender, analysis.origins, analysis.evaluator);
      if (library?.values.client) resource = { library, kind: 'client', creation: acquisition.node, how: 'method', parent: lender };
    }
    this.resource = resource ?? null;
    return resource;
  }

  /**
   * For a releasing closure bound to a name in the owner (`function done() {…}`,
   * `const done = () => …`): a release at each direct call of it in the owner, and a hand-over
   * wherever else the name is used (passed as a callback, called from another closure).
   * Undefined when the name is reassigned or the closure is not bound to one.
   */
  private helperEvents(closure: FunctionNode, outer = false): { effect: 'release' | 'transfer'; at: TSESTree.Node }[] | undefined {
    const name = nameOfFunction(closure);
    const variable = name && findVariableFor(this.analysis.sourceCode, name);
    const home = variable && homeFunction(variable);
    // With `outer`, a helper of a function around this reply callback, called from it.
    const declaredWhere = outer ? home !== undefined && home !== this.owner && within(this.owner, home) && !within(this.owner, closure) : home === this.owner;
    if (!variable || variable.defs.length !== 1 || !declaredWhere) return undefined;
    const events: { effect: 'release' | 'transfer'; at: TSESTree.Node }[] = [];
    for (const reference of variable.references) {
      if (reference.init) continue;
      if (reference.isWrite()) return undefined;
      const identifier = reference.identifier as TSESTree.Identifier;
      if (outer && !within(identifier, this.owner)) continue;
      const { node, parent } = skipWrappersUp(identifier);
      const inner = outermostClosure(identifier, this.owner);
      if (inner) events.push({ effect: 'transfer', at: skipWrappersUp(inner).parent ?? inner });
      else if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === node) events.push({ effect: 'release', at: parent });
      else events.push({ effect: 'transfer', at: node });
    }
    return events;
  }

  /** The event of one use outside closures. */
  private classify(use: Use): LoanEvent | undefined {
    const make = (effect: LoanEffect, at: TSESTree.Node): LoanEvent => ({ effect, at, use });
    switch (use.kind) {
      case 'method-call': {
        const call = use.call as TSESTree.CallExpression;
        if (this.isReleasedBy(call)) return make('release', skipWrappersUp(call).node);
        const spec = use.method === undefined ? undefined : valueSpecOf(this.acquisition.value)?.methods[use.method];
        if (spec?.type === 'self' && use.method === this.acquisition.opensWith) return make('open', outerAwait(call));
        if (spec?.type === 'listener') return make('setup', call);
        // A proxy of the same connection that goes somewhere else is a copy we do not follow.
        if (spec?.type === 'self') return make(resultIsDiscarded(call) ? 'setup' : 'transfer', call);
        return make('borrow', call);
      }
      case 'passed': {
        const call = use.call!;
        if (call.type === AST_NODE_TYPES.CallExpression && this.isReleasedBy(call)) return make('release', skipWrappersUp(call).node);
        return make(this.passTransfers(call) ? 'transfer' : 'borrow', call);
      }
      case 'contained': {
        // Given to a queue object that is closed here but will not close it: only lent.
        const queue = queueKeepingOpen(use.expression, this.analysis);
        return make(queue && queueClosedHere(queue, this.analysis) ? 'borrow' : 'transfer', use.expression);
      }
      case 'returned':
      case 'exported':
      case 'stored':
      case 'yielded':
        return make('transfer', use.expression);
      case 'read':
        return flowsOn(use.expression) ? make('transfer', use.expression) : undefined;
    }
  }

  /** Whether handing the value to this call hands it over. */
  private passTransfers(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const callee = unwrapExpression(call.callee);
    if (call.type === AST_NODE_TYPES.CallExpression && callee.type === AST_NODE_TYPES.MemberExpression) {
      // A command on the value itself only borrows it.
      if (this.refersTo(callee.object)) return false;
      const method = staticPropertyName(callee);
      if (method !== undefined && STORING_METHODS.has(method)) return true;
      if (isGlobal(callee.object, 'console', this.analysis.sourceCode)) return false;
      if (method === 'resolve' && isGlobal(callee.object, 'Promise', this.analysis.sourceCode)) return true;
    }
    if (callee.type === AST_NODE_TYPES.Identifier && isPromiseResolver(callee, this.analysis.sourceCode)) return true;
    return this.options.callsTakeOwnership;
  }

  /** A closure that only borrows the value and runs while the owner waits for it. */
  private closureRunsInline(closure: FunctionNode): boolean {
    const { node, parent } = skipWrappersUp(closure);
    if (!parent) return false;
    if (parent.type === AST_NODE_TYPES.CallExpression) {
      if (parent.callee === node || INLINE_CALLBACK_METHODS.has(methodCall(parent)?.method ?? '')) return true;
      return !this.options.callsTakeOwnership;
    }
    if (parent.type === AST_NODE_TYPES.NewExpression) {
      // The executor of `new Promise(...)` runs at once.
      return isGlobal(parent.callee, 'Promise', this.analysis.sourceCode) || !this.options.callsTakeOwnership;
    }
    // `const run = () => …` that is only ever called.
    return parent.type === AST_NODE_TYPES.VariableDeclarator && callsOf(closure, this.analysis.sourceCode) !== undefined;
  }

  /**
   * For a releasing closure given to `.then` as its fulfilment handler: the promise whose
   * rejection skips it, unless a rejection handler on the same chain releases too or the chain
   * sits in a `try` of the owner function.
   */
  private uncoveredRejection(closure: FunctionNode, releasing: ReadonlySet<FunctionNode>): TSESTree.Node | undefined {
    const { node, parent: call } = skipWrappersUp(closure);
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== node) return undefined;
    const then = methodCall(call);
    if (then?.method !== 'then') return undefined;
    const handles = (argument: TSESTree.Node | undefined): boolean => {
      const fn = argument && unwrapExpression(argument);
      return isFunctionNode(fn) && releasing.has(fn);
    };
    if (handles(call.arguments[1])) return undefined;
    let link: TSESTree.Node = call;
    for (let next = methodCallOn(link); next; next = methodCallOn(link)) {
      const { call: chained, method } = next;
      if ((method === 'catch' || method === 'finally') && handles(chained.arguments[0])) return undefined;
      if (method === 'then' && handles(chained.arguments[1])) return undefined;
      if (method !== 'then' && method !== 'catch' && method !== 'finally') break;
      link = chained;
    }
    if (insideTry(call, this.owner)) return undefined;
    return then.receiver;
  }

  /**
   * For a node-style callback's loan: the outcome of a test that proves the error parameter is
   * set, where the callback got no value (`if (err) return done(err)`).
   */
  private errorSetWhen(test: TSESTree.Node): boolean | undefined {
    const error = this.binding.type === 'callback' ? this.binding.error : undefined;
    if (!error) return undefined;
    // `notHeldWhen` answers for a value (`if (x)` proves it absent when false); the error
    // parameter is the opposite: set means no value.
    const errorAbsentWhen = notHeldWhen(test, (node) => {
      const inner = unwrapExpression(node);
      return inner.type === AST_NODE_TYPES.Identifier && findVariableFor(this.analysis.sourceCode, inner) === error;
    });
    return errorAbsentWhen === undefined ? undefined : !errorAbsentWhen;
  }

  flow(uses: LoanUses): LoanFlow {
    const acquisition = this.acquisition;
    const creations = new Set<TSESTree.Node>([acquisition.node]);
    const acquisitions = new Set<TSESTree.Node>();
    if (this.binding.type === 'variable' && this.binding.heldAfter && !this.continuation) acquisitions.add(this.binding.heldAfter);
    // `process.exit()` ends the process and every connection with it.
    const ends = new Set<TSESTree.Node>(processExits(this.owner, this.analysis.sourceCode));
    // Calls that do not throw where they are made: set-up on the value (and its `await`), and
    // commands on it, which reject at their `await` instead.
    const quiet = new Set<TSESTree.Node>();
    const quietAwait = new Set<TSESTree.Node>();
    for (const event of uses.events) {
      switch (event.effect) {
        case 'release':
        case 'transfer':
          ends.add(event.at);
          break;
        case 'open':
          acquisitions.add(event.at);
          quiet.add(event.use.call!);
          quietAwait.add(event.use.call!);
          break;
        case 'setup':
          quiet.add(event.at);
          quietAwait.add(event.at);
          break;
        case 'borrow':
          if (event.use.kind === 'method-call') quiet.add(event.at);
          break;
      }
    }
    const analysis = this.analysis;
    return {
      creations,
      acquisitions,
      heldAtStart: this.binding.type === 'callback' || this.continuation,
      continuations: new Set(uses.continuations.keys()),
      ends,
      mayThrow: (node) => {
        if (quiet.has(node)) return false;
        if (node.type === AST_NODE_TYPES.AwaitExpression && quietAwait.has(unwrapExpression(node.argument))) return false;
        return mayThrow(node, analysis);
      },
      notHeldWhen: (test) => notHeldWhen(test, (node) => this.refersTo(node)) ?? this.errorSetWhen(test),
      readsState: (test) => readsStateOf(test, (node) => this.refersTo(node)),
    };
  }
}

/** Builds the loan for an acquisition whose binding is a variable or a callback parameter. */
export function loanOf(acquisition: Acquisition, binding: LoanBinding, analysis: RedisAnalysis, options: LoanOptions): Loan | undefined {
  if (binding.type === 'variable') return new Loan(acquisition, binding, acquisition.owner, analysis, options);
  if (binding.type === 'callback') return new Loan(acquisition, binding, binding.callback, analysis, options);
  return undefined;
}

/** `resolve` of `new Promise((resolve) => …)`. */
function isPromiseResolver(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const variable = findVariableFor(sourceCode, identifier);
  const def = variable?.defs[0];
  if (def?.type !== 'Parameter') return false;
  const fn = def.node;
  if (!isFunctionNode(fn) || fn.params[0] !== def.name) return false;
  const { parent } = skipWrappersUp(fn);
  return parent?.type === AST_NODE_TYPES.NewExpression && isGlobal(parent.callee, 'Promise', sourceCode);
}

/**
 * For a branch test on the value, the outcome that proves it is not held: `if (client)` and
 * `client != null` are false, `!client` and `client === undefined` are true.
 */
export function notHeldWhen(test: TSESTree.Node, refersTo: (node: TSESTree.Node) => boolean): boolean | undefined {
  const inner = unwrapExpression(test);
  if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === '!') {
    const result = notHeldWhen(inner.argument, refersTo);
    return result === undefined ? undefined : !result;
  }
  if (inner.type === AST_NODE_TYPES.BinaryExpression && ['==', '===', '!=', '!=='].includes(inner.operator)) {
    const [subject, other] = isNullish(inner.right, true) ? [inner.left, inner.right] : [inner.right, inner.left];
    if (!isNullish(other, true) || subject.type === AST_NODE_TYPES.PrivateIdentifier || !refersTo(subject)) return undefined;
    return inner.operator === '==' || inner.operator === '===';
  }
  if (inner.type === AST_NODE_TYPES.Identifier && refersTo(inner)) return false;
  return undefined;
}

/** Whether a test reads a property of the value (`client.isOpen`, `redis.status === 'ready'`). */
export function readsStateOf(test: TSESTree.Node, refersTo: (node: TSESTree.Node) => boolean): boolean {
  let found = false;
  walk(test, (node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type === AST_NODE_TYPES.MemberExpression && refersTo(node.object)) {
      const { node: callee, parent } = skipWrappersUp(node);
      if (!(parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === callee)) found = true;
    }
    return true;
  });
  return found;
}

/** A read whose value goes on somewhere we do not follow (`cond ? c : other`, `a || c`). */
function flowsOn(expression: TSESTree.Node): boolean {
  const parent = expression.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test !== expression;
    case AST_NODE_TYPES.LogicalExpression:
      return parent.right === expression || (parent.operator !== '&&' && valueIsUsed(parent));
    case AST_NODE_TYPES.SequenceExpression:
      return parent.expressions[parent.expressions.length - 1] === expression;
    case AST_NODE_TYPES.AssignmentExpression:
      return parent.right === expression;
    default:
      return false;
  }
}

function valueIsUsed(node: TSESTree.Node): boolean {
  const { parent } = skipWrappersUp(node);
  return !!parent && parent.type !== AST_NODE_TYPES.ExpressionStatement && parent.type !== AST_NODE_TYPES.IfStatement;
}

function resultIsDiscarded(call: TSESTree.CallExpression): boolean {
  const { node, parent } = skipAwaitsUp(call);
  return parent?.type === AST_NODE_TYPES.ExpressionStatement && parent.expression === node;
}

/** The `await` around a call, if any (its completion is when the call's work is done). */
function outerAwait(call: TSESTree.CallExpression): TSESTree.Node {
  const { parent } = skipWrappersUp(call);
  return parent?.type === AST_NODE_TYPES.AwaitExpression ? parent : call;
}

const exitsByFunction = new WeakMap<FunctionNode, TSESTree.CallExpression[]>();

/** `process.exit(…)` and `process.abort()` calls of a function (not of the functions nested in it). */
function processExits(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.CallExpression[] {
  const known = exitsByFunction.get(fn);
  if (known) return known;
  const exits: TSESTree.CallExpression[] = [];
  walk(fn.body, (node) => {
    if (isFunctionNode(node)) return false;
    const parts = methodCall(node);
    if (parts && (parts.method === 'exit' || parts.method === 'abort') && isGlobal(parts.receiver, 'process', sourceCode)) exits.push(parts.call);
    return true;
  });
  exitsByFunction.set(fn, exits);
  return exits;
}

/** Whether a node sits in a `try` block (or a `catch` with a `finally`) of the given function. */
export function insideTry(node: TSESTree.Node, owner: FunctionNode): boolean {
  let child = node;
  for (let current: TSESTree.Node | undefined = node.parent; current && current !== owner; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && (current.block === child || (current.handler === child && current.finalizer))) {
      return true;
    }
  }
  return false;
}

/** The catalog's description of what a value can do. */
export function valueSpecOf(value: RedisValue | undefined): ValueSpec | undefined {
  return value?.library.values[value.kind];
}

/**
 * Whether a method call on a value ends it (`client.quit()`, `lease.release()`): a name in
 * `releaseMethods` (settings), else the catalog for a value it knows (`disconnect(true)`
 * reconnects: not a release), else, for a value the analysis can't name, the names every client
 * library closes with.
 */
export function closesItself(
  value: RedisValue | undefined,
  { method, call }: { method?: string; call?: TSESTree.CallExpression | TSESTree.NewExpression } = {},
  analysis: RedisAnalysis,
  releaseMethods: ReadonlySet<string> = new Set(),
): boolean {
  if (method === undefined) return false;
  if (releaseMethods.has(method)) return true;
  if (!value) return CLOSING_NAMES.has(method);
  const spec = valueSpecOf(value)?.methods[method];
  if (spec?.type !== 'release' || spec.loanArg !== undefined) return false;
  if (leavesOwnConnectionsOpen(value, method)) return false;
  const first = spec.notWhenFirstArgTruthy ? call?.arguments[0] : undefined;
  const flag = first && analysis.evaluator.evaluate(first);
  return !(flag?.kind === 'primitive' && flag.value);
}

/** The catalog release `method` of the value ends only its main connection (BullMQ `disconnect()`). */
export function endsMainConnectionOnly(value: RedisValue, method: string | undefined): boolean {
  const spec = method === undefined ? undefined : valueSpecOf(value)?.methods[method];
  return spec?.type === 'release' && spec.mainConnectionOnly === true;
}

/** ...and the value opens more than that one (a Worker's blocking connection): the call is no close. */
export function leavesOwnConnectionsOpen(value: RedisValue, method: string | undefined): boolean {
  return endsMainConnectionOnly(value, method) && (value.queue?.ownConnections ?? 1) > 1;
}

/** A short name for a loan or connection, for messages: "generic-pool loan", "ioredis duplicate client". */
export function describeValue(value: RedisValue, lender: RedisValue | undefined): string {
  if (value.kind === 'lease') {
    return lender?.kind === 'sentinel' ? `${value.library.displayName} sentinel lease` : `${value.library.displayName} loan`;
  }
  const noun: Record<string, string> = {
    client: 'client',
    cluster: 'cluster client',
    pool: 'client pool',
    sentinel: 'sentinel client',
    consumer: 'queue object',
  };
  const call = value.how === 'method' && value.call?.type === AST_NODE_TYPES.CallExpression ? unwrapExpression(value.call.callee) : undefined;
  const duplicate = call?.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(call) === 'duplicate' ? 'duplicate ' : '';
  return `${value.library.displayName} ${duplicate}${noun[value.kind] ?? value.kind}`;
}

/** The managed method of a lender (`pool.use`, `sentinel.use`), when it has exactly one. */
export function managedMethodOf(lender: RedisValue): { name: string; spec: Extract<MethodSpec, { type: 'managed' }> } | undefined {
  const methods = valueSpecOf(lender)?.methods ?? {};
  const managed = Object.entries(methods).filter(
    (entry): entry is [string, Extract<MethodSpec, { type: 'managed' }>] => entry[1].type === 'managed',
  );
  if (managed.length !== 1) return undefined;
  const [name, spec] = managed[0]!;
  return spec.callbackArg === 0 ? { name, spec } : undefined;
}

/**
 * The release call to write for a value when the code has none to reuse: the lender's
 * `release(x)` for a loan, the value's own release for a lease or a connection (the catalog's
 * preferred one for the installed major).
 */
export function releaseMethodFor(
  acquisition: Acquisition,
  analysis: RedisAnalysis,
): { on: 'lender' | 'value'; method: string; async: boolean } | undefined {
  const { value, lender } = acquisition;
  const named = lender && valueSpecOf(lender)?.methods.release;
  if (named?.type === 'release' && named.loanArg !== undefined) return { on: 'lender', method: 'release', async: !!named.async };
  const spec = valueSpecOf(value);
  if (!spec) return undefined;
  const releases = Object.entries(spec.methods).filter(
    (entry): entry is [string, Extract<MethodSpec, { type: 'release' }>] => entry[1].type === 'release' && entry[1].loanArg === undefined,
  );
  const major = analysis.versions.major(value.library);
  const preferred = spec.preferredRelease?.find((entry) => appliesToMajor(entry.versions, major, value.library.latestMajor));
  const chosen = (preferred && releases.find(([name]) => name === preferred.method)) ?? releases[0];
  return chosen && { on: 'value', method: chosen[0], async: !!chosen[1].async };
}
