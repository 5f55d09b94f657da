/**
 * BullMQ, as a consumer of ioredis connections. Checked in node_modules: bullmq 5.81
 * (dist/cjs/classes/worker.js, queue-events.js, queue-base.js, redis-connection.js).
 * Worker and QueueEvents block on purpose (BullMQ requires `maxRetriesPerRequest: null` on
 * them), so the timeouts a rule would ask of an ordinary client do not apply; Queue and
 * FlowProducer do not block. `connection` is ioredis options (the object makes its own) or an
 * instance, marked `shared`, which `close()` never quits: a Worker opens and closes a blocking
 * connection of its own beside it (a `duplicate()`), a QueueEvents works on a `duplicate()`.
 */
import type { LibraryCatalog, QueueConnectionsSpec } from './types';

export interface ConsumerSpec {
  /** Argument holding the consumer's options, which carry `connection`. */
  optionsArg: number;
  /** The connection is used for blocking commands (BZPOPMIN, XREAD BLOCK). */
  blocking: boolean;
  /** Connections made from options, and beside a caller's instance. */
  ownConnections: number;
  connectionsBesideSupplied: number;
}

/** Consumer classes and where their `connection` option sits. */
export const BULLMQ_CONSUMERS: Readonly<Record<string, ConsumerSpec>> = {
  // The main connection plus the dedicated blocking one.
  Worker: { optionsArg: 2, blocking: true, ownConnections: 2, connectionsBesideSupplied: 1 },
  // Always a duplicate: XREAD BLOCK runs on a connection of its own.
  QueueEvents: { optionsArg: 1, blocking: true, ownConnections: 1, connectionsBesideSupplied: 1 },
  Queue: { optionsArg: 1, blocking: false, ownConnections: 1, connectionsBesideSupplied: 0 },
  FlowProducer: { optionsArg: 0, blocking: false, ownConnections: 1, connectionsBesideSupplied: 0 },
  JobScheduler: { optionsArg: 1, blocking: false, ownConnections: 1, connectionsBesideSupplied: 0 },
};

function queueSpec(spec: ConsumerSpec): QueueConnectionsSpec {
  return {
    optionsArg: spec.optionsArg,
    connectionKey: BULLMQ_CONNECTION_OPTION,
    acceptsClient: true,
    ownConnections: spec.ownConnections,
    connectionsBesideSupplied: spec.connectionsBesideSupplied,
    blockingConnections: spec.blocking ? 1 : 0,
  };
}

export const BULLMQ_CONNECTION_OPTION = 'connection';

export const bullmq: LibraryCatalog = {
  id: 'bullmq',
  displayName: 'BullMQ',
  latestMajor: 5,
  packages: ['bullmq'],
  modules: ['bullmq'],
  exports: Object.fromEntries(
    Object.entries(BULLMQ_CONSUMERS).map(([name, spec]) => [
      name,
      { type: 'class', produces: 'consumer', optionsArg: spec.optionsArg, queue: queueSpec(spec) },
    ]),
  ),
  values: {
    consumer: {
      errorEvent: 'logs',
      methods: {
        on: { type: 'listener' },
        once: { type: 'listener' },
        close: { type: 'release', async: true },
        // QueueBase.disconnect() ends `this.connection` alone (queue-base.js, redis-connection.js
        // `disconnect`): a Worker's blocking connection stays open.
        disconnect: { type: 'release', async: true, mainConnectionOnly: true },
        // Worker: starts the processing loop (with `autorun: false`); it then runs on its own.
        run: { type: 'listener' },
      },
    },
  },
  timeouts: [],
  poolSizes: [],
  typeNames: { Worker: 'consumer', QueueEvents: 'consumer', Queue: 'consumer', FlowProducer: 'consumer' },
  typePackages: ['bullmq'],
};
