/**
 * add-timeouts: gives every Redis client and pool the bound `require-timeout` asks for.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/add-timeouts.js src/ --command-timeout=5000
 *     redis-lint codemod add-timeouts src/ --command-timeout 5000 --acquire-timeout 5000
 *
 * ioredis/iovalkey clients get `commandTimeout` (longer than any finite blocking wait they serve;
 * never on BullMQ Worker/QueueEvents connections), generic-pool pools of Redis clients
 * `acquireTimeoutMillis`, node-redis a finite value where `0` turned a bound off (and
 * `commandOptions.timeout` on node-redis 5, which has no default). Options are edited where they
 * are written; imported or computed options are reported, not guessed. See
 * docs/codemods/add-timeouts.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { addTimeouts } from '../src/transform/add-timeouts';
import { runOnFile } from '../src/transform/session';

export { parserFor } from '../src/transform/parsers';

/** jscodeshift's parser for this transform; the transform itself re-parses each file with the parser for its extension. */
export const parser = 'tsx';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runOnFile(file, api, options, (session) => addTimeouts(session));
}
