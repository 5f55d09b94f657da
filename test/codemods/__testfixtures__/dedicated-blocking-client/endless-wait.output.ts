import Redis from 'ioredis';

// No commandTimeout on the client: its duplicate needs none for a wait that never ends.
const redis = new Redis();
const redisBlocking = redis.duplicate();

export async function take(): Promise<string | null> {
  return redisBlocking.brpoplpush('incoming', 'processing', 0);
}

export async function ack(item: string): Promise<number> {
  return redis.lrem('processing', 1, item);
}

export const closeRedis = () => Promise.all([redis.quit(), redisBlocking.quit()]);
