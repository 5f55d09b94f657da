import { createPool } from 'generic-pool';
import Redis from 'ioredis';

export const client = new Redis({ host: 'cache.internal' });

export async function next() {
  // 10 s: the flag's 2000 ms would cut it, so the client gets more.
  return client.blpop('jobs', 10);
}

export const other = new Redis();

export const pool = createPool({ create: async () => new Redis(), destroy: async (c: Redis) => void (await c.quit()) }, { max: 4 });
