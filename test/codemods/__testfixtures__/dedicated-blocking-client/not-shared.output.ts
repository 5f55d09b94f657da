import Redis from 'ioredis';

// Only blocking work, and not exported: already a connection of its own.
const queue = new Redis();

export async function next(): Promise<[string, string] | null> {
  return queue.blpop('jobs', 5);
}

// A connection made for one call.
export async function once(): Promise<[string, string] | null> {
  const connection = new Redis();
  try {
    return await connection.blpop('jobs', 5);
  } finally {
    await connection.quit();
  }
}
