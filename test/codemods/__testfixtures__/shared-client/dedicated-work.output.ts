import Redis from 'ioredis';
import { createClient } from 'redis';

// A connection made for a blocking read, a subscription or a transaction stays its own.
export async function next(): Promise<[string, string] | null> {
  const redis = new Redis();
  try {
    return await redis.blpop('jobs', 5);
  } finally {
    await redis.quit();
  }
}

export async function listen(onMessage: (message: string) => void): Promise<void> {
  const client = createClient();
  await client.connect();
  try {
    await client.subscribe('news', onMessage);
  } finally {
    await client.close();
  }
}

export async function transfer(from: string, to: string): Promise<void> {
  const redis = new Redis();
  try {
    await redis.watch(from);
    const balance = Number(await redis.get(from));
    await redis.multi().decrby(from, balance).incrby(to, balance).exec();
  } finally {
    await redis.quit();
  }
}

export async function otherDatabase(): Promise<string | null> {
  const redis = new Redis();
  try {
    await redis.select(3);
    return await redis.get('k');
  } finally {
    await redis.quit();
  }
}
