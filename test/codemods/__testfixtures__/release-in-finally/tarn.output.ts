import Redis from 'ioredis';
import { Pool } from 'tarn';

const pool = new Pool<Redis>({
  create: () => new Redis(),
  destroy: (client) => client.disconnect(),
  min: 0,
  max: 10,
});

export async function hits(page: string): Promise<number> {
  let count;
  const client = await pool.acquire().promise;
  try {
    count = await client.incr(`hits:${page}`);
  } finally {
    pool.release(client);
  }
  return count;
}
