/**
 * Origin tracking: from an expression back to the catalog entry that made its value.
 * A value is a Redis client, pool or loan because of where it came from (an import of a catalog
 * module, a factory call, `duplicate()`, `acquire()` on a recognised pool) or, when type
 * information exists, because its TypeScript type says so. Never because of a method's name.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import {
  LIBRARIES,
  isRedisClientLibrary,
  libraryForModule,
  type ClassSpec,
  type ExportSpec,
  type FactorySpec,
  type LibraryCatalog,
  type MethodSpec,
  type OptionsPosition,
  type QueueConnectionsSpec,
  type ValueKind,
  TARN_PENDING_PROMISE_PROPERTY,
  exportMember,
  moduleMember,
} from '../catalog';
import { AST_NODE_TYPES, enclosingFunction, importedName, isFunctionNode, isNullish, methodCall, requireSpecifier, staticPropertyName, thisPropertyName, unwrapExpression, walk, type FunctionNode } from './ast';
import { declaredFunction, declaredPackages, declaredWrapper, type ProjectLink } from './modules';
import { knownResource, poolResourceOf } from './pools';
import { escapeRegExp } from './relevance';
import { findVariableFor, localFunctionOf, singleAssignedValue, writesOf, type Variable } from './scope';
import { StaticEvaluator } from './static-value';
import { summarizeFunction, summarizeSubclass, type FunctionSummary, type SubclassFacts } from './summaries';
import type { TypeRecognizer } from './type-recognition';
import type { VersionResolver } from './versions';

/** A Redis client, cluster, pool, lease or consumer whose origin is known. */
export interface RedisValue {
  library: LibraryCatalog;
  kind: ValueKind;
  /**
   * The identity of the value: the factory call, `new`, `duplicate()` or `acquire()` that made
   * it, or (for values known from their type) the declaration they are read from. Two
   * expressions denote the same value when their `creation` is the same node.
   */
  creation: TSESTree.Node;
  /**
   * 'summary': known through the module view or a function summary (an imported client or
   * pool, the result of calling a project function); `summary` says more.
   */
  how: 'factory' | 'constructor' | 'method' | 'type' | 'summary';
  /** The call or `new` that made it, when it was made in this file. */
  call?: TSESTree.CallExpression | TSESTree.NewExpression;
  /** Where the client options sit among `call`'s arguments. */
  optionsArg?: OptionsPosition;
  /** Where the pool options sit among `call`'s arguments. */
  poolOptionsArg?: OptionsPosition;
  /** Where the resource factory (`{ create }`) sits among `call`'s arguments. */
  resourceFactoryArg?: number;
  /** For a cluster: the option key that carries per-node client options. */
  nodeOptionsKey?: string;
  /** `duplicate(overrides)` starts from this value's options. */
  inheritsFrom?: RedisValue;
  /** The pool a lease came from, or the client a duplicate came from. */
  parent?: RedisValue;
  /** For a queue object (Bull, bee-queue, BullMQ): the connections it opens and closes. */
  queue?: QueueConnectionsSpec;
  /** From a type or another module: whether a pool's resources are Redis connections. */
  typedResource?: 'redis' | 'other';
  /** For a value known through another module or a function call (`how: 'summary'`). */
  summary?: ValueSummary;
}

/** How a value known from a summary was made, where the code that made it is out of sight. */
export interface ValueSummary {
  /** The same value on every call or import (a module's client, a memoised getter's). */
  shared: boolean;
  madeBy: 'duplicate' | 'own' | 'unknown';
  /** The function that handed it out (`createRedisInstance`), when it came from a call. */
  name: string | undefined;
  /** The module (file) or package it came from. */
  from: string | undefined;
  /** How this file imports it, or the function that hands it out (`'../lib/redis'`, `client`). */
  imported?: ImportedName;
  /** The function that made it also opened it (node-redis `connect()`): the caller holds a socket. */
  opened?: boolean;
  /** false: the function that made it added no 'error' listener and passed it nowhere, so the caller must. */
  errorListened?: boolean;
}

/** An import as written in the importing file: the specifier and the exported name. */
export interface ImportedName {
  source: string;
  name: string;
}

export type Origin =
  | { type: 'module'; library: LibraryCatalog; commonjs: boolean }
  | { type: 'export'; library: LibraryCatalog; spec: ExportSpec; name: string }
  | { type: 'value'; value: RedisValue }
  | { type: 'promise'; of: Origin }
  /**
   * A function of the project (this file's, a class method, or an import) whose summary says
   * what calling it gives. `identity`: the node that names it here (an import specifier, the
   * function itself), which becomes the identity of the shared value it returns.
   */
  | { type: 'function'; summary: FunctionSummary; identity: TSESTree.Node; imported?: ImportedName }
  /** A project module as a whole (`import * as r from './redis'`, `require('./redis')`). */
  /**
   * A module of the project, or (with `objectPath`) an object literal one of its exports holds
   * (`export const RedisPubSub = { createSubscriber }`, `export default { getClient }`): its
   * members are its functions, looked up in that module as the export `objectPath.member`.
   */
  | { type: 'project-module'; file: string; identity: TSESTree.Node; imported?: ImportedName; objectPath?: string }
  /** A package named in `settings.redis` wrappers, as a whole. */
  | { type: 'declared-package'; package: string; identity: TSESTree.Node };

/** How a catalog module is named in source, quoted as an import or require specifier (`'ioredis'`, `"redis"`): one regex, one scan of the text. */
const MODULE_MENTION = new RegExp(`(['"\`])(?:${[...new Set(LIBRARIES.flatMap((library) => library.modules))].map(escapeRegExp).join('|')})\\1`);

/** Whether a text names a catalog module in quotes, as every import or require of one does. */
export function mentionsCatalogModule(text: string): boolean {
  return MODULE_MENTION.test(text);
}

/** Methods that hand their value to a callback (`acquire`, `duplicate`): only their callbacks' parameters can be values. */
const CALLBACK_METHODS: ReadonlySet<string> = new Set(
  LIBRARIES.flatMap((library) =>
    Object.values(library.values).flatMap((spec) =>
      Object.entries(spec?.methods ?? {}).filter(([, method]) => method.type === 'produces' && method.callback).map(([name]) => name),
    ),
  ),
);

const NO_ORIGIN = Symbol('no origin');

export class OriginResolver {
  /** Each node's origin, or NO_ORIGIN (also while it is being computed): one look-up per ask. */
  private readonly cache = new Map<TSESTree.Node, Origin | typeof NO_ORIGIN>();
  /**
   * Without type information every origin starts at an import or require of a catalog module,
   * so a file that names none has no Redis values: most files of a project, answered at once.
   */
  private mayHaveValues: boolean | undefined;
  private readonly classes = new Map<ClassNode, ClassMembers>();
  private readonly summaries = new Map<TSESTree.Node, FunctionSummary | null>();
  /** One identity node per module member reached through a namespace (`r.client`, `{ client } = require(…)`). */
  private readonly memberIdentities = new Map<string, TSESTree.Node>();
  private evaluator: StaticEvaluator | undefined;

  /**
   * `versions` detects majors, so that an import of a module two catalog entries share (node_redis
   * 3 and node-redis 4+ are both `redis`) resolves to the right one. `project`: the module view
   * and settings when it is on (`settings.redis.modules`); without it, no function summaries and
   * no project imports are followed.
   */
  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly types: TypeRecognizer | undefined,
    private readonly versions: VersionResolver,
    private readonly project?: ProjectLink,
  ) {}

  /** The catalog entry a specifier loads, for the major detected here. */
  private libraryFor(specifier: string): LibraryCatalog | undefined {
    return libraryForModule(specifier, (library) => this.versions.major(library));
  }

  /** What the expression evaluates to, as far as the catalog can tell. */
  resolve(node: TSESTree.Node): Origin | undefined {
    if (!this.mayHoldValues()) return undefined;
    const known = this.cache.get(node);
    if (known !== undefined) return known === NO_ORIGIN ? undefined : known;
    // Marked before computing: a cycle back to this node finds no origin.
    this.cache.set(node, NO_ORIGIN);
    let origin: Origin | undefined;
    try {
      origin = this.compute(node);
    } catch (error) {
      this.cache.delete(node);
      throw error;
    }
    if (origin) this.cache.set(node, origin);
    return origin;
  }

  /**
   * Whether this file can hold a Redis value at all: it names a catalog module, has types, or
   * (with the module view) imports a project module or a declared wrapper package.
   */
  mayHoldValues(): boolean {
    // Asked by rules at `create` and by every resolve: decided once per file.
    this.mayHaveValues ??= this.decideMayHoldValues();
    return this.mayHaveValues;
  }

  private decideMayHoldValues(): boolean {
    const text = this.sourceCode.text;
    if (this.types !== undefined || mentionsCatalogModule(text)) return true;
    return this.project !== undefined && this.project.view.mayReachModules(text, this.project.file, this.project.settings);
  }

  /** The Redis value an expression denotes (not a promise of one). */
  valueOf(node: TSESTree.Node): RedisValue | undefined {
    const origin = this.resolve(node);
    return origin?.type === 'value' ? origin.value : undefined;
  }

  /** The Redis value an expression denotes or promises (`createClient().connect()`, `acquire()`). */
  valueOrPromised(node: TSESTree.Node): RedisValue | undefined {
    let origin = this.resolve(node);
    while (origin?.type === 'promise') origin = origin.of;
    return origin?.type === 'value' ? origin.value : undefined;
  }

  private compute(original: TSESTree.Node): Origin | undefined {
    const node = unwrapExpression(original);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier:
        return this.withTypes(node, this.identifier(node));
      case AST_NODE_TYPES.AwaitExpression: {
        const inner = this.resolve(node.argument);
        return inner?.type === 'promise' ? inner.of : inner;
      }
      case AST_NODE_TYPES.MemberExpression:
        return this.withTypes(node, this.member(node));
      case AST_NODE_TYPES.CallExpression:
        return this.withTypes(node, this.call(node));
      case AST_NODE_TYPES.NewExpression:
        return this.construct(node);
      case AST_NODE_TYPES.ImportExpression: {
        const source = node.source;
        if (source.type === AST_NODE_TYPES.Literal && typeof source.value === 'string') {
          const library = this.libraryFor(source.value);
          if (library) return { type: 'promise', of: { type: 'module', library, commonjs: false } };
        }
        return undefined;
      }
      case AST_NODE_TYPES.AssignmentExpression:
        return node.operator === '=' ? this.resolve(node.right) : undefined;
      case AST_NODE_TYPES.SequenceExpression:
        return this.resolve(node.expressions[node.expressions.length - 1]!);
      case AST_NODE_TYPES.ThisExpression:
        return undefined;
      case AST_NODE_TYPES.ClassDeclaration:
      case AST_NODE_TYPES.ClassExpression:
        return this.subclass(node);
      default:
        return undefined;
    }
  }

  /** The module an identifier was imported or required from, whatever the module is. */
  importSourceOf(identifier: TSESTree.Identifier): string | undefined {
    const variable = findVariableFor(this.sourceCode, identifier);
    for (const def of variable?.defs ?? []) {
      if (def.type === 'ImportBinding' && def.parent?.type === AST_NODE_TYPES.ImportDeclaration) {
        return def.parent.source.value;
      }
      if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
        let init = unwrapExpression(def.node.init);
        while (init.type === AST_NODE_TYPES.MemberExpression) init = unwrapExpression(init.object);
        const specifier = requireSpecifier(init);
        if (specifier !== undefined) return specifier;
      }
    }
    return undefined;
  }

  /** The variable an identifier names in this file. */
  variableOf(identifier: TSESTree.Identifier): Variable | undefined {
    return findVariableFor(this.sourceCode, identifier);
  }

  /**
   * The origin of a function of this file: its summary, computed once. `identity` names it
   * (the function, or the class member that holds it).
   */
  functionOrigin(fn: FunctionNode, identity: TSESTree.Node): Origin | undefined {
    if (!this.project) return undefined;
    let summary = this.summaries.get(fn);
    if (summary === undefined) {
      // Set first: a recursive function (or two that call each other) is unknown to itself.
      this.summaries.set(fn, null);
      summary = summarizeCapped(() => {
        this.evaluator ??= new StaticEvaluator(this.sourceCode);
        const evaluator = this.evaluator;
        return summarizeFunction(fn, this, evaluator, this.project?.file, this.sourceCode.ast, (pool) =>
          poolResourceOf(pool, this, evaluator),
        );
      });
      this.summaries.set(fn, summary ?? null);
    }
    return summary ? { type: 'function', summary, identity } : undefined;
  }

  /**
   * Whether a method call may call a summarised function: `this.helper()`, or a member of a
   * project module or declared package (`redis.createConnection()`). For quick filters that
   * otherwise pass only calls spelt like a catalog factory.
   */
  mayCallProjectFunction(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    if (!this.project || call.type !== AST_NODE_TYPES.CallExpression) return false;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return true;
    const object = unwrapExpression(callee.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) return true;
    const base = this.resolve(object);
    return base?.type === 'project-module' || base?.type === 'declared-package';
  }

  /** The summary of the function a call calls, when the analysis knows it. */
  summaryOfCall(call: TSESTree.CallExpression): FunctionSummary | undefined {
    const target = this.resolve(call.callee);
    return target?.type === 'function' ? target.summary : undefined;
  }

  /**
   * The arguments of `call` that it releases: a project function whose body ends its parameter
   * with a release method the catalog lists for the argument's value, or gives it back to a
   * recognised pool, or a releaser declared in settings.
   */
  releasedArguments(call: TSESTree.CallExpression): TSESTree.Node[] {
    const summary = this.summaryOfCall(call);
    if (!summary) return [];
    const released: TSESTree.Node[] = [];
    for (const release of summary.releases) {
      const argument = call.arguments[release.param];
      if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) continue;
      if (release.givenBack) {
        released.push(argument);
        continue;
      }
      const value = this.valueOrPromised(argument);
      const methods = value ? value.library.values[value.kind]?.methods : undefined;
      if (methods && release.methods.some((method) => methods[method]?.type === 'release' && methods[method]?.loanArg === undefined)) {
        released.push(argument);
      }
    }
    return released;
  }

  /**
   * `class RedisAdapter extends Redis { … }`: a class whose instances are the catalog class's
   * value, as a summary (so that an importer of the class knows it too). A subclass of such a
   * subclass is one as well.
   */
  private subclass(classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression): Origin | undefined {
    if (!classNode.superClass) return undefined;
    const superOrigin = this.resolve(classNode.superClass);
    if (superOrigin?.type === 'function' && superOrigin.summary.constructs) {
      const facts = superOrigin.summary.constructs;
      const summary = summarizeSubclass(classNode, facts.library, classSpecOf(facts), this.project?.file, this.sourceCode.ast);
      // Options its base could not read stay unreadable.
      if (summary.constructs && !facts.optionsReadable) summary.constructs.optionsReadable = false;
      return { type: 'function', summary, identity: classNode };
    }
    const base = catalogClassOf(superOrigin);
    if (!base) return undefined;
    return { type: 'function', summary: summarizeSubclass(classNode, base.library, base.spec, this.project?.file, this.sourceCode.ast), identity: classNode };
  }

  /** `new RedisAdapter(url)`: a fresh value of the catalog class, its options where the subclass passes them on. */
  private constructSubclass(summary: FunctionSummary, facts: SubclassFacts, node: TSESTree.NewExpression): Origin {
    const value = madeValue(facts.library, classSpecOf(facts), node, 'summary');
    const made: ValueSummary = { shared: false, madeBy: 'own', name: summary.name, from: summary.file };
    // Without readable options, no call: what it sets is unknown, not absent.
    return { type: 'value', value: { ...value, call: facts.optionsReadable ? node : undefined, summary: made } };
  }

  /** What calling a summarised function gives at this call. */
  private applySummary(target: Extract<Origin, { type: 'function' }>, call: TSESTree.CallExpression): Origin | undefined {
    const returns = target.summary.returns;
    if (!returns) return undefined;
    let origin: Origin;
    const summary: ValueSummary = {
      shared: returns.type === 'shared',
      madeBy: returns.madeBy,
      name: target.summary.name,
      from: target.summary.file,
      // The one value an imported getter hands out is, for this file, an imported value.
      imported: returns.type === 'shared' ? target.imported : undefined,
      opened: returns.type === 'fresh' ? returns.opened : undefined,
      errorListened: returns.type === 'fresh' ? returns.errorListened : undefined,
    };
    if (returns.type === 'shared') {
      // In the same tree the getter's value is the very value its body reads.
      if (returns.origin && target.summary.program === this.sourceCode.ast) {
        origin = returns.origin;
      } else {
        origin = {
          type: 'value',
          value: { library: returns.library, kind: returns.kind, creation: target.identity, how: 'summary', typedResource: knownResource(returns.resource), summary },
        };
      }
    } else {
      origin = {
        type: 'value',
        value: {
          library: returns.library,
          kind: returns.kind,
          creation: call,
          how: 'summary',
          // The options the caller passes through are the client's options.
          call: returns.optionsParam === undefined ? undefined : call,
          optionsArg: returns.optionsParam,
          typedResource: knownResource(returns.resource),
          summary,
        },
      };
    }
    return returns.async ? { type: 'promise', of: origin } : origin;
  }

  /** A catalog library's export by name, as an import of it would give. */
  catalogImport(library: LibraryCatalog, name: string): Origin | undefined {
    if (name === 'default') return this.defaultOf(library);
    const spec = library.exports[name];
    return spec ? { type: 'export', library, spec, name } : undefined;
  }

  /** An ESM import from a module that is not in the catalog: a project module or a declared package. */
  private projectImport(specifier: string, node: TSESTree.Node): Origin | undefined {
    if (!this.project) return undefined;
    const imported = importedName(node);
    if (node.type === AST_NODE_TYPES.ImportSpecifier && node.importKind === 'type') return undefined;
    if (this.isDeclaredPackage(specifier)) {
      return imported === undefined ? { type: 'declared-package', package: specifier, identity: node } : this.declaredPackageMember(specifier, imported, node);
    }
    const file = this.project.view.resolveSpecifier(this.project.file, specifier);
    if (!file) return undefined;
    if (imported === undefined) return { type: 'project-module', file, identity: node, imported: { source: specifier, name: '*' } };
    if (imported === 'default') {
      const whole = this.project.view.commonjsValue(file);
      if (whole) return this.translate(whole, node, { source: specifier, name: 'default' });
    }
    return this.projectExport(file, imported, node, { source: specifier, name: imported });
  }

  /** `require('./redis')`: the module's `module.exports` value, or the module as a namespace. */
  private projectRequire(specifier: string, node: TSESTree.Node): Origin | undefined {
    if (!this.project) return undefined;
    if (this.isDeclaredPackage(specifier)) return { type: 'declared-package', package: specifier, identity: node };
    const file = this.project.view.resolveSpecifier(this.project.file, specifier);
    if (!file) return undefined;
    const whole = this.project.view.commonjsValue(file);
    if (whole) return this.translate(whole, node, { source: specifier, name: 'default' });
    return { type: 'project-module', file, identity: node, imported: { source: specifier, name: '*' } };
  }

  private projectExport(file: string, name: string, identity: TSESTree.Node, imported: ImportedName | undefined): Origin | undefined {
    if (!this.project) return undefined;
    const declared = declaredWrapper(this.project.settings, { file }, name);
    if (declared) return declaredFunction(declared.role, declared.spec, name, this.project.file, identity);
    const fact = this.project.view.exportFact(file, name);
    return fact ? this.translate(fact, identity, imported) : undefined;
  }

  private declaredPackageMember(pkg: string, name: string, identity: TSESTree.Node): Origin | undefined {
    if (!this.project) return undefined;
    const declared = declaredWrapper(this.project.settings, { package: pkg }, name);
    return declared ? declaredFunction(declared.role, declared.spec, name, this.project.file, identity) : undefined;
  }

  private isDeclaredPackage(specifier: string): boolean {
    return this.project !== undefined && declaredPackages(this.project.settings).includes(specifier);
  }

  /**
   * Another module's answer in this file's terms: a value takes `identity` (the import that
   * names it here) as its identity, since its own nodes belong to another tree.
   */
  private translate(origin: Origin, identity: TSESTree.Node, imported?: ImportedName): Origin | undefined {
    switch (origin.type) {
      case 'module':
      case 'export':
        return origin;
      case 'promise': {
        const inner = this.translate(origin.of, identity, imported);
        return inner ? { type: 'promise', of: inner } : undefined;
      }
      case 'function':
        return { type: 'function', summary: origin.summary, identity, imported };
      case 'project-module':
        return { type: 'project-module', file: origin.file, identity, imported: imported && { source: imported.source, name: '*' }, objectPath: origin.objectPath };
      case 'declared-package':
        return { type: 'declared-package', package: origin.package, identity };
      case 'value': {
        const value = origin.value;
        return {
          type: 'value',
          value: {
            library: value.library,
            kind: value.kind,
            creation: identity,
            how: 'summary',
            typedResource: value.typedResource,
            summary: { ...(value.summary ?? { shared: true, madeBy: 'unknown', name: undefined, from: undefined }), imported },
          },
        };
      }
    }
  }

  private memberIdentity(key: string, at: TSESTree.Node): TSESTree.Node {
    const existing = this.memberIdentities.get(key);
    if (existing) return existing;
    this.memberIdentities.set(key, at);
    return at;
  }

  /**
   * Types only add: they answer when origins don't, and tell what an imported pool lends when
   * the module that made it could not.
   */
  private withTypes(node: TSESTree.Node, origin: Origin | undefined): Origin | undefined {
    if (!origin) return this.fromType(node);
    if (!this.types || origin.type !== 'value') return origin;
    const value = origin.value;
    if (value.how !== 'summary' || value.kind !== 'pool' || value.typedResource) return origin;
    const typed = this.fromType(node);
    const typedResource = typed?.type === 'value' ? typed.value.typedResource : undefined;
    return typedResource ? { type: 'value', value: { ...value, typedResource } } : origin;
  }

  private fromType(node: TSESTree.Node): Origin | undefined {
    return this.types?.originOf(node);
  }

  private identifier(node: TSESTree.Identifier): Origin | undefined {
    const variable = findVariableFor(this.sourceCode, node);
    if (!variable) return undefined;
    for (const def of variable.defs) {
      if (def.type === 'ImportBinding') return this.importBinding(def.node);
      if (def.type === 'Parameter' && variable.defs.length === 1) {
        return this.callbackParameter(def.name as TSESTree.Identifier, def.node) ?? this.annotatedParameter(def.name as TSESTree.Identifier);
      }
    }
    if (this.project) {
      const fn = localFunctionOf(variable);
      if (isFunctionNode(fn)) return this.functionOrigin(fn, fn);
    }
    const declaredClass = variable.defs.length === 1 && variable.defs[0]!.type === 'ClassName' ? variable.defs[0]!.node : undefined;
    if (declaredClass) return this.resolve(declaredClass);
    return this.fromWrites(variable, node);
  }

  private importBinding(node: TSESTree.Node): Origin | undefined {
    if (node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
      const reference = node.moduleReference;
      if (
        reference.type === AST_NODE_TYPES.TSExternalModuleReference &&
        reference.expression.type === AST_NODE_TYPES.Literal &&
        typeof reference.expression.value === 'string'
      ) {
        const library = this.libraryFor(reference.expression.value);
        return library ? { type: 'module', library, commonjs: true } : this.projectRequire(reference.expression.value, node);
      }
      return undefined;
    }
    const declaration = node.parent;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
    if (declaration.importKind === 'type') return undefined;
    const library = this.libraryFor(declaration.source.value);
    if (!library) return this.projectImport(declaration.source.value, node);
    if (node.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { type: 'module', library, commonjs: false };
    if (node.type === AST_NODE_TYPES.ImportSpecifier && node.importKind === 'type') return undefined;
    const imported = importedName(node);
    return imported === undefined ? undefined : this.catalogImport(library, imported);
  }

  /** ESM default import: the declared default, or the CommonJS namespace through interop. */
  private defaultOf(library: LibraryCatalog): Origin {
    return library.defaultExport
      ? { type: 'export', library, spec: library.defaultExport, name: 'default' }
      : { type: 'module', library, commonjs: true };
  }

  private fromWrites(variable: Variable, reference: TSESTree.Node): Origin | undefined {
    const writes = writesOf(variable).filter((write) => !isNullish(write.value));
    if (writes.length === 0) return undefined;
    const resolved = writes.map((write) => ({
      write,
      origin:
        write.value && write.pattern
          ? // Each name a pattern takes is its own identity (`const { redis, redisBlocking } = require(…)` names two clients).
            write.pattern.reduce<Origin | undefined>((acc, key, index) => (acc ? this.memberOf(acc, key, index === write.pattern!.length - 1 ? variable.identifiers[0] ?? write.node : write.node) : undefined), this.resolve(write.value))
          : undefined,
    }));
    if (resolved.length === 1) return resolved[0]!.origin;
    // Re-assigned: take the nearest write before the reference in the same function, if any.
    const scopeFunction = enclosingFunction(reference);
    const preceding = resolved
      .filter(({ write }) => write.node.range[1] <= reference.range[0] && enclosingFunction(write.node) === scopeFunction)
      .sort((a, b) => b.write.node.range[1] - a.write.node.range[1]);
    if (preceding.length > 0) return preceding[0]!.origin;
    const first = resolved[0]!.origin;
    const same = resolved.every(({ origin }) => origin !== undefined && sameOrigin(origin, first));
    return same ? first : undefined;
  }

  private member(node: TSESTree.MemberExpression): Origin | undefined {
    const name = staticPropertyName(node);
    if (name === undefined) return undefined;
    const object = unwrapExpression(node.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) return this.thisField(object, name);
    const base = this.resolve(object);
    if (base) return this.memberOf(base, name, node);
    const literal = object.type === AST_NODE_TYPES.Identifier ? this.objectLiteralOf(object) : undefined;
    return literal ? this.objectFunction(literal, name) : undefined;
  }

  /** `const redisHelper = { … }` never reassigned: the object literal an identifier always holds. */
  objectLiteralOf(identifier: TSESTree.Identifier): TSESTree.ObjectExpression | undefined {
    if (!this.project) return undefined;
    const variable = this.variableOf(identifier);
    const value = variable && singleAssignedValue(variable);
    const inner = value && unwrapExpression(value);
    return inner?.type === AST_NODE_TYPES.ObjectExpression ? inner : undefined;
  }

  /** The function an object literal's member `name` holds (`{ make() {…} }`, `{ make }`, `helper.make = …`). */
  objectFunction(object: TSESTree.ObjectExpression, name: string): Origin | undefined {
    const value = objectMemberValue(object, name, this.sourceCode);
    if (!value) return undefined;
    const inner = unwrapExpression(value);
    const origin = isFunctionNode(inner) ? this.functionOrigin(inner, inner) : this.resolve(inner);
    return origin?.type === 'function' ? origin : undefined;
  }

  /** `origin.name`: a module's export, a class's static, tarn's `pendingAcquire.promise`. */
  memberOf(origin: Origin, name: string, at?: TSESTree.Node): Origin | undefined {
    switch (origin.type) {
      case 'project-module': {
        if (origin.objectPath !== undefined) {
          // Only the object's functions: their callers' values say no more than how they were made.
          const path = `${origin.objectPath}.${name}`;
          const member = this.projectExport(origin.file, path, this.memberIdentity(`${origin.file}#${path}`, at ?? origin.identity), undefined);
          return member?.type === 'function' || member?.type === 'project-module' ? member : undefined;
        }
        const identity = this.memberIdentity(`${origin.file}#${name}`, at ?? origin.identity);
        return this.projectExport(origin.file, name, identity, origin.imported && { source: origin.imported.source, name });
      }
      case 'declared-package': {
        const identity = this.memberIdentity(`${origin.package}#${name}`, at ?? origin.identity);
        return this.declaredPackageMember(origin.package, name, identity);
      }
      case 'module': {
        const member = moduleMember(origin.library, origin.commonjs, name);
        if (member === 'module') return origin;
        return member ? { type: 'export', library: origin.library, spec: member, name } : undefined;
      }
      case 'export': {
        const member = exportMember(origin.spec, name);
        return member ? { type: 'export', library: origin.library, spec: member, name } : undefined;
      }
      case 'value':
        if (origin.value.kind === 'pending-acquire' && name === TARN_PENDING_PROMISE_PROPERTY) {
          const pool = origin.value.parent;
          if (!pool) return undefined;
          return {
            type: 'promise',
            of: {
              type: 'value',
              value: { library: pool.library, kind: 'lease', creation: origin.value.creation, how: 'method', parent: pool, call: origin.value.call },
            },
          };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /** `this.name` inside a class: what the field's initializer and `this.name = …` writes hold. */
  private thisField(node: TSESTree.ThisExpression, name: string): Origin | undefined {
    const classNode = enclosingClass(node);
    if (!classNode) return undefined;
    const members = this.classMembers(classNode);
    if (members.answers.has(name)) return members.answers.get(name);
    members.answers.set(name, undefined);
    // `this.getOrCreateRedis()`, `this.#createBlockingDequeueClient()`: a method of this class.
    const method = this.project ? members.methods.get(name) : undefined;
    if (method) {
      const origin = this.functionOrigin(method.fn, method.member);
      members.answers.set(name, origin);
      return origin;
    }
    const values = [...(members.fields.get(name) ?? []), ...(members.assigned.get(name) ?? [])];
    const origins = values
      .filter((value) => !isNullish(value))
      .map((value) => {
        const inner = unwrapExpression(value);
        // `private getClient = () => this.redis`: a method written as an arrow field.
        return this.project && isFunctionNode(inner) && values.length === 1 ? this.functionOrigin(inner, inner) : this.resolve(value);
      });
    const first = origins[0];
    const result =
      first && origins.every((origin) => origin !== undefined && sameOrigin(origin, first)) ? first : undefined;
    members.answers.set(name, result);
    return result;
  }

  /**
   * A class's instance methods, field initializers and `this.x = …` writes by name, read in one
   * walk: asking for each field with a walk of its own was quadratic in a large class.
   */
  private classMembers(classNode: ClassNode): ClassMembers {
    let members = this.classes.get(classNode);
    if (members) return members;
    members = { methods: new Map(), fields: new Map(), assigned: new Map(), answers: new Map() };
    const add = (map: Map<string, TSESTree.Node[]>, name: string, value: TSESTree.Node) => {
      const list = map.get(name);
      if (list) list.push(value);
      else map.set(name, [value]);
    };
    for (const member of classNode.body.body) {
      if (member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) continue;
      const name = member.static ? undefined : staticPropertyName(member);
      if (name === undefined) continue;
      if (member.type === AST_NODE_TYPES.MethodDefinition) {
        if (member.kind === 'method' && isFunctionNode(member.value) && !members.methods.has(name)) members.methods.set(name, { member, fn: member.value });
      } else if (member.value) {
        add(members.fields, name, member.value);
      }
    }
    walk(classNode.body, (child) => {
      if (child.type === AST_NODE_TYPES.ClassBody && child !== classNode.body) return false;
      const name = child.type === AST_NODE_TYPES.AssignmentExpression && child.operator === '=' ? thisPropertyName(child.left) : undefined;
      if (name !== undefined && enclosingClass(child) === classNode) add(members.assigned, name, (child as TSESTree.AssignmentExpression).right);
      return true;
    });
    this.classes.set(classNode, members);
    return members;
  }

  private call(node: TSESTree.CallExpression): Origin | undefined {
    const specifier = requireSpecifier(node);
    if (specifier !== undefined) {
      const library = this.libraryFor(specifier);
      return library ? { type: 'module', library, commonjs: true } : this.projectRequire(specifier, node);
    }
    const parts = methodCall(node);
    const receiver = parts && this.resolve(parts.receiver);
    if (receiver?.type === 'value') {
      const spec = receiver.value.library.values[receiver.value.kind]?.methods[parts!.method];
      return spec ? this.methodResult(receiver.value, spec, node) : undefined;
    }
    const target = this.resolve(unwrapExpression(node.callee));
    if (target?.type === 'export' && target.spec.type === 'factory') {
      const value = madeValue(target.library, target.spec, node, 'factory');
      return target.spec.async ? { type: 'promise', of: { type: 'value', value } } : { type: 'value', value };
    }
    // A class is called with `new`; called without, it throws and makes nothing.
    if (target?.type === 'function') return target.summary.constructs ? undefined : this.applySummary(target, node);
    return this.construct(node);
  }

  /**
   * A parameter annotated with a catalog type imported in this file (`shared: Redis`,
   * `pool: Pool<Redis>`): what the type checker would say, read from the annotation without it.
   * The parameter itself is the identity, as with types.
   */
  private annotatedParameter(name: TSESTree.Identifier): Origin | undefined {
    const match = this.annotatedType(name.typeAnnotation?.typeAnnotation, 0);
    if (!match) return undefined;
    return { type: 'value', value: { library: match.library, kind: match.kind, creation: name, how: 'type', typedResource: match.resource } };
  }

  /** A type reference to a catalog type name imported from the catalog module (`Redis`, `Pool<Redis>`). */
  private annotatedType(
    type: TSESTree.TypeNode | undefined,
    depth: number,
  ): { library: LibraryCatalog; kind: ValueKind; resource?: 'redis' } | undefined {
    if (depth > 2 || type?.type !== AST_NODE_TYPES.TSTypeReference || type.typeName.type !== AST_NODE_TYPES.Identifier) return undefined;
    const def = findVariableFor(this.sourceCode, type.typeName)?.defs[0];
    const declaration = def?.type === 'ImportBinding' ? def.node.parent : undefined;
    if (!def || declaration?.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
    const library = this.libraryFor(declaration.source.value);
    const imported = importedName(def.node);
    const kind = library && imported !== undefined ? library.typeNames[imported] : undefined;
    if (!library || !kind) return undefined;
    if (kind !== 'pool' || isRedisClientLibrary(library)) return { library, kind };
    // A pool of another library (`Pool<Redis>`): a Redis pool only when its type argument names a client; else unknown, so silent.
    const resource = this.annotatedType(type.typeArguments?.params[0], depth + 1);
    return resource && isRedisClientLibrary(resource.library) ? { library, kind, resource: 'redis' } : undefined;
  }

  /**
   * A parameter of a node-style callback that a catalog method hands its value to:
   * `pool.acquire((err, client) => …)` (generic-pool 2), `client.duplicate((err, dup) => …)`.
   */
  private callbackParameter(name: TSESTree.Identifier, fn: TSESTree.Node): Origin | undefined {
    if (!isFunctionNode(fn)) return undefined;
    const parts = fn.parent && methodCall(fn.parent);
    if (!parts || !CALLBACK_METHODS.has(parts.method)) return undefined;
    const { call } = parts;
    const receiver = this.valueOf(parts.receiver);
    const spec = receiver?.library.values[receiver.kind]?.methods[parts.method];
    if (!receiver || spec?.type !== 'produces' || !spec.callback) return undefined;
    if (callbackArgumentOf(call, spec.callback.arg) !== fn || fn.params[spec.callback.param] !== name) return undefined;
    const value = methodValue(receiver, spec, call);
    return spec.async ? { type: 'promise', of: { type: 'value', value } } : { type: 'value', value };
  }

  private methodResult(receiver: RedisValue, spec: MethodSpec, node: TSESTree.CallExpression): Origin | undefined {
    // Listener methods return the emitter itself: `createClient().on('error', h)` is the client.
    if (spec.type === 'self' || spec.type === 'listener') {
      const self: Origin = { type: 'value', value: receiver };
      return spec.type === 'self' && spec.async ? { type: 'promise', of: self } : self;
    }
    if (spec.type !== 'produces') return undefined;
    // Handed to a callback instead: the call itself returns nothing of it.
    if (spec.callback && callbackArgumentOf(node, spec.callback.arg)) return undefined;
    const value = methodValue(receiver, spec, node);
    return spec.async ? { type: 'promise', of: { type: 'value', value } } : { type: 'value', value };
  }

  private construct(node: TSESTree.NewExpression | TSESTree.CallExpression): Origin | undefined {
    const target = this.resolve(node.callee);
    if (target?.type === 'function' && target.summary.constructs) {
      return node.type === AST_NODE_TYPES.NewExpression ? this.constructSubclass(target.summary, target.summary.constructs, node) : undefined;
    }
    let spec: ExportSpec | undefined;
    let library: LibraryCatalog | undefined;
    if (target?.type === 'export') {
      spec = target.spec;
      library = target.library;
    } else if (target?.type === 'module' && target.commonjs && target.library.commonjsExport) {
      spec = target.library.commonjsExport;
      library = target.library;
    }
    if (!spec || !library || spec.type !== 'class') return undefined;
    // `Queue(name)`, `Pool(factory)`: some classes make an instance when called without `new`.
    if (node.type === AST_NODE_TYPES.CallExpression && !spec.callableWithoutNew) return undefined;
    return { type: 'value', value: madeValue(library, spec, node, 'constructor') };
  }
}

/** The value a catalog method makes on a receiver (`duplicate()`, `acquire()`); a duplicate inherits its options. */
export function methodValue(receiver: RedisValue, spec: Extract<MethodSpec, { type: 'produces' }>, node: TSESTree.CallExpression): RedisValue {
  return {
    library: receiver.library,
    kind: spec.produces,
    creation: node,
    how: 'method',
    call: node,
    optionsArg: spec.optionsArg,
    parent: receiver,
    inheritsFrom: spec.inheritsOptions ? receiver : undefined,
    nodeOptionsKey: spec.inheritsOptions ? receiver.nodeOptionsKey : undefined,
  };
}

/** The value a catalog factory or class (or a project subclass of one) makes at `node`, with its options where the spec puts them. */
function madeValue(library: LibraryCatalog, spec: FactorySpec | ClassSpec, node: TSESTree.CallExpression | TSESTree.NewExpression, how: RedisValue['how']): RedisValue {
  const { optionsArg, poolOptionsArg, resourceFactoryArg, nodeOptionsKey } = spec;
  const queue = spec.type === 'class' ? spec.queue : undefined;
  return { library, kind: spec.produces, creation: node, how, call: node, optionsArg, poolOptionsArg, resourceFactoryArg, nodeOptionsKey, queue };
}

/** A project subclass's facts as the catalog class spec its own subclasses extend. */
function classSpecOf(facts: SubclassFacts): ClassSpec {
  const { kind, queue, optionsArg, poolOptionsArg, resourceFactoryArg, nodeOptionsKey } = facts;
  return { type: 'class', produces: kind, queue, optionsArg, poolOptionsArg, resourceFactoryArg, nodeOptionsKey };
}

/** The class a subclass extends, when it is a catalog class: its library and spec. */
function catalogClassOf(origin: Origin | undefined): { library: LibraryCatalog; spec: Extract<ExportSpec, { type: 'class' }> } | undefined {
  if (origin?.type === 'export' && origin.spec.type === 'class') return { library: origin.library, spec: origin.spec };
  const commonjs = origin?.type === 'module' && origin.commonjs ? origin.library.commonjsExport : undefined;
  if (origin?.type === 'module' && commonjs?.type === 'class') return { library: origin.library, spec: commonjs };
  return undefined;
}

/** The function given as a method's callback argument (`'last'`: the last argument, when a function). */
function callbackArgumentOf(call: TSESTree.CallExpression, position: number | 'last'): TSESTree.Node | undefined {
  const argument = position === 'last' ? call.arguments[call.arguments.length - 1] : call.arguments[position];
  const inner = argument && unwrapExpression(argument);
  return inner && isFunctionNode(inner) ? inner : undefined;
}

/** Summaries compose through calls of other summarised functions, this many deep at most. */
const MAX_SUMMARY_DEPTH = 4;
let summaryDepth = 0;

function summarizeCapped(summarize: () => FunctionSummary): FunctionSummary | undefined {
  if (summaryDepth >= MAX_SUMMARY_DEPTH) return undefined;
  summaryDepth++;
  try {
    return summarize();
  } finally {
    summaryDepth--;
  }
}

export function sameOrigin(a: Origin, b: Origin | undefined): boolean {
  if (!b || a.type !== b.type) return false;
  switch (a.type) {
    case 'module':
      return b.type === 'module' && a.library === b.library;
    case 'export':
      return b.type === 'export' && a.library === b.library && a.spec === b.spec;
    case 'value':
      return b.type === 'value' && a.value.creation === b.value.creation;
    case 'promise':
      return b.type === 'promise' && sameOrigin(a.of, b.of);
    case 'function':
      return b.type === 'function' && a.summary === b.summary;
    case 'project-module':
      return b.type === 'project-module' && a.file === b.file && a.objectPath === b.objectPath;
    case 'declared-package':
      return b.type === 'declared-package' && a.package === b.package;
  }
}

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

interface ClassMembers {
  methods: Map<string, { member: TSESTree.MethodDefinition; fn: FunctionNode }>;
  fields: Map<string, TSESTree.Node[]>;
  assigned: Map<string, TSESTree.Node[]>;
  /** What `this.<name>` holds, once asked (undefined while being worked out: a cycle). */
  answers: Map<string, Origin | undefined>;
}

/** The class whose `this` a node sees (arrow functions see through, other functions don't). */
export function enclosingClass(node: TSESTree.Node): ClassNode | undefined {
  let sawMethod = false;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) {
      const owner = current.parent;
      return owner.type === AST_NODE_TYPES.ClassDeclaration || owner.type === AST_NODE_TYPES.ClassExpression
        ? owner
        : undefined;
    }
    if (isFunctionNode(current) && current.type !== AST_NODE_TYPES.ArrowFunctionExpression) {
      const parent = current.parent;
      const isMethod =
        parent?.type === AST_NODE_TYPES.MethodDefinition ||
        (parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.value === current);
      if (!isMethod || sawMethod) return undefined;
      sawMethod = true;
    }
  }
  return undefined;
}

/**
 * What an object literal's member holds: its own property (not a getter), or the one value a
 * statement assigns to it later (`const ParsePubSub = {}; ParsePubSub.create = function …`).
 * Undefined when both, or more than one assignment, say something.
 */
export function objectMemberValue(object: TSESTree.ObjectExpression, name: string, sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.Node | undefined {
  const values: TSESTree.Node[] = [];
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) return undefined;
    if (property.type !== AST_NODE_TYPES.Property || staticPropertyName(property) !== name) continue;
    if (property.kind !== 'init') return undefined;
    values.push(property.value);
  }
  const declarator = object.parent;
  if (declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.init === object && declarator.id.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariableFor(sourceCode, declarator.id);
    for (const reference of variable?.references ?? []) {
      const member = reference.identifier.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference.identifier || staticPropertyName(member) !== name) continue;
      const assignment = member.parent;
      if (assignment?.type === AST_NODE_TYPES.AssignmentExpression && assignment.left === member) {
        if (assignment.operator !== '=') return undefined;
        values.push(assignment.right);
      }
    }
  }
  return values.length === 1 ? values[0] : undefined;
}
