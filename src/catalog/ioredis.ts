/**
 * ioredis, majors 5 and 6. Checked in node_modules: ioredis 6.0.0 and 5.11.1
 * (built/redis/RedisOptions.js defaults, built/Redis.d.ts, built/cluster/index.d.ts).
 * iovalkey is a fork with the same surface; its file reuses these tables.
 */
import { EMITTER_LISTENERS } from './shared';
import type {
  BlockingMethodSpec,
  ClassSpec,
  LibraryCatalog,
  MethodSpec,
  TimeoutOptionSpec,
  ValueSpec,
} from './types';

const connectionMethods: Record<string, MethodSpec> = {
  ...EMITTER_LISTENERS,
  // connect() resolves to nothing useful, but the receiver stays the same connection.
  connect: { type: 'self', async: true },
  quit: { type: 'release', async: true },
  // disconnect(true) reconnects: it is not a release.
  disconnect: { type: 'release', notWhenFirstArgTruthy: true },
  end: { type: 'release' },
};

export function ioredisFamilyValues(): Partial<Record<'client' | 'cluster', ValueSpec>> {
  const value = (kind: 'client' | 'cluster', duplicateOptionsArg: number): ValueSpec => ({
    commandStyle: 'ioredis',
    // built/utils/Commander.js: a trailing function is popped off as the command's callback.
    replyCallback: true,
    errorEvent: 'logs',
    methods: {
      ...connectionMethods,
      duplicate: { type: 'produces', produces: kind, optionsArg: duplicateOptionsArg, inheritsOptions: true },
    },
    // quit() waits for pending replies; disconnect() drops them.
    preferredRelease: [{ method: 'quit' }],
  });
  return { client: value('client', 0), cluster: value('cluster', 1) };
}

/**
 * Lower-case methods; most have a `…Buffer` twin that sends the same command (checked per
 * method in built/utils/RedisCommander.d.ts: BZMPOP, WAIT and WAITAOF have none, XREADGROUP has
 * one only in ioredis 6, WAITAOF exists only in iovalkey).
 */
const blockingBase: Record<string, BlockingMethodSpec & { bufferTwin: boolean }> = {
  blpop: { command: 'BLPOP', timeout: { arg: -1 }, bufferTwin: true },
  brpop: { command: 'BRPOP', timeout: { arg: -1 }, bufferTwin: true },
  brpoplpush: { command: 'BRPOPLPUSH', timeout: { arg: -1 }, bufferTwin: true },
  blmove: { command: 'BLMOVE', timeout: { arg: 4 }, bufferTwin: true },
  blmovem: { command: 'BLMOVEM', timeout: { arg: 4 }, bufferTwin: true },
  blmpop: { command: 'BLMPOP', timeout: { arg: 0 }, bufferTwin: true },
  bzpopmin: { command: 'BZPOPMIN', timeout: { arg: -1 }, bufferTwin: true },
  bzpopmax: { command: 'BZPOPMAX', timeout: { arg: -1 }, bufferTwin: true },
  bzmpop: { command: 'BZMPOP', timeout: { arg: 0 }, bufferTwin: false },
  xread: { command: 'XREAD', timeout: { keyword: 'BLOCK' }, blocksOnlyWithTimeout: true, bufferTwin: true },
  xreadgroup: { command: 'XREADGROUP', timeout: { keyword: 'BLOCK' }, blocksOnlyWithTimeout: true, bufferTwin: true },
  wait: { command: 'WAIT', timeout: { arg: 1 }, bufferTwin: false },
  waitaof: { command: 'WAITAOF', timeout: { arg: 2 }, bufferTwin: false },
};

export function ioredisFamilyBlockingMethods(
  without: string[],
  withoutBufferTwin: string[] = [],
): Record<string, BlockingMethodSpec> {
  const methods: Record<string, BlockingMethodSpec> = {};
  for (const [name, { bufferTwin, ...spec }] of Object.entries(blockingBase)) {
    if (without.includes(name)) continue;
    methods[name] = spec;
    if (bufferTwin && !withoutBufferTwin.includes(name)) methods[`${name}Buffer`] = spec;
  }
  return methods;
}

export const ioredisFamilyTakeover: Record<string, string> = {
  subscribe: 'SUBSCRIBE',
  psubscribe: 'PSUBSCRIBE',
  ssubscribe: 'SSUBSCRIBE',
  // No `monitor`: ioredis's monitor() opens a duplicate in monitor mode (built/Redis.js) and the
  // receiver keeps serving commands. Only a raw `call('monitor')` takes the receiver over.
};

export const ioredisFamilyRawCommands: LibraryCatalog['rawCommandMethods'] = {
  call: { argv: 'spread', arg: 0 },
  callBuffer: { argv: 'spread', arg: 0 },
  send_command: { argv: 'spread', arg: 0 },
};

// `new Redis(port?, host?, options?)`, `new Redis(url, options?)`, `new Redis(options)`:
// the options are whichever argument is an object.
export function ioredisFamilyClasses(): { Redis: ClassSpec; Cluster: ClassSpec } {
  const Cluster: ClassSpec = {
    type: 'class',
    produces: 'cluster',
    optionsArg: 1,
    nodeOptionsKey: 'redisOptions',
  };
  const Redis: ClassSpec = {
    type: 'class',
    produces: 'client',
    optionsArg: 'last-object',
    statics: { Cluster, Redis: { type: 'class', produces: 'client', optionsArg: 'last-object' } },
  };
  return { Redis, Cluster };
}

export function ioredisFamilyTimeouts(withBlockingTimeout: boolean): TimeoutOptionSpec[] {
  const timeouts: TimeoutOptionSpec[] = [
    {
      path: ['connectTimeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'connect',
      defaultMs: 10000,
      zero: 'forever',
      note: 'Bounds the connect only; 0 turns the connect timer off (Redis.js: `if (options.connectTimeout)`).',
    },
    {
      path: ['commandTimeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'command',
      defaultMs: null,
      // built/Redis.js arms it whenever it is a number: 0 rejects every command at once.
      zero: 'immediate',
      cutsBlockingWait: true,
      // built/Redis.js: the timer rejects the call; the server still answers it later (ioredis #1630).
      blockingWaitCut: 'rejects-call',
      note: 'Unset means none; when set it applies to every command, blocking ones too.',
    },
    {
      path: ['socketTimeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'socket-idle',
      defaultMs: null,
      // Armed whenever it is not undefined: 0 destroys the socket right after a write.
      zero: 'immediate',
      // Armed when the BLPOP is written; no reply until the wait ends, so it fires first.
      cutsBlockingWait: true,
      // The reconnect re-sends the pending call, which waits again from the start.
      blockingWaitCut: 'resends-call',
      note: 'Armed on write; on expiry destroys the socket and reconnects.',
    },
  ];
  if (withBlockingTimeout) {
    timeouts.push({
      path: ['blockingTimeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'blocking-command',
      defaultMs: null,
      zero: 'disabled',
      note: 'ioredis 5.9.1+: a blocking command resolves null on expiry (plus blockingTimeoutGrace, 100 ms).',
    });
  }
  return timeouts;
}

const classes = ioredisFamilyClasses();

export const ioredis: LibraryCatalog = {
  id: 'ioredis',
  displayName: 'ioredis',
  latestMajor: 6,
  packages: ['ioredis'],
  modules: ['ioredis'],
  exports: { Redis: classes.Redis, Cluster: classes.Cluster, default: classes.Redis },
  defaultExport: classes.Redis,
  commonjsExport: classes.Redis,
  values: ioredisFamilyValues(),
  blockingMethods: ioredisFamilyBlockingMethods(['waitaof']),
  rawCommandMethods: ioredisFamilyRawCommands,
  takeoverMethods: ioredisFamilyTakeover,
  timeouts: ioredisFamilyTimeouts(true),
  poolSizes: [],
  // built/redis/RedisOptions.js: maxRetriesPerRequest 20; null retries for as long as Redis is away.
  retries: { optionPath: ['maxRetriesPerRequest'], default: 20, nullMeans: 'forever' },
  protocol: { optionPath: ['protocol'], defaultByMajor: { 4: 2, 5: 2, 6: 3 } },
  // built/cluster/index.js duplicate(): `Object.assign({}, this.options.redisOptions, overrideOptions.redisOptions)`.
  mergesNodeOptionsOnDuplicate: true,
  clusterTimeoutsPerNode: true,
  queueConnection: true,
  typeNames: { Redis: 'client', default: 'client', Cluster: 'cluster' },
  typePackages: ['ioredis'],
};
