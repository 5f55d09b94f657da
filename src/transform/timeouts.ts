/**
 * Options and timeouts of recognised values on the jscodeshift AST: the codemods' counterpart of
 * src/analysis/options.ts and src/analysis/timeouts.ts, with the same readings. Where a
 * creation's options sit comes from the catalog (`optionsArg`, `poolOptionsArg`,
 * `nodeOptionsKey`); a `duplicate(overrides)` falls back to its source's options; defaults and
 * what `0` means come from the catalog's timeout specs for the installed major.
 */
import * as path from 'node:path';
import {
  isRedisClientLibrary,
  type LibraryCatalog,
  type OptionsPosition,
  type TimeoutOptionSpec,
  type ValueKind,
} from '../catalog';
import { appliesToMajor, VersionResolver } from '../analysis/versions';
import { methodCall, type Node } from './ast';
import { lookupOption, toNumber, type OptionLookup, type StaticEvaluator, type StaticValue } from './evaluate';
import type { Value } from './origins';

/** Where a value's creation takes its options, per the catalog. */
export interface Creation {
  value: Value;
  /** The call or `new` that made it. */
  call: Node;
  optionsArg?: OptionsPosition;
  poolOptionsArg?: OptionsPosition;
  /** For a cluster: the key that carries per-node client options (`redisOptions`). */
  nodeOptionsKey?: string;
  /** A `duplicate(overrides)` starts from this value's options. */
  inheritsFrom?: Value;
}

/** The catalog facts about how a value was made, or undefined for values known only from a type. */
export function creationOf(value: Value): Creation | undefined {
  const call = value.call;
  if (!call || value.how === 'type') return undefined;
  if (value.how === 'method') {
    const parts = methodCall(call);
    const parent = value.parent;
    const spec = parts && parent ? parent.library.values[parent.kind]?.methods[parts.method] : undefined;
    if (spec?.type !== 'produces') return undefined;
    const inheritsFrom = spec.inheritsOptions ? parent : undefined;
    const parentCreation = inheritsFrom && creationOf(inheritsFrom);
    return { value, call, optionsArg: spec.optionsArg, inheritsFrom, nodeOptionsKey: parentCreation?.nodeOptionsKey };
  }
  const target = value.home.origins.resolve(call.callee);
  let spec = target?.type === 'export' ? target.spec : undefined;
  if (!spec && target?.type === 'module' && target.commonjs) spec = target.library.commonjsExport;
  if (!spec || (spec.type !== 'factory' && spec.type !== 'class')) return undefined;
  return { value, call, optionsArg: spec.optionsArg, poolOptionsArg: spec.poolOptionsArg, nodeOptionsKey: spec.nodeOptionsKey };
}

export type ArgumentAt = { node: Node | undefined; status: 'found' | 'absent' | 'unknown' };

/** The argument at a catalog position; 'last-object' is ioredis's `new Redis(port, host, opts)`. */
export function argumentAt(call: Node, position: OptionsPosition | undefined, evaluator: StaticEvaluator): ArgumentAt {
  if (position === undefined) return { node: undefined, status: 'absent' };
  const args: Node[] = call.arguments;
  if (args.some((arg) => arg.type === 'SpreadElement')) return { node: undefined, status: 'unknown' };
  if (typeof position === 'number') {
    const node = args[position];
    return node ? { node, status: 'found' } : { node: undefined, status: 'absent' };
  }
  // last-object: port and host are numbers or strings; anything else could be the options.
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!;
    const value = evaluator.evaluate(arg);
    if (value.kind === 'object') return { node: arg, status: 'found' };
    if (value.kind === 'primitive' || evaluator.isPrimitiveShaped(arg)) continue;
    return { node: arg, status: 'unknown' };
  }
  return { node: undefined, status: 'absent' };
}

export interface OptionsView {
  /** Looks a path up; `absent` means provably not set anywhere the value takes options from. */
  get(path: readonly string[]): OptionLookup;
}

/** The client options of a value as one view (a cluster's per-node key, a duplicate's source). */
export function clientOptionsOf(creation: Creation, evaluator: StaticEvaluator): OptionsView {
  return { get: (path) => lookupClientOption(creation, path, evaluator, 0) };
}

function lookupClientOption(creation: Creation, path: readonly string[], evaluator: StaticEvaluator, depth: number): OptionLookup {
  if (depth > 8) return { status: 'unknown' };
  const argument = argumentAt(creation.call, creation.optionsArg, evaluator);
  let own: OptionLookup;
  if (argument.status === 'unknown') own = { status: 'unknown' };
  else if (argument.status === 'absent' || !argument.node) own = { status: 'absent' };
  else {
    const options = evaluator.evaluate(argument.node);
    own = lookupOption(options, path);
    if (own.status === 'absent' && creation.nodeOptionsKey) own = lookupOption(options, [creation.nodeOptionsKey, ...path]);
    // duplicate(overrides) is `{ ...source, ...overrides }`: an override that sets the first key
    // of a nested path replaces the source's whole object under it.
    if (own.status === 'absent' && creation.inheritsFrom && path.length > 1 && lookupOption(options, [path[0]!]).status !== 'absent') return own;
  }
  if (own.status === 'absent' && creation.inheritsFrom) {
    const source = creationOf(creation.inheritsFrom);
    // The source lives in another file (or is known only by its type): its options are not ours to read.
    if (!source || creation.inheritsFrom.home !== creation.value.home) return { status: 'unknown' };
    return lookupClientOption(source, path, evaluator, depth + 1);
  }
  return own;
}

export function poolOptionsOf(creation: Creation, evaluator: StaticEvaluator): OptionsView {
  return {
    get: (path) => {
      const argument = argumentAt(creation.call, creation.poolOptionsArg, evaluator);
      if (argument.status === 'unknown') return { status: 'unknown' };
      if (!argument.node) return { status: 'absent' };
      return lookupOption(evaluator.evaluate(argument.node), path);
    },
  };
}

export type ResolvedTimeout =
  /** A finite bound in ms (explicit, or the library default). */
  | { state: 'bounded'; ms: number; explicit: boolean; spec: TimeoutOptionSpec; property?: Node }
  /** No bound: unset with no default, or set to a value that means forever. */
  | { state: 'unbounded'; explicit: boolean; spec: TimeoutOptionSpec; property?: Node; value?: StaticValue }
  | { state: 'unknown'; spec: TimeoutOptionSpec };

/** The effective value of one timeout option, defaults filled in (src/analysis/options.ts `resolveTimeout`). */
export function resolveTimeout(view: OptionsView, spec: TimeoutOptionSpec): ResolvedTimeout {
  const found = view.get(spec.path);
  if (found.status === 'unknown') return { state: 'unknown', spec };
  if (found.status === 'absent') {
    return spec.defaultMs === null ? { state: 'unbounded', explicit: false, spec } : { state: 'bounded', ms: spec.defaultMs, explicit: false, spec };
  }
  const ms = toNumber(found.value);
  if (found.value.kind === 'primitive' && found.value.value === null) {
    return spec.defaultMs === null
      ? { state: 'unbounded', explicit: true, spec, property: found.property, value: found.value }
      : { state: 'bounded', ms: spec.defaultMs, explicit: false, spec, property: found.property };
  }
  if (ms === undefined) return { state: 'unknown', spec };
  if (ms === 0) {
    if (spec.zero === 'throws') return { state: 'unknown', spec };
    if (spec.zero === 'immediate') return { state: 'bounded', ms: 0, explicit: true, spec, property: found.property };
    if (spec.zero === 'default' && spec.defaultMs !== null) return { state: 'bounded', ms: spec.defaultMs, explicit: true, spec, property: found.property };
    return { state: 'unbounded', explicit: true, spec, property: found.property, value: found.value };
  }
  if (!Number.isFinite(ms) || ms < 0) return { state: 'unbounded', explicit: true, spec, property: found.property, value: found.value };
  return { state: 'bounded', ms, explicit: true, spec, property: found.property };
}

export type TimeoutBound = TimeoutOptionSpec['bounds'];

export interface ValueTimeouts {
  client: Partial<Record<TimeoutBound, ResolvedTimeout>>;
  pool: Partial<Record<TimeoutBound, ResolvedTimeout>>;
}

// Sentinels are left out: their per-node options sit under `nodeClientOptions`, which the catalog does not map.
const CLIENT_OPTION_KINDS: ReadonlySet<ValueKind> = new Set(['client', 'cluster', 'pool']);

/** The timeouts of a value (src/analysis/timeouts.ts `timeoutsOf`), or undefined when it takes no options we read. */
export function timeoutsOf(creation: Creation, evaluator: StaticEvaluator, major: number | undefined): ValueTimeouts | undefined {
  const { library, kind } = creation.value;
  const applies = (spec: TimeoutOptionSpec) => appliesToMajor(spec.versions, major, library.latestMajor);
  const result: ValueTimeouts = { client: {}, pool: {} };
  let readable = false;
  if (CLIENT_OPTION_KINDS.has(kind) && isRedisClientLibrary(library)) {
    readable = true;
    const view = clientOptionsOf(creation, evaluator);
    for (const spec of library.timeouts) {
      if (spec.appliesTo !== 'client' || spec.argument !== 'options' || !applies(spec)) continue;
      result.client[spec.bounds] ??= resolveTimeout(view, spec);
    }
  }
  if (kind === 'pool') {
    readable = true;
    const view = poolOptionsOf(creation, evaluator);
    for (const spec of library.timeouts) {
      if (spec.appliesTo !== 'pool' || spec.argument !== 'poolOptions' || !applies(spec)) continue;
      result.pool[spec.bounds] ??= resolveTimeout(view, spec);
    }
  }
  return readable ? result : undefined;
}

export type Bound =
  | { state: 'bounded'; by: ResolvedTimeout & { state: 'bounded' } }
  | { state: 'unbounded'; disabledBy: (ResolvedTimeout & { state: 'unbounded' }) | undefined }
  | { state: 'unknown' }
  | { state: 'no-option' };

/** Whether a command can wait forever: a command timeout or an idle socket timeout bounds it. */
export function commandBoundOf(timeouts: ValueTimeouts): Bound {
  const candidates = [timeouts.client.command, timeouts.client['socket-idle']].filter((t): t is ResolvedTimeout => t !== undefined);
  if (candidates.length === 0) return { state: 'no-option' };
  const bounded = candidates.find((t): t is ResolvedTimeout & { state: 'bounded' } => t.state === 'bounded');
  if (bounded) return { state: 'bounded', by: bounded };
  if (candidates.some((t) => t.state === 'unknown' || (t.state === 'unbounded' && !meansNoLimit(t)))) return { state: 'unknown' };
  const command = timeouts.client.command;
  return { state: 'unbounded', disabledBy: command?.state === 'unbounded' && command.explicit ? command : undefined };
}

/** The pool's acquire wait, with the same reading. */
export function acquireBoundOf(timeouts: ValueTimeouts): Bound {
  const acquire = timeouts.pool.acquire;
  if (!acquire) return { state: 'no-option' };
  if (acquire.state === 'bounded') return { state: 'bounded', by: acquire };
  if (acquire.state === 'unknown' || !meansNoLimit(acquire)) return { state: 'unknown' };
  return { state: 'unbounded', disabledBy: acquire.explicit ? acquire : undefined };
}

/** Unset, `0` and `null` mean no limit; a negative number or Infinity is not trusted. */
function meansNoLimit(timeout: ResolvedTimeout): boolean {
  if (timeout.state !== 'unbounded') return false;
  if (!timeout.explicit) return true;
  const value = timeout.value;
  return value?.kind === 'primitive' && (value.value === 0 || value.value === null || value.value === '0');
}

export function explicitBound(timeout: ResolvedTimeout | undefined): (ResolvedTimeout & { state: 'bounded' }) | undefined {
  return timeout?.state === 'bounded' && timeout.explicit ? timeout : undefined;
}

/**
 * Installed majors for a file: the package.json resolved from it, as the rules read them, with
 * `--node-redis-major` (option `nodeRedisMajor`, as release-in-finally takes it) overriding
 * node-redis's.
 */
export function versionsFor(file: string, options: Record<string, unknown>): VersionResolver {
  const major = options.nodeRedisMajor;
  const versions = typeof major === 'number' || typeof major === 'string' ? { 'node-redis': major } : undefined;
  return new VersionResolver(path.resolve(file), { versions });
}

export function isIoredisFamily(library: LibraryCatalog): boolean {
  return library.id === 'ioredis' || library.id === 'iovalkey';
}

export { BLOCKING_MARGIN_MS } from '../analysis/timeouts';

/** What `add-timeouts` writes when no flag says otherwise, and the least a dedicated client's commandTimeout is. */
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * How long a blocking call waits, in ms: its own timeout, or for a timeout of 0 the client's
 * ioredis `blockingTimeout` when one is set (the client then resolves the wait with null);
 * Infinity for a wait that never ends, undefined when the timeout can't be read. As
 * `require-timeout` counts waits.
 */
export function waitMsOf(timeoutMs: number | undefined, blockingTimeoutMs: number | undefined): number | undefined {
  if (timeoutMs === undefined || Number.isNaN(timeoutMs)) return undefined;
  if (timeoutMs === 0 || timeoutMs === Infinity) return blockingTimeoutMs || Infinity;
  return timeoutMs;
}

/** A client's explicit ioredis `blockingTimeout` (ms), if it has one. */
export function blockingTimeoutOf(creation: Creation | undefined, evaluator: StaticEvaluator, major: number | undefined): number | undefined {
  const timeouts = creation && timeoutsOf(creation, evaluator, major);
  return explicitBound(timeouts?.client['blocking-command'])?.ms || undefined;
}
