import Redis from 'ioredis';

declare function audit(client: Redis): Promise<void>;

// Handed on: the function does not own the client alone.
export async function withAudit(): Promise<void> {
  const redis = new Redis();
  try {
    await audit(redis);
  } finally {
    await redis.quit();
  }
}

export async function opened(): Promise<Redis> {
  const redis = new Redis();
  await redis.ping();
  return redis;
}
