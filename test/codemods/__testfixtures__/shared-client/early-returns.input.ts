import Redis from 'ioredis';

const CACHE = { host: 'cache.internal', port: 6379 };

export async function lookup(key: string): Promise<string | null> {
  const redis = new Redis(CACHE);
  const cached = await redis.get(key);
  if (cached === null) {
    await redis.quit();
    return null;
  }
  await redis.expire(key, 60);
  await redis.quit();
  return cached;
}
