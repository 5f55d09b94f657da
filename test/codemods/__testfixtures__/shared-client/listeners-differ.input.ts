import { createClient } from 'redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://localhost:6379';

// Same options, different 'error' listeners: one shared client serves both.
export async function readProfile(id: string): Promise<string | null> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', (error) => console.error('profile cache', error));
  await client.connect();
  try {
    return await client.get(`profile:${id}`);
  } finally {
    await client.close();
  }
}

export async function touchSession(id: string): Promise<void> {
  const sessions = createClient({ url: REDIS_URL });
  sessions.on('error', (error) => console.warn('sessions', error.message));
  await sessions.connect();
  try {
    await sessions.expire(`session:${id}`, 3600);
  } finally {
    await sessions.close();
  }
}
