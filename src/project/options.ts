/**
 * A connection's options as the report shows them: every catalog timeout that applies to it for
 * the detected major (explicit values from its static options, defaults filled in), and its pool
 * sizes. The semantics of 0, null and defaults are the catalog's, as in src/analysis/options.ts.
 */
import { Node, type Type } from 'ts-morph';
import type { OptionsPosition, PoolSizeOptionSpec, TimeoutOptionSpec, ValueKind } from '../catalog';
import { effectiveSize } from '../analysis/pool-sizes';
import { appliesToMajor } from '../analysis/versions';
import { lookupOption, toNumber, type Frame, type OptionLookup, type ProjectEvaluator } from './evaluate';
import { isGlobalIdentifier, unwrap } from './syntax';
import type { Value } from './values';

export interface ResolvedTimeout {
  /** What it bounds: connect, command, socket-idle, acquire, blocking-command. */
  bounds: TimeoutOptionSpec['bounds'];
  /** bounded: `ms` applies; unbounded: nothing limits the wait; unknown: not static. */
  state: 'bounded' | 'unbounded' | 'unknown';
  ms: number | null;
  /** explicit: set in the code; default: the library's default for the detected major. */
  source: 'explicit' | 'default' | null;
}

export interface PoolSize {
  /** Connections the pool may open (after min > max handling); null when not static. */
  max: number | null;
  min: number | null;
  /** The library throws without the option (tarn) and it is missing. */
  missing: boolean;
  /** Connections that go to every replica rather than the primary (sentinel replicas). */
  perReplica: number | null;
}

type Argument = 'options' | 'poolOptions';

export class OptionReader {
  constructor(private readonly evaluator: ProjectEvaluator) {}

  /** Looks an option up where the value takes it from (a duplicate falls back to its source). */
  lookup(value: Value, argument: Argument, path: readonly string[], depth = 0): OptionLookup {
    if (value.spec.opaque || depth > 8) return { status: 'unknown' };
    if (!Node.isCallExpression(value.creation) && !Node.isNewExpression(value.creation)) return { status: 'unknown' };
    const position = argument === 'options' ? value.spec.optionsArg : value.spec.poolOptionsArg;
    const found = this.argumentAt(value.creation.getArguments(), position, value.path);
    let own: OptionLookup;
    if (found === 'unknown') own = { status: 'unknown' };
    else if (found === 'absent') own = { status: 'absent' };
    else {
      const options = this.evaluator.evaluate(found, value.path);
      own = lookupOption(options, path);
      // A cluster's per-node client options sit under `redisOptions` / `defaults` (a cluster
      // duplicate's overrides too).
      if (own.status === 'absent' && argument === 'options' && value.spec.nodeOptionsKey) {
        own = lookupOption(options, [value.spec.nodeOptionsKey, ...path]);
      }
      // duplicate(overrides) is `{ ...source, ...overrides }`: an override that sets the first
      // key of a nested path replaces the source's whole object under it.
      if (own.status === 'absent' && value.inheritsFrom && path.length > 1 && lookupOption(options, [path[0]!]).status !== 'absent') {
        return own;
      }
    }
    if (own.status === 'absent' && argument === 'options' && value.inheritsFrom) {
      return this.lookup(value.inheritsFrom, argument, path, depth + 1);
    }
    return own;
  }

  timeouts(value: Value, kind: ValueKind, major: number | undefined): Map<string, ResolvedTimeout> {
    const result = new Map<string, ResolvedTimeout>();
    for (const spec of specsFor(value.library.timeouts, kind, value, major)) {
      result.set(spec.path.join('.'), resolveTimeout(this.lookup(value, spec.argument, spec.path), spec));
    }
    return result;
  }

  poolSize(value: Value, kind: ValueKind, major: number | undefined): PoolSize | undefined {
    const specs = value.library.poolSizes.filter(
      (spec) => spec.appliesTo === kind && appliesToMajor(spec.versions, major, value.library.latestMajor),
    );
    if (specs.length === 0) return undefined;
    let max: number | null = 0;
    let perReplica: number | null = 0;
    let min: number | null = null;
    let missing = false;
    let minSpec: PoolSizeOptionSpec | undefined;
    for (const spec of specs) {
      const size = this.size(value, spec);
      if (size === 'missing') missing = true;
      if (spec.role === 'min') {
        min = typeof size === 'number' ? size : null;
        minSpec = spec;
      } else if (spec.role === 'max') {
        const n = typeof size === 'number' ? size : null;
        if (spec.perReplica) perReplica = perReplica === null || n === null ? null : perReplica + n;
        else max = max === null || n === null ? null : max + n;
      }
    }
    // node-redis creates `minimum` clients even when it is above `maximum`.
    if (minSpec?.minAboveMax === 'creates-min' && min !== null && max !== null && min > max) max = min;
    return { max, min, missing, perReplica };
  }

  private size(value: Value, spec: PoolSizeOptionSpec): number | 'missing' | 'unknown' {
    const found = this.lookup(value, spec.argument, spec.path);
    if (found.status === 'unknown') return 'unknown';
    if (found.status === 'absent') return spec.default ?? (spec.required ? 'missing' : 'unknown');
    const written = toNumber(found.value);
    if (written === undefined) return 'unknown';
    // The number the library works with (generic-pool parses and raises to its floor).
    const size = effectiveSize(spec, written);
    return Number.isNaN(size) ? 'unknown' : size;
  }

  /** The argument at a catalog position; 'last-object' is ioredis's `new Redis(port, host, options)`. */
  private argumentAt(args: readonly Node[], position: OptionsPosition | undefined, frame: Frame): Node | 'absent' | 'unknown' {
    if (position === undefined) return 'absent';
    if (typeof position === 'number') {
      for (let i = 0; i <= position && i < args.length; i++) if (Node.isSpreadElement(args[i]!)) return 'unknown';
      return args[position] ?? 'absent';
    }
    // Port and host are numbers or strings; any other argument could be the options.
    for (let i = args.length - 1; i >= 0; i--) {
      const arg = args[i]!;
      if (Node.isSpreadElement(arg)) return 'unknown';
      const value = this.evaluator.evaluate(arg, frame);
      if (value.kind === 'object') return arg;
      if (value.kind === 'primitive' || isPrimitiveTyped(arg)) continue;
      return 'unknown';
    }
    return 'absent';
  }
}

/**
 * The specs that apply to a connection. A cluster's nodes and a node-redis pool's members are
 * clients, so client options apply to them too.
 */
function specsFor(specs: readonly TimeoutOptionSpec[], kind: ValueKind, value: Value, major: number | undefined): TimeoutOptionSpec[] {
  const kinds = new Set<ValueKind>([kind]);
  if (kind === 'cluster') kinds.add('client');
  if (kind === 'pool' && value.spec.optionsArg !== undefined) kinds.add('client');
  return specs.filter((spec) => kinds.has(spec.appliesTo) && appliesToMajor(spec.versions, major, value.library.latestMajor));
}

/** The effective value of one timeout option, defaults filled in (as src/analysis/options.ts). */
export function resolveTimeout(found: OptionLookup, spec: TimeoutOptionSpec): ResolvedTimeout {
  const bounds = spec.bounds;
  const fallback = (source: 'explicit' | 'default'): ResolvedTimeout =>
    spec.defaultMs === null
      ? { bounds, state: 'unbounded', ms: null, source }
      : { bounds, state: 'bounded', ms: spec.defaultMs, source };
  if (found.status === 'unknown') return { bounds, state: 'unknown', ms: null, source: null };
  if (found.status === 'absent') return fallback('default');
  // `null` leaves the option unset: the default applies, or nothing when there is none.
  if (found.value.kind === 'primitive' && found.value.value === null) {
    return spec.defaultMs === null ? fallback('explicit') : fallback('default');
  }
  const ms = toNumber(found.value);
  if (ms === undefined) return { bounds, state: 'unknown', ms: null, source: null };
  if (ms === 0) {
    // The library refuses the options outright: a crash at start-up, not a bound.
    if (spec.zero === 'throws') return { bounds, state: 'unknown', ms: null, source: null };
    // The timer is armed with 0 ms and fires at once.
    if (spec.zero === 'immediate') return { bounds, state: 'bounded', ms: 0, source: 'explicit' };
    if (spec.zero === 'default' && spec.defaultMs !== null) return { bounds, state: 'bounded', ms: spec.defaultMs, source: 'explicit' };
    return { bounds, state: 'unbounded', ms: null, source: 'explicit' };
  }
  if (!Number.isFinite(ms) || ms < 0) return { bounds, state: 'unbounded', ms: null, source: 'explicit' };
  return { bounds, state: 'bounded', ms, source: 'explicit' };
}

/**
 * An argument that is a string or a number even when its value is unknown:
 * `new Redis(process.env.REDIS_URL)` or `new Redis(url)` with `url: string` takes no options
 * object there. Decided by the argument's type, or by its shape when there are no types.
 */
function isPrimitiveTyped(node: Node): boolean {
  return isPrimitiveShaped(node) || hasPrimitiveType(node);
}

function hasPrimitiveType(node: Node): boolean {
  let type: Type;
  try {
    type = node.getType();
  } catch {
    return false;
  }
  const members = type.isUnion() ? type.getUnionTypes() : [type];
  const primitive = (member: Type) =>
    member.isString() || member.isNumber() || member.isStringLiteral() || member.isNumberLiteral() || member.isTemplateLiteral();
  return members.every((member) => primitive(member) || member.isUndefined()) && members.some(primitive);
}

function isPrimitiveShaped(node: Node): boolean {
  const inner = unwrap(node);
  if (Node.isTemplateExpression(inner) || Node.isBinaryExpression(inner) || Node.isPrefixUnaryExpression(inner)) return true;
  if (Node.isPropertyAccessExpression(inner)) {
    const object = unwrap(inner.getExpression());
    return Node.isPropertyAccessExpression(object) && object.getName() === 'env' && isGlobalIdentifier(object.getExpression()) && object.getExpression().getText() === 'process';
  }
  if (Node.isCallExpression(inner)) {
    const callee = unwrap(inner.getExpression());
    return isGlobalIdentifier(callee) && ['Number', 'String', 'parseInt', 'parseFloat'].includes(callee.getText());
  }
  if (Node.isConditionalExpression(inner)) return isPrimitiveShaped(inner.getWhenTrue()) && isPrimitiveShaped(inner.getWhenFalse());
  return false;
}
