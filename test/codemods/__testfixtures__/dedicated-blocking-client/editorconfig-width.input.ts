import Redis from 'ioredis';

// This file's section of .editorconfig sets max_line_length = 60.
const events = new Redis({ commandTimeout: 2000 });
events.on('error', (error) => console.error('events', error));

export async function nextEvent() {
  return events.blpop('events', 8);
}

export async function publish(event: string) {
  await events.rpush('events', event);
}

export const stop = () => events.quit();
