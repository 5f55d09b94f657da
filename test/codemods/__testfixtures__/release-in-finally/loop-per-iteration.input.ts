import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function expireAll(keys: string[]): Promise<number> {
  let expired = 0;
  for (const key of keys) {
    const conn = await pool.acquire();
    if (key.startsWith('keep:')) {
      await pool.release(conn);
      continue;
    }
    expired += await conn.expire(key, 10);
    await pool.release(conn);
  }
  return expired;
}
