import Redis from 'ioredis';

const shared = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { commandTimeout: 2000 });
shared.on('error', (err) => console.error('redis error', err));

export async function emailTemplate(name: string): Promise<string | null> {
  return shared.get(`template:${name}`);
}

// Fault: BLPOP with timeout 0 on the connection that also serves GETs: every GET waits behind
// it, and commandTimeout (2 s) rejects the call while the server keeps the connection parked.
export async function nextEmailJobOnShared(): Promise<string | null> {
  const result = await shared.blpop('queue:email', 0);
  return result ? result[1] : null;
}

// Right: blocking reads on their own connection, with a timeout that fits its commandTimeout.
const blocking = shared.duplicate({ commandTimeout: 10_000 });

export async function nextEmailJob(): Promise<string | null> {
  const result = await blocking.blpop('queue:email', 5);
  return result ? result[1] : null;
}
