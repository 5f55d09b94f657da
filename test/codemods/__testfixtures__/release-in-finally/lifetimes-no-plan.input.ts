import Redis from 'ioredis';

let client: Redis | undefined;

// Re-created on every call, and the previous connection is never closed: no try/finally fixes that.
export function getRedis(url: string): Redis {
  client = new Redis(url, { commandTimeout: 2000 });
  return client;
}
