/**
 * node-redis (`redis`, `@redis/client`), majors 4, 5 and 6.
 * Checked in node_modules: redis 6.3.1, redis 5.12.1 and redis 4.7.0 (@redis/client of each).
 */
import { GENERIC_POOL_SIZES } from './generic-pool';
import { EMITTER_LISTENERS, withUpperCase } from './shared';
import type { LibraryCatalog, MethodSpec, PoolSizeOptionSpec, ValueSpec } from './types';

// Proxies that run on the same connection: a value of these is the same client.
const sameConnectionProxies: Record<string, MethodSpec> = {
  withTypeMapping: { type: 'self' },
  withCommandOptions: { type: 'self' },
  withAbortSignal: { type: 'self' },
  asap: { type: 'self' },
  legacy: { type: 'self' },
};

// What clients, clusters and sentinels share: connect() resolves to the value itself,
// close()/destroy() end it (quit/disconnect are the deprecated aliases, and 4's only ways).
const connectionMethods: Record<string, MethodSpec> = {
  ...EMITTER_LISTENERS,
  ...sameConnectionProxies,
  connect: { type: 'self', async: true },
  close: { type: 'release', async: true },
  destroy: { type: 'release' },
  quit: { type: 'release', async: true },
  disconnect: { type: 'release', async: true },
};

// close() drains and is current in 5/6 (quit is a deprecated alias); 4 has no close().
const preferredRelease: ValueSpec['preferredRelease'] = [
  { method: 'close', versions: { majors: [5, 6] } },
  { method: 'quit', versions: { majors: [4] } },
];

// Clients, clusters, pools and sentinels are made unconnected (createClient(), duplicate()) and opened with connect().
const nodeRedisValue = { commandStyle: 'node-redis', errorEvent: 'crashes', opensWith: 'connect' } as const;

const clientLike: ValueSpec = {
  ...nodeRedisValue,
  methods: {
    ...connectionMethods,
    duplicate: { type: 'produces', produces: 'client', optionsArg: 0, inheritsOptions: true },
    QUIT: { type: 'release', async: true },
    // node-redis 4: a generic-pool `use` on the isolation pool underneath.
    executeIsolated: { type: 'managed', callbackArg: 0, onReject: 'destroy' },
  },
  preferredRelease,
  // lib/client/index.js: `isOpen` is set when connect() starts and cleared when the client closes.
  openState: { property: 'isOpen', offlineQueueDisabledBy: ['disableOfflineQueue'] },
};

export const nodeRedis: LibraryCatalog = {
  id: 'node-redis',
  displayName: 'node-redis',
  latestMajor: 6,
  packages: ['redis', '@redis/client'],
  modules: ['redis', '@redis/client'],
  exports: {
    createClient: { type: 'factory', produces: 'client', optionsArg: 0 },
    createCluster: { type: 'factory', produces: 'cluster', optionsArg: 0, nodeOptionsKey: 'defaults' },
    createClientPool: { type: 'factory', produces: 'pool', optionsArg: 0, poolOptionsArg: 1 },
    createSentinel: { type: 'factory', produces: 'sentinel', optionsArg: 0, poolOptionsArg: 0 },
    commandOptions: { type: 'helper', role: 'command-options' },
  },
  values: {
    client: clientLike,
    cluster: {
      ...nodeRedisValue,
      methods: {
        ...connectionMethods,
        duplicate: { type: 'produces', produces: 'cluster', optionsArg: 0, inheritsOptions: true },
      },
      preferredRelease,
    },
    pool: {
      // Each pool command leases one client for that command.
      ...nodeRedisValue,
      methods: {
        ...EMITTER_LISTENERS,
        ...sameConnectionProxies,
        connect: { type: 'self', async: true },
        execute: { type: 'managed', callbackArg: 0 },
        close: { type: 'release', async: true },
        destroy: { type: 'release' },
      },
    },
    sentinel: {
      ...nodeRedisValue,
      methods: {
        ...connectionMethods,
        duplicate: { type: 'produces', produces: 'sentinel', optionsArg: 0, inheritsOptions: true },
        acquire: { type: 'produces', produces: 'lease', async: true },
        // Leases a master client for the callback and releases it after (no public `execute`:
        // that method belongs to the internal RedisSentinelInternal class).
        use: { type: 'managed', callbackArg: 0, releases: 'release' },
      },
    },
    lease: {
      // A sentinel lease is a client that goes back with its own release().
      commandStyle: 'node-redis',
      errorEvent: 'none',
      methods: { release: { type: 'release', async: true } },
    },
  },
  blockingMethods: withUpperCase({
    blPop: { command: 'BLPOP', timeout: { arg: -1 } },
    brPop: { command: 'BRPOP', timeout: { arg: -1 } },
    brPopLPush: { command: 'BRPOPLPUSH', timeout: { arg: -1 } },
    blMove: { command: 'BLMOVE', timeout: { arg: 4 } },
    blMoveM: { command: 'BLMOVEM', timeout: { arg: 4 } },
    blmPop: { command: 'BLMPOP', timeout: { arg: 0 } },
    bzPopMin: { command: 'BZPOPMIN', timeout: { arg: -1 } },
    bzPopMax: { command: 'BZPOPMAX', timeout: { arg: -1 } },
    bzmPop: { command: 'BZMPOP', timeout: { arg: 0 } },
    xRead: { command: 'XREAD', timeout: { arg: 1, key: 'BLOCK' }, blocksOnlyWithTimeout: true },
    xReadGroup: { command: 'XREADGROUP', timeout: { arg: 3, key: 'BLOCK' }, blocksOnlyWithTimeout: true },
    wait: { command: 'WAIT', timeout: { arg: 1 } },
  }),
  rawCommandMethods: { sendCommand: { argv: 'array', arg: 0 } },
  // @redis/client 1.x (node-redis 4) lib/command-options.js and client/index.js #sendCommand;
  // node-redis 5 dropped both `commandOptions` and isolated execution.
  isolatedCalls: { versions: { majors: [4] } },
  takeoverMethods: withUpperCase({ subscribe: 'SUBSCRIBE', pSubscribe: 'PSUBSCRIBE', sSubscribe: 'SSUBSCRIBE', monitor: 'MONITOR' }),
  timeouts: [
    {
      path: ['socket', 'connectTimeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'connect',
      defaultMs: 5000,
      zero: 'default',
      note: 'Bounds the TCP/TLS connect only.',
    },
    {
      path: ['commandOptions', 'timeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'command',
      defaultMs: 5000,
      zero: 'forever',
      versions: { majors: [6] },
      note: 'Covers commands not yet written to the socket; a command queued behind a blocking one still waits.',
    },
    {
      path: ['commandOptions', 'timeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'command',
      defaultMs: null,
      zero: 'forever',
      versions: { majors: [5] },
      note: 'Unset by default: a command issued while the server is away waits forever.',
    },
    {
      path: ['socket', 'socketTimeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'socket-idle',
      defaultMs: null,
      zero: 'disabled',
      versions: { majors: [5, 6] },
      cutsBlockingWait: true,
      blockingWaitCut: 'closes-client',
      note: 'Idle-based: fires during a long blocking command and, with the default reconnect strategy, closes the client for good.',
    },
    {
      path: ['acquireTimeout'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      bounds: 'acquire',
      defaultMs: 3000,
      zero: 'forever',
      versions: { majors: [5, 6] },
      note: '0 means a command waits forever for a free client.',
    },
    {
      path: ['isolationPoolOptions', 'acquireTimeoutMillis'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'acquire',
      defaultMs: null,
      zero: 'default',
      versions: { majors: [4] },
      note: 'The isolation pool is a generic-pool: no acquire timeout unless set.',
    },
  ],
  poolSizes: [
    {
      path: ['maximum'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      role: 'max',
      default: 100,
      versions: { majors: [5, 6] },
    },
    {
      path: ['minimum'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      role: 'min',
      default: 1,
      minAboveMax: 'creates-min',
      versions: { majors: [5, 6] },
      note: 'Not validated: { minimum: 5, maximum: 2 } creates 5 clients.',
    },
    // node-redis 4's isolation pool is a generic-pool: createPool gets isolationPoolOptions as they
    // are (@redis/client 1.6 lib/client/index.js).
    ...GENERIC_POOL_SIZES.map((spec): PoolSizeOptionSpec => ({
      ...spec,
      path: ['isolationPoolOptions', ...spec.path],
      appliesTo: 'client',
      argument: 'options',
      versions: { majors: [4] },
      engine: 'generic-pool',
    })),
    {
      path: ['masterPoolSize'],
      appliesTo: 'sentinel',
      argument: 'options',
      role: 'max',
      default: 1,
    },
    {
      path: ['replicaPoolSize'],
      appliesTo: 'sentinel',
      argument: 'options',
      role: 'max',
      default: 0,
      perReplica: true,
      note: 'Clients opened to each replica node.',
    },
  ],
  protocol: { optionPath: ['RESP'], defaultByMajor: { 4: 2, 5: 2, 6: 3 } },
  commandBoundByMajor: true,
  poolLabel: 'client pool',
  typeNames: {
    RedisClientType: 'client',
    RedisClient: 'client',
    RedisClusterType: 'cluster',
    RedisCluster: 'cluster',
    RedisClientPoolType: 'pool',
    RedisClientPool: 'pool',
    RedisSentinelType: 'sentinel',
    RedisSentinel: 'sentinel',
    RedisSentinelClientType: 'lease',
  },
  typePackages: ['@redis/client', 'redis'],
};
