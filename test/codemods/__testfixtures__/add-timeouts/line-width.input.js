const Redis = require('ioredis');

// Formatted at 80 columns: the options go one a line once they no longer fit.
const cache = new Redis({ host: 'cache.internal', port: 6379, db: 2 });

const sessions = new Redis({ host: 'sessions.internal', port: 6380 });

const queue = new Redis({ host: 'queue.internal', lazyConnect: true });

module.exports = { cache, sessions, queue };
