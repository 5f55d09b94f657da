/**
 * dedicated-blocking-client: moves blocking commands off a client that serves other work.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/dedicated-blocking-client.js src/
 *     redis-lint codemod dedicated-blocking-client src/
 *
 * Applies the dedicated-connection plans of `redis/no-blocking-on-shared-client` (see
 * src/analysis/fix/dedicated-connection.ts): a module-level client that runs BLPOP, BZPOPMIN,
 * XREAD BLOCK… beside ordinary commands (or is exported for others) gets
 * `const <name>Blocking = <name>.duplicate(<overrides>)` beside it, with its connect, 'error'
 * listener and closing repeated, and the blocking calls move onto it. See
 * docs/codemods/dedicated-blocking-client.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { DEDICATED_CONNECTION } from '../src/analysis/fix/dedicated-connection';
import { BLOCKING_MEMBER } from '../src/analysis/relevance';
import { runPlanCodemod } from '../src/transform/plan-codemod';

/** jscodeshift's parser for this transform; the transform itself parses each file with the analysis's parser for its extension. */
export const parser = 'tsx';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runPlanCodemod(file, api, options, {
    rule: 'no-blocking-on-shared-client',
    kinds: [DEDICATED_CONNECTION],
    mightApply: (text) => BLOCKING_MEMBER.test(text),
  });
}
