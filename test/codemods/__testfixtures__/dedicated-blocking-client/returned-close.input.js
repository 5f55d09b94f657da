import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL);
redis.on('error', (error) => console.error('redis', error));

export async function next() {
  // Blocks redis until a job arrives.
  return redis.blpop('jobs', 30);
}

export async function size() {
  return redis.llen('jobs');
}

export function createLifecycle() {
  return { close: () => redis.quit() };
}
