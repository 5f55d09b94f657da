import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// The result the try block assigns last is the callback's result: no second `order` inside.
export async function getOrder(id, audit) {
  const order = await pool.use(async (conn) => {
    const raw = await conn.get(`order:${id}`);
    return raw ? JSON.parse(raw) : null;
  });
  await audit(order);
  return order;
}
