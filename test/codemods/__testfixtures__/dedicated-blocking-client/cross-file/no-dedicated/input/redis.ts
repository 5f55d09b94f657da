import Redis from 'ioredis';

// No blocking command runs here, so the codemod makes no duplicate in this module.
export const redis = new Redis();
redis.on('error', (error) => console.error('redis', error));
