const Redis = require('ioredis');
const { createPool } = require('generic-pool');

const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 5000 });

const pool = createPool({
  create: () => Promise.resolve(new Redis(process.env.REDIS_URL, {
    commandTimeout: 5000,
  })),
  destroy: (client) => client.quit(),
}, {
  max: 10
});

module.exports = { redis, pool };
