import { redis } from './redis';

// 30 s: longer than the commandTimeout the duplicate gets for the 5 s wait in './redis'.
export async function nextReport(): Promise<[string, string] | null> {
  return redis.brpop('reports', 30);
}
