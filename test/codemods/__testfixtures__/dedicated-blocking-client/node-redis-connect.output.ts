import { createClient } from 'redis';

const client = createClient({ url: 'redis://cache.internal' });
const clientBlocking = client.duplicate();
client.on('error', (error) => console.error('redis', error));
clientBlocking.on('error', (error) => console.error('redis', error));

export async function start(): Promise<void> {
  await client.connect();
  await clientBlocking.connect();
}

export async function take(): Promise<string | null> {
  const popped = await clientBlocking.brPop('tasks', 0);
  return popped?.element ?? null;
}

export async function put(task: string): Promise<void> {
  await client.lPush('tasks', task);
}

export async function stop(): Promise<void> {
  await Promise.all([
    client.close(),
    clientBlocking.close(),
    Promise.resolve()
  ]);
}
