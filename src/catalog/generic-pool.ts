/**
 * generic-pool 3. Checked in node_modules: generic-pool 3.9.0 (index.js, index.d.ts,
 * lib/PoolDefaults.js, lib/PoolOptions.js). `new Pool(...)` takes internal classes first, so
 * only `createPool(factory, options)` is a recognised way to make one.
 */
import type { IdleEvictionSpec, LibraryCatalog, PoolSizeOptionSpec } from './types';

/** `max` and `min` as lib/PoolOptions.js reads them (generic-pool 2 and node-redis 4's isolation pool read them alike). */
export const GENERIC_POOL_SIZES: readonly PoolSizeOptionSpec[] = [
  {
    path: ['max'],
    appliesTo: 'pool',
    argument: 'poolOptions',
    role: 'max',
    default: 1,
    // lib/PoolOptions.js: Math.max(isNaN(parseInt(max, 10)) ? 1 : …, 1), so Infinity becomes 1.
    parse: 'parseInt',
    floor: 1,
    lendsExclusively: true,
  },
  {
    path: ['min'],
    appliesTo: 'pool',
    argument: 'poolOptions',
    role: 'min',
    default: 0,
    // Math.min(min, max) (generic-pool 2: `Math.min(min, max - 1)`, clamped below max, not to it).
    minAboveMax: 'clamped',
    parse: 'parseInt',
  },
];

/** Evictor facts: `idleTimeoutMillis` and `softIdleTimeoutMillis` only act when `evictionRunIntervalMillis` is above 0. */
const GENERIC_POOL_EVICTION: IdleEvictionSpec = {
  idleOption: 'idleTimeoutMillis',
  softIdleOption: 'softIdleTimeoutMillis',
  intervalOption: 'evictionRunIntervalMillis',
  intervalDefault: 0,
};

export const genericPool: LibraryCatalog = {
  id: 'generic-pool',
  displayName: 'generic-pool',
  latestMajor: 3,
  packages: ['generic-pool'],
  modules: ['generic-pool'],
  exports: {
    createPool: { type: 'factory', produces: 'pool', resourceFactoryArg: 0, poolOptionsArg: 1 },
  },
  values: {
    pool: {
      errorEvent: 'none',
      // No `.on(` on a resource anywhere in lib/: a client `create` makes needs its own 'error' listener.
      leavesResourceErrorsUnhandled: true,
      methods: {
        acquire: { type: 'produces', produces: 'lease', async: true },
        // Both end the loan; releasing a resource that is not on loan rejects.
        release: { type: 'release', loanArg: 0, async: true },
        destroy: { type: 'release', loanArg: 0, async: true },
        // Releases on resolve, destroys on reject.
        use: { type: 'managed', callbackArg: 0, releases: 'release', onReject: 'destroy' },
        drain: { type: 'shutdown', async: true },
        clear: { type: 'shutdown', async: true },
        on: { type: 'listener' },
        once: { type: 'listener' },
      },
    },
  },
  timeouts: [
    {
      path: ['acquireTimeoutMillis'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      bounds: 'acquire',
      defaultMs: null,
      zero: 'forever',
      note: 'Unset (or 0): acquire() waits forever once the pool is drained.',
    },
  ],
  poolSizes: [
    ...GENERIC_POOL_SIZES,
    {
      path: ['maxWaitingClients'],
      appliesTo: 'pool',
      argument: 'poolOptions',
      role: 'max-waiting',
      default: null,
      note: 'Unbounded waiting queue unless set.',
    },
  ],
  typeNames: { Pool: 'pool' },
  typePackages: ['generic-pool', '@types/generic-pool'],
  idleEviction: GENERIC_POOL_EVICTION,
};
