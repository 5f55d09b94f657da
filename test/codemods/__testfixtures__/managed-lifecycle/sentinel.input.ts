import { createSentinel } from 'redis';

const sentinel = createSentinel({ name: 'primary', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });

export async function transfer(from: string, to: string, amount: number): Promise<void> {
  const lease = await sentinel.acquire();
  try {
    await lease.watch([from, to]);
    await lease.multi().decrBy(from, amount).incrBy(to, amount).exec();
  } finally {
    lease.release();
  }
}
