import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

class Cache {
  constructor(redis) {
    this.redis = redis;
    this.entries = new Map();
  }

  remember(key, value) {
    this.entries.set(key, value);
  }
}

// Statements that cannot fail stay before the try: a clock read, a plain object.
export async function warm(keys) {
  const conn = await pool.acquire();
  const started = Date.now();
  const cache = new Cache(conn);
  for (const key of keys) cache.remember(key, await conn.get(key));
  await pool.release(conn);
  return Date.now() - started;
}

// An existing try/catch gets the finally; no second try around it.
export async function load(id, report) {
  const conn = await pool.acquire();
  let value = null;
  try {
    value = await conn.get(`item:${id}`);
  } catch (error) {
    await report(error);
  }
  await pool.release(conn);
  return value;
}

// A blank line before the release leaves no blank line before the closing brace.
export async function touch(key) {
  const conn = await pool.acquire();
  await conn.expire(key, 60);

  await pool.release(conn);
}

// Read after the release by code that waits: declared above the acquisition (JavaScript needs no type).
export async function members(key, notify) {
  const conn = await pool.acquire();
  const list = await conn.smembers(key);
  await pool.release(conn);
  await notify(list.length);
  return list;
}
