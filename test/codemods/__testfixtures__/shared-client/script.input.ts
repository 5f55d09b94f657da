import { createClient } from 'redis';

// A script's entry point runs once: a client that is never closed would keep it alive.
async function main(): Promise<void> {
  const client = createClient();
  await client.connect();
  try {
    await client.set('seeded', '1');
  } finally {
    await client.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
