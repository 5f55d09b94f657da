import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', { commandTimeout: 2000 });

export async function count(key: string): Promise<number> {
  try {
    return await redis.incr(key);
  } catch (error) {
    console.error('count failed', error);
    throw error;
  }
}
