import { createClient } from 'redis';

export const client = await createClient({ url: process.env.REDIS_URL })
  .on('error', (error) => console.error('redis', error))
  .connect();

export async function nextEvent() {
  return client.xRead({ key: 'events', id: '$' }, { BLOCK: 5000, COUNT: 10 });
}

export async function append(event: string) {
  return client.xAdd('events', '*', { event });
}

process.on('SIGTERM', () => client.close());
