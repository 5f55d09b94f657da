import { createClient } from 'redis';

const client = await createClient().connect();

// MONITOR takes the connection over: a subscriber or monitor connection is made by hand.
export async function watch() {
  await client.monitor((line) => console.log(line));
}

export async function read(key: string) {
  return client.get(key);
}
