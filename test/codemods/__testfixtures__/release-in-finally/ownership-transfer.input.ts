import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// The caller owns the loan.
export async function borrow(): Promise<Redis> {
  const conn = await pool.acquire();
  await conn.select(1);
  return conn;
}

// Kept on the instance until close().
export class Reader {
  private conn: Redis | undefined;

  async open(): Promise<void> {
    const conn = await pool.acquire();
    this.conn = conn;
  }

  async close(): Promise<void> {
    if (this.conn) await pool.release(this.conn);
  }
}

// Handed to someone else, who is expected to give it back.
export async function handOff(worker: (conn: Redis) => Promise<void>): Promise<void> {
  const conn = await pool.acquire();
  await conn.ping();
  await worker(conn);
}

// Released by a callback registered for later.
export async function releasedLater(done: Promise<void>): Promise<void> {
  const conn = await pool.acquire();
  await conn.ping();
  void done.finally(() => pool.release(conn));
}
