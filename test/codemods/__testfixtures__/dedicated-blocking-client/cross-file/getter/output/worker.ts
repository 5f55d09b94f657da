import { getRedis, getRedisBlocking } from './index';

// The pop waits up to 8 s on the connection every other caller of getRedis() shares.
export async function nextTask(): Promise<string | null> {
  const popped = await getRedisBlocking().blpop('tasks', 8);
  await getRedis().incr('tasks:taken');
  return popped ? popped[1] : null;
}

export async function nextRetry(): Promise<string | null> {
  const popped = await getRedisBlocking().brpop('retries', 2);
  return popped ? popped[1] : null;
}
