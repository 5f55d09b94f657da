import Redis from 'ioredis';
import { createClient, createCluster } from 'redis';

// Commands fail while a shared client connects: a second caller would see errors.
export async function read(key: string): Promise<string | null> {
  const client = createClient({ disableOfflineQueue: true });
  await client.connect();
  try {
    return await client.get(key);
  } finally {
    await client.close();
  }
}

// A cluster rejects commands until its slots are known: a second caller could not wait for it.
export async function clusterRead(key: string): Promise<string | null> {
  const cluster = createCluster({ rootNodes: [{ url: 'redis://node-1.internal:6379' }] });
  await cluster.connect();
  try {
    return await cluster.get(key);
  } finally {
    await cluster.close();
  }
}

// ioredis with lazyConnect: connect() rejects on a client that is already connecting.
export async function lazy(key: string): Promise<string | null> {
  const redis = new Redis({ lazyConnect: true });
  await redis.connect();
  try {
    return await redis.get(key);
  } finally {
    await redis.quit();
  }
}
