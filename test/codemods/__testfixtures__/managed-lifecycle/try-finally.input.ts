import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function touch(key: string): Promise<void> {
  const conn = await pool.acquire();
  try {
    await conn.expire(key, 60);
    // Count the touch as well.
    await conn.incr(`${key}:touches`);
  } finally {
    await pool.release(conn);
  }
}
