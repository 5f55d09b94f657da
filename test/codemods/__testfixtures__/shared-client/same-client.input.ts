import Redis from 'ioredis';

// Two functions that make the same client share one.
export async function read(key: string): Promise<string | null> {
  const redis = new Redis(6379, 'cache.internal');
  try {
    return await redis.get(key);
  } finally {
    await redis.quit();
  }
}

export async function write(key: string, value: string): Promise<void> {
  const connection = new Redis(6379, 'cache.internal');
  try {
    await connection.set(key, value, 'EX', 60);
  } finally {
    await connection.quit();
  }
}
