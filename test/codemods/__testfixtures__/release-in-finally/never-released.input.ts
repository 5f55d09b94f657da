import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function touch(key: string): Promise<void> {
  const conn = await pool.acquire();
  await conn.expire(key, 60);
  await conn.incr(`${key}:touches`);
}

export async function count(key: string): Promise<number> {
  const conn = await pool.acquire();
  return conn.scard(key);
}
