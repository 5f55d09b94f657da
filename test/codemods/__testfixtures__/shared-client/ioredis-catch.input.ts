import Redis from 'ioredis';

export async function count(key: string): Promise<number> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', { commandTimeout: 2000 });
  try {
    return await redis.incr(key);
  } catch (error) {
    console.error('count failed', error);
    throw error;
  } finally {
    redis.disconnect();
  }
}
