import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// The catch logs and carries on without giving the connection back.
export async function remember(key: string, value: string): Promise<boolean> {
  const conn = await pool.acquire();
  try {
    await conn.set(key, value, 'EX', 300);
    return true;
  } catch (error) {
    console.error('cache write failed', error);
    return false;
  } finally {
    await pool.release(conn);
  }
}

// The catch rethrows: the release moves to a finally, the catch stays.
export async function forget(key: string): Promise<void> {
  const conn = await pool.acquire();
  try {
    await conn.del(key);
  } catch (error) {
    console.error('cache delete failed', error);
    throw error;
  } finally {
    await pool.release(conn);
  }
}
