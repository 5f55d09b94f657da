/**
 * The catalog: every client library the plugin knows, and look-ups over them.
 * Adding a library means adding its file and one line in LIBRARIES.
 */
import { bullmq } from './bullmq';
import { genericPool } from './generic-pool';
import { ioredis } from './ioredis';
import { iovalkey } from './iovalkey';
import { nodeRedis } from './node-redis';
import { tarn } from './tarn';
import type { ExportSpec, LibraryCatalog, LibraryId, ValueKind } from './types';
import { valkeyGlide } from './valkey-glide';

export * from './types';
export * from './commands';
export { BULLMQ_CONSUMERS, BULLMQ_CONNECTION_OPTION } from './bullmq';
export { GENERIC_POOL_EVICTION } from './generic-pool';
export { TARN_PENDING_PROMISE_PROPERTY } from './tarn';

export const LIBRARIES: readonly LibraryCatalog[] = [
  nodeRedis,
  ioredis,
  iovalkey,
  valkeyGlide,
  genericPool,
  tarn,
  bullmq,
];

const byModule = new Map<string, LibraryCatalog>();
const byId = new Map<LibraryId, LibraryCatalog>();
for (const library of LIBRARIES) {
  byId.set(library.id, library);
  for (const moduleName of library.modules) byModule.set(moduleName, library);
}

/** The library loaded by an import specifier; sub-paths (`ioredis/built/Redis`) do not count. */
export function libraryForModule(specifier: string): LibraryCatalog | undefined {
  return byModule.get(specifier.startsWith('node:') ? specifier.slice(5) : specifier);
}

export function libraryById(id: LibraryId): LibraryCatalog {
  const library = byId.get(id);
  if (!library) throw new Error(`Unknown library id ${id}`);
  return library;
}

/** The library whose types are declared in this npm package, if any. */
export function libraryForTypePackage(packageName: string): LibraryCatalog | undefined {
  return LIBRARIES.find((library) => library.typePackages.includes(packageName));
}

/** Kinds whose values hold Redis connections (what a pool of them makes a "Redis pool"). */
export const CONNECTION_KINDS: ReadonlySet<ValueKind> = new Set(['client', 'cluster', 'sentinel']);

/** Libraries whose values are Redis connections, as opposed to pools or consumers of them. */
export function isRedisClientLibrary(library: LibraryCatalog): boolean {
  return library.id !== 'generic-pool' && library.id !== 'tarn' && library.id !== 'bullmq';
}

/**
 * What `module.name` denotes for a module loaded from a library: an export (or a static of the
 * class `require()` gives), or 'module' when a default import of a CommonJS namespace is the
 * module itself. Every resolver (rules, codemods, report) asks here rather than reading the
 * export tables itself.
 */
export function moduleMember(library: LibraryCatalog, commonjs: boolean, name: string): ExportSpec | 'module' | undefined {
  if (name === 'default') {
    if (commonjs && library.commonjsExport) return library.commonjsExport;
    return library.defaultExport ?? 'module';
  }
  if (commonjs && library.commonjsExport?.type === 'class') {
    const spec = library.commonjsExport.statics?.[name];
    if (spec) return spec;
  }
  return library.exports[name];
}

/** A class's static or a namespace's member: `Redis.Cluster`, `GlideClient.createClient`. */
export function exportMember(spec: ExportSpec, name: string): ExportSpec | undefined {
  if (spec.type === 'class') return spec.statics?.[name];
  if (spec.type === 'namespace') return spec.members[name];
  return undefined;
}
