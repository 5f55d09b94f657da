const { redis } = require('./redis');

async function take() {
  await redis.incr('takes');
  return redis.blpop('queue', 4);
}

module.exports = { take };
