import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

/**
 * Renders a report from a hash. Comments, odd spacing and template literals inside the moved
 * code must come out as they went in.
 */
export async function report(id: string): Promise<string> {
  const conn = await pool.acquire(); // borrowed
  try {
    // Fetch everything at once.
    const fields   =   await conn.hgetall(`report:${id}`);
    const body = `Report ${id}
  total: ${fields.total}
done`;
    return body;
  } finally {
    /* give it back */
    await pool.release(conn);
  }
}
