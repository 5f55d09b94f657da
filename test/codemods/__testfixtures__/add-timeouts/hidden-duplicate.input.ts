import Redis from 'ioredis';

export const redis = new Redis();

// Exported: other modules may run blocking commands on it, and it would inherit commandTimeout.
export const redisBlocking = redis.duplicate();

// Its own commandTimeout: a new one on the source would not reach it.
export const other = new Redis();
export const otherBlocking = other.duplicate({ commandTimeout: 40000 });
