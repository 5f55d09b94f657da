const Redis = require('ioredis');

// No blocking command runs here: the importers' waits decide the duplicate's timeout.
const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 3000 });
const redisBlocking = redis.duplicate({ commandTimeout: 5000 });
redis.on('error', (error) => console.error('redis', error));
redisBlocking.on('error', (error) => console.error('redis', error));

async function shutdown() {
  await redis.quit();
  await redisBlocking.quit();
}

module.exports = { redis, redisBlocking, shutdown };
