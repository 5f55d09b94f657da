import Redis from 'ioredis';

// commandTimeout 2000 would reject a 5 s BZPOPMIN: the duplicate gets a longer one.
const redis = new Redis({ host: 'cache.internal', commandTimeout: 2000, socketTimeout: 3000 });
const redisBlocking = redis.duplicate({ commandTimeout: 6000, socketTimeout: 6000 });

export async function leader(): Promise<[string, string, string] | null> {
  return redisBlocking.bzpopmin('leaders', 5);
}

export async function score(member: string): Promise<string | null> {
  return redis.zscore('leaders', member);
}

export async function shutdown(): Promise<void> {
  await redis.quit();
  await redisBlocking.quit();
}
