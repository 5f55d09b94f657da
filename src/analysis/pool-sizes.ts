/**
 * The sizes of the connection pools created in a file: each pool's min and max as the library
 * will read them (defaults filled in, generic-pool's parseInt applied), whether its resources
 * are Redis connections, its idle-eviction setting, and what the pools of a file add up to
 * against a Redis server's `maxclients`. Shared by `no-oversized-pool` and the report.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { libraryById, type IdleEvictionSpec, type LibraryId, type PoolSizeOptionSpec } from '../catalog';
import type { RedisAnalysis } from './context';
import { argumentAt, clientOptionsOf, poolOptionsOf, poolSizeSpecsFor, type OptionsView } from './options';
import type { RedisValue } from './origin';
import { poolResourceOf, type PoolResource } from './pools';
import { toNumber } from './static-value';

export interface PoolSizeReading {
  spec: PoolSizeOptionSpec;
  /**
   * explicit: set to a number we can compute; default: not set, the library default applies;
   * missing: not set and the library has no default (tarn throws); unknown: set to something
   * only known at run time (environment, imported config).
   */
  source: 'explicit' | 'default' | 'missing' | 'unknown';
  /** The number as written, after static evaluation. */
  written?: number;
  /** The number the library works with (default filled in, parsed, raised to its floor). */
  effective?: number;
  /** The property that sets it, for reports at the offending property. */
  property?: TSESTree.Property;
}

export type IdleEviction =
  /** An idle timeout is set but the evictor never runs, so it does nothing. */
  | { state: 'inactive'; property: TSESTree.Property | undefined; option: string; interval: 'unset' | number }
  | { state: 'active' | 'not-configured' | 'unknown' };

export interface PoolSizes {
  pool: RedisValue;
  /** The library whose pool semantics apply (node-redis 4's isolation pool is a generic-pool). */
  engine: LibraryId;
  /** "generic-pool pool", "node-redis isolation pool", … for messages and the report. */
  label: string;
  resource: PoolResource;
  /** The size that bounds the connections to the primary (max, maximum, masterPoolSize). */
  max: PoolSizeReading | undefined;
  min: PoolSizeReading | undefined;
  /** Sizes of pools opened to each replica node (sentinel replicaPoolSize). */
  perReplica: PoolSizeReading[];
  /** The object holding the sizes (where a missing size would go), or the creating call. */
  container: TSESTree.Node;
  idleEviction: IdleEviction;
}

/**
 * The sizes of a pool-like value made in this file (a pool, a sentinel, a node-redis 4 client
 * whose `isolationPoolOptions` are set), or undefined when the value carries no pool sizes.
 */
export function poolSizesOf(value: RedisValue, analysis: RedisAnalysis): PoolSizes | undefined {
  if (!value.call || value.how === 'type') return undefined;
  const specs = poolSizeSpecsFor(value, analysis.versions);
  if (specs.length === 0) return undefined;
  const views = {
    options: clientOptionsOf(value, analysis.evaluator),
    poolOptions: poolOptionsOf(value, analysis.evaluator),
  };
  const prefix = commonPrefix(specs);
  const container = containerOf(value, specs[0]!, prefix, views, analysis);
  // A side pool of a client (node-redis 4 isolation pool) is only sized when its options are
  // given; otherwise it stays at the library defaults, opened on demand.
  if (value.kind === 'client') {
    const found = views[specs[0]!.argument].get(prefix);
    if (found.status !== 'present') return undefined;
  }
  const engine = specs.find((spec) => spec.engine)?.engine ?? value.library.id;
  const eviction = libraryById(engine).idleEviction;
  const readings = specs.map((spec) => readSize(views[spec.argument], spec));
  return {
    pool: value,
    engine,
    label: labelOf(value),
    resource: resourceOf(value, analysis),
    max: readings.find((reading) => reading.spec.role === 'max' && !reading.spec.perReplica),
    min: readings.find((reading) => reading.spec.role === 'min'),
    perReplica: readings.filter((reading) => reading.spec.perReplica),
    container: container ?? value.call,
    idleEviction:
      eviction ? idleEvictionOf(views[specs[0]!.argument], prefix, eviction) : { state: 'not-configured' },
  };
}

/** What one value reads: the number the library works with, and where it was set. */
export function readSize(view: OptionsView, spec: PoolSizeOptionSpec): PoolSizeReading {
  const found = view.get(spec.path);
  if (found.status === 'unknown') return { spec, source: 'unknown' };
  if (found.status === 'absent') {
    if (spec.default === null) return { spec, source: spec.required ? 'missing' : 'default' };
    return { spec, source: 'default', effective: spec.default };
  }
  const written = toNumber(found.value);
  if (written === undefined) return { spec, source: 'unknown', property: found.property };
  return { spec, source: 'explicit', written, effective: effectiveSize(spec, written), property: found.property };
}

/** The size a library works with for a written number. */
export function effectiveSize(spec: PoolSizeOptionSpec, written: number): number {
  let size = written;
  if (spec.parse === 'parseInt') {
    size = Number.parseInt(String(written), 10);
    if (Number.isNaN(size)) size = spec.default ?? Number.NaN;
  }
  return spec.floor === undefined ? size : Math.max(size, spec.floor);
}

export interface ConnectionBudget {
  /** The pools counted, each with the connections it can open. */
  counted: { sizes: PoolSizes; connections: number }[];
  /** Redis pools whose size can't be known; the total is a lower bound when there are any. */
  uncounted: PoolSizes[];
  perProcess: number;
  replicas: number;
  total: number;
  maxClients: number;
  /** The share of maxclients the total may reach. */
  limit: number;
  over: boolean;
  /** The first pool (in source order) whose connections take the running total over the limit. */
  crossing: PoolSizes | undefined;
  /** "3 pools × max 400 × 12 replicas = 14400", "max 40 + 30 = 70 per process × 2 replicas = 140". */
  arithmetic: string;
}

/**
 * The connections a file's Redis pools can open to one server, times the replicas of the
 * process, against a share of `maxclients`. Each creation site counts once. A sentinel counts
 * its master pool: its replica pools open connections to each replica, other servers with
 * their own `maxclients`. Unbounded pools are left out (they are a finding of their own).
 */
export function connectionBudget(
  pools: readonly PoolSizes[],
  { replicas, maxClients, share }: { replicas: number; maxClients: number; share: number },
): ConnectionBudget {
  const counted: ConnectionBudget['counted'] = [];
  const uncounted: PoolSizes[] = [];
  const limit = Math.floor(maxClients * share);
  let perProcess = 0;
  let crossing: PoolSizes | undefined;
  const ordered = [...pools].sort((a, b) => a.pool.creation.range[0] - b.pool.creation.range[0]);
  for (const sizes of ordered) {
    if (sizes.resource !== 'redis' || sizes.max?.source === 'missing') continue;
    // The most it can hold open to the primary; unknown when not static (or tarn without `max`).
    const connections = sizes.max?.effective;
    if (connections === undefined || Number.isNaN(connections)) {
      uncounted.push(sizes);
      continue;
    }
    if (!Number.isFinite(connections) || connections >= maxClients) continue;
    counted.push({ sizes, connections });
    perProcess += connections;
    if (!crossing && perProcess * replicas > limit) crossing = sizes;
  }
  const total = perProcess * replicas;
  return {
    counted,
    uncounted,
    perProcess,
    replicas,
    total,
    maxClients,
    limit,
    over: total > limit,
    crossing,
    arithmetic: budgetArithmetic(counted.map((entry) => entry.connections), perProcess, replicas, total),
  };
}

function budgetArithmetic(sizes: number[], perProcess: number, replicas: number, total: number): string {
  const replicaText = `${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`;
  if (sizes.length > 0 && sizes.every((size) => size === sizes[0])) {
    return `${sizes.length} ${sizes.length === 1 ? 'pool' : 'pools'} × max ${sizes[0]} × ${replicaText} = ${total}`;
  }
  return `max ${sizes.join(' + ')} = ${perProcess} per process × ${replicaText} = ${total}`;
}

function labelOf(value: RedisValue): string {
  const name = value.library.displayName;
  switch (value.kind) {
    case 'client':
      return `${name} isolation pool`;
    case 'sentinel':
      return `${name} sentinel`;
    default:
      return `${name} ${value.library.poolLabel ?? 'pool'}`;
  }
}

/** Redis by construction, by the factory's `create`, or (with types) by `Pool<Redis>`. */
function resourceOf(value: RedisValue, analysis: RedisAnalysis): PoolResource {
  const resource = poolResourceOf(value, analysis.origins, analysis.evaluator);
  if (resource !== 'unknown' || !analysis.types || !value.call) return resource;
  // A factory imported from elsewhere: the pool's own type (`Pool<Redis>`) still says.
  const typed = analysis.types.originOf(value.call);
  return typed?.type === 'value' && typed.value.kind === value.kind ? (typed.value.typedResource ?? 'unknown') : 'unknown';
}

/** The path the size options share (['isolationPoolOptions'] for node-redis 4, [] elsewhere). */
export function commonPrefix(specs: readonly PoolSizeOptionSpec[]): string[] {
  const first = specs[0]!.path.slice(0, -1);
  let length = first.length;
  for (const spec of specs) {
    let i = 0;
    while (i < length && spec.path[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

function containerOf(
  value: RedisValue,
  spec: PoolSizeOptionSpec,
  prefix: readonly string[],
  views: Record<'options' | 'poolOptions', OptionsView>,
  analysis: RedisAnalysis,
): TSESTree.Node | undefined {
  if (prefix.length > 0) {
    const found = views[spec.argument].get(prefix);
    return found.status === 'present' ? found.property ?? found.value.node : undefined;
  }
  const position = spec.argument === 'options' ? value.optionsArg : value.poolOptionsArg;
  return value.call ? argumentAt(value.call, position, analysis.evaluator).node : undefined;
}

/** generic-pool's evictor: idle timeouts act only when `evictionRunIntervalMillis` is above 0. */
function idleEvictionOf(view: OptionsView, prefix: readonly string[], eviction: IdleEvictionSpec): IdleEviction {
  const idle = [eviction.idleOption, eviction.softIdleOption]
    .map((option) => ({ option, found: view.get([...prefix, option]) }))
    .find(({ found }) => found.status !== 'absent');
  if (!idle) return { state: 'not-configured' };
  if (idle.found.status !== 'present') return { state: 'unknown' };
  const interval = view.get([...prefix, eviction.intervalOption]);
  if (interval.status === 'unknown') return { state: 'unknown' };
  if (interval.status === 'absent') {
    return { state: 'inactive', property: idle.found.property, option: idle.option, interval: 'unset' };
  }
  const ms = toNumber(interval.value);
  if (ms === undefined) return { state: 'unknown' };
  // PoolOptions.js: `opts.evictionRunIntervalMillis || 0`, and the evictor runs only when > 0.
  return ms > 0 ? { state: 'active' } : { state: 'inactive', property: idle.found.property, option: idle.option, interval: ms };
}
