import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Faults: acquire() waits forever once the pool is drained (no acquireTimeoutMillis), 500
// connections per process is far beyond the cap of 50, and idleTimeoutMillis does nothing
// without evictionRunIntervalMillis.
export const orderPool = createPool(
  {
    create: async () => new Redis(REDIS_URL, { commandTimeout: 2000 }),
    destroy: async (client) => {
      await client.quit();
    },
  },
  { min: 2, max: 500, idleTimeoutMillis: 30_000 },
);

// Right: bounded wait, sized for the service's concurrency, idle connections evicted.
export const sessionPool = createPool(
  {
    create: async () => new Redis(REDIS_URL, { commandTimeout: 2000 }),
    destroy: async (client) => {
      await client.quit();
    },
  },
  {
    min: 2,
    max: 24,
    acquireTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    evictionRunIntervalMillis: 10_000,
  },
);
