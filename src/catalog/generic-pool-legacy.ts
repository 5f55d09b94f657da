/**
 * generic-pool 2, callback era. Checked in node_modules: generic-pool 2.5.4 (installed as
 * `generic-pool2`: lib/generic-pool.js). Shares the module name with generic-pool 3: `majors`
 * sends an import here only when the detected major is 2.
 *
 * - `new Pool({ name, create(cb), destroy(client), max, min, idleTimeoutMillis, ... })`, or
 *   `Pool(...)` without `new`: the resource factory and the pool options are one object.
 * - `acquire(cb, priority?)` queues `cb(err, resource)`; nothing bounds the wait: version 2 has no
 *   acquire timeout at all, the waiting queue is unbounded, and no method takes a queued callback
 *   back (the `PriorityQueue` has only `enqueue`, `dequeue` and `size`). When `create` fails the
 *   waiting callback gets the error and no resource. So a caller can only stop waiting on its own
 *   side (a timer), and must still give back a resource that arrives after it gave up.
 * - `release(resource)` and `destroy(resource)` end the loan (both synchronous); `drain(cb)` and
 *   `destroyAllNow(cb)` end the whole pool. `borrow` is a deprecated alias of `acquire`.
 * - Sizes: `max` and `min` go through `parseInt`; max is at least 1 (default 1), min is clamped to
 *   `max - 1` (default 0).
 * - Unlike version 3, idle resources are reaped by default (`idleTimeoutMillis` 30000 checked
 *   every `reapIntervalMillis` 1000).
 * - Not an EventEmitter: errors reach only the callbacks. Nor does it listen on its resources (no
 *   `.on(` in lib/generic-pool.js): a client `create` makes must bring its own 'error' listener.
 */
import { GENERIC_POOL_SIZES } from './generic-pool';
import type { LibraryCatalog, MethodSpec } from './types';

const acquire: MethodSpec = { type: 'produces', produces: 'lease', callback: { arg: 0, param: 1 } };

export const genericPoolLegacy: LibraryCatalog = {
  id: 'generic-pool-legacy',
  displayName: 'generic-pool',
  latestMajor: 2,
  majors: { majors: [2] },
  packages: ['generic-pool'],
  modules: ['generic-pool'],
  exports: {
    Pool: {
      type: 'class',
      produces: 'pool',
      poolOptionsArg: 0,
      resourceFactoryArg: 0,
      callableWithoutNew: true,
    },
  },
  values: {
    pool: {
      errorEvent: 'none',
      acquireWaitsForever: { upgrade: 'generic-pool 3 and set acquireTimeoutMillis' },
      leavesResourceErrorsUnhandled: true,
      methods: {
        acquire,
        borrow: acquire,
        release: { type: 'release', loanArg: 0 },
        destroy: { type: 'release', loanArg: 0 },
        drain: { type: 'shutdown' },
        destroyAllNow: { type: 'shutdown' },
      },
    },
  },
  // No acquire timeout exists in this major: see the header.
  timeouts: [],
  poolSizes: [...GENERIC_POOL_SIZES],
  typeNames: {},
  typePackages: [],
};
