import Redis from 'ioredis';
import { Pool as TarnPool } from 'tarn';
import { createPool } from 'generic-pool';
import { GlideClient } from '@valkey/valkey-glide';
import { createClient } from 'redis';

// Nothing to add: every wait here is bounded.
export const withTimeout = new Redis({ commandTimeout: 3000 });
export const withSocketTimeout = new Redis({ socketTimeout: 10000 });

export const pool = createPool(
  { create: async () => new Redis({ commandTimeout: 3000 }), destroy: async (client: Redis) => void (await client.quit()) },
  { max: 5, acquireTimeoutMillis: 2000 },
);

// tarn bounds acquire at 30 s by default.
export const tarn = new TarnPool({
  create: () => new Redis({ commandTimeout: 3000 }),
  destroy: (client: Redis) => void client.disconnect(),
  min: 0,
  max: 5,
});

// glide's requestTimeout defaults to 250 ms.
export const glide = GlideClient.createClient({ addresses: [{ host: 'cache.internal' }] });

// node-redis 6 bounds commands at 5000 ms by default.
export const nodeRedis = createClient({ url: 'redis://cache.internal' });

// Not Redis.
interface Connection {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
declare function connectDatabase(): Promise<Connection>;
export const databases = createPool({ create: connectDatabase, destroy: (connection: Connection) => connection.end() }, { max: 5 });
