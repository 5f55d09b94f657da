import { createRedisInstance } from '../redis';

// Fault: each request opens a connection through the factory and never closes it.
export async function stockLevel(sku: string): Promise<number> {
  const redis = createRedisInstance({ commandTimeout: 2000 });
  return Number(await redis.get(`stock:${sku}`));
}

// Right: the connection the factory made is closed on every path.
export async function stockLevelSafely(sku: string): Promise<number> {
  const redis = createRedisInstance({ commandTimeout: 2000 });
  try {
    return Number(await redis.get(`stock:${sku}`));
  } finally {
    await redis.quit();
  }
}
