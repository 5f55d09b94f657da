import Redis from 'ioredis';

// One client for the whole app: cache reads and the job queue.
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
redis.on('error', (error) => console.error('redis', error));

export async function nextJob(): Promise<string | null> {
  const popped = await redis.blpop('jobs', 10);
  return popped ? popped[1] : null;
}

export async function cached(key: string): Promise<string | null> {
  return redis.get(key);
}

export async function shutdown(): Promise<void> {
  await redis.quit(); // waits for pending replies
}
