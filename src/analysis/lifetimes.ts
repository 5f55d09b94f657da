/**
 * Connections that outlive their last reference: a place that outlives a call (a module or outer
 * variable, `this.field`, `exports.x`) is given a fresh connection over one that is still open,
 * or set to null while it holds one. Each fault needs evidence, so that correct code stays silent:
 *
 * - re-created on every call: a function that stores a fresh connection in the place and returns
 *   it (a getter), with no guard on the way (`if (!client)`, `??=`, any test or early return
 *   before the store) and no close of the previous one, that is not run once at start-up;
 * - overwritten: the place already holds an open connection (made at module level, in a field
 *   initializer or in the constructor) and a later function stores a fresh one over it without
 *   closing it or testing it first (a retry path that re-creates after a failed connect);
 * - dropped: `client = null` / `this.client = null` / `exports._client = null` in a function,
 *   where the place holds a connection that nothing in the file ever closes.
 *
 * Never a finding: a store that runs once (module level, constructor), a registry keyed by id
 * (`clients[id] = c`), a store inside an `end`/`close` listener, or in a function that also closes
 * or hands on the place's value (`await client?.quit()`, `const old = client`).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, isLoop, isModuleLevel, isNullish, methodCallOn, skipWrappersUp, staticPropertyName, unwrapExpression, walk, within, type FunctionNode } from './ast';
import type { RedisAnalysis } from './context';
import { constructorFunctionOf } from './class-connections';
import { acquisitionAt, closesItself, connectionMadeIn, valueSpecOf } from './loans';
import { functionName, opensIn } from './summaries';
import { enclosingClass, type RedisValue } from './origin';
import { nodesOfTypes } from './node-index';
import { findVariableFor, isGlobal, isReassigned, type Variable } from './scope';
import { isRedisClientLibrary } from '../catalog';
import { callsOf, keptOnRequest, placementOf, type Placement } from './uses';

export type LifetimeFault =
  | { kind: 'recreated'; node: TSESTree.AssignmentExpression; creation: TSESTree.Node; place: string; value: RedisValue; fn: string | undefined }
  | { kind: 'overwritten'; node: TSESTree.AssignmentExpression; creation: TSESTree.Node; place: string; value: RedisValue; previousLine: number }
  | { kind: 'dropped'; node: TSESTree.AssignmentExpression; place: string; value: RedisValue; previousLine: number };

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** A named place that outlives a call: where a singleton or an owned connection is kept. */
interface Place {
  key: string;
  /** As written: `client`, `this.client`, `exports._client`. */
  text: string;
  variable?: Variable;
  classNode?: ClassNode;
  /** References to the place: identifiers, or `this.x` / `exports.x` member expressions. */
  references: TSESTree.Node[];
  /** Writes that run once (module level, constructor, field initializer) with a fresh connection. */
  initial: { node: TSESTree.Node; value: RedisValue }[];
  /** Writes inside functions. */
  writes: { node: TSESTree.AssignmentExpression; fn: FunctionNode; fresh: { creation: TSESTree.Node; value: RedisValue } | undefined; nullish: boolean }[];
}

type PlaceIdentity = Pick<Place, 'key' | 'text' | 'variable' | 'classNode'>;

export interface LifetimeOptions {
  releaseMethods: ReadonlySet<string>;
}

/** The lifetime faults of a file, found once its whole program is seen. */
export function lifetimeFaults(program: TSESTree.Program, analysis: RedisAnalysis, options: LifetimeOptions): LifetimeFault[] {
  const places = new Map<string, Place>();
  const placeFor = (identity: PlaceIdentity): Place => {
    let place = places.get(identity.key);
    if (!place) places.set(identity.key, (place = { ...identity, references: [], initial: [], writes: [] }));
    return place;
  };
  const placeOf = (target: TSESTree.Node): Place | undefined => {
    const identity = identifyPlace(target, analysis);
    return identity && placeFor(identity);
  };

  for (const node of nodesOfTypes(program, [AST_NODE_TYPES.VariableDeclarator, AST_NODE_TYPES.PropertyDefinition, AST_NODE_TYPES.AssignmentExpression])) {
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.init && node.id.type === AST_NODE_TYPES.Identifier && isModuleLevel(node)) {
      const value = connectionMadeIn(node.init, analysis)?.value;
      const place = value && placeOf(node.id);
      if (place && value) place.initial.push({ node, value });
    }
    if (node.type === AST_NODE_TYPES.PropertyDefinition && !node.static && node.value) {
      const classNode = node.parent.parent;
      const name = staticPropertyName(node);
      const value = connectionMadeIn(node.value, analysis)?.value;
      if (value && name !== undefined) placeFor({ key: `this:${classNode.range[0]}:${name}`, text: `this.${name}`, classNode }).initial.push({ node, value });
    }
    if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') continue;
    const place = placeOf(node.left);
    if (!place) continue;
    const fn = enclosingFunction(node);
    if (!fn || isModuleLevel(node) || isConstructor(fn, place)) {
      const value = connectionMadeIn(node.right, analysis)?.value ?? freshIn(node.right, analysis)?.value;
      if (value) place.initial.push({ node, value });
      continue;
    }
    place.writes.push({ node, fn, fresh: freshIn(node.right, analysis), nullish: isNullish(node.right, true) });
  }
  // Only a place that is ever given a connection can lose one.
  for (const [key, place] of places) if (!place.initial.length && !place.writes.some((write) => write.fresh)) places.delete(key);
  if (places.size === 0) return [];
  // Every mention of a known place: its closes, aliases and tests. Names first: resolving every
  // identifier of the file through its scope would cost more than the rest of this pass.
  const names = new Set([...places.values()].map((place) => place.text.slice(place.text.lastIndexOf('.') + 1)));
  for (const node of nodesOfTypes(program, [AST_NODE_TYPES.Identifier, AST_NODE_TYPES.MemberExpression])) {
    if (node.parent?.type === AST_NODE_TYPES.MemberExpression && node.parent.property === node && !node.parent.computed) continue;
    const name = node.type === AST_NODE_TYPES.Identifier ? node.name : !node.computed && node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : undefined;
    if (name === undefined || !names.has(name)) continue;
    const identity = identifyPlace(node, analysis, true);
    if (identity) places.get(identity.key)?.references.push(node);
  }

  const faults: LifetimeFault[] = [];
  for (const place of places.values()) {
    for (const write of place.writes) {
      const fault = judge(place, write, analysis, options);
      if (fault) faults.push(fault);
    }
  }
  return faults;
}

function judge(place: Place, write: Place['writes'][number], analysis: RedisAnalysis, options: LifetimeOptions): LifetimeFault | undefined {
  const { node, fn } = write;
  if (insideClosedListener(fn) || (insideCatch(node, fn) && write.nullish)) return undefined;
  const closes = (reference: TSESTree.Node) => closesOrPasses(reference, analysis, options);
  if (referencesIn(place, fn).some(closes)) return undefined;
  const initial = place.initial[0];
  if (write.fresh) {
    const fresh = unguardedFresh(node.right, place, analysis);
    if (!fresh) return undefined;
    const { creation, value } = fresh;
    if (initial && isOpenBefore(place, initial.value, write)) {
      if (testedBefore(place, node, fn)) return undefined;
      return { kind: 'overwritten', node, creation, place: place.text, value, previousLine: initial.node.loc.start.line };
    }
    if (initial || guarded(node, fn) || runsOnlyOnce(fn, analysis)) return undefined;
    // Evidence that it runs again: a getter hands the place out to every caller; a helper is called again (a retry).
    if (!handsOutPlace(place, fn, node, analysis) && !runsRepeatedly(fn, analysis, 0)) return undefined;
    if (!isOpened(place, value, analysis, fn)) return undefined;
    return { kind: 'recreated', node, creation, place: place.text, value, fn: functionName(fn) };
  }
  if (!write.nullish) return undefined;
  // Dropped: only when nothing in the file ever closes the place (a shutdown elsewhere may).
  if (place.references.some(closes) || testedBefore(place, node, fn)) return undefined;
  const made = initial ?? place.writes.map((other) => other.fresh && { node: other.node, value: other.fresh.value }).find((other) => other !== undefined);
  if (!made) return undefined;
  if (!isOpened(place, made.value, analysis)) return undefined;
  return { kind: 'dropped', node, place: place.text, value: made.value, previousLine: made.node.loc.start.line };
}

/** `client`, `this.client` (in a class), `exports.x` / `module.exports.x`: a place that outlives a call. */
function identifyPlace(
  target: TSESTree.Node,
  analysis: RedisAnalysis,
  readOnly = false,
): PlaceIdentity | undefined {
  const node = unwrapExpression(target);
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariableFor(analysis.sourceCode, node);
    const def = variable?.defs[0];
    if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable') return undefined;
    // Only a variable that outlives the function that writes it: module level or an enclosing function's.
    if (!readOnly && enclosingFunction(def.node) === enclosingFunction(node) && !isModuleLevel(def.node)) return undefined;
    return { key: `var:${def.name.range[0]}`, text: node.name, variable };
  }
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed) return undefined;
  const name = staticPropertyName(node);
  if (name === undefined) return undefined;
  const object = unwrapExpression(node.object);
  if (object.type === AST_NODE_TYPES.ThisExpression) {
    const classNode = enclosingClass(node);
    // `this` of the class itself, not of a nested plain function.
    const fn = enclosingFunction(node);
    // A constructor function and its prototype methods share the instance's fields.
    const owner = !classNode && fn ? constructorFunctionOf(fn) : undefined;
    if (owner) return { key: `this:${owner.owner}:${name}`, text: `this.${name}` };
    if (!classNode || (fn && fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.parent?.type !== AST_NODE_TYPES.MethodDefinition)) return undefined;
    return { key: `this:${classNode.range[0]}:${name}`, text: `this.${name}`, classNode };
  }
  if (isExportsObject(object, analysis)) return { key: `exports:${name}`, text: `exports.${name}` };
  return undefined;
}

function isExportsObject(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
  if (isGlobal(node, 'exports', analysis.sourceCode)) return true;
  return node.type === AST_NODE_TYPES.MemberExpression && isGlobal(node.object, 'module', analysis.sourceCode) && staticPropertyName(node) === 'exports';
}

/** The fresh connection an assigned expression makes: through `await`, either branch of `?:`, the right of `||`/`??`. */
function freshIn(expression: TSESTree.Node, analysis: RedisAnalysis): { creation: TSESTree.Node; value: RedisValue } | undefined {
  const node = unwrapExpression(expression);
  switch (node.type) {
    case AST_NODE_TYPES.AwaitExpression:
      return freshIn(node.argument, analysis);
    case AST_NODE_TYPES.ConditionalExpression:
      return freshIn(node.consequent, analysis) ?? freshIn(node.alternate, analysis);
    case AST_NODE_TYPES.LogicalExpression:
      return node.operator === '&&' ? undefined : freshIn(node.right, analysis);
    case AST_NODE_TYPES.Identifier: {
      // `const next = redisClient.duplicate(); await next.connect(); current = next;`
      const variable = findVariableFor(analysis.sourceCode, node);
      const def = variable?.defs[0];
      if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable' || def.node.id !== def.name || !def.node.init) return undefined;
      if (isReassigned(variable)) return undefined;
      if (enclosingFunction(def.node) !== enclosingFunction(node)) return undefined;
      return freshIn(def.node.init, analysis);
    }
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression: {
      const value = analysis.origins.valueOrPromised(node);
      if (!value || value.creation.range[0] < node.range[0] || value.creation.range[1] > node.range[1]) return undefined;
      const acquisition = acquisitionAt(value.creation, analysis);
      if (acquisition?.kind !== 'connection' || !isRedisClientLibrary(acquisition.value.library)) return undefined;
      if (value.summary?.shared) return undefined;
      return { creation: value.creation, value: acquisition.value };
    }
    default:
      return undefined;
  }
}

/**
 * The fresh connection made on a branch that no test of the place guards. A test of the place
 * guards its consequent, and its alternate too unless it is a conjunction with `!place`:
 * `client = !client && a ? createClient() : b ? createClient() : fallback` re-creates on the second
 * branch whenever `client` is set. `client ?? new Redis()` is guarded.
 */
function unguardedFresh(expression: TSESTree.Node, place: Place, analysis: RedisAnalysis): { creation: TSESTree.Node; value: RedisValue } | undefined {
  const node = unwrapExpression(expression);
  if (node.type !== AST_NODE_TYPES.ConditionalExpression) return mentions(node, place) ? undefined : freshIn(node, analysis);
  // A branch that keeps the place (`stale ? new Redis() : client`): a choice this does not judge.
  if (mentions(node.consequent, place) || mentions(node.alternate, place)) return undefined;
  if (!mentions(node.test, place)) return unguardedFresh(node.consequent, place, analysis) ?? unguardedFresh(node.alternate, place, analysis);
  return testsEmpty(node.test, place) ? unguardedFresh(node.alternate, place, analysis) : undefined;
}

/** `!place`, or a conjunction with it: true only while the place is empty. */
function testsEmpty(test: TSESTree.Node, place: Place): boolean {
  const node = unwrapExpression(test);
  if (node.type === AST_NODE_TYPES.LogicalExpression) return node.operator === '&&' && (testsEmpty(node.left, place) || testsEmpty(node.right, place));
  return node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!' && isPlaceReference(unwrapExpression(node.argument), place);
}

/** A class's constructor, or (for a `this.x` place) a constructor function. */
function isConstructor(fn: FunctionNode, place: Place): boolean {
  if (fn.parent?.type === AST_NODE_TYPES.MethodDefinition) return fn.parent.kind === 'constructor';
  const part = place.key.startsWith('this:') ? constructorFunctionOf(fn) : undefined;
  return part !== undefined && part.method === undefined;
}

/** Membership tests per node of a walk: a set, not a scan of every reference. Built once the references are all known. */
const referenceSets = new WeakMap<Place, Set<TSESTree.Node>>();

/** Whether `node` is a mention of the place (the identifier, `this.x`, `exports.x`). */
function isPlaceReference(node: TSESTree.Node, place: Place): boolean {
  let set = referenceSets.get(place);
  if (!set) referenceSets.set(place, (set = new Set(place.references)));
  return set.has(node);
}

function mentions(expression: TSESTree.Node, place: Place): boolean {
  let found = false;
  walk(expression, (node) => {
    if (found) return false;
    if (isPlaceReference(node, place)) found = true;
    return !found;
  });
  return found;
}

/** References of the place inside `fn` (not in nested functions' own scopes: those count too, they run as part of it). */
function referencesIn(place: Place, fn: TSESTree.Node): TSESTree.Node[] {
  return place.references.filter((reference) => within(reference, fn));
}

/**
 * A reference that closes the place's value (`client.quit()`, `client?.disconnect()`), or hands it
 * on (`const old = client`, `close(client)`, `closing.push(client)`): the connection is taken care of.
 */
function closesOrPasses(reference: TSESTree.Node, analysis: RedisAnalysis, options: LifetimeOptions): boolean {
  const { node, parent } = skipWrappersUp(reference);
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
    return closesItself(analysis.origins.valueOrPromised(node), methodCallOn(node), analysis, options.releaseMethods);
  }
  // Copied, passed on or put in a literal: closed or kept by whatever gets it (a request object closes nothing).
  const { placement } = placementOf(reference);
  return PASSES.has(placement) && !(placement === 'assigned' && keptOnRequest(reference, analysis.sourceCode) !== undefined);
}

const PASSES: ReadonlySet<Placement> = new Set(['declared', 'assigned', 'passed', 'contained']);

/** The function reads the place in a test before the store (`if (!client)`, `client?.status === 'ready' ? …`, an early return). */
function testedBefore(place: Place, store: TSESTree.Node, fn: FunctionNode): boolean {
  return referencesIn(place, fn).some((reference) => {
    if (reference.range[0] >= store.range[1]) return false;
    for (let current: TSESTree.Node | undefined = reference; current && current !== fn; current = current.parent) {
      const parent: TSESTree.Node | undefined = current.parent;
      if (!parent) break;
      if (
        (parent.type === AST_NODE_TYPES.IfStatement && parent.test === current) ||
        (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test === current) ||
        (parent.type === AST_NODE_TYPES.LogicalExpression && parent.left === current) ||
        (parent.type === AST_NODE_TYPES.WhileStatement && parent.test === current) ||
        (parent.type === AST_NODE_TYPES.SwitchStatement && parent.discriminant === current)
      ) {
        return true;
      }
    }
    return false;
  });
}

/** The store is conditional, or follows an early exit: a memo guard of some kind (`if (!ready)`, `if (client) return client`). */
function guarded(store: TSESTree.Node, fn: FunctionNode): boolean {
  for (let current: TSESTree.Node | undefined = store.parent; current && current !== fn; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.SwitchCase:
      case AST_NODE_TYPES.CatchClause:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
        return true;
      default:
        break;
    }
  }
  let exits = false;
  walk(fn.body, (node) => {
    if (exits || node.range[0] >= store.range[0]) return false;
    if (isFunctionNode(node)) return false;
    if (node.type === AST_NODE_TYPES.IfStatement) {
      walk(node, (inner) => {
        if (isFunctionNode(inner)) return false;
        if (inner.type === AST_NODE_TYPES.ReturnStatement || inner.type === AST_NODE_TYPES.ThrowStatement) exits = true;
        return !exits;
      });
    }
    return !exits;
  });
  return exits;
}

/**
 * Every call hands the place's connection out, or works on it for its caller: `return client`,
 * `=> (client = new Redis())`, `req.redis = client` (`keptOnRequest`), or
 * `return client.get(key)` with an argument of the call.
 */
function handsOutPlace(place: Place, fn: FunctionNode, store: TSESTree.AssignmentExpression, analysis: RedisAnalysis): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return true;
  const isParam = (node: TSESTree.Node) => node.type === AST_NODE_TYPES.Identifier && fn.params.some((param) => param.type === AST_NODE_TYPES.Identifier && param.name === node.name);
  let hands = false;
  walk(fn.body, (node) => {
    if (hands || (isFunctionNode(node) && node !== fn)) return false;
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) {
      const argument = unwrapExpression(node.argument);
      const inner = argument.type === AST_NODE_TYPES.AwaitExpression ? unwrapExpression(argument.argument) : argument;
      const callee = inner.type === AST_NODE_TYPES.CallExpression ? unwrapExpression(inner.callee) : undefined;
      hands =
        inner === store ||
        isPlaceReference(inner, place) ||
        (callee?.type === AST_NODE_TYPES.MemberExpression && isPlaceReference(unwrapExpression(callee.object), place) && (inner as TSESTree.CallExpression).arguments.some(isParam));
    }
    if (node.type === AST_NODE_TYPES.AssignmentExpression && isPlaceReference(unwrapExpression(node.right), place)) {
      hands = keptOnRequest(node.right, analysis.sourceCode) !== undefined;
    }
    return !hands;
  });
  return hands;
}

/**
 * A node-redis client holds a socket only once opened: through the place (within `fn`, a getter
 * that stores it, when given), chained on its creation, or in `fn` through a local before the
 * store (`const next = c.duplicate(); await next.connect(); current = next`).
 */
function isOpened(place: Place, value: RedisValue, analysis: RedisAnalysis, fn?: FunctionNode): boolean {
  const opensWith = valueSpecOf(value)?.opensWith;
  if (opensWith === undefined) return true;
  const references = fn ? referencesIn(place, fn) : place.references;
  if (references.some((reference) => methodCallOn(reference)?.method === opensWith) || readsOpen(value.creation, opensWith)) return true;
  return fn !== undefined && opensIn(fn.body, value, analysis.origins);
}

/** The previous connection was opened before the store can run: at module level, in another function, or earlier in this one. */
function isOpenBefore(place: Place, value: RedisValue, write: Place['writes'][number]): boolean {
  const opensWith = valueSpecOf(value)?.opensWith;
  if (opensWith === undefined) return true;
  return place.references.some(
    (reference) =>
      methodCallOn(reference)?.method === opensWith &&
      (!within(reference, write.fn) || reference.range[0] < write.node.range[0]),
  );
}

/** `createClient().connect()`, `this.client.connect`: the opening method read on the expression. */
export function readsOpen(expression: TSESTree.Node, opensWith: string): boolean {
  const { node, parent } = skipWrappersUp(expression);
  return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && staticPropertyName(parent) === opensWith;
}

/** A listener of the connection's end: the previous connection is gone already. */
function insideClosedListener(fn: FunctionNode): boolean {
  const { node: callback, parent } = skipWrappersUp(fn);
  if (parent?.type !== AST_NODE_TYPES.CallExpression || !parent.arguments.includes(callback as TSESTree.CallExpressionArgument)) return false;
  const event = parent.arguments[0];
  return event?.type === AST_NODE_TYPES.Literal && typeof event.value === 'string' && /^(end|close|closed|disconnect|disconnected|exit)$/i.test(event.value);
}

function insideCatch(node: TSESTree.Node, fn: FunctionNode): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause) return true;
  }
  return false;
}

/**
 * Called again and again, as far as this file shows: from two or more places, from a loop or a
 * `catch` (a retry), or from a function that itself runs repeatedly (a few calls deep).
 */
function runsRepeatedly(fn: FunctionNode, analysis: RedisAnalysis, depth: number): boolean {
  if (depth > 3) return false;
  const calls = callsOf(fn, analysis.sourceCode);
  if (calls === undefined || calls.length === 0) return false;
  if (calls.length >= 2) return true;
  const call = calls[0]!;
  for (let current: TSESTree.Node | undefined = call.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CatchClause || isLoop(current)) return true;
    if (isFunctionNode(current)) return current !== fn && runsRepeatedly(current, analysis, depth + 1);
  }
  return false;
}

/**
 * Runs once: an immediately invoked function at module level, or a named function every use of
 * which is a call at module level (`main()`, `bootstrap().catch(…)`).
 */
export function runsOnlyOnce(fn: FunctionNode, analysis: RedisAnalysis): boolean {
  const { node: self, parent } = skipWrappersUp(fn);
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === self) return isModuleLevel(parent);
  const calls = callsOf(fn, analysis.sourceCode);
  return calls !== undefined && calls.length > 0 && calls.every(isModuleLevel);
}
