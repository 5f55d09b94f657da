/**
 * What a client lacks to bound its commands, and the blocking waits a new bound must outlast.
 * `require-timeout` reports from these facts and plans its option edits from them; the
 * `add-timeouts` codemod applies those plans.
 *
 * - A command timeout that cuts blocking waits (catalog `cutsBlockingWait`: ioredis
 *   `commandTimeout`) must be longer than every finite wait the client serves: its own blocking
 *   calls, those of a `duplicate()` that inherits its options, and those on loans of a pool whose
 *   `create` makes it. A wait that never ends (timeout 0) or whose length this file can't read
 *   leaves no safe value.
 * - A duplicate that inherits the new bound and leaves this file's sight may serve blocking
 *   calls nobody here can see.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './ast';
import type { LibraryCatalog } from '../catalog';
import { nodesOfType } from './node-index';
import { bullmqRoleOf, leavesFileSight } from './bullmq';
import type { CommandCall } from './commands';
import type { RedisAnalysis } from './context';
import { argumentAt, type ResolvedTimeout } from './options';
import type { RedisValue } from './origin';
import { createFunctionOf, returnedExpressions } from './pools';
import { getSharing } from './sharing';
import { lookupOption } from './static-value';
import { commandBoundOf, explicitBound, timeoutsOf } from './timeouts';

export type CommandNeed =
  /** Nothing bounds a command, and the options say nothing about it. */
  | { type: 'missing' }
  /** The options turn the command timeout off. */
  | { type: 'disabled'; timeout: ResolvedTimeout & { state: 'unbounded' } }
  /** The options can't be read: imported, computed, spread from elsewhere. */
  | { type: 'unknown' }
  /** The installed major has no client-wide option that bounds a command (node-redis 4). */
  | { type: 'no-option' };

export interface ServedWait {
  command: string;
  call: TSESTree.CallExpression;
}

export interface ServedWaits {
  /** The longest finite wait in ms (0 when none), and the call that waits it. */
  longest: number;
  longestAt: ServedWait | undefined;
  /** A wait any bound would cut: one that never ends, or one whose length can't be read. */
  open: (ServedWait & { forever: boolean }) | undefined;
  /** The client itself (not a duplicate of it) makes a wait that never ends. */
  waitsForeverItself: boolean;
}

const NO_WAITS: ServedWaits = { longest: 0, longestAt: undefined, open: undefined, waitsForeverItself: false };
const cache = new WeakMap<RedisAnalysis, TimeoutNeeds>();

/** The facts of the analysed file (computed once, shared by every caller). */
export function getTimeoutNeeds(analysis: RedisAnalysis): TimeoutNeeds {
  let needs = cache.get(analysis);
  if (!needs) {
    needs = new TimeoutNeeds(analysis);
    cache.set(analysis, needs);
  }
  return needs;
}

export class TimeoutNeeds {
  private readonly needs = new Map<TSESTree.Node, CommandNeed | undefined>();
  private waits: Map<TSESTree.Node, ServedWaits> | undefined;
  private duplicates: RedisValue[] | undefined;

  constructor(private readonly analysis: RedisAnalysis) {}

  /**
   * What a client made in this file lacks to bound its commands; undefined when it is bounded,
   * takes no options we read, or is a connection BullMQ blocks on (see bullmqRoleOf).
   */
  commandNeed(value: RedisValue): CommandNeed | undefined {
    if (this.needs.has(value.creation)) return this.needs.get(value.creation);
    this.needs.set(value.creation, undefined);
    const need = this.computeNeed(value);
    this.needs.set(value.creation, need);
    return need;
  }

  /** A duplicate lacks a bound because its source does: the source's finding (and fix) covers both. */
  sourceCarriesNeed(value: RedisValue): boolean {
    for (let source = value.inheritsFrom; source; source = source.inheritsFrom) {
      const need = this.commandNeed(source);
      if (need && need.type !== 'unknown') return true;
    }
    return false;
  }

  /** The blocking waits a client serves that its command timeout would cut. */
  waitsOf(value: RedisValue): ServedWaits {
    this.waits ??= this.collectWaits();
    return this.waits.get(value.creation) ?? NO_WAITS;
  }

  /**
   * A duplicate made in this file that would inherit a new command timeout from `source` and goes
   * where this file can't see what it runs (exported, handed on).
   */
  hiddenDuplicateOf(source: RedisValue): RedisValue | undefined {
    this.duplicates ??= this.collectDuplicates();
    return this.duplicates.find(
      (duplicate) =>
        this.inheritsBoundFrom(duplicate, source) &&
        !this.setsCommandBoundItself(duplicate) &&
        bullmqRoleOf(duplicate, this.analysis) === 'none' &&
        leavesFileSight(duplicate.creation, this.analysis),
    );
  }

  /** A duplicate whose own overrides set a command or idle-socket timeout, or may. */
  setsCommandBoundItself(value: RedisValue): boolean {
    if (!value.call) return true;
    const argument = argumentAt(value.call, value.optionsArg, this.analysis.evaluator);
    if (argument.status === 'absent' || !argument.node) return false;
    if (argument.status === 'unknown') return true;
    const options = this.analysis.evaluator.evaluate(argument.node);
    const paths = value.library.timeouts
      .filter((spec) => spec.argument === 'options' && (spec.bounds === 'command' || spec.bounds === 'socket-idle'))
      .map((spec) => spec.path);
    const prefixes = value.nodeOptionsKey ? [[], [value.nodeOptionsKey]] : [[]];
    return prefixes.some((prefix) => paths.some((path) => lookupOption(options, [...prefix, ...path]).status !== 'absent'));
  }

  private computeNeed(value: RedisValue): CommandNeed | undefined {
    if (value.how === 'type' || !value.call || bullmqRoleOf(value, this.analysis) !== 'none') return undefined;
    const timeouts = timeoutsOf(value, this.analysis);
    if (!timeouts) return undefined;
    const bound = commandBoundOf(timeouts);
    switch (bound.state) {
      case 'bounded':
        return undefined;
      case 'unknown':
      case 'no-option':
        return { type: bound.state };
      case 'unbounded':
        return bound.disabledBy ? { type: 'disabled', timeout: bound.disabledBy } : { type: 'missing' };
    }
  }

  private collectWaits(): Map<TSESTree.Node, ServedWaits> {
    const waits = new Map<TSESTree.Node, ServedWaits>();
    for (const connection of getSharing(this.analysis).connections) {
      if (!connection.value) continue;
      const clients = connection.role === 'client' ? [connection.value] : this.clientsMadeBy(connection.value);
      for (const use of connection.blocking) {
        if (use.command.type !== 'blocking') continue;
        for (const client of clients) this.recordWait(waits, client, use.command);
      }
    }
    return waits;
  }

  /** Counts a wait for the client and for each source whose command timeout it would inherit. */
  private recordWait(waits: Map<TSESTree.Node, ServedWaits>, client: RedisValue, command: Extract<CommandCall, { type: 'blocking' }>): void {
    if (!commandTimeoutCutsWaits(client.library) || command.isolated) return;
    const timeoutMs = command.timeout.ms;
    // A negative timeout is an error Redis answers at once; it waits for nothing.
    if (timeoutMs !== undefined && timeoutMs < 0) return;
    const ms = waitMsOf(timeoutMs, this.blockingTimeoutOf(client));
    const finite = ms !== undefined && Number.isFinite(ms) && ms > 0;
    const at = { command: command.command, call: command.call };
    for (let current: RedisValue | undefined = client; current; current = current.inheritsFrom) {
      const served = { ...(waits.get(current.creation) ?? NO_WAITS) };
      if (finite && ms > served.longest) {
        served.longest = ms;
        served.longestAt = at;
      }
      if (!finite) served.open ??= { ...at, forever: ms === Infinity };
      if (ms === Infinity && current === client) served.waitsForeverItself = true;
      waits.set(current.creation, served);
      if (!current.inheritsFrom || this.setsCommandBoundItself(current)) break;
    }
  }

  /** An explicit ioredis `blockingTimeout` (ms): the client then ends an endless wait itself. */
  private blockingTimeoutOf(client: RedisValue): number | undefined {
    const timeouts = timeoutsOf(client, this.analysis);
    return explicitBound(timeouts?.client['blocking-command'])?.ms || undefined;
  }

  /** The clients made in this file that a pool's `create` returns: its loans are those clients. */
  private clientsMadeBy(pool: RedisValue): RedisValue[] {
    const fn = createFunctionOf(pool, this.analysis.evaluator);
    if (!fn) return [];
    const clients: RedisValue[] = [];
    for (const expression of returnedExpressions(fn)) {
      const client = this.analysis.origins.valueOrPromised(expression);
      if (client?.call && client.how !== 'type' && !clients.includes(client)) clients.push(client);
    }
    return clients;
  }

  private collectDuplicates(): RedisValue[] {
    const duplicates: RedisValue[] = [];
    for (const node of nodesOfType(this.analysis.sourceCode.ast, AST_NODE_TYPES.CallExpression)) {
      const value = this.analysis.origins.valueOf(node);
      if (value?.creation === node && value.how === 'method' && value.inheritsFrom) duplicates.push(value);
    }
    return duplicates;
  }

  private inheritsBoundFrom(duplicate: RedisValue, source: RedisValue): boolean {
    for (let current = duplicate.inheritsFrom; current; current = current.inheritsFrom) {
      if (current.creation === source.creation) return true;
      if (this.setsCommandBoundItself(current)) return false;
    }
    return false;
  }
}

/** Whether the library's command timeout runs while a blocking command waits (catalog `cutsBlockingWait`). */
export function commandTimeoutCutsWaits(library: LibraryCatalog): boolean {
  return library.timeouts.some((spec) => spec.bounds === 'command' && spec.cutsBlockingWait === true);
}

/**
 * How long a blocking call waits, in ms: its own timeout, or for a timeout of 0 the client's
 * `blockingTimeout` when one is set; Infinity for a wait that never ends, undefined when the
 * timeout can't be read.
 */
export function waitMsOf(timeoutMs: number | undefined, blockingTimeoutMs: number | undefined): number | undefined {
  if (timeoutMs === undefined || Number.isNaN(timeoutMs)) return undefined;
  if (timeoutMs === 0 || timeoutMs === Infinity) return blockingTimeoutMs || Infinity;
  return timeoutMs;
}
