const { redis, redisBlocking } = require('./redis');

async function take() {
  await redis.incr('takes');
  return redisBlocking.blpop('queue', 4);
}

module.exports = { take };
