import Redis from 'ioredis';

// Every way ioredis takes its options: none, port and host, a URL, an options object.
export const bare = new Redis();
export const byPort = new Redis(6380, 'cache.internal');
export const byUrl = new Redis('redis://cache.internal:6379/2');
export const fromEnv = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

export const inline = new Redis({ host: 'cache.internal', db: 2 });

export const multiline = new Redis({
  host: 'cache.internal',
  port: 6379,
  keyPrefix: 'app:', // every key
});

export const trailingComma = new Redis(6379, 'cache.internal', {
  enableAutoPipelining: true,
});

export const commented = new Redis({
  host: 'cache.internal' // the primary
});

export const empty = new Redis({});

// A constant holding a URL is a URL, not options.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://localhost:6379';
export const fromConstant = new Redis(REDIS_URL);
