const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);
redis.on('error', (error) => console.error(error));

async function next() {
  return redis.brpop('jobs', 20);
}

async function get(key) {
  return redis.get(key);
}

process.on('SIGTERM', () => redis.quit());

module.exports = { redis, next, get };
