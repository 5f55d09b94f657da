const Redis = require('ioredis');

const jobQueueRedis = new Redis(process.env.REDIS_URL);
const jobQueueRedisBlocking = jobQueueRedis.duplicate({
  commandTimeout: 11000
});
jobQueueRedis.on('error', (error) => console.error('job queue', error));
jobQueueRedisBlocking.on('error', (error) => console.error('job queue', error));

// Waits up to 10 s for the next job and parks it in the processing list.
async function nextJob() {
  return jobQueueRedisBlocking.brpoplpush(
    'jobs:incoming',
    'jobs:processing',
    10
  );
}

async function addJob(job) {
  await jobQueueRedis.lpush('jobs:incoming', JSON.stringify(job));
}

process.on('SIGTERM', () => Promise.all([
  jobQueueRedis.quit(),
  jobQueueRedisBlocking.quit()
]));

module.exports = { nextJob, addJob };
