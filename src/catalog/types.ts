/**
 * A client library's catalog entry: every fact the rules, codemods and report need about it, so
 * that adding a library means adding one file.
 */

export type LibraryId =
  | 'node-redis' | 'ioredis' | 'iovalkey' | 'valkey-glide' | 'generic-pool' | 'tarn' | 'bullmq'
  | 'node-redis-legacy' | 'generic-pool-legacy' | 'bull' | 'bee-queue';

/**
 * What a recognised value is: a client (one connection, or a proxy of one, that runs commands in
 * order), a cluster (one in-order connection per node), a node-redis sentinel (leases clients
 * from master/replica pools), a pool (hands out loans, or runs commands on leased clients), a
 * lease (a loan to give back), tarn's pending-acquire (`.promise` resolves to the lease), or a
 * consumer (a library object, BullMQ's Worker, that takes a connection and blocks on it).
 */
export type ValueKind =
  | 'client' | 'cluster' | 'sentinel' | 'pool' | 'lease' | 'pending-acquire' | 'consumer';

/** How the commands of a client are spelt, which decides how a call is matched to a command. */
export type CommandStyle = 'ioredis' | 'node-redis' | 'glide' | 'node-redis-legacy';

/** Where the options object of a factory or constructor sits among its arguments. */
export type OptionsPosition = number | 'last-object';

export interface FactorySpec {
  type: 'factory';
  produces: ValueKind;
  /** The call returns a promise of the value (glide's createClient). */
  async?: boolean;
  /** Argument holding the client options (connection, timeouts). */
  optionsArg?: OptionsPosition;
  /** Argument holding the pool options (sizes, acquire timeout). */
  poolOptionsArg?: OptionsPosition;
  /** For pool factories: argument holding the resource factory (`{ create, destroy }`). */
  resourceFactoryArg?: number;
  /** For a cluster: the key inside the options that carries per-node client options. */
  nodeOptionsKey?: string;
}

/** What a queue object (Bull, bee-queue, BullMQ) opens and closes, for the leak rule and budget. */
export interface QueueConnectionsSpec {
  /** Argument holding the queue options (`'last-object'`: Bull's `(name, url?, opts?)`). */
  optionsArg: OptionsPosition;
  /** Option that takes the caller's connection: a client instance or its options (`connection`, `redis`). */
  connectionKey: string;
  /** Whether that option may be a client instance (BullMQ, bee-queue); false: options or a URL only (Bull). */
  acceptsClient: boolean;
  /** Option holding a caller's client factory whose clients the object never closes (Bull `createClient`). */
  clientFactoryKey?: string;
  /**
   * It listens on that factory's clients until `close()` (Bull: an 'error' handler on each,
   * removed on 'close'), so one made per call must be closed though it opens no connection.
   */
  listensOnFactoryClients?: boolean;
  /** Connections the object opens when it makes its own (the most it opens). */
  ownConnections: number;
  /** Connections it opens beside a caller-supplied client (duplicates for blocking or events). */
  connectionsBesideSupplied: number;
  /** Of the connections it opens, how many serve only blocking commands. */
  blockingConnections: number;
  /** Option that makes `close()` end a supplied client too (bee-queue `quitCommandClient`); absent: it never does. */
  closesSuppliedWith?: string;
}

export interface ClassSpec {
  type: 'class';
  produces: ValueKind;
  /** A queue object: the connections it opens and which of them its `close()` ends. */
  queue?: QueueConnectionsSpec;
  /** `Queue(name)` without `new` makes one too (Bull, generic-pool 2 `Pool(factory)`). */
  callableWithoutNew?: boolean;
  optionsArg?: OptionsPosition;
  poolOptionsArg?: OptionsPosition;
  /** Argument whose `create` builds the pool's resources (tarn puts it in the options). */
  resourceFactoryArg?: number;
  nodeOptionsKey?: string;
  /** Static members: `Redis.Cluster`, `GlideClient.createClient`. */
  statics?: Record<string, ExportSpec>;
}

export interface NamespaceSpec {
  type: 'namespace';
  members: Record<string, ExportSpec>;
}

/** node-redis 4 `commandOptions({ isolated: true })`: marks a call as run on an isolated client. */
export interface HelperSpec {
  type: 'helper';
  role: 'command-options';
}

export type ExportSpec = FactorySpec | ClassSpec | NamespaceSpec | HelperSpec;

export type MethodSpec =
  /** Returns a new value: `duplicate()`, `acquire()`. */
  | {
      type: 'produces';
      produces: ValueKind;
      async?: boolean;
      optionsArg?: OptionsPosition;
      /** The new value starts from the receiver's options (`duplicate(overrides)`). */
      inheritsOptions?: boolean;
      /**
       * The value goes to a node-style callback (generic-pool 2 `acquire(cb)`, node_redis
       * `duplicate(opts, cb)`): its argument (`'last'`: the last if a function) and parameter.
       */
      callback?: { arg: number | 'last'; param: number };
    }
  /** Returns the receiver itself, or a proxy of the same connection (`connect()`, `on()`). */
  | { type: 'self'; async?: boolean }
  /** Ends the receiver's connection, or gives back a loan. */
  | {
      type: 'release';
      /** `pool.release(x)`: which argument is the loan given back. Absent: the receiver itself. */
      loanArg?: number;
      /** `disconnect(true)` reconnects: not a release when the first argument is truthy. */
      notWhenFirstArgTruthy?: boolean;
      /** Ends only the object's main connection (BullMQ `disconnect()`): a release of a queue object that opens no other. */
      mainConnectionOnly?: boolean;
      /** The release returns a promise (so a codemod may `await` it). */
      async?: boolean;
    }
  /** Ends a whole pool (tarn `destroy()`, node-redis `pool.close()`): not a loan's release. */
  | { type: 'shutdown'; async?: boolean }
  /** Runs a callback with a lent resource and gives it back: `use`, `execute`, `executeIsolated`. */
  | {
      type: 'managed';
      callbackArg: number;
      /**
       * The loan's release it performs once the callback resolves: a `try/finally` releasing with
       * it can become this call (generic-pool `use` releases, never stands in for `destroy`).
       */
      releases?: string;
      /** What the loan gets when the callback rejects, if not that (generic-pool: destroy). */
      onReject?: string;
    }
  /** Adds an event listener: `on`, `once`, `addListener`. */
  | { type: 'listener' };

export interface ValueSpec {
  methods: Record<string, MethodSpec>;
  /**
   * A pool with no way to bound an acquire (generic-pool 2: no timeout option, no way to take a
   * waiting callback back); `upgrade` names where a bound exists. Absent: its `timeouts` say.
   */
  acquireWaitsForever?: { upgrade: string };
  /** Adds no 'error' listener to what `create` makes: a client without one crashes or logs. */
  leavesResourceErrorsUnhandled?: boolean;
  /** Commands sent on this value are spelt in this style. Absent: the value runs no commands. */
  commandStyle?: CommandStyle;
  /** Commands take a trailing reply callback (`get(key, (err, value) => …)`): it has the value. */
  replyCallback?: boolean;
  /** Does an unhandled 'error' event crash the process? */
  errorEvent?: 'crashes' | 'logs' | 'none';
  /**
   * The release a codemod writes when the code has none to reuse: the first entry whose versions
   * hold the installed major (unknown: the newest). Absent: the kind's only release method.
   */
  preferredRelease?: { method: string; versions?: VersionRange }[];
  /**
   * The method that opens a value made unconnected (node-redis). Absent: connected when made
   * (ioredis: in the constructor, or on the first command with `lazyConnect`).
   */
  opensWith?: string;
  /**
   * With `opensWith`: the property that tells it is open, so a shared value can be opened on first
   * use (`if (!c.isOpen) await c.connect()`), and the options that make commands fail instead of
   * queueing while it opens (a second caller then fails). Absent: not safely (a node-redis
   * cluster rejects commands until it knows its slots).
   */
  openState?: { property: string; offlineQueueDisabledBy: string[] };
}

/** Where a blocking method's timeout argument sits. */
export type TimeoutLocation =
  /** A positional argument; negative counts from the end (-1: last). */
  | { arg: number }
  /** A key of an options object at argument `arg` (`xRead(streams, { BLOCK })`). */
  | { arg: number; key: string }
  /** A keyword inside a flat argument list (`'BLOCK', 0`). */
  | { keyword: string };

export interface BlockingMethodSpec {
  /** Canonical Redis command name, upper case. */
  command: string;
  timeout: TimeoutLocation;
  /** The command blocks only when its timeout is present (XREAD without BLOCK returns at once). */
  blocksOnlyWithTimeout?: boolean;
}

export type VersionRange = { majors: number[] };

export interface TimeoutOptionSpec {
  /** Property path inside the options object: ['socket', 'connectTimeout']. */
  path: string[];
  /** Which value kind's options hold it. */
  appliesTo: ValueKind;
  /** Which argument of the factory holds it: the client options or the pool options. */
  argument: 'options' | 'poolOptions';
  bounds: 'connect' | 'command' | 'socket-idle' | 'acquire' | 'blocking-command';
  /** Default in milliseconds, or null when unset means no bound at all. */
  defaultMs: number | null;
  /** What an explicit 0 means ('throws': the options are rejected; 'immediate': fires at once). */
  zero: 'forever' | 'default' | 'disabled' | 'throws' | 'immediate';
  /** Which installed majors have this option (absent: all). */
  versions?: VersionRange;
  /** It runs while a blocking command waits, so a bound no longer than the wait ends the call. */
  cutsBlockingWait?: boolean;
  /**
   * What it then does to the call (set with `cutsBlockingWait`): rejects it while the server keeps
   * the connection parked (ioredis `commandTimeout`), destroys the socket and resends it on
   * reconnect (ioredis `socketTimeout`), or rejects it and closes the client for good (node-redis
   * `socket.socketTimeout`, default reconnect strategy).
   */
  blockingWaitCut?: 'rejects-call' | 'resends-call' | 'closes-client';
  note: string;
}

export interface PoolSizeOptionSpec {
  path: string[];
  /** The kind of value whose factory takes it (`client` for node-redis 4 isolation pools). */
  appliesTo: ValueKind;
  argument: 'options' | 'poolOptions';
  versions?: VersionRange;
  role: 'max' | 'min' | 'max-waiting';
  default: number | null;
  /** The library throws without it. */
  required?: boolean;
  /** What happens when min > max. */
  minAboveMax?: 'clamped' | 'throws' | 'creates-min';
  /** The library reads the value with `parseInt(v, 10)`: `Infinity` and `1e21` give NaN, then the default. */
  parse?: 'parseInt';
  /** The library raises a smaller value to this (generic-pool: max at least 1). */
  floor?: number;
  /** The pool underneath is this library's (node-redis 4's isolation pool is a generic-pool). */
  engine?: LibraryId;
  /**
   * The pool lends each connection to one caller at a time, so a `max` left at a default of 1
   * makes callers take turns (generic-pool); a sentinel's one master connection is shared instead.
   */
  lendsExclusively?: boolean;
  /** Connections go to each replica node rather than to the primary (sentinel `replicaPoolSize`). */
  perReplica?: boolean;
  note?: string;
}

export interface IdleEvictionSpec {
  idleOption: string;
  softIdleOption: string;
  /** The evictor runs only when this is above 0. */
  intervalOption: string;
  intervalDefault: number;
}

export interface LibraryCatalog {
  id: LibraryId;
  displayName: string;
  /**
   * The majors this entry describes when another entry shares its modules (node_redis 2/3 beside
   * node-redis 4+): an import resolves to the entry holding the detected major, else to the other.
   */
  majors?: VersionRange;
  /** The newest major the catalog describes; its facts apply when the version can't be detected. */
  latestMajor: number;
  /** The pool's idle eviction: idle timeouts act only while the evictor runs (generic-pool 3). */
  idleEviction?: IdleEvictionSpec;
  /** npm package names whose installed version decides version-dependent facts. */
  packages: string[];
  /** Module specifiers that load this library (`redis`, `@redis/client`, `ioredis`). */
  modules: string[];
  exports: Record<string, ExportSpec>;
  /** What `import X from 'm'` gives (ESM default). Absent: the module namespace (CJS interop). */
  defaultExport?: ExportSpec;
  /** What `require('m')` gives, when it is not the namespace (ioredis: the Redis class). */
  commonjsExport?: ExportSpec;
  /** Behaviour of the values the library produces, by kind. */
  values: Partial<Record<ValueKind, ValueSpec>>;
  /** Blocking methods by method name, for this library's command style. */
  blockingMethods?: Record<string, BlockingMethodSpec>;
  /**
   * Methods that send a raw command: `call('blpop', …)` (`spread`), `sendCommand(['BLPOP', …])`
   * (`array`), node_redis 2/3 `send_command('blpop', [key, 0], cb)` (`name-and-array`: the name at
   * `arg`, its arguments in an array right after it).
   */
  rawCommandMethods?: Record<string, { argv: 'spread' | 'array' | 'name-and-array'; arg: number }>;
  /**
   * Commands also take their arguments as one array (`blpop([key, 0], cb)`) or a first argument
   * and an array of the rest (`blpop(key, [0], cb)`), with an optional callback (node_redis 2/3).
   */
  commandArgvArrays?: boolean;
  /**
   * Majors whose calls can run on an isolated connection of the client's pool (node-redis 4:
   * `commandOptions({ isolated: true })` first, `{ isolated: true }` after `sendCommand`'s argv).
   */
  isolatedCalls?: { versions: VersionRange };
  /** Takeover methods by name (the connection serves nothing else while subscribed). */
  takeoverMethods?: Record<string, string>;
  timeouts: TimeoutOptionSpec[];
  poolSizes: PoolSizeOptionSpec[];
  /** How many times a command is retried across reconnects, and what `null` means (ioredis family). */
  retries?: { optionPath: string[]; default: number; nullMeans: 'forever' };
  /** The protocol a client speaks unless told otherwise, by major, and the option that sets it. */
  protocol?: { optionPath: string[]; defaultByMajor: Record<number, 2 | 3> };
  /**
   * A client's command bound depends on its major more than its options (node-redis 4: no option;
   * 5: unset by default; 6: 5000 ms): `require-timeout` words findings by major, and its
   * `nodeRedisCommandTimeout` option picks which it reports.
   */
  commandBoundByMajor?: boolean;
  /**
   * `duplicate(overrides)` of a cluster merges the per-node options under `nodeOptionsKey` one
   * level deep with the source's (ioredis), instead of replacing them as a whole.
   */
  mergesNodeOptionsOnDuplicate?: boolean;
  /**
   * A cluster takes client timeouts only under `nodeOptionsKey` (ioredis ClusterOptions has
   * no `commandTimeout`); absent: at the top too (node-redis `createCluster({ commandOptions })`).
   */
  clusterTimeoutsPerNode?: boolean;
  /**
   * Its clients can be a BullMQ `connection` (an ioredis instance), so one set up as BullMQ needs
   * (`maxRetriesPerRequest: null`) may be a connection BullMQ blocks on.
   */
  queueConnection?: boolean;
  /** How its pools are named in messages and the report (`client pool`); absent: `pool`. */
  poolLabel?: string;
  /** Type names (as declared in the library's .d.ts) and the value kind they denote. */
  typeNames: Record<string, ValueKind>;
  /** Declaration packages whose types belong to this library (`@redis/client`). */
  typePackages: string[];
}
