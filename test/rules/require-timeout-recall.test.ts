/**
 * require-timeout recall: options read from a project module's exported constants (a config
 * object, ESM or CommonJS) and through a subclass of a catalog class; what can't be read stays silent.
 */
import * as path from 'node:path';
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/require-timeout';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

const recallDir = path.join(__dirname, '..', 'fixtures', 'recall');
const handlerTs = path.join(recallDir, 'src', 'handlers', 'handler.ts');
const handlerJs = path.join(recallDir, 'src', 'handlers', 'handler.js');
const commonjs = { languageOptions: { parserOptions: { sourceType: 'script' as const } } };

const valid: Valid[] = [
  // The imported object sets commandTimeout.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
import { config } from '../lib/config';
export const redis = new Redis(config.redis);`,
  },
  // An imported options object beside a URL.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
import { bounded, config } from '../lib/config';
export const redis = new Redis(config.cache.uri, bounded);`,
  },
  // A namespace import reads the same constants.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
import * as settings from '../lib/config';
export const redis = new Redis(settings.config.redis);`,
  },
  // CommonJS, destructured: the queue settings set commandTimeout.
  {
    filename: handlerJs,
    ...commonjs,
    code: `const Redis = require('ioredis');
const { queue } = require('../lib/settings');
module.exports = new Redis(queue.url, { commandTimeout: queue.commandTimeout });`,
  },
  // Options another module reassigns at run time: unknown, so silent.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
import { redisOptions } from '../lib/runtime';
export const redis = new Redis(redisOptions);`,
  },
  // A subclass that sets its own options: what it passes to super is not the caller's to fix.
  {
    filename: handlerTs,
    code: `import { BoundedRedis } from '../lib/redis-adapter';
export const redis = new BoundedRedis(process.env.REDIS_URL!);`,
  },
  // The subclass passes the caller's bounded options on.
  {
    filename: handlerTs,
    code: `import { PassThroughRedis } from '../lib/redis-adapter';
export const redis = new PassThroughRedis(process.env.REDIS_URL!, { commandTimeout: 1000 });`,
  },
  // A subclass whose super() options can't be read from a call site stays silent.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
class TimedRedis extends Redis {
  constructor(url: string, timeoutMs: number) {
    super(url, { commandTimeout: timeoutMs, keyPrefix: 'x:' });
  }
}
export const redis = new TimedRedis(process.env.REDIS_URL!, 500);`,
  },
  // With the module view off, imported constants are unknown.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
import { config } from '../lib/config';
export const redis = new Redis(config.cache);`,
    settings: { redis: { modules: false } },
  },
];

const invalid: Invalid[] = [
  // `config.redis.uri` is a string (EDOpro-server-ts): the client gets no options at all.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
import { config } from '../lib/config';
export const redis = new Redis(config.redis.uri);`,
    errors: [{ messageId: 'missingCommandTimeout', line: 3, suggestions: [{ messageId: 'addOption', output: `import Redis from 'ioredis';
import { config } from '../lib/config';
export const redis = new Redis(config.redis.uri, { commandTimeout: 5000 });` }] }],
  },
  // An imported options object that sets no timeout; it is another module's literal, so no edit is offered here.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
import { config } from '../lib/config';
export const cache = new Redis(config.cache);`,
    errors: [{ messageId: 'missingCommandTimeout', line: 3, suggestions: [] }],
  },
  // CommonJS: `module.exports = { redis: { host, port } }` read through require().
  {
    filename: handlerJs, ...commonjs,
    code: `const Redis = require('ioredis');
const settings = require('../lib/settings');
module.exports = new Redis(settings.redis);`,
    errors: [{ messageId: 'missingCommandTimeout', line: 3, suggestions: [] }],
  },
  // A subclass of ioredis imported from a project module: its constructor passes `{ ...opts, keyPrefix }` to super.
  {
    filename: handlerTs,
    code: `import { RedisAdapter } from '../lib/redis-adapter';
export const redis = new RedisAdapter(process.env.REDIS_URL!);`,
    errors: [{ messageId: 'missingCommandTimeout', line: 2, suggestions: [{ messageId: 'addOption', output: `import { RedisAdapter } from '../lib/redis-adapter';
export const redis = new RedisAdapter(process.env.REDIS_URL!, {
  commandTimeout: 5000
});` }] }],
  },
  // The options the subclass passes through unchanged are the caller's.
  {
    filename: handlerTs,
    code: `import { PassThroughRedis } from '../lib/redis-adapter';
export const redis = new PassThroughRedis(process.env.REDIS_URL!, { lazyConnect: true });`,
    errors: [{ messageId: 'missingCommandTimeout', line: 2, suggestions: [{ messageId: 'addOption', output: `import { PassThroughRedis } from '../lib/redis-adapter';
export const redis = new PassThroughRedis(process.env.REDIS_URL!, {
  lazyConnect: true,
  commandTimeout: 5000
});` }] }],
  },
  // The same in one file.
  {
    filename: handlerTs,
    code: `import Redis from 'ioredis';
class PrefixedRedis extends Redis {
  constructor(url: string, options = {}) {
    super(url, { ...options, keyPrefix: 'jobs:' });
  }
}
export const redis = new PrefixedRedis(process.env.REDIS_URL!, { enableAutoPipelining: true });`,
    errors: [{ messageId: 'missingCommandTimeout', line: 7, suggestions: [{ messageId: 'addOption', output: `import Redis from 'ioredis';
class PrefixedRedis extends Redis {
  constructor(url: string, options = {}) {
    super(url, { ...options, keyPrefix: 'jobs:' });
  }
}
export const redis = new PrefixedRedis(process.env.REDIS_URL!, {
  enableAutoPipelining: true,
  commandTimeout: 5000
});` }] }],
  },
];

const tester = new RuleTester({
  languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  settings: { redis: {} },
});
tester.run('require-timeout (recall)', rule, { valid, invalid });

new RuleTester({ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: recallDir } } }).run('require-timeout (recall, typed)', rule, {
  valid: valid.filter((test) => test.filename === handlerTs && !test.settings),
  invalid: invalid.filter((test) => test.filename === handlerTs),
});
