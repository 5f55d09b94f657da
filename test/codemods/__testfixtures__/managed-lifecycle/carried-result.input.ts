import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

interface Order {
  id: string;
  total: number;
}

// The result the try block assigns last is the callback's result: no second `order` inside.
export async function getOrder(id: string, audit: (order: Order | null) => Promise<void>): Promise<Order | null> {
  let order: Order | null;
  const conn = await pool.acquire();
  try {
    const raw = await conn.get(`order:${id}`);
    order = raw ? (JSON.parse(raw) as Order) : null;
  } finally {
    await pool.release(conn);
  }
  await audit(order);
  return order;
}

// Leaking, read after the release by code that waits: given its finally with a typed hoist, then converted.
export async function total(id: string, audit: (total: number) => Promise<void>): Promise<number> {
  const conn = await pool.acquire();
  const sum = Number(await conn.hget(`order:${id}`, 'total'));
  await pool.release(conn);
  await audit(sum);
  return sum;
}
