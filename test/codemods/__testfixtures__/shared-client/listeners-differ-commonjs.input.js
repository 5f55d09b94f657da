const Redis = require('ioredis');

const CACHE_URL = process.env.CACHE_URL || 'redis://localhost:6379';

async function hits(page) {
  const redis = new Redis(CACHE_URL, { commandTimeout: 2000 });
  redis.on('error', (error) => console.error('hits', error));
  try {
    return await redis.incr(`hits:${page}`);
  } finally {
    redis.disconnect();
  }
}

async function reset(page) {
  const counter = new Redis(CACHE_URL, { commandTimeout: 2000 });
  try {
    await counter.del(`hits:${page}`);
  } finally {
    counter.disconnect();
  }
}

module.exports = { hits, reset };
