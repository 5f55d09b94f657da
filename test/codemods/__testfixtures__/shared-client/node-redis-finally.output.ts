import { createClient } from 'redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://localhost:6379';

function onError(error: Error): void {
  console.error('redis', error);
}

const client = createClient({ url: REDIS_URL });
client.on('error', onError);

export async function getUser(id: string): Promise<string | null> {
  if (!client.isOpen) await client.connect();
  // one connection per request
  const user = await client.get(`user:${id}`);
  return user;
}
