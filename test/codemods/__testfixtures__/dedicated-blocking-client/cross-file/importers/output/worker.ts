import { redisBlocking } from './redis';

// Only blocking reads here: the import itself moves to the dedicated duplicate.
export async function drain(): Promise<number> {
  let drained = 0;
  while (await redisBlocking.brpop('retries', 5)) drained++;
  return drained;
}
