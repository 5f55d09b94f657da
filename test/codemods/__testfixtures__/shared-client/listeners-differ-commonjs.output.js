const Redis = require('ioredis');

const CACHE_URL = process.env.CACHE_URL || 'redis://localhost:6379';

const redis = new Redis(CACHE_URL, { commandTimeout: 2000 });
redis.on('error', (error) => console.error('hits', error));

async function hits(page) {
  return await redis.incr(`hits:${page}`);
}

async function reset(page) {
  await redis.del(`hits:${page}`);
}

module.exports = { hits, reset };
