/**
 * no-blocking-on-shared-client across modules: a client handed out by a getter in another
 * module (or by a method of the same class) is shared; a connection a factory makes per call
 * is not.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-blocking-on-shared-client';
import { commonjs, handlerJs, handlerTs, modulesOff, typedServiceTester, untypedServiceTester } from '../analysis/modules-harness';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

function inFile<T extends object>(filename: string, options: object, tests: Omit<T, 'filename'>[]): T[] {
  return tests.map((test) => ({ filename, ...options, ...test }) as T);
}

const valid = inFile<Valid>(handlerTs, {}, [
  // A dedicated duplicate from a helper in another module.
  {
    code: `import { createSubscriber } from '../lib/redis';
export async function next() {
  const subscriber = await createSubscriber();
  try {
    return await subscriber.blpop('jobs', 5);
  } finally {
    await subscriber.quit();
  }
}`,
  },
  // A connection the factory makes for this call alone.
  {
    code: `import { createRedisInstance } from '../lib/redis';
export async function next() {
  const redis = createRedisInstance({ commandTimeout: 10_000 });
  try {
    return await redis.blpop('jobs', 5);
  } finally {
    await redis.quit();
  }
}`,
  },
  // With the module view off, a client from a getter call is not known.
  {
    code: `import { getRedisConnection } from '../lib/redis';
export async function next() {
  const redis = getRedisConnection();
  return redis.blpop('jobs', 5);
}`,
    settings: modulesOff,
  },
]);

const invalid = inFile<Invalid>(handlerTs, {}, [
  // BLPOP on the one client a getter in lib/redis hands to every request.
  {
    code: `import { getRedisConnection } from '../lib/redis';
export async function next() {
  const redis = getRedisConnection();
  return redis.blpop('jobs', 5);
}`,
    errors: [
      {
        messageId: 'blockingOnSharedClient',
        line: 4,
        data: {
          command: 'BLPOP',
          name: 'redis',
          sharing: "imported from '../lib/redis', an app-wide client",
          duration: ' for up to 5 s',
          remedy: '`redis.duplicate()`',
        },
      },
    ],
  },
  // The memoised getter hands out one client too, here through a tsconfig paths alias.
  {
    code: `import { getOrCreateRedis } from '@lib/redis';
export async function next() {
  return getOrCreateRedis().blpop('jobs', 5);
}`,
    errors: [
      { messageId: 'blockingOnSharedClient', line: 3 },
    ],
  },
  // A default export re-exported through the index: a getter of a node-redis client.
  {
    code: `import getClient from '../lib';
export async function next() {
  const client = getClient();
  return client.blPop('jobs', 5);
}`,
    errors: [
      { messageId: 'blockingOnSharedClient', line: 4 },
    ],
  },
  // A method of the same class hands out the connection that both XREADGROUP BLOCK and XADD use.
  {
    code: `import Redis from 'ioredis';
export class Events {
  private redis: Redis | undefined;
  private getOrCreateRedis(): Redis {
    if (!this.redis) this.redis = new Redis({ commandTimeout: 60_000 });
    return this.redis;
  }
  async publish(event: string) {
    await this.getOrCreateRedis().xadd('events', '*', 'event', event);
  }
  async consume() {
    return this.getOrCreateRedis().xreadgroup('GROUP', 'g', 'c', 'BLOCK', 5000, 'STREAMS', 'events', '>');
  }
}`,
    errors: [
      { messageId: 'blockingOnSharedClient', line: 12 },
    ],
  },
]);

const invalidCommonjs = inFile<Invalid>(handlerJs, commonjs, [
  // CommonJS: `module.exports = { client, getClient }`.
  {
    code: `const redis = require('../lib/legacy');
async function next() {
  await redis.getClient().blpop('jobs', 5);
  return redis.client.blpop('other', 5);
}
module.exports = { next };`,
    errors: [
      { messageId: 'blockingOnSharedClient', line: 3 },
      { messageId: 'blockingOnSharedClient', line: 4 },
    ],
  },
]);

untypedServiceTester().run('no-blocking-on-shared-client (modules)', rule, {
  valid,
  invalid: [...invalid, ...invalidCommonjs],
});

typedServiceTester().run('no-blocking-on-shared-client (modules, typed)', rule, {
  valid: valid.filter((test) => !test.settings),
  invalid,
});
