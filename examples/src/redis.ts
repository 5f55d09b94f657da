import Redis from 'ioredis';
import { createClient } from 'redis';

// Fault: no 'error' listener — the first socket error crashes the process.
export const cache = createClient({ url: process.env.REDIS_URL });

// Right: a listener before connect().
export const cacheClient = createClient({ url: process.env.REDIS_URL }).on('error', (err) => {
  console.error('cache client error', err);
});

// Fault: no commandTimeout — a command on a half-open socket waits forever.
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

// Right: every command is bounded.
export const boundedRedis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  commandTimeout: 2000,
});
