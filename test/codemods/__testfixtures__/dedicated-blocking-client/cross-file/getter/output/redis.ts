import Redis from 'ioredis';

let client: Redis | undefined;
let clientBlocking: Redis | undefined;

// One client for the whole service, made on first use.
export function getRedis(): Redis {
  if (!client) {
    client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', { commandTimeout: 1000 });
    client.on('error', (error) => console.error('redis', error));
  }
  return client;
}

// A connection of its own for blocking commands, which would stall every other caller of getRedis().
export function getRedisBlocking(): Redis {
  if (!clientBlocking) {
    clientBlocking = getRedis().duplicate({ commandTimeout: 9000 });
    clientBlocking.on('error', (error) => console.error('redis', error));
  }
  return clientBlocking;
}

export async function closeRedis(): Promise<void> {
  await client?.quit();
  await clientBlocking?.quit();
}
