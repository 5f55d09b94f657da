import { createClient } from 'redis';

const client = createClient({ socket: { host: 'cache.internal', port: 6379 } })
  .on('error', (error) => console.error(error));

export async function increment(key: string): Promise<number> {
  if (!client.isOpen) await client.connect();
  const value = await client.incr(key);
  return value;
}
