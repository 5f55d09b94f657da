// A pool made in another module of the project: the codemods follow relative imports to it.
import { createPool } from 'generic-pool';
import Redis from 'ioredis';

export const sharedPool = createPool(
  {
    create: async () => new Redis({ lazyConnect: true }),
    destroy: async (client) => {
      await client.quit();
    },
  },
  { max: 8, acquireTimeoutMillis: 3000 },
);
