const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);
const redisBlocking = redis.duplicate({ commandTimeout: 21000 });
redis.on('error', (error) => console.error(error));
redisBlocking.on('error', (error) => console.error(error));

async function next() {
  return redisBlocking.brpop('jobs', 20);
}

async function get(key) {
  return redis.get(key);
}

process.on('SIGTERM', () => Promise.all([redis.quit(), redisBlocking.quit()]));

module.exports = { redis, redisBlocking, next, get };
