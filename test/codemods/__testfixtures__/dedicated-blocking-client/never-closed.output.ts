import Redis from 'ioredis';

// Nothing here closes the client: a duplicate made beside it would never be closed either.
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

export async function nextJob(): Promise<[string, string] | null> {
  return redis.blpop('jobs', 5);
}

export async function cached(key: string): Promise<string | null> {
  return redis.get(key);
}
