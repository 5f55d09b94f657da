/**
 * managed-lifecycle: turns a manual loan into the pool's lifecycle-managed call.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/managed-lifecycle.js src/
 *     redis-lint codemod managed-lifecycle src/
 *
 * `const conn = await pool.acquire(); try { … } finally { pool.release(conn); }` becomes
 * `await pool.use(async (conn) => { … })` (generic-pool; `sentinel.use` for node-redis sentinel
 * leases). Loans that leak are first given a `finally` exactly as release-in-finally would, then
 * converted. Results are carried through (`return pool.use(…)`, `const v = await pool.use(…)`);
 * sites where the move would change meaning are reported and left alone. See
 * docs/codemods/managed-lifecycle.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { runManagedLifecycle } from '../src/transform/managed-codemod';

export { parserFor } from '../src/transform/parsers';

/** jscodeshift's parser for this transform; the transform itself re-parses each file with the parser for its extension. */
export const parser = 'tsx';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runManagedLifecycle(file, api, options);
}
