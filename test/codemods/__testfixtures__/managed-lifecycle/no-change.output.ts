import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// Already managed.
export async function get(key: string): Promise<string | null> {
  return pool.use((conn) => conn.get(key));
}

// The caller owns the loan.
export async function borrow(): Promise<Redis> {
  const conn = await pool.acquire();
  await conn.select(1);
  return conn;
}
