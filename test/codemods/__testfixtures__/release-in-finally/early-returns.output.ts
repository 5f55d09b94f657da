import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function reserve(sku: string, quantity: number): Promise<boolean> {
  const conn = await pool.acquire();
  try {
    const stock = Number(await conn.get(`stock:${sku}`));
    if (stock < quantity) {
      // Not enough left.
      return false;
    }
    await conn.decrby(`stock:${sku}`, quantity);
  } finally {
    pool.release(conn);
  }
  return true;
}
