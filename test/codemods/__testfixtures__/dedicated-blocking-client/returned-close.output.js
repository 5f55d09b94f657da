import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL);
const redisBlocking = redis.duplicate({ commandTimeout: 31000 });
redis.on('error', (error) => console.error('redis', error));
redisBlocking.on('error', (error) => console.error('redis', error));

export async function next() {
  // Blocks redisBlocking until a job arrives.
  return redisBlocking.blpop('jobs', 30);
}

export async function size() {
  return redis.llen('jobs');
}

export function createLifecycle() {
  return { close: () => Promise.all([redis.quit(), redisBlocking.quit()]) };
}
