import { redis, redisBlocking } from './redis';
import * as store from './redis';

// Other work stays on the shared client; the blocking reads move.
export async function handoff(id: string) {
  await redis.lpush('handoff', id);
  const reply = await redisBlocking.blpop(`reply:${id}`, 8);
  const audit = await store.redisBlocking.brpop('audit', 2);
  return [reply, audit];
}
