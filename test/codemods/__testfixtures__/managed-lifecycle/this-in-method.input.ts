import { createPool, type Pool } from 'generic-pool';
import Redis from 'ioredis';

export class Counter {
  private readonly pool: Pool<Redis> = createPool(
    { create: async () => new Redis(), destroy: async (client) => void (await client.quit()) },
    { max: 8 },
  );

  constructor(private readonly prefix: string) {}

  // `this` in the moved code still means the Counter: the callback is an arrow.
  async bump(name: string): Promise<number> {
    const conn = await this.pool.acquire();
    try {
      return await conn.incr(`${this.prefix}:${name}`);
    } finally {
      await this.pool.release(conn);
    }
  }
}
