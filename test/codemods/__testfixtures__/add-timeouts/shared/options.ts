export const redisOptions = { host: 'cache.internal', port: 6379 };
