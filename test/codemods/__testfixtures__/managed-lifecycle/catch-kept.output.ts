import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function remember(key: string, value: string): Promise<boolean> {
  return pool.use(async (conn) => {
    try {
      await conn.set(key, value, 'EX', 300);
      return true;
    } catch (error) {
      console.error('cache write failed', error);
      return false;
    }
  });
}
