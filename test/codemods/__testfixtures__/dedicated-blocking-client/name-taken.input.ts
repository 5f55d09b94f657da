import Redis from 'ioredis';

const redis = new Redis();

// The natural name is taken by something else.
const redisBlocking = { enabled: true };

export async function next(): Promise<[string, string] | null> {
  if (!redisBlocking.enabled) return null;
  return redis.blpop('jobs', 5);
}

export async function touch(key: string): Promise<number> {
  return redis.expire(key, 60);
}

export class RedisLifecycle {
  async onModuleDestroy(): Promise<void> {
    await redis.quit();
  }
}
