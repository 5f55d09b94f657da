import { redis } from './redis';

export async function get(key: string): Promise<string | null> {
  return redis.get(key);
}
