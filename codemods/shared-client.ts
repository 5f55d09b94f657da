/**
 * shared-client: replaces a client made and closed on every call with one module-level client.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/shared-client.js src/
 *     redis-lint codemod shared-client src/
 *
 * A function that creates a client from static or module-level arguments, uses it for ordinary
 * commands and closes it gets a module-level client it reuses; the per-call creation and closing
 * go away. node-redis clients are opened on first use (`if (!client.isOpen) await
 * client.connect()`); ioredis connects itself. Clients that depend on the call, are handed on,
 * or serve blocking or subscriber work are reported and left alone. See
 * docs/codemods/shared-client.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { runOnFile } from '../src/transform/session';
import { sharedClient } from '../src/transform/shared-client';

export { parserFor } from '../src/transform/parsers';

/** jscodeshift's parser for this transform; the transform itself re-parses each file with the parser for its extension. */
export const parser = 'tsx';

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  return runOnFile(file, api, options, (session) => sharedClient(session));
}
