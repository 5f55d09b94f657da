import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

// The try is the end of the function: its returns become the callback's, returned through.
export async function get(key: string): Promise<string | null> {
  return pool.use(async (conn) => {
    const value = await conn.get(key);
    if (value === null) return null;
    return value.trim();
  });
}

// Inside an outer try, the managed call is awaited so its rejection is still caught there.
export async function getOrDefault(key: string, fallback: string): Promise<string> {
  try {
    return await pool.use(async (conn) => {
      return (await conn.get(key)) ?? fallback;
    });
  } catch {
    return fallback;
  }
}

// Every path through the moved code returns or throws, so what follows the try never runs after it.
export async function must(key: string): Promise<string> {
  return pool.use(async (conn) => {
    const value = await conn.get(key);
    if (value === null) throw new Error(`missing ${key}`);
    return value;
  });
  // unreachable
}
