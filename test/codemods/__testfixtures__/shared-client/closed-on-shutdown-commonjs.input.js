const Redis = require('ioredis');

const queue = new Redis(process.env.QUEUE_URL);

async function enqueue(job) {
  return queue.rpush('jobs', JSON.stringify(job));
}

async function countVisits(page) {
  const stats = new Redis(process.env.STATS_URL, { commandTimeout: 1000 });
  try {
    return await stats.incr(`visits:${page}`);
  } finally {
    await stats.quit();
  }
}

process.on('SIGTERM', async () => {
  await queue.quit();
  process.exit(0);
});

module.exports = { enqueue, countVisits };
