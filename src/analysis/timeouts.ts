/**
 * The effective timeouts of a recognised client or pool: every catalog timeout option of the
 * installed major, resolved against the value's static options, defaults filled in. The rules,
 * codemods and report read timeouts through here so they agree.
 */
import { isRedisClientLibrary, type TimeoutOptionSpec, type ValueKind } from '../catalog';
import type { RedisAnalysis } from './context';
import { clientOptionsOf, poolOptionsOf, resolveTimeout, type OptionsView, type ResolvedTimeout } from './options';
import type { RedisValue } from './origin';
import { appliesToMajor } from './versions';

export type TimeoutBound = TimeoutOptionSpec['bounds'];

export interface ValueTimeouts {
  value: RedisValue;
  /** Options read from the client options (connect, command, socket-idle, blocking-command, and node-redis 4's isolation-pool acquire). */
  client: Partial<Record<TimeoutBound, ResolvedTimeout>>;
  /** Options read from the pool options (acquire). */
  pool: Partial<Record<TimeoutBound, ResolvedTimeout>>;
}

/**
 * Kinds whose timeouts are read here. Sentinels are left out: their per-node options sit under
 * `nodeClientOptions`, which the catalog does not map.
 */
const CLIENT_OPTION_KINDS: ReadonlySet<ValueKind> = new Set(['client', 'cluster', 'pool']);

/** The timeouts of a value, or undefined when it takes no options we can read (leases, consumers, sentinels). */
export function timeoutsOf(
  value: RedisValue,
  analysis: Pick<RedisAnalysis, 'evaluator' | 'versions'>,
): ValueTimeouts | undefined {
  if (!CLIENT_OPTION_KINDS.has(value.kind)) return undefined;
  const views = { options: clientOptionsOf(value, analysis.evaluator), poolOptions: poolOptionsOf(value, analysis.evaluator) };
  const result: ValueTimeouts = { value, client: {}, pool: {} };
  for (const timeout of effectiveTimeouts(value, views, analysis.versions.major(value.library)).values()) {
    result[timeout.spec.appliesTo === 'pool' ? 'pool' : 'client'][timeout.spec.bounds] ??= timeout;
  }
  return result;
}

/** Whether a command on a client can wait forever, as far as its options tell. */
export type CommandBound =
  /** A command timeout or an idle socket timeout ends the wait. */
  | { state: 'bounded'; by: ResolvedTimeout & { state: 'bounded' } }
  /**
   * Nothing ends it. `disabledBy`: the command-timeout option set to a value that turns it off
   * (report at its property); undefined when the options just leave it out (report at creation).
   */
  | { state: 'unbounded'; disabledBy: (ResolvedTimeout & { state: 'unbounded' }) | undefined }
  | { state: 'unknown' }
  /** The installed major has no client-wide option that bounds a command (node-redis 4). */
  | { state: 'no-option' };

/** A command timeout or an idle socket timeout (ioredis `commandTimeout` or `socketTimeout`) bounds a command. */
export function commandBoundOf(timeouts: ValueTimeouts): CommandBound {
  const candidates = [timeouts.client.command, timeouts.client['socket-idle']].filter(
    (t): t is ResolvedTimeout => t !== undefined,
  );
  if (candidates.length === 0) return { state: 'no-option' };
  const bounded = candidates.find((t): t is ResolvedTimeout & { state: 'bounded' } => t.state === 'bounded');
  if (bounded) return { state: 'bounded', by: bounded };
  if (candidates.some((t) => t.state === 'unknown' || (t.state === 'unbounded' && !meansNoLimit(t)))) {
    return { state: 'unknown' };
  }
  const command = timeouts.client.command;
  return {
    state: 'unbounded',
    disabledBy: command?.state === 'unbounded' && command.explicit ? command : undefined,
  };
}

/** The pool's acquire wait, with the same reading. */
export function acquireBoundOf(timeouts: ValueTimeouts): CommandBound {
  const acquire = timeouts.pool.acquire;
  if (!acquire) return { state: 'no-option' };
  if (acquire.state === 'bounded') return { state: 'bounded', by: acquire };
  if (acquire.state === 'unknown' || !meansNoLimit(acquire)) return { state: 'unknown' };
  return { state: 'unbounded', disabledBy: acquire.explicit ? acquire : undefined };
}

/**
 * Whether an unbounded reading really means "no limit". Unset, `0` and `null` were checked in
 * each library; a negative number or Infinity is not trusted (ioredis and Node timers fire at
 * once on them, generic-pool throws), so it reads as unknown.
 */
export function meansNoLimit(timeout: ResolvedTimeout): boolean {
  if (timeout.state !== 'unbounded') return false;
  if (!timeout.explicit) return true;
  const value = timeout.value;
  return value?.kind === 'primitive' && (value.value === 0 || value.value === null || value.value === '0');
}

/** A bounded client option set explicitly (so it is the user's choice, and has a property to point at). */
export function explicitBound(timeout: ResolvedTimeout | undefined): (ResolvedTimeout & { state: 'bounded' }) | undefined {
  return timeout?.state === 'bounded' && timeout.explicit ? timeout : undefined;
}

/**
 * Room between a blocking command's wait and a commandTimeout meant not to cut it: the server
 * answers a timed-out wait on its next timer tick, not at the exact millisecond. The rule's
 * suggestions and the codemods write the same margin.
 */
export const BLOCKING_MARGIN_MS = 1000;

/**
 * Every timeout a value has on the given major, by option path, defaults filled in, read through
 * `views` (the report follows options across modules). A cluster's nodes and a client library's
 * pool's members are clients: client options apply to them too.
 */
export function effectiveTimeouts(
  value: RedisValue,
  views: Record<'options' | 'poolOptions', OptionsView>,
  major: number | undefined,
): Map<string, ResolvedTimeout> {
  const kinds = new Set<ValueKind>([value.kind]);
  if (value.kind === 'cluster' || (value.kind === 'pool' && isRedisClientLibrary(value.library))) kinds.add('client');
  const timeouts = new Map<string, ResolvedTimeout>();
  for (const spec of value.library.timeouts) {
    if (!kinds.has(spec.appliesTo) || !appliesToMajor(spec.versions, major, value.library.latestMajor)) continue;
    timeouts.set(spec.path.join('.'), resolveTimeout(views[spec.argument], spec));
  }
  return timeouts;
}
