/**
 * tarn 3. Checked in node_modules: tarn 3.1.2 (dist/Pool.js, dist/Pool.d.ts). `min` and `max`
 * are required; `acquire()` returns a PendingOperation whose `.promise` is the loan;
 * `pool.destroy()` ends the whole pool, not a loan.
 */
import type { LibraryCatalog } from './types';

export const tarn: LibraryCatalog = {
  id: 'tarn',
  displayName: 'tarn',
  latestMajor: 3,
  packages: ['tarn'],
  modules: ['tarn'],
  exports: {
    Pool: { type: 'class', produces: 'pool', poolOptionsArg: 0, resourceFactoryArg: 0 },
  },
  values: {
    pool: {
      errorEvent: 'none',
      // dist/Pool.js listens only on its own emitter: a client `create` makes needs its own 'error' listener.
      leavesResourceErrorsUnhandled: true,
      methods: {
        acquire: { type: 'produces', produces: 'pending-acquire' },
        release: { type: 'release', loanArg: 0 },
        destroy: { type: 'shutdown', async: true },
        on: { type: 'listener' },
      },
    },
  },
  timeouts: [
    {
      path: ['acquireTimeoutMillis'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      bounds: 'acquire',
      defaultMs: 30000,
      zero: 'throws',
      note: 'Bounded by default (30000). An explicit 0 is rejected: the constructor throws "invalid opt.acquireTimeoutMillis 0".',
    },
  ],
  poolSizes: [
    {
      path: ['max'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      role: 'max',
      default: null,
      required: true,
    },
    {
      path: ['min'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      role: 'min',
      default: null,
      required: true,
      minAboveMax: 'throws',
    },
  ],
  typeNames: { Pool: 'pool' },
  typePackages: ['tarn'],
};

/** tarn's PendingOperation: `.promise` resolves to the loaned resource. */
export const TARN_PENDING_PROMISE_PROPERTY = 'promise';
