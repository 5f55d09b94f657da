import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';

// The pool arrives as a parameter: its annotation names generic-pool's Pool of ioredis clients.
export async function lastSeen(pool: Pool<Redis>, user: string): Promise<number> {
  const conn = await pool.acquire();
  const seen = await conn.get(`seen:${user}`);
  await pool.release(conn);
  return seen === null ? 0 : Number(seen);
}
