import type { Pool } from 'generic-pool';
import type Redis from 'ioredis';

// The pool arrives as a parameter: its annotation names generic-pool's Pool of ioredis clients.
export async function lastSeen(pool: Pool<Redis>, user: string): Promise<number> {
  const conn = await pool.acquire();
  try {
    const seen = await conn.get(`seen:${user}`);
    return seen === null ? 0 : Number(seen);
  } finally {
    await pool.release(conn);
  }
}
