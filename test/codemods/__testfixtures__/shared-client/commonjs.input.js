const Redis = require('ioredis');

const URL = process.env.REDIS_URL;

async function hits(page) {
  const redis = new Redis(URL);
  const count = await redis.incr(`hits:${page}`);
  await redis.quit();
  return count;
}

module.exports = { hits };
