const Redis = require('ioredis');

// Formatted at 80 columns: the options go one a line once they no longer fit.
const cache = new Redis({
  host: 'cache.internal',
  port: 6379,
  db: 2,
  commandTimeout: 5000
});

const sessions = new Redis({
  host: 'sessions.internal',
  port: 6380,
  commandTimeout: 5000
});

const queue = new Redis({
  host: 'queue.internal',
  lazyConnect: true,
  commandTimeout: 5000
});

module.exports = { cache, sessions, queue };
