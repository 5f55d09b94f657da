import Redis from 'ioredis';

// commandTimeout applies to blocking commands too (ioredis #1630): it must outlast every wait.
export const queue = new Redis({ host: 'queue.internal', commandTimeout: 31000 });

export async function next(): Promise<[string, string] | null> {
  return queue.blpop('jobs', 10);
}

export async function nextBatch() {
  return queue.xread('COUNT', 10, 'BLOCK', 30000, 'STREAMS', 'events', '$');
}

// A duplicate inherits its source's commandTimeout, so its waits count for the source.
export const events = new Redis({ commandTimeout: 21000 });
const listener = events.duplicate();

export async function nextEvent() {
  return listener.bzpopmin('scores', 20);
}

// A wait that never ends: any commandTimeout would reject it.
export const forever = new Redis();

export async function take() {
  return forever.brpoplpush('in', 'out', 0);
}

// A wait this file can't read.
export const tunable = new Redis();

export async function takeWithin(seconds: number) {
  return tunable.blpop('jobs', seconds);
}

