/**
 * release-in-finally: gives every loan and per-call connection back on every path.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/release-in-finally.js src/
 *     redis-lint codemod release-in-finally src/
 *
 * Applies the `try-finally` plans of `redis/no-unreleased-connection`: a loan
 * (`await pool.acquire()`) or a connection opened in a function (`createClient()`, `new Redis()`,
 * `duplicate()`) that some path does not give back is wrapped, from the first statement after
 * the acquisition that can fail to its last use, in `try { … } finally { <release> }`. Releases
 * on other paths are removed; code that already releases on every path, or hands the loan on,
 * is left byte for byte. See docs/codemods/release-in-finally.md.
 */
import '../src/transform/no-babel-register';
import type { API, FileInfo, Options } from 'jscodeshift';
import { mightHoldLoans, nodeRedisMajorSettings } from '../src/transform/loan-codemods';
import { runPlanCodemod } from '../src/transform/plan-codemod';


/** jscodeshift's parser setting; unused: the analysis parses each file with the parser for its extension (src/analysis/standalone.ts). */
export const parser = 'tsx';

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
