/**
 * Facts about a connection's own state, which decide whether a connection made for one call can
 * become one the whole module shares (the `shared-client` codemod).
 * Checked in node_modules: @redis/client 6.3 / 5.12 / 1.6 (lib/client/socket.js, index.js),
 * ioredis 6.0 (built/Redis.js).
 */

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
