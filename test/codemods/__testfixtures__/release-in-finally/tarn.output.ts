import Redis from 'ioredis';
import { Pool } from 'tarn';

const pool = new Pool<Redis>({
  create: () => new Redis(),
  destroy: (client) => client.disconnect(),
  min: 0,
  max: 10,
});

export async function hits(page: string): Promise<number> {
  const client = await pool.acquire().promise;
  try {
    const count = await client.incr(`hits:${page}`);
    return count;
  } finally {
    pool.release(client);
  }
}
