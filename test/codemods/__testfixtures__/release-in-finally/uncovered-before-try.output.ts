import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// SELECT can fail before the try that releases: the try moves up to cover it.
export async function fromDatabase(db: number, key: string, fallback: boolean): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    await conn.select(db);
    const value = await conn.get(key);
    return await (value ?? (fallback ? conn.get(`${key}:default`) : null));
  } finally {
    await pool.release(conn);
  }
}
