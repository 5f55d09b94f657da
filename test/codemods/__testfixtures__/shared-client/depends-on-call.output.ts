import Redis from 'ioredis';
import { createClient } from 'redis';

declare function loadConfig(): { url: string };

// Each of these makes a client that depends on the call: left alone.
export async function byPort(port: number): Promise<string | null> {
  const redis = new Redis(port);
  try {
    return await redis.get('k');
  } finally {
    await redis.quit();
  }
}

export async function byLocal(tenant: string): Promise<string | null> {
  const db = tenant === 'eu' ? 1 : 2;
  const redis = new Redis({ db });
  try {
    return await redis.get('k');
  } finally {
    await redis.quit();
  }
}

export async function byConfig(): Promise<string | null> {
  const client = createClient(loadConfig());
  await client.connect();
  try {
    return await client.get('k');
  } finally {
    await client.close();
  }
}

export class Store {
  constructor(private readonly url: string) {}

  async get(key: string): Promise<string | null> {
    const redis = new Redis(this.url);
    try {
      return await redis.get(key);
    } finally {
      await redis.quit();
    }
  }
}
