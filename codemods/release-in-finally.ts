/**
 * release-in-finally: applies the `try-finally` plans of `redis/no-unreleased-connection`
 * (docs/codemods/release-in-finally.md).
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/release-in-finally.js src/
 *     redis-lint codemod release-in-finally src/
 */
import '../src/transform/no-babel-register';
import type { API, FileInfo, Options } from 'jscodeshift';
import { mightHoldLoans, nodeRedisMajorSettings } from '../src/transform/loan-codemods';
import { runPlanCodemod } from '../src/transform/plan-codemod';

export { parser } from '../src/transform/plan-codemod';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runPlanCodemod(file, api, options, {
    rule: 'no-unreleased-connection',
    kinds: ['try-finally', 'try-finally:managed-lender'],
    settings: nodeRedisMajorSettings,
    mightApply: mightHoldLoans,
    // The try/finally it writes is what prefer-pool-use (opt-in) offers to turn into `pool.use`.
    tolerates: ['prefer-pool-use'],
  });
}
