const { redisBlocking } = require('./redis');

async function drain() {
  while (await redisBlocking.blpop('retries', 1)) {
    // one more
  }
}

module.exports = { drain };
