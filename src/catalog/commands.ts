/**
 * Redis protocol facts shared by every client library: which commands block the connection,
 * which take it over, and where their timeout sits in the command's own argument list (argv,
 * after the command name). Library files map their method spellings onto these names.
 */
import type { TimeoutLocation } from './types';

export interface ProtocolCommand {
  /** Where the timeout sits in argv (after the command name). */
  timeout: TimeoutLocation;
  /** Seconds (may be fractional) or milliseconds. */
  unit: 's' | 'ms';
  /** XREAD and XREADGROUP block only when BLOCK is given. */
  blocksOnlyWithTimeout?: boolean;
}

export const BLOCKING_COMMANDS: Readonly<Record<string, ProtocolCommand>> = {
  BLPOP: { timeout: { arg: -1 }, unit: 's' },
  BRPOP: { timeout: { arg: -1 }, unit: 's' },
  BRPOPLPUSH: { timeout: { arg: -1 }, unit: 's' },
  BLMOVE: { timeout: { arg: -1 }, unit: 's' },
  // BLMOVEM ships with node-redis 6 and ioredis 6 clients; its timeout follows the two keys and
  // the two directions, as BLMOVE's does.
  BLMOVEM: { timeout: { arg: 4 }, unit: 's' },
  BLMPOP: { timeout: { arg: 0 }, unit: 's' },
  BZPOPMIN: { timeout: { arg: -1 }, unit: 's' },
  BZPOPMAX: { timeout: { arg: -1 }, unit: 's' },
  BZMPOP: { timeout: { arg: 0 }, unit: 's' },
  XREAD: { timeout: { keyword: 'BLOCK' }, unit: 'ms', blocksOnlyWithTimeout: true },
  XREADGROUP: { timeout: { keyword: 'BLOCK' }, unit: 'ms', blocksOnlyWithTimeout: true },
  WAIT: { timeout: { arg: 1 }, unit: 'ms' },
  WAITAOF: { timeout: { arg: 2 }, unit: 'ms' },
};

/** Commands after which the connection serves nothing else (under RESP2 for the pub/sub ones). */
export const TAKEOVER_COMMANDS: Readonly<Record<string, { onlyUnderResp2: boolean }>> = {
  SUBSCRIBE: { onlyUnderResp2: true },
  PSUBSCRIBE: { onlyUnderResp2: true },
  SSUBSCRIBE: { onlyUnderResp2: true },
  MONITOR: { onlyUnderResp2: false },
};

/**
 * Servers before Redis 7.0.8 turn a timeout under 0.002 s into 0, which means forever
 * (redis/redis#11688; BullMQ keeps 0.002 s as its floor for them). Before 6.0 timeouts are
 * whole seconds and a fraction is an error.
 */
export const SMALLEST_SAFE_BLOCKING_SECONDS = 0.002;

/**
 * Whether a takeover command takes the connection over under this protocol: MONITOR always; the
 * SUBSCRIBE family only under RESP2 (RESP3 carries pushes beside replies). Unknown protocol: not
 * provably.
 */
export function takesOverConnection(command: string, protocol: 2 | 3 | undefined): boolean {
  const spec = TAKEOVER_COMMANDS[command.toUpperCase()];
  if (!spec) return false;
  return !spec.onlyUnderResp2 || protocol === 2;
}
