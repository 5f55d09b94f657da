import { createClient } from 'redis';

const client = createClient({ url: 'redis://cache.internal' });
client.on('error', (error) => console.error('redis', error));

export async function start(): Promise<void> {
  await client.connect();
}

export async function take(): Promise<string | null> {
  const popped = await client.brPop('tasks', 0);
  return popped?.element ?? null;
}

export async function put(task: string): Promise<void> {
  await client.lPush('tasks', task);
}

export async function stop(): Promise<void> {
  await Promise.all([client.close(), Promise.resolve()]);
}
