import Redis from 'ioredis';

// The source gets the option; its duplicate inherits it.
const main = new Redis({ host: 'cache.internal', commandTimeout: 5000 });
const replica = main.duplicate();

export async function read(key: string) {
  return replica.get(key);
}

// A duplicate that turns the timeout off itself.
const bounded = new Redis({ commandTimeout: 2000 });
export const unbounded = bounded.duplicate({ commandTimeout: 5000 });

// A duplicate of a client this file only knows by its type: where that client is made decides.
export async function once(shared: Redis): Promise<string | null> {
  const connection = shared.duplicate();
  try {
    return await connection.get('k');
  } finally {
    await connection.quit();
  }
}
