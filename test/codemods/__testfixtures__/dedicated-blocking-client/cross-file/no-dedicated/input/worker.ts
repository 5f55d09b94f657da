import { redis } from './redis';

export async function next(): Promise<[string, string] | null> {
  return redis.blpop('jobs', 5);
}
