import Redis from 'ioredis';
import genericPool from 'generic-pool';

// The shared client is never closed here, but the module's shutdown closes its pool.
export const redis = new Redis({ host: 'queue.internal' });
export const redisBlocking = redis.duplicate({ commandTimeout: 6000 });

const reports = genericPool.createPool({ create: async () => new Redis({ host: 'reports.internal' }), destroy: async (client) => void (await client.quit()) }, { max: 4 });

export async function nextJob(): Promise<[string, string] | null> {
  return redisBlocking.blpop('jobs', 5);
}

export async function queued(): Promise<number> {
  return redis.llen('jobs');
}

export async function report(id: string): Promise<string | null> {
  return reports.use((client) => client.get(`report:${id}`));
}

export async function shutdown(): Promise<void> {
  await reports.drain();
  await reports.clear();
  await redisBlocking.quit();
}
