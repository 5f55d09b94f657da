import { sharedPool } from './shared/pool';

export async function rename(from: string, to: string): Promise<void> {
  const conn = await sharedPool.acquire();
  try {
    await conn.rename(from, to);
  } finally {
    await sharedPool.release(conn);
  }
}
