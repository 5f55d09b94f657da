import Redis from 'ioredis';

const CACHE = { host: 'cache.internal', port: 6379 };

const redis = new Redis(CACHE);

export async function lookup(key: string): Promise<string | null> {
  const cached = await redis.get(key);
  if (cached === null) {
    return null;
  }
  await redis.expire(key, 60);
  return cached;
}
