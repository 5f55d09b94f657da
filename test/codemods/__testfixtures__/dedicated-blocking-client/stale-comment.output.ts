import Redis from 'ioredis';

const redis = new Redis({ commandTimeout: 2000 });
const redisBlocking = redis.duplicate({ commandTimeout: 11000 });

export async function nextJob(): Promise<[string, string] | null> {
  // Parks redisBlocking until a job arrives, for up to 10 s.
  return redisBlocking.brpop('jobs', 10); // blocks redisBlocking
}

export async function ack(id: string): Promise<number> {
  return redis.lrem('processing', 1, id);
}

export function close() {
  return Promise.all([redis.quit(), redisBlocking.quit()]);
}
