import Redis from 'ioredis';

export const redis = new Redis();
export const redisBlocking = redis.duplicate({ commandTimeout: 6000 });

export async function next(): Promise<[string, string] | null> {
  return redisBlocking.blpop('jobs', 5);
}

export async function get(key: string): Promise<string | null> {
  return redis.get(key);
}

export async function shutdown(): Promise<void> {
  await redis.quit();
  await redisBlocking.quit();
}
