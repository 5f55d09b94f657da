/**
 * The module view: from a linted file, the project's own modules it imports, read lazily from
 * disk and summarised by export (a client, a pool, a function that returns a fresh or a shared
 * connection, a namespace of such). Followed: relative imports, `export * from`,
 * `export { x } from`, default and named exports, CommonJS (`require('./redis')`,
 * `module.exports = { client }`, `exports.client = …`), index files, and tsconfig `paths`.
 *
 * Each module is parsed on its own (typescript-estree, @typescript-eslint/scope-manager) and
 * answered by the OriginResolver the rules use, so its exports mean what they would mean if the
 * rules linted it. Only the project's own files are followed (nothing under node_modules), and
 * only within MAX_REACH import hops of a module that names a client library (read as text,
 * before parsing); deeper chains are unknown, so silent.
 *
 * Memory is bounded per process (per `--concurrency` worker), whatever the project's size: an
 * LRU of MAX_MODULES parsed modules and MAX_MODULE_BYTES of their text (a parsed module holds
 * 10-20x its text in tree, scopes and caches: 100-200 MB at most), and LRUs of resolutions and
 * tsconfig look-ups. Entries are checked against the file's mtime and size on every use; a
 * changed file empties the module cache, since other modules' answers may depend on it.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { LIBRARIES, isRedisClientLibrary, libraryForModule, type LibraryCatalog } from '../catalog';
import { AST_NODE_TYPES, isFunctionNode, staticPropertyName, unwrapExpression } from './ast';
import { mentionsCatalogModule, objectMemberValue, OriginResolver, type Origin, type RedisValue } from './origin';
import { knownResource, poolResourceOf } from './pools';
import { foreignValue, StaticEvaluator, type ExternalBinding, type RequiredModule, type StaticProperty, type StaticValue } from './static-value';
import { importOf, type Variable } from './scope';
import { declaredSummary, madeByOf, type FunctionSummary, type ReturnSummary } from './summaries';
import { sourceOf, stagedTexts } from './plans';
import { detectInstalledVersion, VersionResolver } from './versions';

/** A wrapper named in `settings.redis`, in typescript-eslint's specifier style. */
export type WrapperSpecifier =
  | { from: 'file'; path: string; name: string | string[]; library?: string; kind?: 'client' | 'cluster' | 'pool' }
  | { from: 'package'; package: string; name: string | string[]; library?: string; kind?: 'client' | 'cluster' | 'pool' };

export interface ModuleSettings {
  /** The module view and function summaries (`settings.redis.modules`, default true). */
  enabled: boolean;
  /** Functions that return a new connection on every call. */
  factories: WrapperSpecifier[];
  /** Functions that return one shared client. */
  getters: WrapperSpecifier[];
  /** Functions that close or give back the connection passed as their first argument. */
  releasers: WrapperSpecifier[];
}

export type WrapperRole = 'factory' | 'getter' | 'releaser';

const MAX_MODULES = 256;
/** Source text of the parsed modules kept, in characters: a few huge modules can't hold hundreds of MB. */
const MAX_MODULE_BYTES = 8 * 1024 * 1024;
const MAX_RESOLUTIONS = 4096;
const MAX_CONFIG_DIRS = 1024;
/** Import hops to the client library within which a module is followed (see reachDistance). */
const MAX_REACH = 1;
/** Re-export and import hops followed from one question (cycles stop earlier). */
const MAX_MODULE_HOPS = 8;
/** Modules read for their exported constants (config objects): small files, parsed on demand. */
const MAX_CONSTANT_MODULES = 128;
const MAX_CONSTANT_MODULE_BYTES = 256 * 1024;

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const TS_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts']);
const requireHere = createRequire(__filename);

/** `from './x'`, `require('../x')`, `import('./x')`, `export * from "./x"`. */
const RELATIVE_IMPORT = /(?:\bfrom|\brequire\s*\(|\bimport\s*\()\s*['"`]\.{1,2}\//;

/** Reads `settings.redis` into module settings; anything malformed is ignored. */
export function moduleSettingsOf(redisSettings: unknown): ModuleSettings {
  const raw = (typeof redisSettings === 'object' && redisSettings !== null ? redisSettings : {}) as Record<string, unknown>;
  const list = (value: unknown): WrapperSpecifier[] =>
    Array.isArray(value) ? value.filter((entry): entry is WrapperSpecifier => isSpecifier(entry)) : [];
  return {
    enabled: raw.modules !== false,
    factories: list(raw.factories),
    getters: list(raw.getters),
    releasers: list(raw.releasers),
  };
}

function isSpecifier(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const spec = entry as Record<string, unknown>;
  const named = typeof spec.name === 'string' || (Array.isArray(spec.name) && spec.name.every((name) => typeof name === 'string'));
  if (!named) return false;
  return (spec.from === 'file' && typeof spec.path === 'string') || (spec.from === 'package' && typeof spec.package === 'string');
}

/** Least recently used first out, bounded by a count and, when weighed, by a total weight. */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private total = 0;
  constructor(
    private readonly max: number,
    private readonly maxWeight = Infinity,
    private readonly weightOf: (value: V) => number = () => 0,
  ) {}
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.delete(key);
    this.map.set(key, value);
    this.total += this.weightOf(value);
    // The newest entry stays even when it alone is over the weight.
    while (this.map.size > 1 && (this.map.size > this.max || this.total > this.maxWeight)) this.delete(this.map.keys().next().value as K);
  }
  private delete(key: K): void {
    const old = this.map.get(key);
    if (old === undefined) return;
    this.total -= this.weightOf(old);
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
    this.total = 0;
  }
  get size(): number {
    return this.map.size;
  }
}

interface PathAliases {
  /** Where `paths` targets are resolved from. */
  base: string;
  paths: [pattern: string, targets: string[]][];
  /** `baseUrl`, when set: bare specifiers may resolve under it. */
  baseUrl: string | undefined;
  /** The fixed starts of the `paths` patterns (`@/`, `~lib/`). */
  prefixes?: string[];
}

export type ExportEntry =
  /** An expression, identifier, function or class of this module. */
  | { type: 'node'; node: TSESTree.Node }
  /** `export { x as y } from './m'`. */
  | { type: 'reexport'; specifier: string; name: string }
  /** `export * as ns from './m'`. */
  | { type: 'namespace'; specifier: string }
  /** `module.exports = { … }`: the module itself is the namespace. */
  | { type: 'self' };

export interface ExportTable {
  named: Map<string, ExportEntry>;
  stars: string[];
}

/** What a linted file's resolver needs from the view: the project link. */
export interface ProjectLink {
  file: string;
  view: ModuleView;
  settings: ModuleSettings;
}

/** One parsed module of the project. */
export class ProjectModule {
  readonly origins: OriginResolver;
  readonly evaluator: StaticEvaluator;
  private table: ExportTable | undefined;
  private readonly facts = new Map<string, Origin | null>();
  private readonly inProgress = new Set<string>();

  constructor(
    readonly file: string,
    readonly version: string,
    readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly view: ModuleView,
    settings: ModuleSettings,
  ) {
    this.origins = new OriginResolver(sourceCode, undefined, new VersionResolver(file, undefined), { file, view, settings });
    this.evaluator = new StaticEvaluator(sourceCode);
  }

  /**
   * What export `name` denotes, in a form an importer can use: values carry their pool
   * resource and how they were made, since the importer cannot look at this module's nodes.
   */
  exportFact(name: string): Origin | undefined {
    const cached = this.facts.get(name);
    if (cached !== undefined) return cached ?? undefined;
    if (this.inProgress.has(name)) return undefined;
    this.inProgress.add(name);
    let fact: Origin | undefined;
    try {
      fact = this.compute(name);
    } finally {
      this.inProgress.delete(name);
    }
    this.facts.set(name, fact ?? null);
    return fact;
  }

  /** `const x = require('./this')` or `import x from './this'`: the whole `module.exports` value. */
  commonjsValue(): Origin | undefined {
    const entry = this.exportsTable().named.get('default');
    return entry?.type === 'node' ? this.exportFact('default') : undefined;
  }

  private compute(name: string): Origin | undefined {
    // `RedisPubSub.createSubscriber`: a member of an object literal this module exports.
    const dot = name.lastIndexOf('.');
    if (dot > 0) {
      const parent = this.exportFact(name.slice(0, dot));
      if (parent?.type !== 'project-module' || parent.file !== this.file || parent.identity.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
      return this.portable(this.objectMember(parent.identity, name));
    }
    const table = this.exportsTable();
    const entry = table.named.get(name);
    if (entry) return this.portable(this.entryOrigin(entry, name));
    if (name === 'default') return undefined;
    for (const specifier of table.stars) {
      const file = this.view.resolveSpecifier(this.file, specifier);
      const fact = file ? this.view.exportFact(file, name) : undefined;
      if (fact) return fact;
    }
    return undefined;
  }

  private entryOrigin(entry: ExportEntry, name: string): Origin | undefined {
    switch (entry.type) {
      case 'self':
        return { type: 'project-module', file: this.file, identity: this.sourceCode.ast };
      case 'node': {
        const node = unwrapExpression(entry.node);
        if (isFunctionNode(node)) return this.origins.functionOrigin(node, node);
        const literal = node.type === AST_NODE_TYPES.Identifier ? this.origins.objectLiteralOf(node) : node.type === AST_NODE_TYPES.ObjectExpression ? node : undefined;
        if (literal) return { type: 'project-module', file: this.file, identity: literal, objectPath: name };
        return this.origins.resolve(node);
      }
      case 'reexport': {
        const library = libraryForModule(entry.specifier);
        if (library) return this.origins.catalogImport(library, entry.name);
        const file = this.view.resolveSpecifier(this.file, entry.specifier);
        return file ? this.view.exportFact(file, entry.name) : undefined;
      }
      case 'namespace': {
        const library = libraryForModule(entry.specifier);
        if (library) return { type: 'module', library, commonjs: false };
        const file = this.view.resolveSpecifier(this.file, entry.specifier);
        return file ? { type: 'project-module', file, identity: this.sourceCode.ast } : undefined;
      }
    }
  }

  /** Member `path`'s last step of an exported object literal: a function, or an object literal in turn. */
  private objectMember(object: TSESTree.ObjectExpression, path: string): Origin | undefined {
    const name = path.slice(path.lastIndexOf('.') + 1);
    const value = objectMemberValue(object, name, this.sourceCode);
    const inner = value && unwrapExpression(value);
    const literal = inner?.type === AST_NODE_TYPES.Identifier ? this.origins.objectLiteralOf(inner) : inner?.type === AST_NODE_TYPES.ObjectExpression ? inner : undefined;
    if (literal) return { type: 'project-module', file: this.file, identity: literal, objectPath: path };
    return this.origins.objectFunction(object, name);
  }

  /** Fills in what an importer cannot compute from here: a pool's resource, how a value was made. */
  private portable(origin: Origin | undefined): Origin | undefined {
    if (!origin) return undefined;
    if (origin.type === 'promise') {
      const inner = this.portable(origin.of);
      return inner ? { type: 'promise', of: inner } : undefined;
    }
    if (origin.type !== 'value') return origin;
    const value = origin.value;
    if (value.kind === 'lease' || value.kind === 'pending-acquire') return undefined;
    const resource =
      value.typedResource ??
      (value.kind === 'pool' && !isRedisClientLibrary(value.library)
        ? knownResource(poolResourceOf(value, this.origins, this.evaluator))
        : undefined);
    return {
      type: 'value',
      value: {
        ...value,
        typedResource: resource,
        summary: value.summary ?? { shared: true, madeBy: madeByOf(value), name: undefined, from: this.file },
      },
    };
  }

  private exportsTable(): ExportTable {
    this.table ??= readExports(this.sourceCode.ast);
    return this.table;
  }
}

/** A project module read for the constants it exports. */
class ConstantModule {
  private readonly evaluator: StaticEvaluator;
  private readonly table: ExportTable;

  constructor(
    readonly file: string,
    readonly version: string,
    sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly view: ModuleView,
  ) {
    const hooks = view.constantHooks(file);
    this.evaluator = new StaticEvaluator(sourceCode, hooks.binding, hooks.required);
    this.table = readExports(sourceCode.ast);
  }

  exported(name: string, at: TSESTree.Node): StaticValue | undefined {
    const entry = this.table.named.get(name);
    if (!entry) {
      for (const specifier of this.table.stars) {
        const file = this.view.resolveSpecifier(this.file, specifier);
        const found = file ? this.view.exportedConstant(file, name, at) : undefined;
        if (found) return found;
      }
      return undefined;
    }
    switch (entry.type) {
      case 'node': {
        const value = foreignValue(this.evaluator.evaluate(entry.node), at, this.evaluator);
        return value.kind === 'unknown' && !value.primitiveShaped ? undefined : value;
      }
      case 'reexport': {
        const file = this.view.resolveSpecifier(this.file, entry.specifier);
        return file ? this.view.exportedConstant(file, entry.name, at) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** `require('./config')` or its default import: `module.exports` (or `export default`). */
  whole(at: TSESTree.Node): StaticValue | undefined {
    const entry = this.table.named.get('default');
    if (entry?.type === 'self') return this.namespace(at);
    return entry ? this.exported('default', at) : undefined;
  }

  /** The module as an object of its exports; other exports may be added elsewhere, so it is not complete. */
  namespace(at: TSESTree.Node): StaticValue {
    const properties = new Map<string, StaticProperty>();
    for (const name of this.table.named.keys()) {
      if (name === 'default') continue;
      const value = this.exported(name, at);
      if (value) properties.set(name, { value, property: undefined });
    }
    return { kind: 'object', properties, complete: false, node: at };
  }
}

/** The export shape of a module: ESM exports and top-level CommonJS assignments (the report reads it too). */
export function readExports(program: TSESTree.Program): ExportTable {
  const named = new Map<string, ExportEntry>();
  const stars: string[] = [];
  const exportName = (node: TSESTree.Identifier | TSESTree.StringLiteral): string =>
    node.type === AST_NODE_TYPES.Identifier ? node.name : node.value;
  for (const statement of program.body) {
    switch (statement.type) {
      case AST_NODE_TYPES.ExportNamedDeclaration: {
        if (statement.exportKind === 'type') break;
        const declaration = statement.declaration;
        if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of declaration.declarations) {
            if (declarator.id.type === AST_NODE_TYPES.Identifier) named.set(declarator.id.name, { type: 'node', node: declarator.id });
          }
        } else if ((declaration?.type === AST_NODE_TYPES.FunctionDeclaration || declaration?.type === AST_NODE_TYPES.ClassDeclaration) && declaration.id) {
          named.set(declaration.id.name, { type: 'node', node: declaration });
        }
        for (const specifier of statement.specifiers) {
          if (specifier.type !== AST_NODE_TYPES.ExportSpecifier || specifier.exportKind === 'type') continue;
          const exported = exportName(specifier.exported);
          const local = exportName(specifier.local);
          if (statement.source) named.set(exported, { type: 'reexport', specifier: statement.source.value, name: local });
          else if (specifier.local.type === AST_NODE_TYPES.Identifier) named.set(exported, { type: 'node', node: specifier.local });
        }
        break;
      }
      case AST_NODE_TYPES.ExportAllDeclaration:
        if (statement.exportKind === 'type') break;
        if (statement.exported) named.set(exportName(statement.exported), { type: 'namespace', specifier: statement.source.value });
        else stars.push(statement.source.value);
        break;
      case AST_NODE_TYPES.ExportDefaultDeclaration: {
        const declaration = statement.declaration;
        if (declaration.type === AST_NODE_TYPES.TSInterfaceDeclaration) break;
        if (declaration.type === AST_NODE_TYPES.TSDeclareFunction) break;
        named.set('default', { type: 'node', node: declaration });
        break;
      }
      case AST_NODE_TYPES.TSExportAssignment:
        named.set('default', { type: 'node', node: statement.expression });
        break;
      case AST_NODE_TYPES.ExpressionStatement:
        readCommonjsExport(statement.expression, named);
        break;
      default:
        break;
    }
  }
  return { named, stars };
}

/** `module.exports = …`, `module.exports.x = …`, `exports.x = …` at the top level. */
function readCommonjsExport(expression: TSESTree.Expression, named: Map<string, ExportEntry>): void {
  if (expression.type !== AST_NODE_TYPES.AssignmentExpression || expression.operator !== '=') return;
  const left = expression.left;
  if (left.type !== AST_NODE_TYPES.MemberExpression) return;
  const right = unwrapExpression(expression.right);
  if (isModuleExports(left)) {
    if (right.type === AST_NODE_TYPES.ObjectExpression) {
      named.set('default', { type: 'self' });
      for (const property of right.properties) {
        if (property.type !== AST_NODE_TYPES.Property || property.kind !== 'init') continue;
        const key = staticPropertyName(property);
        if (key !== undefined) named.set(key, { type: 'node', node: property.value });
      }
    } else {
      named.set('default', { type: 'node', node: right });
    }
    return;
  }
  const key = staticPropertyName(left);
  const object = unwrapExpression(left.object);
  const onExports = (object.type === AST_NODE_TYPES.Identifier && object.name === 'exports') || (object.type === AST_NODE_TYPES.MemberExpression && isModuleExports(object));
  if (key !== undefined && onExports) named.set(key, { type: 'node', node: right });
}

function isModuleExports(node: TSESTree.MemberExpression): boolean {
  const object = unwrapExpression(node.object);
  return object.type === AST_NODE_TYPES.Identifier && object.name === 'module' && staticPropertyName(node) === 'exports';
}

/** The process-wide view of the project's modules. */
export class ModuleView {
  private readonly modules = new Lru<string, ProjectModule | { version: string; empty: true }>(
    MAX_MODULES,
    MAX_MODULE_BYTES,
    (module) => ('empty' in module ? 0 : module.sourceCode.text.length),
  );
  private readonly resolutions = new Lru<string, string | null>(MAX_RESOLUTIONS);
  private readonly configs = new Lru<string, PathAliases | null>(MAX_CONFIG_DIRS);
  /** Whether a file reaches a catalog module through its imports (undefined while being decided). */
  private readonly reach = new Lru<string, { version: string; distance: number | undefined }>(MAX_RESOLUTIONS);
  private hops = 0;
  /** Modules read for constants only (any project module, whatever it imports). */
  private readonly constantModules = new Lru<string, ConstantModule | { version: string; empty: true }>(MAX_CONSTANT_MODULES);
  /** Parses done, for tests and measurements. */
  parses = 0;

  /**
   * Whether a file's text imports a declared wrapper package, or a project module from which a
   * catalog module can be reached through imports (read as text, not parsed): only then can
   * the module view tell it anything.
   */
  mayReachModules(text: string, file: string, settings: ModuleSettings): boolean {
    if (isInstalledPackage(file)) return false;
    if (mentionsDeclaredPackage(text, settings)) return true;
    if (!RELATIVE_IMPORT.test(text) && !this.aliasPrefixesOf(file).some((prefix) => mentionsSpecifierStart(text, prefix))) return false;
    // It imports a project module that is followed (within MAX_REACH of the client library).
    return this.importDistance(text, file, settings) <= MAX_REACH + 1;
  }

  /** 1 + the smallest reach distance of the followed project modules a text imports; Infinity for none. */
  private importDistance(text: string, file: string, settings: ModuleSettings): number {
    let best = Infinity;
    for (const specifier of specifiersIn(text)) {
      if (libraryForModule(specifier)) continue;
      const target = this.resolveSpecifier(file, specifier);
      if (!target) continue;
      const distance = this.reachDistance(target, settings);
      if (distance <= MAX_REACH) best = Math.min(best, distance + 1);
      if (best === 1) break;
    }
    return best;
  }

  /**
   * Import hops from a module to one that names a catalog module (or a declared wrapper package),
   * read from text and cached per file version: 0 for `lib/redis.ts` itself, 1 for an index or a
   * wrapper that imports it; Infinity when farther, never or in a cycle. Modules beyond MAX_REACH
   * are not followed: factories and getters sit next to the client library, and following every
   * import of a connected project would parse all of it.
   */
  reachDistance(file: string, settings: ModuleSettings = DEFAULT_SETTINGS): number {
    const version = versionOf(file);
    if (version === undefined) return Infinity;
    const cached = this.reach.get(file);
    if (cached && cached.version === version) return cached.distance ?? Infinity;
    this.reach.set(file, { version, distance: undefined });
    let distance = Infinity;
    try {
      const text = sourceOf(file);
      const direct = mentionsCatalogModule(text) || mentionsDeclaredPackage(text, settings);
      distance = direct ? 0 : this.importDistance(text, file, settings);
    } catch {
      distance = Infinity;
    }
    this.reach.set(file, { version, distance });
    return distance;
  }

  /** The file a specifier names from `fromFile`, among the project's own sources. */
  resolveSpecifier(fromFile: string, specifier: string): string | undefined {
    const dir = path.dirname(fromFile);
    const key = `${dir}\0${specifier}`;
    const cached = this.resolutions.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const resolved = this.compute(dir, fromFile, specifier);
    this.resolutions.set(key, resolved ?? null);
    return resolved;
  }

  /** What export `name` of the module at `file` denotes (see ProjectModule.exportFact). */
  exportFact(file: string, name: string): Origin | undefined {
    return this.withHop(() => this.module(file)?.exportFact(name));
  }

  /** The whole value `require('./m')` gives when `module.exports` is not an object literal. */
  commonjsValue(file: string): Origin | undefined {
    return this.withHop(() => this.module(file)?.commonjsValue());
  }

  /** The parsed module at `file`, current with the file on disk; undefined when it has nothing to say. */
  module(file: string, settings: ModuleSettings = DEFAULT_SETTINGS): ProjectModule | undefined {
    const version = versionOf(file);
    if (version === undefined) return undefined;
    const cached = this.modules.get(file);
    if (cached && cached.version === version) return 'empty' in cached ? undefined : cached;
    if (cached) {
      // A module changed: answers of modules that import it may be stale too.
      this.modules.clear();
      this.resolutions.clear();
      this.reach.clear();
    }
    let text: string;
    try {
      text = sourceOf(file);
    } catch {
      return undefined;
    }
    // A module from which no catalog module can be reached can export no Redis value.
    const reaches = this.reachDistance(file, settings) <= MAX_REACH;
    if (reaches) this.parses++;
    const sourceCode = reaches ? parseModule(file, text) : undefined;
    const module = sourceCode && new ProjectModule(file, version, sourceCode, this, settings);
    this.modules.set(file, module ?? { version, empty: true });
    return module;
  }

  /**
   * Hooks for a static evaluator of `file`: an imported or required binding of a project module
   * evaluates to what that module exports when it is a constant there (`export const config =
   * { redis: { commandTimeout: 500 } }`, `module.exports = { … }`), in this file's terms.
   * Anything else stays unknown.
   */
  constantHooks(file: string): { binding: ExternalBinding; required: RequiredModule } {
    return {
      binding: (identifier, variable) => this.importedConstant(file, identifier, variable),
      required: (specifier, at) => {
        const target = this.resolveSpecifier(file, specifier);
        return target ? this.withHop(() => this.constantModule(target)?.whole(at)) : undefined;
      },
    };
  }

  private importedConstant(file: string, identifier: TSESTree.Identifier, variable: Variable): StaticValue | undefined {
    const imported = importOf(variable);
    // A `require` is read through the `required` hook.
    if (!imported || imported.required || imported.typeOnly) return undefined;
    const target = this.resolveSpecifier(file, imported.source);
    if (!target) return undefined;
    return this.withHop(() => {
      const module = this.constantModule(target);
      if (imported.name === '*') return module?.namespace(identifier);
      return imported.name === 'default' ? module?.whole(identifier) : module?.exported(imported.name, identifier);
    });
  }

  /** Exported constant `name` of the module at `file` (following re-exports), in the terms of `at`. */
  exportedConstant(file: string, name: string, at: TSESTree.Node): StaticValue | undefined {
    return this.withHop(() => this.constantModule(file)?.exported(name, at));
  }

  private withHop<T>(read: () => T | undefined): T | undefined {
    if (this.hops >= MAX_MODULE_HOPS) return undefined;
    this.hops++;
    try {
      return read();
    } finally {
      this.hops--;
    }
  }

  private constantModule(file: string): ConstantModule | undefined {
    const version = versionOf(file);
    if (version === undefined) return undefined;
    const cached = this.constantModules.get(file);
    if (cached && cached.version === version) return 'empty' in cached ? undefined : cached;
    let text: string;
    try {
      text = sourceOf(file);
    } catch {
      return undefined;
    }
    const sourceCode = text.length <= MAX_CONSTANT_MODULE_BYTES ? parseModule(file, text) : undefined;
    if (sourceCode) this.parses++;
    const module = sourceCode ? new ConstantModule(file, version, sourceCode, this) : undefined;
    this.constantModules.set(file, module ?? { version, empty: true });
    return module;
  }

  /** Parsed and empty modules held (for tests of the bound). */
  get size(): number {
    return this.modules.size;
  }

  private compute(dir: string, fromFile: string, specifier: string): string | undefined {
    if (isInstalledPackage(fromFile)) return undefined;
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return ownFile(resolveFile(path.resolve(dir, specifier)));
    if (libraryForModule(specifier)) return undefined;
    const aliases = this.aliasesFor(fromFile);
    if (!aliases) return undefined;
    for (const [pattern, targets] of aliases.paths) {
      const star = pattern.indexOf('*');
      let captured: string | undefined;
      if (star < 0) captured = pattern === specifier ? '' : undefined;
      else {
        const prefix = pattern.slice(0, star);
        const suffix = pattern.slice(star + 1);
        if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
          captured = specifier.slice(prefix.length, specifier.length - suffix.length);
        }
      }
      if (captured === undefined) continue;
      for (const target of targets) {
        const resolved = ownFile(resolveFile(path.resolve(aliases.base, target.replace('*', captured))));
        if (resolved) return resolved;
      }
    }
    return aliases.baseUrl ? ownFile(resolveFile(path.resolve(aliases.baseUrl, specifier))) : undefined;
  }

  /** Prefixes that name a project module through tsconfig `paths` (`@/`, `~lib/`). */
  aliasPrefixesOf(file: string): string[] {
    const aliases = this.aliasesFor(file);
    if (!aliases) return [];
    // Asked for most linted files: computed once per tsconfig.
    aliases.prefixes ??= aliases.paths.map(([pattern]) => pattern.split('*')[0]!).filter((prefix) => prefix.length > 0);
    return aliases.prefixes;
  }

  private aliasesFor(file: string): PathAliases | undefined {
    const start = path.dirname(file);
    const visited: string[] = [];
    let found: PathAliases | null | undefined;
    for (let dir = start; ; dir = path.dirname(dir)) {
      const cached = this.configs.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(dir);
      const candidate = path.join(dir, 'tsconfig.json');
      if (fs.existsSync(candidate)) {
        found = readAliases(candidate, 0) ?? null;
        break;
      }
      if (path.dirname(dir) === dir || fs.existsSync(path.join(dir, 'package.json'))) {
        found = null;
        break;
      }
    }
    for (const dir of visited) this.configs.set(dir, found ?? null);
    return found ?? undefined;
  }
}

const CATALOG_QUOTES = [`'`, `"`, '`'];

/** `from 'x'`, `import 'x'`, `require('x')`, `import('x')`: every module specifier a text names. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"`])([^'"`\n]+)\1/g;

function specifiersIn(text: string): string[] {
  const specifiers = new Set<string>();
  for (const match of text.matchAll(SPECIFIER)) specifiers.add(match[2]!);
  return [...specifiers];
}

function mentionsSpecifierStart(text: string, prefix: string): boolean {
  return CATALOG_QUOTES.some((quote) => text.includes(`${quote}${prefix}`));
}

function mentionsDeclaredPackage(text: string, settings: ModuleSettings): boolean {
  return declaredPackages(settings).some((name) => CATALOG_QUOTES.some((quote) => text.includes(`${quote}${name}${quote}`)));
}

export function declaredPackages(settings: ModuleSettings): string[] {
  return [...settings.factories, ...settings.getters, ...settings.releasers].flatMap((spec) => (spec.from === 'package' ? [spec.package] : []));
}

const DEFAULT_SETTINGS: ModuleSettings = { enabled: true, factories: [], getters: [], releasers: [] };

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** A file of an installed package (under node_modules): third-party code, not the project's. */
function isInstalledPackage(file: string): boolean {
  return file.includes(NODE_MODULES);
}

function ownFile(file: string | undefined): string | undefined {
  return file && !isInstalledPackage(file) ? file : undefined;
}

/**
 * A file's stat, undefined when it is missing. `throwIfNoEntry: false`: most candidates of a
 * resolution don't exist, and an ENOENT error (with its stack) per candidate costs far more than
 * the stat. Other errors (ENOTDIR for `file.ts/index.ts`, EACCES) still throw.
 */
function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function versionOf(file: string): string | undefined {
  // A codemod's text for a module it is rewriting with another file, not yet written.
  const staged = stagedTexts.get(file);
  if (staged !== undefined) return `staged:${staged}`;
  const stat = statOf(file);
  return stat?.isFile() ? `${stat.mtimeMs}:${stat.size}` : undefined;
}

/** `./redis` → `./redis.ts`, `./redis/index.ts`; `./redis.js` → `./redis.ts` (node16 ESM style). Never a `.d.ts`. */
function resolveFile(base: string): string | undefined {
  const extension = path.extname(base);
  if (extension && SOURCE_EXTENSIONS.includes(extension)) {
    if (isSourceFile(base)) return base;
    const stem = base.slice(0, -extension.length);
    const swaps: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };
    for (const swap of swaps[extension] ?? []) if (isSourceFile(stem + swap)) return stem + swap;
  }
  for (const candidate of SOURCE_EXTENSIONS) if (isSourceFile(base + candidate)) return base + candidate;
  for (const candidate of SOURCE_EXTENSIONS) {
    const index = path.join(base, `index${candidate}`);
    if (isSourceFile(index)) return index;
  }
  return undefined;
}

function isSourceFile(file: string): boolean {
  if (file.endsWith('.d.ts') || file.endsWith('.d.mts') || file.endsWith('.d.cts')) return false;
  return statOf(file)?.isFile() ?? false;
}

/** `compilerOptions.paths` and `baseUrl`, following `extends` to files of the project. */
function readAliases(configFile: string, depth: number): PathAliases | undefined {
  if (depth > 4) return undefined;
  let json: { extends?: unknown; compilerOptions?: { paths?: unknown; baseUrl?: unknown } };
  try {
    json = JSON.parse(stripJsonComments(fs.readFileSync(configFile, 'utf8'))) as typeof json;
  } catch {
    return undefined;
  }
  const dir = path.dirname(configFile);
  const parent =
    typeof json.extends === 'string' && (json.extends.startsWith('.') || path.isAbsolute(json.extends))
      ? readAliases(path.resolve(dir, json.extends.endsWith('.json') ? json.extends : `${json.extends}.json`), depth + 1)
      : undefined;
  const options = json.compilerOptions ?? {};
  const baseUrl = typeof options.baseUrl === 'string' ? path.resolve(dir, options.baseUrl) : parent?.baseUrl;
  const rawPaths = options.paths;
  if (typeof rawPaths === 'object' && rawPaths !== null) {
    const paths = Object.entries(rawPaths as Record<string, unknown>)
      .filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].every((target) => typeof target === 'string'))
      .sort(([a], [b]) => b.length - a.length);
    return { base: baseUrl ?? dir, paths, baseUrl };
  }
  if (parent) return { ...parent, baseUrl };
  return baseUrl ? { base: baseUrl, paths: [], baseUrl } : undefined;
}

/** tsconfig.json allows comments and trailing commas. */
function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (char === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else {
      out += char;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

interface ScopeManagerLike {
  acquire(node: TSESTree.Node, inner?: boolean): TSESLint.Scope.Scope | null;
  scopes: TSESLint.Scope.Scope[];
}

/**
 * Parses a module with typescript-estree and builds the part of ESLint's SourceCode the
 * resolver uses (text, tree with parents, scopes). JavaScript that is not a module is retried
 * as a script; a file no attempt reads has nothing to say.
 */
function parseModule(file: string, text: string): Readonly<TSESLint.SourceCode> | undefined {
  const parser = requireHere('@typescript-eslint/parser') as typeof import('@typescript-eslint/parser');
  const extension = path.extname(file).toLowerCase();
  const jsx = extension === '.tsx' || extension === '.jsx' || (!TS_EXTENSIONS.has(extension) && extension !== '.mjs' && extension !== '.cjs');
  for (const sourceType of ['module', 'script'] as const) {
    try {
      const result = parser.parseForESLint(text, {
        filePath: file,
        sourceType,
        ecmaVersion: 'latest',
        range: true,
        loc: true,
        comment: false,
        tokens: false,
        ecmaFeatures: { jsx },
      });
      const ast = result.ast as unknown as TSESTree.Program;
      setParents(ast, result.visitorKeys as unknown as Record<string, readonly string[]>);
      const scopeManager = result.scopeManager as unknown as ScopeManagerLike;
      return {
        text,
        ast,
        parserServices: result.services,
        scopeManager,
        visitorKeys: result.visitorKeys,
        getText: (node?: TSESTree.Node) => (node ? text.slice(node.range[0], node.range[1]) : text),
        getScope: (node: TSESTree.Node) => scopeOf(scopeManager, node),
      } as unknown as Readonly<TSESLint.SourceCode>;
    } catch {
      if (TS_EXTENSIONS.has(extension)) return undefined;
    }
  }
  return undefined;
}

/** ESLint's SourceCode#getScope: the innermost scope that contains the node. */
function scopeOf(scopeManager: ScopeManagerLike, node: TSESTree.Node): TSESLint.Scope.Scope {
  const inner = node.type !== AST_NODE_TYPES.Program;
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    const scope = scopeManager.acquire(current, inner);
    if (scope) return scope.type === 'function-expression-name' ? scope.childScopes[0]! : scope;
  }
  return scopeManager.scopes[0]!;
}

function setParents(root: TSESTree.Node, keys: Record<string, readonly string[]>): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      const children = Array.isArray(child) ? child : [child];
      for (const item of children) {
        if (typeof item === 'object' && item !== null && typeof (item as { type?: unknown }).type === 'string') {
          (item as { parent: TSESTree.Node }).parent = node;
          stack.push(item as TSESTree.Node);
        }
      }
    }
  }
}

/** The wrapper a settings entry declares for an import, if any. */
export function declaredWrapper(
  settings: ModuleSettings,
  source: { file?: string; package?: string },
  name: string,
): { role: WrapperRole; spec: WrapperSpecifier } | undefined {
  const roles: [WrapperRole, WrapperSpecifier[]][] = [
    ['factory', settings.factories],
    ['getter', settings.getters],
    ['releaser', settings.releasers],
  ];
  for (const [role, specs] of roles) {
    for (const spec of specs) {
      if (![spec.name].flat().includes(name)) continue;
      if (spec.from === 'package' ? spec.package === source.package : source.file !== undefined && sameFile(spec.path, source.file)) {
        return { role, spec };
      }
    }
  }
  return undefined;
}

/** `path` of a file specifier, relative to the working directory or as a path suffix. */
function sameFile(specPath: string, file: string): boolean {
  const normalized = path.normalize(specPath);
  if (path.resolve(normalized) === file) return true;
  const withoutExtension = (value: string) => value.replace(/\.[cm]?[jt]sx?$/, '');
  const tail = withoutExtension(normalized.replace(/^\.[\\/]/, ''));
  const target = withoutExtension(file);
  return target === tail || target.endsWith(`${path.sep}${tail}`);
}

/** The function origin of a declared wrapper; undefined when its library can't be known. */
export function declaredFunction(
  role: WrapperRole,
  spec: WrapperSpecifier,
  name: string,
  fromFile: string,
  identity: TSESTree.Node,
): Origin | undefined {
  if (role === 'releaser') return { type: 'function', summary: declaredSummary(name, undefined, true), identity };
  const library = declaredLibrary(spec, fromFile);
  if (!library) return undefined;
  const made = { library, kind: spec.kind ?? 'client', async: false, resource: undefined } as const;
  const returns: ReturnSummary =
    role === 'factory'
      ? { ...made, type: 'fresh', optionsParam: undefined, madeBy: 'own', opened: true, errorListened: true }
      : { ...made, type: 'shared', madeBy: 'unknown', origin: undefined };
  return { type: 'function', summary: declaredSummary(name, returns, false), identity };
}

/** The library a declared wrapper's connection belongs to: as configured, or the one installed client library. */
function declaredLibrary(spec: WrapperSpecifier, fromFile: string): LibraryCatalog | undefined {
  if (spec.library) return LIBRARIES.find((library) => library.id === spec.library || library.packages.includes(spec.library!));
  const dir = path.dirname(fromFile);
  const installed = LIBRARIES.filter(
    (library) => isRedisClientLibrary(library) && library.packages.some((name) => detectInstalledVersion(name, dir) !== undefined),
  );
  return installed.length === 1 ? installed[0] : undefined;
}

let sharedView: ModuleView | undefined;

export function getModuleView(): ModuleView {
  sharedView ??= new ModuleView();
  return sharedView;
}

export type { FunctionSummary, RedisValue };
