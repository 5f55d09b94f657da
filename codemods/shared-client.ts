/**
 * shared-client: replaces a client made and closed on every call with one module-level client.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/shared-client.js src/
 *     redis-lint codemod shared-client src/
 *
 * Applies the shared-client plans of the analysis (src/analysis/fix/shared-client.ts), recorded
 * by a planning-only rule: no rule reports a per-call client that is closed correctly, it is
 * only wasteful. A function that creates a client from static or module-level arguments, uses it
 * for ordinary commands and closes it gets a module-level client it reuses (one per distinct
 * creation); clients that depend on the call, are handed on, or serve blocking or subscriber work
 * are reported and left alone. See docs/codemods/shared-client.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { SHARED_CLIENT, SHARED_CLIENT_PLANNER, mightHoldPerCallClient } from '../src/analysis/fix/shared-client';
import { runPlanCodemod } from '../src/transform/plan-codemod';

/** jscodeshift's parser for this transform; the transform itself parses each file with the analysis's parser for its extension. */
export const parser = 'tsx';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runPlanCodemod(file, api, options, {
    rule: SHARED_CLIENT_PLANNER,
    kinds: [SHARED_CLIENT],
    mightApply: mightHoldPerCallClient,
  });
}
