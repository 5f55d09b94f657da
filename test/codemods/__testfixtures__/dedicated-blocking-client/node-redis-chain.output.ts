import { createClient } from 'redis';

export const client = await createClient({ url: process.env.REDIS_URL })
  .on('error', (error) => console.error('redis', error))
  .connect();
export const clientBlocking = await client.duplicate()
  .on('error', (error) => console.error('redis', error))
  .connect();

export async function nextEvent() {
  return clientBlocking.xRead(
    { key: 'events', id: '$' },
    { BLOCK: 5000, COUNT: 10 }
  );
}

export async function append(event: string) {
  return client.xAdd('events', '*', { event });
}

process.on('SIGTERM', () => Promise.all([
  client.close(),
  clientBlocking.close()
]));
