/**
 * no-unreleased-connection recall: clients whose constructor is a subclass of a catalog class
 * (same file and imported from a project module) or comes from a dynamic `import()`.
 */
import * as path from 'node:path';
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

const recallDir = path.join(__dirname, '..', 'fixtures', 'recall');
const handlerTs = path.join(recallDir, 'src', 'handlers', 'handler.ts');
const handlerJs = path.join(recallDir, 'src', 'handlers', 'handler.js');
const commonjs = { languageOptions: { parserOptions: { sourceType: 'script' as const } } };

const ADAPTER = `import Redis from 'ioredis';
class RedisAdapter extends Redis {
  constructor(url: string, opts = {}) {
    super(url, { ...opts, keyPrefix: 'app:' });
  }
  async getJson(key: string) {
    return JSON.parse((await this.get(key)) ?? 'null');
  }
}`;

const valid: Valid[] = [
  // Closed in a finally block with an inherited catalog method.
  {
    code: `${ADAPTER}
export async function read(url: string, key: string) {
  const redis = new RedisAdapter(url);
  try {
    return await redis.getJson(key);
  } finally {
    await redis.quit();
  }
}`,
  },
  // Made once at module level.
  {
    code: `${ADAPTER}
const redis = new RedisAdapter(process.env.REDIS_URL!);
export const read = (key: string) => redis.getJson(key);`,
  },
  // A subclass that overrides quit() is still closed by it.
  {
    code: `import Redis from 'ioredis';
class TracedRedis extends Redis {
  async quit() {
    console.log('closing');
    return super.quit();
  }
}
export async function read(key: string) {
  const redis = new TracedRedis();
  try {
    return await redis.get(key);
  } finally {
    await redis.quit();
  }
}`,
  },
  // Its own close() ends the connection (imported from a project module).
  {
    code: `import ClosingRedis from '../lib/closing-redis';
export async function read(key: string) {
  const redis = new ClosingRedis();
  try {
    return await redis.get(key);
  } finally {
    await redis.close();
  }
}`,
  },
  // A class that extends something else is not a client, whatever its methods are called.
  {
    code: `import { EventEmitter } from 'node:events';
import Redis from 'ioredis';
class Channel extends EventEmitter {
  quit() {}
}
export const shared = new Redis();
export function open() {
  const channel = new Channel();
  channel.emit('ready');
}`,
  },
  // Dynamic import, closed on every path.
  {
    code: `export async function read(url: string, key: string) {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    return await redis.get(key);
  } finally {
    redis.disconnect();
  }
}`,
  },
  // Dynamic import, handed to the caller.
  {
    code: `export async function connect(url: string) {
  const Redis = (await import('ioredis')).default;
  return new Redis(url);
}`,
  },
];

const invalid: Invalid[] = [
  // Made per call and never closed: the subclass's own methods don't close it.
  {
    code: `${ADAPTER}
export async function read(url: string, key: string) {
  const redis = new RedisAdapter(url);
  return redis.getJson(key);
}`,
    errors: [{ messageId: 'neverReleased', line: 11, suggestions: [{ messageId: 'wrapInTryFinally', output: `${ADAPTER}
export async function read(url: string, key: string) {
  const redis = new RedisAdapter(url);
  try {
    return await redis.getJson(key);
  } finally {
    await redis.quit();
  }
}` }] }],
  },
  // The same class imported from a project module.
  {
    code: `import { RedisAdapter } from '../lib/redis-adapter';
export async function read(url: string, key: string) {
  const redis = new RedisAdapter(url);
  return redis.getJson(key);
}`,
    errors: [{ messageId: 'neverReleased', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `import { RedisAdapter } from '../lib/redis-adapter';
export async function read(url: string, key: string) {
  const redis = new RedisAdapter(url);
  try {
    return await redis.getJson(key);
  } finally {
    await redis.quit();
  }
}` }] }],
  },
  // A method of its own that does not end the connection is not a close.
  {
    code: `import ClosingRedis from '../lib/closing-redis';
export async function read(key: string) {
  const redis = new ClosingRedis();
  try {
    return await redis.get(key);
  } finally {
    await redis.shutdown();
  }
}`,
    errors: [{ messageId: 'neverReleased', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `import ClosingRedis from '../lib/closing-redis';
export async function read(key: string) {
  const redis = new ClosingRedis();
  try {
    try {
      return await redis.get(key);
    } finally {
      await redis.shutdown();
    }
  } finally {
    await redis.quit();
  }
}` }] }],
  },
  // Dynamic import, destructured default.
  {
    code: `export async function read(url: string, key: string) {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url);
  return redis.get(key);
}`,
    errors: [{ messageId: 'neverReleased', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `export async function read(url: string, key: string) {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    return await redis.get(key);
  } finally {
    await redis.quit();
  }
}` }] }],
  },
  // Dynamic import, `.default` of the awaited module.
  {
    code: `export async function read(url: string, key: string) {
  const Redis = (await import('ioredis')).default;
  const redis = new Redis(url);
  await redis.set(key, '1');
}`,
    errors: [{ messageId: 'neverReleased', line: 3, suggestions: [{ messageId: 'wrapInTryFinally', output: `export async function read(url: string, key: string) {
  const Redis = (await import('ioredis')).default;
  const redis = new Redis(url);
  try {
    await redis.set(key, '1');
  } finally {
    await redis.quit();
  }
}` }] }],
  },
];

const commonjsValid: Valid[] = [
  {
    code: `const AppQueue = require('../lib/queue');
const emails = new AppQueue('emails');
exports.send = (job) => emails.add(job);`,
  },
];

const commonjsInvalid: Invalid[] = [
  // A Bull subclass made per request and never closed.
  {
    code: `const AppQueue = require('../lib/queue');
exports.send = async (job) => {
  const queue = new AppQueue('emails');
  await queue.add(job);
};`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 3,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `const AppQueue = require('../lib/queue');
exports.send = async (job) => {
  const queue = new AppQueue('emails');
  try {
    await queue.add(job);
  } finally {
    await queue.close();
  }
};`,
          },
        ],
      },
    ],
  },
];

const tester = new RuleTester({
  languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  settings: { redis: {} },
});

tester.run('no-unreleased-connection (recall)', rule, {
  valid: [...valid.map((test) => ({ filename: handlerTs, ...test })), ...commonjsValid.map((test) => ({ filename: handlerJs, ...commonjs, ...test }))],
  invalid: [...invalid.map((test) => ({ filename: handlerTs, ...test })), ...commonjsInvalid.map((test) => ({ filename: handlerJs, ...commonjs, ...test }))],
});

new RuleTester({ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: recallDir } } }).run(
  'no-unreleased-connection (recall, typed)',
  rule,
  {
    valid: valid.map((test) => ({ filename: handlerTs, ...test })),
    invalid: invalid.map((test) => ({ filename: handlerTs, ...test })),
  },
);
