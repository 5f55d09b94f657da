/**
 * dedicated-blocking-client: applies the dedicated-connection plans of
 * `redis/no-blocking-on-shared-client` (docs/codemods/dedicated-blocking-client.md).
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/dedicated-blocking-client.js src/
 *     redis-lint codemod dedicated-blocking-client src/
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { DEDICATED_CONNECTION } from '../src/analysis/fix/dedicated-connection';
import { BLOCKING_MEMBER } from '../src/analysis/relevance';
import { runPlanCodemod } from '../src/transform/plan-codemod';

export { parser } from '../src/transform/plan-codemod';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runPlanCodemod(file, api, options, {
    rule: 'no-blocking-on-shared-client',
    kinds: [DEDICATED_CONNECTION],
    mightApply: (text) => BLOCKING_MEMBER.test(text),
  });
}
