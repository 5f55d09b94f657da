const { redis } = require('./redis');

async function drain() {
  while (await redis.blpop('retries', 1)) {
    // one more
  }
}

module.exports = { drain };
