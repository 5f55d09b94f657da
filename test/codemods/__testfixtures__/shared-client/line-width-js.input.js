import { createClient } from 'redis';

const SESSIONS_URL = process.env.SESSIONS_URL ?? 'redis://localhost:6379';

export async function readSession(id) {
  const analyticsSessionStoreClient = createClient({ url: SESSIONS_URL });
  analyticsSessionStoreClient.on('error', (error) => console.error(error));
  await analyticsSessionStoreClient.connect();
  try {
    return await analyticsSessionStoreClient.get(`session:${id}`);
  } finally {
    await analyticsSessionStoreClient.close();
  }
}
