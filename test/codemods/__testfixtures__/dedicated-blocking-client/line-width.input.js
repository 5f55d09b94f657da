const Redis = require('ioredis');

const jobQueueRedis = new Redis(process.env.REDIS_URL);
jobQueueRedis.on('error', (error) => console.error('job queue', error));

// Waits up to 10 s for the next job and parks it in the processing list.
async function nextJob() {
  return jobQueueRedis.brpoplpush('jobs:incoming', 'jobs:processing', 10);
}

async function addJob(job) {
  await jobQueueRedis.lpush('jobs:incoming', JSON.stringify(job));
}

process.on('SIGTERM', () => jobQueueRedis.quit());

module.exports = { nextJob, addJob };
