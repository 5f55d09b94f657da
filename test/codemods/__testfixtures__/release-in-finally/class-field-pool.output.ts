import { createPool, type Pool } from 'generic-pool';
import Redis from 'ioredis';

export class SessionStore {
  private readonly pool: Pool<Redis> = createPool(
    { create: async () => new Redis(), destroy: async (client) => void (await client.quit()) },
    { max: 8 },
  );

  async load(id: string): Promise<Record<string, string>> {
    const conn = await this.pool.acquire();
    try {
      const session = await conn.hgetall(`session:${id}`);
      return session;
    } finally {
      await this.pool.release(conn);
    }
  }
}
