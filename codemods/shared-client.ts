/**
 * shared-client: applies the shared-client plans (src/analysis/fix/shared-client.ts),
 * recorded by a planning-only rule (docs/codemods/shared-client.md).
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/shared-client.js src/
 *     redis-lint codemod shared-client src/
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { SHARED_CLIENT, SHARED_CLIENT_PLANNER, mightHoldPerCallClient } from '../src/analysis/fix/shared-client';
import { runPlanCodemod } from '../src/transform/plan-codemod';

export { parser } from '../src/transform/plan-codemod';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runPlanCodemod(file, api, options, {
    rule: SHARED_CLIENT_PLANNER,
    kinds: [SHARED_CLIENT],
    mightApply: mightHoldPerCallClient,
  });
}
