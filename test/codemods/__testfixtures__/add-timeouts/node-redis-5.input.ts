import { createClient } from 'redis';

// node-redis 5 has no command timeout unless one is set.
export const client = createClient({ url: 'redis://cache.internal' });

export const bare = createClient();

export const withSocket = createClient({
  socket: { host: 'cache.internal', port: 6379 },
});

export const bounded = createClient({ commandOptions: { timeout: 2000 } });
