import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// Used by a listener that may fire later; nothing says when it is done.
export async function watch(channel: string, onMessage: (message: string) => void): Promise<void> {
  const conn = await pool.acquire();
  conn.on('message', (_channel: string, message: string) => onMessage(message));
  await conn.subscribe(channel);
}

// Released one way on success and another on failure, and leaked on the early return.
export async function mixed(key: string): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    const value = await conn.get(key);
    if (value === null) return null;
    await pool.release(conn);
    return value;
  } catch (error) {
    await pool.destroy(conn);
    throw error;
  }
}

// Released through a second name.
export async function aliased(key: string): Promise<void> {
  const conn = await pool.acquire();
  const same = conn;
  await same.del(key);
  await pool.release(same);
}

// A loan taken in a promise chain, and one thrown away.
export function chained(key: string): Promise<string | null> {
  return pool.acquire().then((conn) => conn.get(key));
}

export async function discarded(): Promise<void> {
  await pool.acquire();
}
