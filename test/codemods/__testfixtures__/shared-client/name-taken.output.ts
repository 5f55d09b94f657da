import Redis from 'ioredis';

// `redis` is taken at module level, so the shared client gets another name.
const redis = { prefix: 'app:' };

const clientShared = new Redis();

export async function read(key: string): Promise<string | null> {
  return await clientShared.get(`${redis.prefix}${key}`);
}

export async function write(key: string, value: string): Promise<void> {
  await clientShared.set(`${redis.prefix}${key}`, value);
}

const client = 'not a client';
export const label = client;
