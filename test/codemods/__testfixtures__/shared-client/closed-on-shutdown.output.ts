import { createClient } from 'redis';

const SESSIONS_URL = process.env.SESSIONS_URL ?? 'redis://sessions.internal:6379';
const CACHE_URL = process.env.CACHE_URL ?? 'redis://cache.internal:6379';

const sessions = createClient({ url: SESSIONS_URL });
sessions.on('error', (error) => console.error('sessions', error));

export async function session(id: string): Promise<string | null> {
  if (!sessions.isOpen) await sessions.connect();
  return sessions.get(`session:${id}`);
}

const cache = createClient({ url: CACHE_URL });
cache.on('error', (error) => console.error('cache', error));

export async function cachedPage(path: string): Promise<string | null> {
  if (!cache.isOpen) await cache.connect();
  return await cache.get(`page:${path}`);
}

// Graceful shutdown closes what the module keeps open.
export async function shutdown(): Promise<void> {
  if (sessions.isOpen) await sessions.close();
  if (cache.isOpen) await cache.close();
}
