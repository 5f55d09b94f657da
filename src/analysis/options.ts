/**
 * Reading a recognised value's options: the static options object at its creation, what a
 * `duplicate(overrides)` inherits, and timeouts with the installed major's defaults filled in.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, staticPropertyName, unwrapExpression } from './ast';
import type { OptionsPosition, PoolSizeOptionSpec, TimeoutOptionSpec } from '../catalog';
import { lookupOption, toNumber, type OptionLookup, type StaticEvaluator, type StaticValue } from './static-value';
import type { RedisValue } from './origin';
import { appliesToMajor, type VersionResolver } from './versions';

/** The argument at a catalog position; 'last-object' is ioredis's `new Redis(port, host, opts)`. */
export function argumentAt(
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  position: OptionsPosition | undefined,
  evaluator: StaticEvaluator,
): { node: TSESTree.Node | undefined; status: 'found' | 'absent' | 'unknown' } {
  if (position === undefined) return { node: undefined, status: 'absent' };
  const args = call.arguments;
  if (args.some((arg) => arg.type === AST_NODE_TYPES.SpreadElement)) return { node: undefined, status: 'unknown' };
  if (typeof position === 'number') {
    const node = args[position];
    return node ? { node, status: 'found' } : { node: undefined, status: 'absent' };
  }
  // last-object: port and host are numbers or strings; anything else could be the options.
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!;
    const value = evaluator.evaluate(arg);
    if (value.kind === 'object') {
      // ioredis merges every object argument, the earlier winning, and Bull takes an object in
      // the url position as the whole options: an earlier argument that may be an object (a
      // config's `node`) may set what this one doesn't.
      const earlier = args.slice(0, i).find((before) => !isAddressArgument(before, evaluator));
      return earlier ? { node: earlier, status: 'unknown' } : { node: arg, status: 'found' };
    }
    if (isAddressArgument(arg, evaluator)) continue;
    return { node: arg, status: 'unknown' };
  }
  return { node: undefined, status: 'absent' };
}

/** A port, host or URL: a primitive, or named like one (`config.port`, `redisUrl`, `opts.host`). */
function isAddressArgument(arg: TSESTree.Node, evaluator: StaticEvaluator): boolean {
  if (evaluator.isPrimitiveShaped(arg)) return true;
  const inner = unwrapExpression(arg);
  const name =
    inner.type === AST_NODE_TYPES.Identifier ? inner.name : inner.type === AST_NODE_TYPES.MemberExpression ? staticPropertyName(inner) : undefined;
  return name !== undefined && ADDRESS_NAME.test(name);
}

/** Names that hold a port, host or URL, not an options object. */
const ADDRESS_NAME = /(?:port|host|hostname|server|address|addr|url|uri|dsn|path|socket|endpoint|connectionString)$/i;

export interface OptionsView {
  /** Looks a path up; `absent` means provably not set anywhere the value takes options from. */
  get(path: readonly string[]): OptionLookup;
}

/**
 * The client options of a value as one view. A cluster's per-node options sit under
 * `redisOptions` (ioredis) or `defaults` (node-redis); a duplicate's overrides fall back to its
 * source's options.
 */
export function clientOptionsOf(value: RedisValue, evaluator: StaticEvaluator): OptionsView {
  return { get: (path) => lookupClientOption(value, path, evaluator, 0) };
}

function lookupClientOption(
  value: RedisValue,
  path: readonly string[],
  evaluator: StaticEvaluator,
  depth: number,
): OptionLookup {
  if (!value.call || depth > 8) return { status: 'unknown' };
  const argument = argumentAt(value.call, value.optionsArg, evaluator);
  let own: OptionLookup;
  if (argument.status === 'unknown') own = { status: 'unknown' };
  else if (argument.status === 'absent' || !argument.node) own = { status: 'absent' };
  else {
    const options = evaluator.evaluate(argument.node);
    own = lookupOption(options, path);
    // A cluster duplicate's overrides have the cluster layout too (`duplicate(nodes, { redisOptions })`).
    if (own.status === 'absent' && value.nodeOptionsKey) {
      own = lookupOption(options, [value.nodeOptionsKey, ...path]);
    }
    // duplicate(overrides) is `{ ...source, ...overrides }` (both libraries): an override that sets
    // the first key of a nested path replaces the source's whole object under it.
    if (own.status === 'absent' && value.inheritsFrom && path.length > 1 && lookupOption(options, [path[0]!]).status !== 'absent') {
      return own;
    }
  }
  if (own.status === 'absent' && value.inheritsFrom) {
    return lookupClientOption(value.inheritsFrom, path, evaluator, depth + 1);
  }
  return own;
}

export function poolOptionsOf(value: RedisValue, evaluator: StaticEvaluator): OptionsView {
  return {
    get: (path) => {
      if (!value.call) return { status: 'unknown' };
      const argument = argumentAt(value.call, value.poolOptionsArg, evaluator);
      if (argument.status === 'unknown') return { status: 'unknown' };
      if (!argument.node) return { status: 'absent' };
      return lookupOption(evaluator.evaluate(argument.node), path);
    },
  };
}

export type ResolvedTimeout =
  /** A finite bound in ms (explicit, or the library default). */
  | { state: 'bounded'; ms: number; explicit: boolean; spec: TimeoutOptionSpec; property?: TSESTree.Property }
  /** No bound: unset with no default, or set to a value that means forever. */
  | { state: 'unbounded'; explicit: boolean; spec: TimeoutOptionSpec; property?: TSESTree.Property; value?: StaticValue }
  | { state: 'unknown'; spec: TimeoutOptionSpec };

/** The effective value of one timeout option, defaults filled in from the installed major. */
export function resolveTimeout(view: OptionsView, spec: TimeoutOptionSpec): ResolvedTimeout {
  const found = view.get(spec.path);
  if (found.status === 'unknown') return { state: 'unknown', spec };
  if (found.status === 'absent') {
    return spec.defaultMs === null
      ? { state: 'unbounded', explicit: false, spec }
      : { state: 'bounded', ms: spec.defaultMs, explicit: false, spec };
  }
  const ms = toNumber(found.value);
  const unbounded: ResolvedTimeout = { state: 'unbounded', explicit: true, spec, property: found.property, value: found.value };
  if (found.value.kind === 'primitive' && found.value.value === null) {
    return spec.defaultMs === null
      ? unbounded
      : { state: 'bounded', ms: spec.defaultMs, explicit: false, spec, property: found.property };
  }
  if (ms === undefined) return { state: 'unknown', spec };
  if (ms === 0) {
    // The library refuses the options outright: that is a crash at start-up, not a hang.
    if (spec.zero === 'throws') return { state: 'unknown', spec };
    if (spec.zero === 'immediate') return { state: 'bounded', ms: 0, explicit: true, spec, property: found.property };
    if (spec.zero === 'default' && spec.defaultMs !== null) {
      return { state: 'bounded', ms: spec.defaultMs, explicit: true, spec, property: found.property };
    }
    return unbounded;
  }
  if (!Number.isFinite(ms) || ms < 0) return unbounded;
  return { state: 'bounded', ms, explicit: true, spec, property: found.property };
}

/** 1500 → "1.5 s", 250 → "250 ms", for messages. */
export function duration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${Number(ms.toFixed(3))} ms`;
}

export function poolSizeSpecsFor(value: RedisValue, versions: VersionResolver): PoolSizeOptionSpec[] {
  const major = versions.major(value.library);
  return value.library.poolSizes.filter(
    (spec) => spec.appliesTo === value.kind && appliesToMajor(spec.versions, major, value.library.latestMajor),
  );
}

/** The RESP version a client speaks, when it can be known. */
export function protocolOf(value: RedisValue, evaluator: StaticEvaluator, versions: VersionResolver): 2 | 3 | undefined {
  const protocol = value.library.protocol;
  if (!protocol) return undefined;
  const found = clientOptionsOf(value, evaluator).get(protocol.optionPath);
  if (found.status === 'present') {
    const n = toNumber(found.value);
    return n === 2 || n === 3 ? n : undefined;
  }
  if (found.status === 'unknown') return undefined;
  const major = versions.major(value.library) ?? value.library.latestMajor;
  return protocol.defaultByMajor[major];
}
