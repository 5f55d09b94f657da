/**
 * bee-queue, a queue library that owns node_redis (or ioredis) connections. Checked in
 * node_modules: bee-queue 2.0.0 (lib/queue.js, lib/redis.js, lib/defaults.js, index.d.ts).
 *
 * - `new Queue(name, { redis, isWorker, getEvents, quitCommandClient, ... })`: `redis` is either
 *   client options or a client instance (a node_redis `RedisClient` or an ioredis `Redis`).
 * - Connections: `client` (commands), `bclient` (BRPOPLPUSH; only with `isWorker`, default true)
 *   and `eclient` (SUBSCRIBE; with `getEvents` (default true) or `activateDelayedJobs`): three by
 *   default. Given a client, `client` IS that client and the other two are `duplicate()`s of it.
 * - `close(timeout?, cb?)` disconnects `bclient`, quits `eclient`, and quits `client` only when
 *   `quitCommandClient` is true, which defaults to "the queue made it": a client the caller
 *   supplied stays open.
 * - The queue re-emits its clients' 'error' events (an EventEmitter): with no 'error' listener a
 *   Redis error crashes the process.
 */
import type { ClassSpec, LibraryCatalog } from './types';

const Queue: ClassSpec = {
  type: 'class',
  produces: 'consumer',
  optionsArg: 1,
  queue: {
    optionsArg: 1,
    connectionKey: 'redis',
    acceptsClient: true,
    ownConnections: 3,
    connectionsBesideSupplied: 2,
    blockingConnections: 1,
    closesSuppliedWith: 'quitCommandClient',
  },
};

export const beeQueue: LibraryCatalog = {
  id: 'bee-queue',
  displayName: 'bee-queue',
  latestMajor: 2,
  packages: ['bee-queue'],
  modules: ['bee-queue'],
  exports: {},
  // `module.exports = Queue`, `export = BeeQueue`.
  defaultExport: Queue,
  commonjsExport: Queue,
  values: {
    consumer: {
      errorEvent: 'crashes',
      methods: {
        on: { type: 'listener' },
        once: { type: 'listener' },
        close: { type: 'release', async: true },
        // Registers the job handler (`process(concurrency?, handler)`) and starts consuming.
        process: { type: 'listener' },
      },
    },
  },
  timeouts: [],
  poolSizes: [],
  typeNames: { BeeQueue: 'consumer' },
  typePackages: ['bee-queue'],
};
