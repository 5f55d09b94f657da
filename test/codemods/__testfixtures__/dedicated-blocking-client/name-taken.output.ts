import Redis from 'ioredis';

const redis = new Redis();
const redisBlocking2 = redis.duplicate({ commandTimeout: 6000 });

// The natural name is taken by something else.
const redisBlocking = { enabled: true };

export async function next(): Promise<[string, string] | null> {
  if (!redisBlocking.enabled) return null;
  return redisBlocking2.blpop('jobs', 5);
}

export async function touch(key: string): Promise<number> {
  return redis.expire(key, 60);
}

export class RedisLifecycle {
  async onModuleDestroy(): Promise<void> {
    await redis.quit();
    await redisBlocking2.quit();
  }
}
