import Redis from 'ioredis';

// A same-file constant read only by the clients that get the option is edited in place.
const cacheOptions = {
  host: 'cache.internal',
  port: 6379,
} as const;

export const reader = new Redis(cacheOptions);
export const writer = new Redis(cacheOptions);

const sessionOptions = { host: 'sessions.internal', lazyConnect: true };

export const sessions = new Redis(6379, 'sessions.internal', sessionOptions);
