import Redis from 'ioredis';

// blockingTimeout ends a wait of 0 after 20 s: the duplicate inherits it, and gets a commandTimeout that outlasts it.
const redis = new Redis({ blockingTimeout: 20000 });
const redisBlocking = redis.duplicate({ commandTimeout: 21000 });

export async function take(): Promise<[string, string] | null> {
  return redisBlocking.blpop('jobs', 0);
}

export async function size(): Promise<number> {
  return redis.llen('jobs');
}

process.on('SIGTERM', () => void Promise.all([redis.quit(), redisBlocking.quit()]));
