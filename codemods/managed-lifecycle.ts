/**
 * managed-lifecycle: turns a manual loan into the pool's lifecycle-managed call.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/managed-lifecycle.js src/
 *     redis-lint codemod managed-lifecycle src/
 *
 * Applies the `managed-call` plans of `redis/prefer-pool-use`:
 * `const conn = await pool.acquire(); try { … } finally { pool.release(conn); }` becomes
 * `await pool.use(async (conn) => { … })` (generic-pool; `sentinel.use` for node-redis sentinel
 * leases). Loans that leak first get their `finally` from `redis/no-unreleased-connection`'s plan,
 * exactly as release-in-finally writes it, then are converted. Results are carried through
 * (`return pool.use(…)`, `const v = await pool.use(…)`); sites where the move would change
 * meaning are reported and left alone. See docs/codemods/managed-lifecycle.md.
 */
import '../src/transform/no-babel-register';
import type { API, FileInfo, Options } from 'jscodeshift';
import { mightHoldLoans, nodeRedisMajorSettings } from '../src/transform/loan-codemods';
import { runPlanCodemod } from '../src/transform/plan-codemod';


/** jscodeshift's parser setting; unused: the analysis parses each file with the parser for its extension (src/analysis/standalone.ts). */
export const parser = 'tsx';

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
