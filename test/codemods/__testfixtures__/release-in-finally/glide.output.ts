import { GlideClient } from '@valkey/valkey-glide';

export async function readSetting(name: string): Promise<string | null> {
  const client = await GlideClient.createClient({ addresses: [{ host: '127.0.0.1', port: 6379 }] });
  try {
    const value = await client.get(`setting:${name}`);
    return value === null ? null : String(value);
  } finally {
    client.close();
  }
}
