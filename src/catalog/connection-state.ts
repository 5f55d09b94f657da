/**
 * Facts about a connection's own state, which decide whether a connection made for one call can
 * become one the whole module shares (the `shared-client` codemod).
 * Checked in node_modules: @redis/client 6.3 / 5.12 / 1.6 (lib/client/socket.js, index.js),
 * ioredis 6.0 (built/Redis.js).
 */
import type { LibraryId, ValueKind } from './types';

/**
 * Commands that change the state of the connection they run on: a later command of another
 * caller on a shared connection would run in that state (WATCH'd keys, another database, a
 * half-built transaction, another client name or protocol). MULTI itself is left out: the
 * libraries' `multi()` builds the transaction in memory and sends it whole.
 */
export const CONNECTION_STATE_COMMANDS: ReadonlySet<string> = new Set([
  'WATCH',
  'UNWATCH',
  'EXEC',
  'DISCARD',
  'SELECT',
  'SWAPDB',
  'AUTH',
  'HELLO',
  'RESET',
  'READONLY',
  'READWRITE',
  'ASKING',
]);

/**
 * Prefixes of commands that set connection state, as node-redis spells its subcommands in one
 * camelCase method (`clientSetName` → CLIENTSETNAME): every CLIENT subcommand counts.
 */
export const CONNECTION_STATE_PREFIXES: readonly string[] = ['CLIENT'];

export function changesConnectionState(command: string): boolean {
  const name = command.toUpperCase();
  return CONNECTION_STATE_COMMANDS.has(name) || CONNECTION_STATE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * For libraries whose clients are made unconnected (`opensWith` in their catalog entry): the
 * property that tells whether `connect()` has been called, and the option that makes commands
 * fail instead of waiting while the connection opens.
 * node-redis sets `isOpen` synchronously when `connect()` starts and clears it when the client
 * closes or its reconnect strategy gives up, so `if (!c.isOpen) await c.connect()` opens a shared
 * client once; a second caller meanwhile queues its commands unless `disableOfflineQueue` is set.
 * A cluster is different: it rejects commands with ClientOfflineError until its slots are
 * discovered (cluster-slots.js `#assertReady`), so `kinds` leaves it out.
 */
export const OPEN_STATE: Partial<Record<LibraryId, { property: string; offlineQueueDisabledBy: string[]; kinds: ValueKind[] }>> = {
  'node-redis': { property: 'isOpen', offlineQueueDisabledBy: ['disableOfflineQueue'], kinds: ['client'] },
};
