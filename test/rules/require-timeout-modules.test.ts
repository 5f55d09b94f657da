/**
 * require-timeout across modules: the options a factory passes through unchanged are the
 * client's options, so the caller's object decides; a factory that sets its own defaults or
 * builds the options itself is judged in its own module.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/require-timeout';
import { handlerTs, modulesOff, typedServiceTester, untypedServiceTester } from '../analysis/modules-harness';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

function inFile<T extends object>(filename: string, options: object, tests: Omit<T, 'filename'>[]): T[] {
  return tests.map((test) => ({ filename, ...options, ...test }) as T);
}

const valid = inFile<Valid>(handlerTs, {}, [
  // The caller bounds every command.
  {
    code: `import { createRedisInstance } from '../lib/redis';
export const redis = createRedisInstance({ commandTimeout: 2000 });`,
  },
  // The factory spreads the caller's options over its own commandTimeout.
  {
    code: `import { createWithDefaults } from '../lib/redis';
export const redis = createWithDefaults({ lazyConnect: true });`,
  },
  // A getter's client was checked where it was made.
  {
    code: `import { getRedisConnection } from '../lib/redis';
export const redis = getRedisConnection();`,
  },
  // With the module view off, the factory's options are not known.
  {
    code: `import { createRedisInstance } from '../lib/redis';
export const redis = createRedisInstance({ lazyConnect: true });`,
    settings: modulesOff,
  },
]);

const invalid = inFile<Invalid>(handlerTs, {}, [
  // `createRedisInstance(options)` is `new Redis(url, options)`: these options set no commandTimeout.
  {
    code: `import { createRedisInstance } from '../lib/redis';
export const redis = createRedisInstance({ lazyConnect: true });`,
    errors: [
      { messageId: 'missingCommandTimeout', line: 2, suggestions: [{ messageId: 'addOption', output: `import { createRedisInstance } from '../lib/redis';
export const redis = createRedisInstance({
  lazyConnect: true,
  commandTimeout: 5000
});` }] },
    ],
  },
]);

untypedServiceTester().run('require-timeout (modules)', rule, { valid, invalid });

typedServiceTester().run('require-timeout (modules, typed)', rule, {
  valid: valid.filter((test) => !test.settings),
  invalid,
});
