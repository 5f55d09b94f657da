import Redis from 'ioredis';
import { createClient } from 'redis';

// Fault: no 'error' listener — the first socket error crashes the process.
const sessions = createClient({ url: process.env.REDIS_URL });

export async function loadSession(id: string): Promise<string | null> {
  if (!sessions.isOpen) await sessions.connect();
  return sessions.get(`session:${id}`);
}

// Right: a listener before connect().
const cache = createClient({ url: process.env.REDIS_URL }).on('error', (err) => {
  console.error('cache client error', err);
});

export async function cached(key: string): Promise<string | null> {
  if (!cache.isOpen) await cache.connect();
  return cache.get(key);
}

// Fault: no commandTimeout — a command on a half-open socket waits forever.
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

// Right: every command is bounded.
export const boundedRedis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  commandTimeout: 2000,
});

// A factory: a new connection on every call, with the caller's options.
export function createRedisInstance(options: { commandTimeout: number; lazyConnect?: boolean }): Redis {
  return new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', options);
}
