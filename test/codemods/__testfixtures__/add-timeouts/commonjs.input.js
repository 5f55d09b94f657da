const Redis = require('ioredis');
const { createPool } = require('generic-pool');

const redis = new Redis(process.env.REDIS_URL);

const pool = createPool({
  create: () => Promise.resolve(new Redis(process.env.REDIS_URL)),
  destroy: (client) => client.quit(),
}, {
  max: 10
});

module.exports = { redis, pool };
