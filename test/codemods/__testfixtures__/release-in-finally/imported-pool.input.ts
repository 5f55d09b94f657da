import { sharedPool } from './shared/pool';

export async function rename(from: string, to: string): Promise<void> {
  const conn = await sharedPool.acquire();
  await conn.rename(from, to);
  await sharedPool.release(conn);
}
