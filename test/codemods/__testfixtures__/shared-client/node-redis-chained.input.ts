import { createClient } from 'redis';

export async function increment(key: string): Promise<number> {
  const client = await createClient({ socket: { host: 'cache.internal', port: 6379 } })
    .on('error', (error) => console.error(error))
    .connect();
  const value = await client.incr(key);
  await client.close();
  return value;
}
