import Redis from 'ioredis';

// No blocking command runs here and nothing closes the client, so the codemod makes no duplicate of it.
export const redis = new Redis();
redis.on('error', (error) => console.error('redis', error));
