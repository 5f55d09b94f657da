import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function inFinally(key: string): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    return await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}

export async function declaredOutside(key: string): Promise<string | null> {
  let conn;
  try {
    conn = await pool.acquire();
    return await conn.get(key);
  } finally {
    if (conn) await pool.release(conn);
  }
}

export async function releasedOnBothPaths(key: string): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    const value = await conn.get(key);
    await pool.release(conn);
    return value;
  } catch (error) {
    await pool.destroy(conn);
    throw error;
  }
}

export async function managed(key: string): Promise<string | null> {
  return pool.use((conn) => conn.get(key));
}
