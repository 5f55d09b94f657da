import Redis from 'ioredis';

// A duplicate would inherit commandTimeout 5000, which rejects a wait that never ends.
const redis = new Redis({ commandTimeout: 5000 });

export async function take(): Promise<[string, string] | null> {
  return redis.blpop('incoming', 0);
}

export async function size(): Promise<number> {
  return redis.llen('incoming');
}
