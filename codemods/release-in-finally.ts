/**
 * release-in-finally: gives every loan and per-call connection back on every path.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/release-in-finally.js src/
 *     redis-lint codemod release-in-finally src/
 *
 * A loan (`await pool.acquire()`) or a connection opened in a function (`createClient()`,
 * `new Redis()`, `duplicate()`) that some path does not give back is wrapped, from the statement
 * after the acquisition to its last use, in `try { … } finally { <release> }`. Releases on other
 * paths are removed, declarations read after the new `try` are hoisted, and code that already
 * releases on every path, or hands the loan on, is left byte for byte. See
 * docs/codemods/release-in-finally.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { releaseInFinally } from '../src/transform/release-in-finally';
import { runOnFile } from '../src/transform/session';

export { parserFor } from '../src/transform/parsers';

/** jscodeshift's parser for this transform; the transform itself re-parses each file with the parser for its extension. */
export const parser = 'tsx';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runOnFile(file, api, options, (session) => releaseInFinally(session));
}
