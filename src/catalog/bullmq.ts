/**
 * BullMQ, as a consumer of ioredis connections. Checked in node_modules: bullmq 5.81
 * (dist/cjs/classes/worker.js, queue-events.js, queue-base.js, redis-connection.js).
 * Worker and QueueEvents open blocking connections: BullMQ requires
 * `maxRetriesPerRequest: null` on them and blocks on purpose, so timeouts a rule would ask of an
 * ordinary client do not apply. Queue and FlowProducer do not block.
 */
import type { LibraryCatalog } from './types';

export interface ConsumerSpec {
  /** Argument holding the consumer's options, which carry `connection`. */
  optionsArg: number;
  /** The connection is used for blocking commands (BZPOPMIN, XREAD BLOCK). */
  blocking: boolean;
}

/** Consumer classes and where their `connection` option sits. */
export const BULLMQ_CONSUMERS: Readonly<Record<string, ConsumerSpec>> = {
  Worker: { optionsArg: 2, blocking: true },
  QueueEvents: { optionsArg: 1, blocking: true },
  Queue: { optionsArg: 1, blocking: false },
  FlowProducer: { optionsArg: 0, blocking: false },
  JobScheduler: { optionsArg: 1, blocking: false },
};

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
      { type: 'class', produces: 'consumer', optionsArg: spec.optionsArg },
    ]),
  ),
  values: {
    consumer: {
      errorEvent: 'logs',
      methods: {
        on: { type: 'listener' },
        once: { type: 'listener' },
        close: { type: 'release', async: true },
      },
    },
  },
  timeouts: [],
  poolSizes: [],
  typeNames: {
    Worker: 'consumer',
    QueueEvents: 'consumer',
    Queue: 'consumer',
    FlowProducer: 'consumer',
  },
  typePackages: ['bullmq'],
};
