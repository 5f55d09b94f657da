const Redis = require('ioredis');

const queue = new Redis(process.env.QUEUE_URL);

async function enqueue(job) {
  return queue.rpush('jobs', JSON.stringify(job));
}

const stats = new Redis(process.env.STATS_URL, { commandTimeout: 1000 });

async function countVisits(page) {
  return await stats.incr(`visits:${page}`);
}

process.on('SIGTERM', async () => {
  await queue.quit();
  await stats.quit();
  process.exit(0);
});

module.exports = { enqueue, countVisits };
