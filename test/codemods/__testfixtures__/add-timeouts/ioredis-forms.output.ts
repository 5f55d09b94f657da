import Redis from 'ioredis';

// Every way ioredis takes its options: none, port and host, a URL, an options object.
export const bare = new Redis({ commandTimeout: 5000 });
export const byPort = new Redis(6380, 'cache.internal', { commandTimeout: 5000 });
export const byUrl = new Redis('redis://cache.internal:6379/2', { commandTimeout: 5000 });
export const fromEnv = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', {
  commandTimeout: 5000,
});

export const inline = new Redis({ host: 'cache.internal', db: 2, commandTimeout: 5000 });

export const multiline = new Redis({
  host: 'cache.internal',
  port: 6379,
  keyPrefix: 'app:', // every key
  commandTimeout: 5000,
});

export const trailingComma = new Redis(6379, 'cache.internal', {
  enableAutoPipelining: true,
  commandTimeout: 5000,
});

export const commented = new Redis({
  host: 'cache.internal', // the primary
  commandTimeout: 5000
});

export const empty = new Redis({ commandTimeout: 5000 });

// A constant holding a URL is a URL, not options.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://localhost:6379';
export const fromConstant = new Redis(REDIS_URL, { commandTimeout: 5000 });
