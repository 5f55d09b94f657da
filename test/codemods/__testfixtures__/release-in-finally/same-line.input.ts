import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function ping(): Promise<void> {
  const conn = await pool.acquire(); await conn.ping(); await pool.release(conn);
}
