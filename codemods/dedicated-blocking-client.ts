/**
 * dedicated-blocking-client: moves blocking commands off a client that serves other work.
 *
 *     npx jscodeshift -t node_modules/eslint-plugin-redis/dist/codemods/dedicated-blocking-client.js src/
 *     redis-lint codemod dedicated-blocking-client src/
 *
 * A module-level client that runs BLPOP, BZPOPMIN, XREAD BLOCK… beside ordinary commands (or is
 * exported for others) gets `export const <name>Blocking = <name>.duplicate(<overrides>)` beside
 * it, with its connect, 'error' listener and closing repeated; the blocking calls move onto it.
 * Modules that import the client move their blocking calls to the duplicate the declaring module
 * exports (or will export once this codemod has run there). See
 * docs/codemods/dedicated-blocking-client.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { LIBRARIES } from '../src/catalog';
import { rewriteImportedClients, rewriteModuleClients } from '../src/transform/dedicated-blocking';
import { mightHaveSites, Session } from '../src/transform/session';

export { parserFor } from '../src/transform/parsers';

/** jscodeshift's parser for this transform; the transform itself re-parses each file with the parser for its extension. */
export const parser = 'tsx';

// A module that imports its client may name no catalog export at all, only the blocking call.
const BLOCKING_SPELLINGS = [
  ...new Set(LIBRARIES.flatMap((library) => [...Object.keys(library.blockingMethods ?? {}), ...Object.keys(library.rawCommandMethods ?? {})])),
];

export default function transform(file: FileInfo, api: API, options: Options): string | undefined {
  const source = file.source;
  if (!mightHaveSites(source) && !BLOCKING_SPELLINGS.some((method) => source.includes(method))) return undefined;
  const session = new Session(file, api, options);
  rewriteModuleClients(session);
  rewriteImportedClients(session);
  return session.changed ? session.text : undefined;
}
