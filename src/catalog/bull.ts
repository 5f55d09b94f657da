/**
 * Bull, a queue library that owns ioredis connections. Checked in node_modules: bull 4.16.5
 * (lib/queue.js, index.d.ts).
 *
 * - `new Queue(name, url?, opts?)` (or `Queue(...)` without `new`): a URL string as the second
 *   argument becomes `opts.redis`; otherwise the second argument is the options.
 * - Up to three ioredis connections, each made on first use: `client` (commands; made at once by
 *   the version check), `eclient` (events) and `bclient` (BRPOPLPUSH for `process()`): blocking
 *   runs on the queue's own connection and never stalls the others.
 * - `queue.close()` (and `disconnect()`) end only the connections the queue made: those a
 *   caller's `createClient(type, opts)` returns are not pushed on `queue.clients`, whatever type.
 * - The queue adds an 'error' handler to whatever `createClient` returns and removes it only on
 *   its own 'close' (`this.once('close', () => client.removeListener('error', handler))`): a
 *   queue made per call over shared clients and never closed leaves one more handler (and the
 *   queue with it) on them each call.
 * - Its constructor listens on its own 'error' ("Dummy handler to avoid process to exit with an
 *   unhandled exception"): an unheard Redis error is swallowed, never a crash.
 */
import type { ClassSpec, LibraryCatalog } from './types';

const Queue: ClassSpec = {
  type: 'class',
  produces: 'consumer',
  optionsArg: 'last-object',
  callableWithoutNew: true,
  queue: {
    optionsArg: 'last-object',
    connectionKey: 'redis',
    acceptsClient: false,
    clientFactoryKey: 'createClient',
    listensOnFactoryClients: true,
    ownConnections: 3,
    connectionsBesideSupplied: 0,
    blockingConnections: 1,
  },
};

export const bull: LibraryCatalog = {
  id: 'bull',
  displayName: 'Bull',
  latestMajor: 4,
  packages: ['bull'],
  modules: ['bull'],
  exports: {},
  // `module.exports = Queue` (index.js), `export = Bull` (index.d.ts).
  defaultExport: Queue,
  commonjsExport: Queue,
  values: {
    consumer: {
      errorEvent: 'none',
      methods: {
        on: { type: 'listener' },
        once: { type: 'listener' },
        close: { type: 'release', async: true },
        disconnect: { type: 'release', async: true },
        // Registers the job handler and starts the loop that runs it: from here the queue works on
        // its own, as after an event listener.
        process: { type: 'listener' },
      },
    },
  },
  timeouts: [],
  poolSizes: [],
  // index.d.ts: `Bull.Queue<T>`.
  typeNames: { Queue: 'consumer' },
  typePackages: ['bull', '@types/bull'],
};
