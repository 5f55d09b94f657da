import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function profile(id: string): Promise<string> {
  let name, email, visits: number, label, tier;
  const conn = await pool.acquire();
  try {
    ({ name, email } = await conn.hgetall(`user:${id}`));
    visits = Number(await conn.get(`visits:${id}`));
    label = 'user';
    tier = visits > 100 ? 'gold' : 'basic';
  } finally {
    await pool.release(conn);
  }
  return `${label} ${name} <${email}> ${tier} ${visits}`;
}
