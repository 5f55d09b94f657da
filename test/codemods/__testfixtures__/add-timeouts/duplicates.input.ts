import Redis from 'ioredis';

// The source gets the option; its duplicate inherits it.
const main = new Redis({ host: 'cache.internal' });
const replica = main.duplicate();

export async function read(key: string) {
  return replica.get(key);
}

// A duplicate that turns the timeout off itself.
const bounded = new Redis({ commandTimeout: 2000 });
export const unbounded = bounded.duplicate({ commandTimeout: null as unknown as number });

// A duplicate of a client this file only knows by its type: where that client is made decides.
export async function once(shared: Redis): Promise<string | null> {
  const connection = shared.duplicate();
  try {
    return await connection.get('k');
  } finally {
    await connection.quit();
  }
}
