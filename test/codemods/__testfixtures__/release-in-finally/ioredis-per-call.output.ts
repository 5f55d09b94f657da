import Redis from 'ioredis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// A new connection per request, never closed: connection counts only grow.
export async function countOrders(): Promise<number> {
  const redis = new Redis(REDIS_URL, { commandTimeout: 2000 });
  try {
    return await redis.scard('orders');
  } finally {
    await redis.quit();
  }
}

// A dedicated duplicate for a blocking pop, closed on the happy path only.
export async function nextJob(shared: Redis): Promise<string | null> {
  const blocking = shared.duplicate();
  try {
    const job = await blocking.brpop('jobs', 5);
    return job ? job[1] : null;
  } finally {
    await blocking.quit();
  }
}
