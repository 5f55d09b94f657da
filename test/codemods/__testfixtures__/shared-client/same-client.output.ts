import Redis from 'ioredis';

const redis = new Redis(6379, 'cache.internal');

// Two functions that make the same client share one.
export async function read(key: string): Promise<string | null> {
  return await redis.get(key);
}

export async function write(key: string, value: string): Promise<void> {
  await redis.set(key, value, 'EX', 60);
}
