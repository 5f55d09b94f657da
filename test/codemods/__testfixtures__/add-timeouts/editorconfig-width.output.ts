import Redis from 'ioredis';

// This file's section of .editorconfig sets max_line_length = 60.
export const cache = new Redis({
  host: 'cache.internal',
  commandTimeout: 5000
});

export const sessions = new Redis(6380, 'sessions', {
  commandTimeout: 5000
});
