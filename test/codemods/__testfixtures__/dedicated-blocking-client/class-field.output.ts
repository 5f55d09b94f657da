import Redis from 'ioredis';

// A service class that owns its client: the dedicated connection is a field made by hand.
export class JobService {
  private readonly redis = new Redis({ commandTimeout: 2000 });

  async next(): Promise<[string, string] | null> {
    return this.redis.brpop('jobs', 1);
  }

  async size(): Promise<number> {
    return this.redis.llen('jobs');
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit();
  }
}
