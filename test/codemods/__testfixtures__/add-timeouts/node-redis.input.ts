import { createClient, createClientPool } from 'redis';

// node-redis 6 bounds commands at 5000 ms unless told otherwise; 0 turns that off.
export const unbounded = createClient({ url: 'redis://cache.internal', commandOptions: { timeout: 0 } });

export const defaults = createClient({ url: 'redis://cache.internal' });

// A pool whose commands wait forever for a free client.
export const pool = createClientPool({ url: 'redis://cache.internal' }, { maximum: 20, acquireTimeout: 0 });

export const boundedPool = createClientPool({ url: 'redis://cache.internal' }, { maximum: 20 });
