import { createClient } from 'redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://localhost:6379';

const client = createClient({ url: REDIS_URL });
client.on('error', (error) => console.error('profile cache', error));

// Same options, different 'error' listeners: one shared client serves both.
export async function readProfile(id: string): Promise<string | null> {
  if (!client.isOpen) await client.connect();
  return await client.get(`profile:${id}`);
}

export async function touchSession(id: string): Promise<void> {
  if (!client.isOpen) await client.connect();
  await client.expire(`session:${id}`, 3600);
}
