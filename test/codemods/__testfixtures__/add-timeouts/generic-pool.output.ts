import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const factory = {
  create: async () => new Redis({ commandTimeout: 2000 }),
  destroy: async (client: Redis) => {
    await client.quit();
  },
};

// No options: acquire() waits forever once every client is on loan.
export const bare = createPool(factory, { acquireTimeoutMillis: 5000 });

export const sized = createPool(factory, { max: 10, min: 2, acquireTimeoutMillis: 5000 });

// generic-pool reads 0 as "unset".
export const zero = createPool(factory, { max: 10, acquireTimeoutMillis: 5000 });

export const bounded = createPool(factory, { max: 10, acquireTimeoutMillis: 1500 });

// Its loans serve blocking reads: the clients it makes get a commandTimeout that outlasts them.
export const queuePool = createPool({ create: async () => new Redis({ commandTimeout: 26000 }), destroy: async (client: Redis) => void (await client.quit()) }, { max: 4, acquireTimeoutMillis: 1000 });

export async function nextJob(): Promise<[string, string] | null> {
  const conn = await queuePool.acquire();
  try {
    return await conn.brpop('jobs', 20);
  } finally {
    await queuePool.release(conn);
  }
}

export async function nextEvent() {
  return queuePool.use(async (conn) => conn.bzpopmin('events', 25));
}
