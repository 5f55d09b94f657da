import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

interface Order {
  id: string;
  total: number;
}

// If GET rejects or JSON.parse throws, the connection never goes back to the pool.
export async function getOrder(id: string): Promise<Order | null> {
  const conn = await pool.acquire();
  try {
    const raw = await conn.get(`order:${id}`);
    const order = raw ? (JSON.parse(raw) as Order) : null;
    return order;
  } finally {
    await pool.release(conn);
  }
}
