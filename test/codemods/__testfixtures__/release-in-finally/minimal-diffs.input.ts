import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });

interface Item {
  id: string;
}

class Cache {
  private readonly entries = new Map<string, string | null>();

  constructor(private readonly redis: Redis, private readonly ttl = 60) {}

  remember(key: string, value: string | null): void {
    this.entries.set(key, value);
  }
}

// Read after the release by code that waits, with no type to write: left alone, with the reason.
export async function untyped(key: string, notify: (count: number) => Promise<void>): Promise<number> {
  const conn = await pool.acquire();
  const members = await conn.smembers(key);
  await pool.release(conn);
  await notify(members.length);
  return members.length;
}

// Statements that cannot fail stay before the try: a clock read, a plain object.
export async function warm(keys: string[]): Promise<number> {
  const conn = await pool.acquire();
  const started = Date.now();
  const cache = new Cache(conn);
  for (const key of keys) cache.remember(key, await conn.get(key));
  await pool.release(conn);
  return Date.now() - started;
}

// An existing try/catch gets the finally; no second try around it.
export async function load(id: string, report: (error: unknown) => Promise<void>): Promise<string | null> {
  const conn = await pool.acquire();
  let value: string | null = null;
  try {
    value = await conn.get(`item:${id}`);
  } catch (error) {
    await report(error);
  }
  await pool.release(conn);
  return value;
}

// A blank line before the release leaves no blank line before the closing brace.
export async function touch(key: string): Promise<void> {
  const conn = await pool.acquire();
  await conn.expire(key, 60);

  await pool.release(conn);
}

// Read after the release by code that waits: declared above with the type its initializer states.
export async function items(key: string, notify: (count: number) => Promise<void>): Promise<Item[]> {
  const conn = await pool.acquire();
  const list = JSON.parse((await conn.get(key)) ?? '[]') as Item[];
  await pool.release(conn);
  await notify(list.length);
  return list;
}
