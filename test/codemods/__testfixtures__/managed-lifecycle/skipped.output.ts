import { createPool } from 'generic-pool';
import Redis from 'ioredis';
import { Pool as TarnPool } from 'tarn';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });
const tarn = new TarnPool<Redis>({ create: () => new Redis(), destroy: (client) => client.disconnect(), min: 0, max: 4 });

// A continue in the moved code would only leave the callback.
export async function expireAll(keys: string[]): Promise<void> {
  for (const key of keys) {
    const conn = await pool.acquire();
    try {
      if (key.startsWith('keep:')) continue;
      await conn.expire(key, 10);
    } finally {
      await pool.release(conn);
    }
  }
}

// A return that is not the end of the function would only end the callback.
export async function firstOrScan(key: string): Promise<string[]> {
  const conn = await pool.acquire();
  try {
    const value = await conn.get(key);
    if (value !== null) return [value];
  } finally {
    await pool.release(conn);
  }
  return [];
}

// Destroyed, not released: pool.use() would put it back.
export async function reset(key: string): Promise<void> {
  const conn = await pool.acquire();
  try {
    await conn.del(key);
  } finally {
    await pool.destroy(conn);
  }
}

// The finally does more than release.
export async function timed(key: string): Promise<void> {
  const started = Date.now();
  const conn = await pool.acquire();
  try {
    await conn.get(key);
  } finally {
    await pool.release(conn);
    console.log('took', Date.now() - started);
  }
}

// A priority for acquire() that use() can't take (typed without it).
export async function urgent(key: string): Promise<void> {
  const conn = await pool.acquire(0);
  try {
    await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}

// `arguments` inside an async arrow is rejected by TypeScript below ES2017.
export async function logged(key: string): Promise<void> {
  const conn = await pool.acquire();
  try {
    console.log(arguments.length);
    await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}

// Released on every path, but not by a finally right after the acquire.
export async function bothPaths(key: string): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    const value = await conn.get(key);
    await pool.release(conn);
    return value;
  } catch (error) {
    await pool.release(conn);
    throw error;
  }
}

// tarn has no managed form.
export async function hits(page: string): Promise<number> {
  const client = await tarn.acquire().promise;
  try {
    return await client.incr(`hits:${page}`);
  } finally {
    tarn.release(client);
  }
}

// Generators: a yield can't cross the callback.
export async function* scan(keys: string[]): AsyncGenerator<string | null> {
  const conn = await pool.acquire();
  try {
    for (const key of keys) yield await conn.get(key);
  } finally {
    await pool.release(conn);
  }
}
