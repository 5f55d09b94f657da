import { createClient } from 'redis';

const SESSIONS_URL = process.env.SESSIONS_URL ?? 'redis://localhost:6379';

const analyticsSessionStoreClient = createClient({ url: SESSIONS_URL });
analyticsSessionStoreClient.on('error', (error) => console.error(error));

export async function readSession(id: string): Promise<string | null> {
  if (!analyticsSessionStoreClient.isOpen) {
    await analyticsSessionStoreClient.connect();
  }
  return await analyticsSessionStoreClient.get(`session:${id}`);
}
