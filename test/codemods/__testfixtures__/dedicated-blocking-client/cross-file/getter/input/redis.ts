import Redis from 'ioredis';

let client: Redis | undefined;

// One client for the whole service, made on first use.
export function getRedis(): Redis {
  if (!client) {
    client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', { commandTimeout: 1000 });
    client.on('error', (error) => console.error('redis', error));
  }
  return client;
}

export async function closeRedis(): Promise<void> {
  await client?.quit();
}
