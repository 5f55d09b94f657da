import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// The result the try block assigns last is the callback's result: no second `order` inside.
export async function getOrder(id, audit) {
  let order;
  const conn = await pool.acquire();
  try {
    const raw = await conn.get(`order:${id}`);
    order = raw ? JSON.parse(raw) : null;
  } finally {
    await pool.release(conn);
  }
  await audit(order);
  return order;
}
