import Redis from 'ioredis';

// `redis` is taken at module level, so the shared client gets another name.
const redis = { prefix: 'app:' };

export async function read(key: string): Promise<string | null> {
  const client = new Redis();
  try {
    return await client.get(`${redis.prefix}${key}`);
  } finally {
    await client.quit();
  }
}

export async function write(key: string, value: string): Promise<void> {
  const client = new Redis();
  try {
    await client.set(`${redis.prefix}${key}`, value);
  } finally {
    await client.quit();
  }
}

const client = 'not a client';
export const label = client;
