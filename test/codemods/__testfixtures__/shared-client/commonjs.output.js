const Redis = require('ioredis');

const URL = process.env.REDIS_URL;

const redis = new Redis(URL);

async function hits(page) {
  const count = await redis.incr(`hits:${page}`);
  return count;
}

module.exports = { hits };
