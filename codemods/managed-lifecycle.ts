/**
 * managed-lifecycle: applies the `managed-call` plans of `redis/prefer-pool-use`, after
 * `redis/no-unreleased-connection`'s try/finally plans for loans that leak
 * (docs/codemods/managed-lifecycle.md).
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/managed-lifecycle.js src/
 *     redis-lint codemod managed-lifecycle src/
 */
import '../src/transform/no-babel-register';
import type { API, FileInfo, Options } from 'jscodeshift';
import { mightHoldLoans, nodeRedisMajorSettings } from '../src/transform/loan-codemods';
import { runPlanCodemod } from '../src/transform/plan-codemod';

export { parser } from '../src/transform/plan-codemod';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runPlanCodemod(file, api, options, {
    rule: 'prefer-pool-use',
    kinds: ['managed-call'],
    alsoApply: [{ rule: 'no-unreleased-connection', kinds: ['try-finally:managed-lender', 'managed-shape'] }],
    settings: nodeRedisMajorSettings,
    mightApply: mightHoldLoans,
    // A loan given its `finally` is, for a pass, what prefer-pool-use reports: the next pass converts it.
    tolerates: ['prefer-pool-use'],
  });
}
