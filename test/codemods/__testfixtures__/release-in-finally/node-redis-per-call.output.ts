import { createClient } from 'redis';

// A client opened per call and closed only when nothing goes wrong.
export async function lookup(url: string, key: string): Promise<string | null> {
  const client = createClient({ url });
  client.on('error', (error) => console.error(error));
  await client.connect();
  try {
    const value = await client.get(key);
    return value;
  } finally {
    await client.quit();
  }
}

// Never closed: the release is written for the installed node-redis (6: close()).
export async function ping(url: string): Promise<string> {
  const client = await createClient({ url }).on('error', console.error).connect();
  try {
    return await client.ping();
  } finally {
    await client.close();
  }
}
