import { createPool } from 'generic-pool';
import Redis from 'ioredis';

const primary = createPool({ create: async () => new Redis(6379), destroy: async (client) => void (await client.quit()) }, { max: 4 });
const replica = createPool({ create: async () => new Redis(6380), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function copy(key: string): Promise<void> {
  const source = await replica.acquire();
  try {
    const target = await primary.acquire();
    try {
      const value = await source.get(key);
      if (value !== null) await target.set(key, value);
    } finally {
      await primary.release(target);
    }
  } finally {
    await replica.release(source);
  }
}
