import Redis from 'ioredis';

const redis = new Redis({ commandTimeout: 2000 });

export async function nextJob(): Promise<[string, string] | null> {
  // Parks redis until a job arrives, for up to 10 s.
  return redis.brpop('jobs', 10); // blocks redis
}

export async function ack(id: string): Promise<number> {
  return redis.lrem('processing', 1, id);
}

export function close() {
  return redis.quit();
}
