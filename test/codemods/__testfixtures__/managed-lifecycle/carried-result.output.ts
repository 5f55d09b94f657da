import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

interface Order {
  id: string;
  total: number;
}

// The result the try block assigns last is the callback's result: no second `order` inside.
export async function getOrder(id: string, audit: (order: Order | null) => Promise<void>): Promise<Order | null> {
  const order: Order | null = await pool.use(async (conn) => {
    const raw = await conn.get(`order:${id}`);
    return raw ? (JSON.parse(raw) as Order) : null;
  });
  await audit(order);
  return order;
}

// Leaking, read after the release by code that waits: given its finally with a typed hoist, then converted.
export async function total(id: string, audit: (total: number) => Promise<void>): Promise<number> {
  const sum: number = await pool.use(async (conn) => {
    return Number(await conn.hget(`order:${id}`, 'total'));
  });
  await audit(sum);
  return sum;
}
