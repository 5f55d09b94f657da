import Redis from 'ioredis';

export async function read(key: string): Promise<string | null> {
  const redis = new Redis(OPTIONS);
  try {
    return await redis.get(key);
  } finally {
    await redis.quit();
  }
}

// Declared after the function that reads it: the shared client goes after it.
const OPTIONS = { host: 'cache.internal', port: 6379, lazyConnect: false };

// Called while the module loads, above where its shared client would go.
const warmed = warm();

async function warm(): Promise<string | null> {
  const redis = new Redis(6379, 'cache.internal');
  try {
    return await redis.get('warm');
  } finally {
    await redis.quit();
  }
}

export async function isWarm(): Promise<boolean> {
  return (await warmed) !== null && (await warm()) !== null;
}
