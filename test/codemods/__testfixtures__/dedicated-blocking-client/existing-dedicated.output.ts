import Redis from 'ioredis';

export const redis = new Redis({ commandTimeout: 3000 });
export const redisBlocking = redis.duplicate({ commandTimeout: 40000 });

// One blocking call was left on the shared client: it joins the others.
export async function next(): Promise<[string, string] | null> {
  return redisBlocking.brpop('jobs', 30);
}

export async function later(): Promise<[string, string] | null> {
  return redisBlocking.brpop('later', 30);
}

export async function count(): Promise<number> {
  return redis.llen('jobs');
}
