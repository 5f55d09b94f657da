import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// The try is the end of the function: its returns become the callback's, returned through.
export async function get(key: string): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    const value = await conn.get(key);
    if (value === null) return null;
    return value.trim();
  } finally {
    pool.release(conn);
  }
}

// Inside an outer try, the managed call is awaited so its rejection is still caught there.
export async function getOrDefault(key: string, fallback: string): Promise<string> {
  try {
    const conn = await pool.acquire();
    try {
      return (await conn.get(key)) ?? fallback;
    } finally {
      pool.release(conn);
    }
  } catch {
    return fallback;
  }
}

// Every path through the moved code returns or throws, so what follows the try never runs after it.
export async function must(key: string): Promise<string> {
  const conn = await pool.acquire();
  try {
    const value = await conn.get(key);
    if (value === null) throw new Error(`missing ${key}`);
    return value;
  } finally {
    pool.release(conn);
  }
  // unreachable
}
