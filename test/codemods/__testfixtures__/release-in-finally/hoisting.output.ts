import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function profile(id: string): Promise<string> {
  const conn = await pool.acquire();
  try {
    const { name, email } = await conn.hgetall(`user:${id}`);
    const visits: number = Number(await conn.get(`visits:${id}`)), label = 'user';
    let tier;
    tier = visits > 100 ? 'gold' : 'basic';
    return `${label} ${name} <${email}> ${tier} ${visits}`;
  } finally {
    await pool.release(conn);
  }
}
