/**
 * add-timeouts: gives every Redis client and pool the bound `require-timeout` asks for, by
 * applying that rule's fix plans (docs/codemods/add-timeouts.md).
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/add-timeouts.js src/ --command-timeout=5000
 *     redis-lint codemod add-timeouts src/ --command-timeout 5000 --acquire-timeout 5000
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { runPlanCodemod } from '../src/transform/plan-codemod';

export { parser } from '../src/transform/plan-codemod';

const DEFAULT_TIMEOUT_MS = 5000;

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runPlanCodemod(file, api, options, {
    rule: 'require-timeout',
    kinds: ['command-timeout', 'acquire-timeout'],
    ruleOptions: (flags) => [
      { defaults: { commandTimeout: milliseconds(flags, 'commandTimeout', 'command-timeout'), acquireTimeoutMillis: milliseconds(flags, 'acquireTimeout', 'acquire-timeout') } },
    ],
    settings: (flags) => (flags.nodeRedisMajor === undefined ? undefined : { versions: { 'node-redis': flags.nodeRedisMajor as number | string } }),
    mightApply: (text) => /redis|valkey|generic-pool/i.test(text),
  });
}

/** A flag's value, checked: a timeout is a whole number of milliseconds above 0. */
function milliseconds(flags: Record<string, unknown>, key: string, flag: string): number {
  const raw = flags[key];
  if (raw === undefined) return DEFAULT_TIMEOUT_MS;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`--${flag} needs a whole number of milliseconds above 0, not ${JSON.stringify(raw)}`);
  }
  return value;
}
