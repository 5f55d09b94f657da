/**
 * node_redis 2 and 3: the `redis` package below 4, callback era. Checked in node_modules: redis
 * 3.1.1 (installed as `redis3`: index.js, lib/createClient.js, lib/extendedApi.js,
 * lib/individualCommands.js) and 2.8.0 (`redis2`, the same layout). The same module name as
 * node-redis 4+: `majors` sends an import here only when the detected major is 0 to 3 (0.x
 * and 1.x, still pinned by old services, have the same callback API, `createClient(port, host)`
 * and throw on an unhandled 'error' the same way; `duplicate()` came in 2.x).
 *
 * - `createClient(port, host, opts)`, `createClient(url, opts)`, `createClient(opts)` and
 *   `new RedisClient(opts)` open the socket in the constructor (no `connect()`).
 * - Commands are lower case and upper case (`get`, `GET`, `blpop`, `BLPOP`) and take a trailing
 *   node-style callback; the command list comes from `redis-commands` (BLMPOP, BZMPOP and WAITAOF
 *   are not in the one 3.1 ships).
 * - `quit(cb)` sends QUIT and ends the client once Redis answers; `end(flush)` destroys the
 *   socket now (`end()` without `flush` is deprecated and warns). Both return no promise.
 * - `duplicate(opts?, cb?)` makes a new client from the receiver's options; with a callback it
 *   returns nothing and hands the client to `cb(err, client)` once ready.
 * - An 'error' with no listener crashes the process (a plain EventEmitter). With `retry_strategy`
 *   set, socket errors are not emitted while it retries; its giving up is.
 * - No command timeout exists: with the offline queue on (the default) a command issued while
 *   Redis is away waits until a reconnect, or until `connect_timeout` ends the retries.
 * - Only RESP2: a SUBSCRIBE or MONITOR takes the connection over.
 */
import { EMITTER_LISTENERS, withUpperCase } from './shared';
import type { LibraryCatalog } from './types';

export const nodeRedisLegacy: LibraryCatalog = {
  id: 'node-redis-legacy',
  displayName: 'node_redis',
  latestMajor: 3,
  majors: { majors: [0, 1, 2, 3] },
  packages: ['redis'],
  modules: ['redis'],
  exports: {
    // lib/createClient.js: the options are the last argument when it is an object.
    createClient: { type: 'factory', produces: 'client', optionsArg: 'last-object' },
    RedisClient: { type: 'class', produces: 'client', optionsArg: 0 },
  },
  values: {
    client: {
      commandStyle: 'node-redis-legacy',
      // lib/commands.js: a trailing function is the command's callback, called with (err, reply).
      replyCallback: true,
      errorEvent: 'crashes',
      methods: {
        ...EMITTER_LISTENERS,
        duplicate: {
          type: 'produces',
          produces: 'client',
          optionsArg: 0,
          inheritsOptions: true,
          callback: { arg: 'last', param: 1 },
        },
        quit: { type: 'release' },
        QUIT: { type: 'release' },
        end: { type: 'release' },
      },
      preferredRelease: [{ method: 'quit' }],
    },
  },
  // Lower and upper case spellings of the blocking commands the 3.1 client has.
  blockingMethods: withUpperCase({
    blpop: { command: 'BLPOP', timeout: { arg: -1 } },
    brpop: { command: 'BRPOP', timeout: { arg: -1 } },
    brpoplpush: { command: 'BRPOPLPUSH', timeout: { arg: -1 } },
    blmove: { command: 'BLMOVE', timeout: { arg: -1 } },
    bzpopmin: { command: 'BZPOPMIN', timeout: { arg: -1 } },
    bzpopmax: { command: 'BZPOPMAX', timeout: { arg: -1 } },
    xread: { command: 'XREAD', timeout: { keyword: 'BLOCK' }, blocksOnlyWithTimeout: true },
    xreadgroup: { command: 'XREADGROUP', timeout: { keyword: 'BLOCK' }, blocksOnlyWithTimeout: true },
    wait: { command: 'WAIT', timeout: { arg: 1 } },
  }),
  // lib/extendedApi.js: `send_command(name, args?, cb?)` (alias `sendCommand`) takes the name as
  // a string and its arguments as an array; `args` may be left out or be the callback.
  rawCommandMethods: {
    send_command: { argv: 'name-and-array', arg: 0 },
    sendCommand: { argv: 'name-and-array', arg: 0 },
  },
  // lib/commands.js: `cmd([a, b], cb)` (a callback only when there are exactly two arguments) and
  // `cmd(a, [b], cb)` (exactly three) are read as `cmd(a, b, cb)`.
  commandArgvArrays: true,
  takeoverMethods: withUpperCase({ subscribe: 'SUBSCRIBE', psubscribe: 'PSUBSCRIBE', monitor: 'MONITOR' }),
  timeouts: [
    {
      path: ['connect_timeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'connect',
      // index.js: `+options.connect_timeout || 3600000`, so 0 and unset both mean one hour.
      defaultMs: 3_600_000,
      zero: 'default',
      note: 'Unset: each connect attempt has no socket timeout and reconnecting gives up after an hour in total; set: bounds both.',
    },
  ],
  poolSizes: [],
  // The library has no protocol option (it speaks RESP2 only); `RESP` is read nowhere, so the
  // default below is what every client gets.
  protocol: { optionPath: ['RESP'], defaultByMajor: { 2: 2, 3: 2 } },
  typeNames: { RedisClient: 'client' },
  // @types/redis describes node_redis 2/3 (node-redis 4+ ships its own types).
  typePackages: ['@types/redis'],
};
