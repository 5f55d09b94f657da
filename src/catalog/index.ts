/**
 * The catalog: every client library the plugin knows, and look-ups over them.
 * Adding a library means adding its file and one line in LIBRARIES.
 */
import { beeQueue } from './bee-queue';
import { bull } from './bull';
import { bullmq } from './bullmq';
import { genericPool } from './generic-pool';
import { genericPoolLegacy } from './generic-pool-legacy';
import { ioredis } from './ioredis';
import { iovalkey } from './iovalkey';
import { nodeRedis } from './node-redis';
import { nodeRedisLegacy } from './node-redis-legacy';
import { tarn } from './tarn';
import type { ExportSpec, LibraryCatalog, LibraryId, ValueKind } from './types';
import { valkeyGlide } from './valkey-glide';

export * from './types';
export * from './commands';
export { BULLMQ_CONSUMERS, BULLMQ_CONNECTION_OPTION } from './bullmq';
export { TARN_PENDING_PROMISE_PROPERTY } from './tarn';

export const LIBRARIES: readonly LibraryCatalog[] = [
  nodeRedis,
  ioredis,
  iovalkey,
  valkeyGlide,
  genericPool,
  tarn,
  bullmq,
  nodeRedisLegacy,
  genericPoolLegacy,
  bull,
  beeQueue,
];

/** Entries by module; an entry without `majors` (the current API) comes first. */
const byModule = new Map<string, LibraryCatalog[]>();
const byId = new Map<LibraryId, LibraryCatalog>();
for (const library of LIBRARIES) {
  byId.set(library.id, library);
  for (const moduleName of library.modules) {
    const entries = byModule.get(moduleName) ?? [];
    if (library.majors) entries.push(library);
    else entries.unshift(library);
    byModule.set(moduleName, entries);
  }
}

/**
 * The library loaded by an import specifier; sub-paths (`ioredis/built/Redis`) do not count.
 * When several entries share the module (node_redis 3 and node-redis 4+ are both `redis`), the
 * one whose `majors` hold the major `majorOf` detects for the module's packages, else the current
 * one (what a fresh install gets).
 */
export function libraryForModule(
  specifier: string,
  majorOf?: (library: LibraryCatalog) => number | undefined,
): LibraryCatalog | undefined {
  const entries = byModule.get(specifier.startsWith('node:') ? specifier.slice(5) : specifier);
  if (!entries) return undefined;
  const current = entries[0]!;
  if (entries.length === 1 || !majorOf) return current;
  const major = majorOf(current);
  if (major === undefined) return current;
  return entries.find((library) => library.majors?.majors.includes(major)) ?? current;
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
  return Object.keys(library.values).some((kind) => CONNECTION_KINDS.has(kind as ValueKind));
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
