import { createClient } from 'redis';

// node-redis 5 has no command timeout unless one is set.
export const client = createClient({
  url: 'redis://cache.internal',
  commandOptions: { timeout: 5000 },
});

export const bare = createClient({ commandOptions: { timeout: 5000 } });

export const withSocket = createClient({
  socket: { host: 'cache.internal', port: 6379 },
  commandOptions: { timeout: 5000 },
});

export const bounded = createClient({ commandOptions: { timeout: 2000 } });
