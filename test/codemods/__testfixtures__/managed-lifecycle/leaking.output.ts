import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

interface Order {
  id: string;
  total: number;
}

// Leaks when GET or JSON.parse throws: fixed, then converted, with the order carried out.
export async function getOrder(id: string): Promise<Order | null> {
  return pool.use(async (conn) => {
    const raw = await conn.get(`order:${id}`);
    const order = raw ? (JSON.parse(raw) as Order) : null;
    return order;
  });
}

// Never released at all.
export async function count(key: string): Promise<number> {
  return pool.use(async (conn) => {
    return await conn.scard(key);
  });
}
