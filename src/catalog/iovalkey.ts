/**
 * iovalkey, the Valkey fork of ioredis. Checked in node_modules: iovalkey 0.4.0. Same surface
 * as ioredis 5, plus a `Valkey` export and `waitaof`; no `blockingTimeout`, no `blmovem`.
 */
import {
  ioredisFamilyBlockingMethods,
  ioredisFamilyClasses,
  ioredisFamilyRawCommands,
  ioredisFamilyTakeover,
  ioredisFamilyTimeouts,
  ioredisFamilyValues,
} from './ioredis';
import type { LibraryCatalog } from './types';

const classes = ioredisFamilyClasses();

export const iovalkey: LibraryCatalog = {
  id: 'iovalkey',
  displayName: 'iovalkey',
  latestMajor: 0,
  packages: ['iovalkey'],
  modules: ['iovalkey'],
  exports: {
    Redis: classes.Redis,
    Valkey: classes.Redis,
    Cluster: classes.Cluster,
    default: classes.Redis,
  },
  defaultExport: classes.Redis,
  commonjsExport: classes.Redis,
  values: ioredisFamilyValues(),
  blockingMethods: ioredisFamilyBlockingMethods(['blmovem'], ['xreadgroup']),
  rawCommandMethods: ioredisFamilyRawCommands,
  takeoverMethods: ioredisFamilyTakeover,
  timeouts: ioredisFamilyTimeouts(false),
  poolSizes: [],
  // built/redis/RedisOptions.js: maxRetriesPerRequest 20; null retries for as long as Redis is away.
  retries: { optionPath: ['maxRetriesPerRequest'], default: 20, nullMeans: 'forever' },
  protocol: { optionPath: ['protocol'], defaultByMajor: { 0: 2 } },
  // built/cluster/index.js duplicate(): `Object.assign({}, this.options, overrideOptions)`, so an
  // override's redisOptions replace the source's whole object (ioredis merges them).
  mergesNodeOptionsOnDuplicate: false,
  clusterTimeoutsPerNode: true,
  queueConnection: true,
  typeNames: { Redis: 'client', Valkey: 'client', default: 'client', Cluster: 'cluster' },
  typePackages: ['iovalkey'],
};
