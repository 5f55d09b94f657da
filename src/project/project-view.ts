/**
 * The project view behind the report: what an expression in one file denotes once functions,
 * classes and the project's own modules are followed. Each file's own answers come from its
 * analysis (`origins.resolve`); this layer adds only what one file can't see: a binding imported
 * from another project file, a function's return at a call site (a fresh connection per call
 * site, each with the options its arguments give), a parameter bound to each call site's
 * argument, a class's fields per `new`. Anything it can't follow stays unknown.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import type { MethodSpec } from '../catalog';
import { AST_NODE_TYPES, importedName, isModuleLevel, isNullish, methodCall, requireSpecifier, skipWrappersUp, staticPropertyName, thisPropertyName, unwrapExpression, walk, within, type FunctionNode } from '../analysis/ast';
import { enclosingClass, methodValue, type RedisValue } from '../analysis/origin';
import { returnedExpressions } from '../analysis/pools';
import { getModuleView, readExports, type ExportEntry, type ExportTable } from '../analysis/modules';
import { findVariableFor, patternPath, writesOf, type Variable } from '../analysis/scope';
import { StaticEvaluator, type StaticValue } from '../analysis/static-value';
import type { FileFacts } from './facts';

export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;
type CallNode = TSESTree.CallExpression | TSESTree.NewExpression;

/** One call that entered a function (or a `new` that made an instance), innermost first. */
export interface FrameEntry {
  site: CallNode;
  /** The file of the call site. */
  file: FileFacts;
  /** What it entered: a function, or a class's constructor (the class when it has none). */
  callee: FunctionNode | ClassNode;
  /** The caller's frame, where the arguments are evaluated. */
  outer: Frame;
  /** The instance `this` denotes inside the callee. */
  self?: InstanceTarget;
}
export type Frame = readonly FrameEntry[];

/** A connection (client, cluster, duplicate, sentinel, pool) as made at one place in the program. */
export interface ConnectionInstance {
  /** Identity: the creation and the call sites that made this one. */
  key: string;
  value: RedisValue;
  /** The file of the creation. */
  file: FileFacts;
  /** The call sites (and `new`s) that instantiated it, innermost first; empty when made once. */
  via: FrameEntry[];
  /** Where its options are evaluated. */
  frame: Frame;
  /** For a duplicate or a lease's pool: the instance it came from. */
  parent: ConnectionInstance | undefined;
}

export interface InstanceTarget {
  type: 'instance';
  file: FileFacts;
  cls: ClassNode;
  site: TSESTree.NewExpression;
  siteFile: FileFacts;
  frame: Frame;
}

export type Target =
  | { type: 'connection'; connection: ConnectionInstance }
  /** A pool's loan: `acquire()`, or the callback parameter of `pool.use(…)`. */
  | { type: 'lease'; pool: ConnectionInstance; loan: TSESTree.Node; isolated: boolean }
  | { type: 'function'; file: FileFacts; fn: FunctionNode; frame: Frame }
  | { type: 'class'; file: FileFacts; cls: ClassNode }
  | InstanceTarget
  | { type: 'object'; file: FileFacts; node: TSESTree.ObjectExpression; frame: Frame }
  | { type: 'module'; file: FileFacts }
  /** A parameter no frame binds: the uses on it belong to each call site's argument. */
  | { type: 'param'; file: FileFacts; fn: FunctionNode; index: number; path: string[] }
  /** `this.name` in a class, outside any instance: it belongs to each instance. */
  | { type: 'field'; file: FileFacts; cls: ClassNode; name: string };

const MAX_DEPTH = 40;

export class ProjectView {
  private readonly exportTables = new Map<FileFacts, ExportTable>();
  private readonly inProgress = new Set<string>();
  private readonly answers = new Map<string, Target | undefined>();
  private cuts = 0;
  private readonly evaluators = new Map<string, StaticEvaluator>();
  private callSites: Map<FunctionNode | ClassNode, FrameEntry[]> | undefined;
  private readonly keys = new WeakMap<TSESTree.Node, string>();

  constructor(readonly files: ReadonlyMap<string, FileFacts>) {}

  /** What `node` (in `file`, evaluated in `frame`) denotes. */
  targetOf(file: FileFacts, node: TSESTree.Node, frame: Frame = [], depth = 0): Target | undefined {
    const guard = `${this.nodeKey(file, node)}|${frameKey(frame)}`;
    if (this.answers.has(guard)) return this.answers.get(guard);
    if (depth > MAX_DEPTH || this.inProgress.has(guard)) {
      this.cuts++;
      return undefined;
    }
    this.inProgress.add(guard);
    const cuts = this.cuts;
    try {
      const target = this.compute(file, node, frame, depth + 1);
      // Kept unless a cycle or the depth limit cut it short; unkept, call-site chains were re-walked exponentially.
      if (this.cuts === cuts) this.answers.set(guard, target);
      return target;
    } finally {
      this.inProgress.delete(guard);
    }
  }

  /** `file:line:column` of a node: the identity of creations and call sites. */
  private nodeKey(file: FileFacts, node: TSESTree.Node): string {
    let key = this.keys.get(node);
    if (!key) this.keys.set(node, (key = `${file.file}:${node.loc.start.line}:${node.loc.start.column}:${node.range[0]}-${node.range[1]}`));
    return key;
  }

  /** The analysed file a specifier names from `from`, by the module view the rules use. */
  private resolve(specifier: string, from: FileFacts): FileFacts | undefined {
    const file = getModuleView().resolveSpecifier(from.file, specifier);
    return file === undefined ? undefined : this.files.get(file);
  }

  private exportsOf(file: FileFacts): ExportTable {
    let table = this.exportTables.get(file);
    if (!table) this.exportTables.set(file, (table = readExports(file.program)));
    return table;
  }

  private compute(file: FileFacts, original: TSESTree.Node, frame: Frame, depth: number): Target | undefined {
    const node = unwrapExpression(original);
    // `this.x`: per instance, which the file's analysis does not tell apart.
    if (node.type === AST_NODE_TYPES.MemberExpression && unwrapExpression(node.object).type === AST_NODE_TYPES.ThisExpression) {
      return this.member(file, node, frame, depth);
    }
    // What the file's own analysis knows first: catalog values, and how they flow within the file.
    const local = this.localValue(file, node);
    if (local) return this.fromLocal(file, local, frame);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier:
        return this.identifier(file, node, frame, depth);
      case AST_NODE_TYPES.AwaitExpression:
        return this.targetOf(file, node.argument, frame, depth);
      case AST_NODE_TYPES.MemberExpression:
        return this.member(file, node, frame, depth);
      case AST_NODE_TYPES.CallExpression:
        return this.call(file, node, frame, depth);
      case AST_NODE_TYPES.NewExpression:
        return this.construct(file, node, frame, depth);
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.FunctionDeclaration:
        return { type: 'function', file, fn: node, frame };
      case AST_NODE_TYPES.ClassExpression:
      case AST_NODE_TYPES.ClassDeclaration:
        return { type: 'class', file, cls: node };
      case AST_NODE_TYPES.ObjectExpression:
        return { type: 'object', file, node, frame };
      case AST_NODE_TYPES.AssignmentExpression:
        return node.operator === '=' ? this.targetOf(file, node.right, frame, depth) : undefined;
      case AST_NODE_TYPES.SequenceExpression:
        return this.targetOf(file, node.expressions[node.expressions.length - 1]!, frame, depth);
      default:
        return undefined;
    }
  }

  private localValue(file: FileFacts, node: TSESTree.Node): RedisValue | undefined {
    const value = file.analysis.origins.valueOrPromised(node);
    // The report counts creations: a value known only from its type, or from another module's
    // summary, is followed by this view to where it is made instead.
    for (let current = value; current; current = current.parent) {
      if (current.how !== 'factory' && current.how !== 'constructor' && current.how !== 'method' && !isSubclassInstance(current)) return undefined;
    }
    return value;
  }

  /** A value the file's analysis resolved, placed in the frame that reached it. */
  private fromLocal(file: FileFacts, value: RedisValue, frame: Frame): Target | undefined {
    if (value.kind === 'lease' || value.kind === 'pending-acquire') {
      const pool = value.parent && this.instanceOf(file, value.parent, frame);
      return pool ? { type: 'lease', pool, loan: value.creation, isolated: false } : undefined;
    }
    // A queue object (Bull, bee-queue, BullMQ) opens connections of its own; other consumers don't count.
    if (value.kind === 'consumer' && !value.queue) return undefined;
    return { type: 'connection', connection: this.instanceOf(file, value, frame) };
  }

  /** The instance of a value made in `file`: per call site when it is made inside a function the frame entered. */
  instanceOf(file: FileFacts, value: RedisValue, frame: Frame, parent?: ConnectionInstance): ConnectionInstance {
    // Made once per process: at the top level, or kept in a module-level variable (`client ??= createClient()`).
    const once = isModuleLevel(value.creation) || storedInModuleVariable(file, value.creation);
    const via = once ? [] : frame.filter((entry) => within(value.creation, entry.callee) || entry.self);
    const key = [this.nodeKey(file, value.creation), ...via.map((entry) => this.nodeKey(entry.file, entry.site))].join('>');
    const parentInstance =
      parent ?? (value.parent && value.how === 'method' ? this.instanceOf(file, value.parent, frame) : undefined);
    return { key, value, file, via, frame, parent: parentInstance };
  }

  private identifier(file: FileFacts, node: TSESTree.Identifier, frame: Frame, depth: number): Target | undefined {
    const variable = findVariableFor(file.analysis.sourceCode, node);
    const def = variable?.defs[0];
    if (!variable || !def) return undefined;
    switch (def.type) {
      case 'ImportBinding':
        return this.importBinding(file, def.node, depth);
      case 'Parameter':
        return this.parameter(file, def.name as TSESTree.Identifier, def.node as FunctionNode, frame, depth);
      case 'FunctionName':
        return { type: 'function', file, fn: def.node as TSESTree.FunctionDeclaration, frame: isModuleLevel(def.node) ? [] : frame };
      case 'ClassName':
        return { type: 'class', file, cls: def.node as ClassNode };
      case 'Variable':
        return this.variable(file, variable, frame, depth);
      default:
        return undefined;
    }
  }

  /** What a variable holds: its writes agree (a lazily made singleton, `x ??= make()`, included). */
  private variable(file: FileFacts, variable: Variable, frame: Frame, depth: number): Target | undefined {
    // A module-level variable is made once, whichever call reads it.
    const moduleLevel = variable.scope.type === 'module' || variable.scope.type === 'global';
    const at = moduleLevel ? [] : frame;
    const candidates: Target[] = [];
    // writesOf reads `x ??= make()` as a write of `make()`.
    for (const write of writesOf(variable)) {
      if (!write.value) return undefined;
      if (isNullish(write.value)) continue;
      if (!write.pattern) return undefined;
      let target = this.targetOf(file, write.value, at, depth);
      for (const name of write.pattern) target = target && this.memberOf(target, name, depth);
      if (!target) return undefined;
      candidates.push(target);
    }
    return agreed(candidates);
  }

  private importBinding(file: FileFacts, node: TSESTree.Node, depth: number): Target | undefined {
    const declaration = node.parent;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration || declaration.importKind === 'type') return undefined;
    const target = this.resolve(declaration.source.value, file);
    if (!target) return undefined;
    if (node.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { type: 'module', file: target };
    const name = importedName(node);
    if (name === undefined || (node.type === AST_NODE_TYPES.ImportSpecifier && node.importKind === 'type')) return undefined;
    const found = this.exported(target, name, depth);
    return node.type === AST_NODE_TYPES.ImportDefaultSpecifier ? (found ?? this.commonjsModule(target, depth)) : found;
  }

  /**
   * Follows export `name` of a module through `export { x } from` and `export *` (the analysis's
   * export table) and reads the entry where it is declared; `read` answers undefined when the
   * module does not have it, and the search goes on into its `export *` sources.
   */
  private followExport<T>(
    file: FileFacts,
    name: string,
    read: (file: FileFacts, entry: ExportEntry | undefined, name: string) => T | undefined,
    seen = new Set<FileFacts>(),
  ): T | undefined {
    if (seen.has(file)) return undefined;
    seen.add(file);
    const exports = this.exportsOf(file);
    const entry = exports.named.get(name);
    if (entry?.type === 'reexport') {
      const source = this.resolve(entry.specifier, file);
      return source && this.followExport(source, entry.name, read, seen);
    }
    const found = read(file, entry, name);
    if (found || entry) return found;
    for (const star of exports.stars) {
      const source = this.resolve(star, file);
      const inStar = source && this.followExport(source, name, read, seen);
      if (inStar) return inStar;
    }
    return undefined;
  }

  /** What a module exports under `exportName` (ESM, re-exports, `export *`, CommonJS). */
  exported(module: FileFacts, exportName: string, depth: number): Target | undefined {
    return this.followExport(module, exportName, (file, entry, name): Target | undefined => {
      switch (entry?.type) {
        case 'node':
          return this.targetOf(file, entry.node, [], depth);
        case 'self':
          return { type: 'module', file };
        case 'namespace': {
          const source = this.resolve(entry.specifier, file);
          return source && { type: 'module', file: source };
        }
      }
      // `module.exports = new Service()`: a member of the whole value.
      const whole = this.exportsOf(file).named.get('default');
      if (whole?.type !== 'node' || name === 'default') return undefined;
      const base = this.targetOf(file, whole.node, [], depth);
      return base && this.memberOf(base, name, depth);
    });
  }

  /** A CommonJS module as a value: `module.exports`, or the module's namespace. */
  private commonjsModule(file: FileFacts, depth: number): Target | undefined {
    const whole = this.exportsOf(file).named.get('default');
    // `module.exports = { a, b }` plus `exports.c = …`: members are looked up as exports.
    if (whole?.type !== 'node' || unwrapExpression(whole.node).type === AST_NODE_TYPES.ObjectExpression) return { type: 'module', file };
    return this.targetOf(file, whole.node, [], depth);
  }

  private parameter(file: FileFacts, name: TSESTree.Identifier, fn: FunctionNode, frame: Frame, depth: number): Target | undefined {
    const bound = boundArgument(file, fn, name, frame);
    if (!bound) return undefined;
    if (bound.entry) {
      const { source } = bound;
      let target = source && this.targetOf(source.file, source.node, source.frame, depth);
      for (const key of bound.path) target = target && this.memberOf(target, key, depth);
      return target;
    }
    return this.managedLoan(file, fn, bound.index, depth) ?? { type: 'param', file, fn, index: bound.index, path: bound.path };
  }

  /** `pool.use((client) => …)`: the callback's parameter is a loan of the pool. */
  private managedLoan(file: FileFacts, fn: FunctionNode, index: number, depth: number): Target | undefined {
    if (index !== 0) return undefined;
    const { node: callback, parent } = skipWrappersUp(fn);
    const called = parent && methodCall(parent);
    if (!called) return undefined;
    const { call, method } = called;
    const owner = this.targetOf(file, called.receiver, [], depth);
    // `pool.acquire().then((client) => …)`: the loan the promise resolves to.
    if (method === 'then' && owner?.type === 'lease' && call.arguments[0] === callback) return owner;
    if (owner?.type !== 'connection') return undefined;
    const value = owner.connection.value;
    const spec = value.library.values[value.kind]?.methods[method];
    if (spec?.type !== 'managed' || call.arguments[spec.callbackArg] !== callback) return undefined;
    // A client's managed method is node-redis 4 `executeIsolated`: a connection of its own.
    return { type: 'lease', pool: owner.connection, loan: call, isolated: value.kind === 'client' || value.kind === 'cluster' };
  }

  private member(file: FileFacts, node: TSESTree.MemberExpression, frame: Frame, depth: number): Target | undefined {
    const name = staticPropertyName(node);
    if (name === undefined) return undefined;
    const object = unwrapExpression(node.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) {
      const cls = enclosingClass(node);
      if (!cls) return undefined;
      const self = frame.find((entry) => entry.self?.cls === cls)?.self;
      if (self) return this.field(self, name, depth);
      if (this.instancesOf(cls).length > 0) return { type: 'field', file, cls, name };
      // A class the project never instantiates: what the file's analysis says the field holds.
      const local = this.localValue(file, node);
      return local ? this.fromLocal(file, local, frame) : undefined;
    }
    const base = this.targetOf(file, object, frame, depth);
    return base && this.memberOf(base, name, depth);
  }

  memberOf(base: Target, name: string, depth: number): Target | undefined {
    switch (base.type) {
      case 'module':
        return this.exported(base.file, name, depth);
      case 'object': {
        for (const property of base.node.properties) {
          if (property.type === AST_NODE_TYPES.Property && staticPropertyName(property) === name && property.kind === 'init') {
            return this.targetOf(base.file, property.value, base.frame, depth);
          }
        }
        return undefined;
      }
      case 'instance':
        return this.field(base, name, depth);
      default:
        return undefined;
    }
  }

  /** What an instance holds in a field: its initializer, or `this.name = …` in the class (which must agree). */
  field(instance: InstanceTarget, name: string, depth: number): Target | undefined {
    const constructor = constructorOf(instance.cls);
    // Inside the class: the `new` entered its constructor, with `this` bound.
    const frame: Frame = [{ site: instance.site, file: instance.siteFile, callee: constructor ?? instance.cls, outer: instance.frame, self: instance }, ...instance.frame];
    // What may be written to it, in source order: initializers, parameter properties, `this.name = …`.
    const sources: (TSESTree.Node | undefined)[] = [];
    for (const member of instance.cls.body.body) {
      if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static && member.value && staticPropertyName(member) === name) {
        sources.push(member.value);
      }
    }
    for (const param of constructor?.params ?? []) {
      if (param.type === AST_NODE_TYPES.TSParameterProperty && param.parameter.type === AST_NODE_TYPES.Identifier && param.parameter.name === name) {
        sources.push(param.parameter);
      }
    }
    walk(instance.cls.body, (node) => {
      if (node.type === AST_NODE_TYPES.ClassBody && node !== instance.cls.body) return false;
      if (node.type === AST_NODE_TYPES.AssignmentExpression && thisPropertyName(node.left) === name && enclosingClass(node) === instance.cls) {
        if (!isNullish(node.right)) sources.push(node.operator === '=' ? node.right : undefined);
      }
      return true;
    });
    const candidates: Target[] = [];
    for (const source of sources) {
      const target = source && this.targetOf(instance.file, source, frame, depth);
      if (!target) return undefined;
      candidates.push(target);
    }
    return agreed(candidates);
  }

  private call(file: FileFacts, node: TSESTree.CallExpression, frame: Frame, depth: number): Target | undefined {
    const specifier = requireSpecifier(node);
    if (specifier !== undefined) {
      const required = this.resolve(specifier, file);
      return required ? this.commonjsModule(required, depth) : undefined;
    }
    const called = methodCall(node);
    const receiver = called && this.targetOf(file, called.receiver, frame, depth);
    if (called && receiver?.type === 'connection') return this.methodResult(file, receiver.connection, called.method, node, frame);
    const target = this.targetOf(file, unwrapExpression(node.callee), frame, depth);
    if (target?.type !== 'function') return undefined;
    return this.returnOf(target, { site: node, file, callee: target.fn, outer: frame }, depth);
  }

  /** What a call of a project function returns: the same value from every return, or nothing. */
  private returnOf(target: Extract<Target, { type: 'function' }>, entry: FrameEntry, depth: number): Target | undefined {
    const frame: Frame = [entry, ...target.frame];
    return agreed(returnedExpressions(target.fn).map((expression) => this.targetOf(target.file, expression, frame, depth)));
  }

  /** A catalog method on a connection the file's analysis could not see (imported, a parameter). */
  private methodResult(file: FileFacts, receiver: ConnectionInstance, method: string, call: TSESTree.CallExpression, frame: Frame): Target | undefined {
    const spec: MethodSpec | undefined = receiver.value.library.values[receiver.value.kind]?.methods[method];
    if (!spec) return undefined;
    if (spec.type === 'self' || spec.type === 'listener') return { type: 'connection', connection: receiver };
    if (spec.type !== 'produces') return undefined;
    const value = methodValue(receiver.value, spec, call);
    if (spec.produces === 'lease' || spec.produces === 'pending-acquire') return { type: 'lease', pool: receiver, loan: call, isolated: false };
    return { type: 'connection', connection: this.instanceOf(file, value, frame, receiver) };
  }

  private construct(file: FileFacts, node: TSESTree.NewExpression, frame: Frame, depth: number): Target | undefined {
    const target = this.targetOf(file, node.callee, frame, depth);
    if (target?.type !== 'class') return undefined;
    // `new Cache()` of a `class Cache extends Redis`: the analysis knows it (localValue); any other class holds fields.
    return { type: 'instance', file: target.file, cls: target.cls, site: node, siteFile: file, frame: isModuleLevel(node) ? [] : frame };
  }

  /** Every call (or `new`) in the project that enters a function or class, as frame entries. */
  callSitesOf(callee: FunctionNode | ClassNode): FrameEntry[] {
    if (!this.callSites) {
      this.callSites = new Map();
      for (const file of this.files.values()) {
        for (const site of file.calls) {
          // Callees named by a binding or a member of one; `this.f()` would ask for instances mid-build.
          const callee = unwrapExpression(site.callee);
          const named =
            callee.type === AST_NODE_TYPES.Identifier ||
            (callee.type === AST_NODE_TYPES.MemberExpression && unwrapExpression(callee.object).type === AST_NODE_TYPES.Identifier);
          if (!named) continue;
          const target = this.targetOf(file, callee);
          const entered =
            target?.type === 'function' ? target.fn : target?.type === 'class' && site.type === AST_NODE_TYPES.NewExpression ? target.cls : undefined;
          if (!entered) continue;
          const entry: FrameEntry = { site, file, callee: entered, outer: [] };
          const list = this.callSites.get(entered);
          if (list) list.push(entry);
          else this.callSites.set(entered, [entry]);
        }
      }
    }
    return this.callSites.get(callee) ?? [];
  }

  /** The instances of a class made anywhere in the project. */
  instancesOf(cls: ClassNode): InstanceTarget[] {
    return this.callSitesOf(cls).flatMap((entry) => {
      const target = this.targetOf(entry.file, entry.site);
      return target?.type === 'instance' ? [target] : [];
    });
  }

  /** The file's evaluator in a frame, told imported constants and the frame's bound parameters. */
  evaluatorFor(file: FileFacts, frame: Frame): StaticEvaluator {
    const key = `${file.file}|${frameKey(frame)}`;
    let evaluator = this.evaluators.get(key);
    if (!evaluator) {
      evaluator = new StaticEvaluator(file.analysis.sourceCode, (identifier, variable) => this.bindingValue(file, frame, identifier, variable));
      this.evaluators.set(key, evaluator);
    }
    return evaluator;
  }

  private bindingValue(file: FileFacts, frame: Frame, identifier: TSESTree.Identifier, variable: Variable): StaticValue | undefined {
    const def = variable.defs[0];
    if (!def) return undefined;
    if (def.type === 'ImportBinding' && def.node.type === AST_NODE_TYPES.ImportSpecifier) {
      const declaration = def.node.parent;
      const source = declaration?.type === AST_NODE_TYPES.ImportDeclaration ? this.resolve(declaration.source.value, file) : undefined;
      const imported = importedName(def.node)!;
      // The expression the export is declared with, evaluated where it is written.
      return source && this.followExport(source, imported, (from, entry) => (entry?.type === 'node' ? this.evaluatorFor(from, []).evaluate(entry.node) : undefined));
    }
    if (def.type === 'Parameter') {
      const bound = boundArgument(file, def.node as FunctionNode, def.name as TSESTree.Identifier, frame);
      if (!bound?.entry) return undefined;
      const { source } = bound;
      const absent: StaticValue = { kind: 'primitive', value: undefined, node: identifier };
      // No source: a spread (unknown), or no argument and no default (undefined).
      let value = source ? this.evaluatorFor(source.file, source.frame).evaluate(source.node) : undefined;
      if (!source && !bound.entry.site.arguments[bound.index]) value = absent;
      for (const name of bound.path) {
        if (value?.kind !== 'object') return undefined;
        value = value.properties.get(name)?.value ?? (value.complete ? absent : undefined);
      }
      return value;
    }
    return undefined;
  }
}

interface BoundArgument {
  index: number;
  /** The path into a destructured argument. */
  path: string[];
  /** The call in the frame that entered the function (a `new` enters a constructor through its class). */
  entry: FrameEntry | undefined;
  /** What it holds: that call's argument (read in the caller's frame), or with none its default; none for a spread. */
  source: { file: FileFacts; node: TSESTree.Node; frame: Frame } | undefined;
}

/** A parameter (by its declared name) as bound in `frame`. */
function boundArgument(file: FileFacts, fn: FunctionNode, name: TSESTree.Identifier, frame: Frame): BoundArgument | undefined {
  const index = fn.params.findIndex((param) => within(name, param));
  const param = fn.params[index];
  if (!param) return undefined;
  let pattern: TSESTree.Node = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
  let fallback: TSESTree.Node | undefined;
  if (pattern.type === AST_NODE_TYPES.AssignmentPattern) {
    fallback = pattern.right;
    pattern = pattern.left;
  }
  // A destructured default (`({ redis } = deps)`) applies to the whole argument.
  const path = patternPath(pattern, name);
  if (!path) return undefined;
  const owner = constructorOwner(fn) ?? fn;
  const entry = frame.find((candidate) => candidate.callee === owner || candidate.callee === fn);
  const argument = entry?.site.arguments[index];
  let source: BoundArgument['source'] = fallback && { file, node: fallback, frame };
  if (entry && argument) source = argument.type === AST_NODE_TYPES.SpreadElement ? undefined : { file: entry.file, node: argument, frame: entry.outer };
  return { index, path, entry, source };
}

/** The class a constructor function belongs to. */
export function constructorOwner(fn: FunctionNode): ClassNode | undefined {
  const method = fn.parent;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition || method.kind !== 'constructor') return undefined;
  const owner = method.parent.parent;
  return owner.type === AST_NODE_TYPES.ClassDeclaration || owner.type === AST_NODE_TYPES.ClassExpression ? owner : undefined;
}

function constructorOf(cls: ClassNode): TSESTree.FunctionExpression | undefined {
  for (const member of cls.body.body) {
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor' && member.value.type === AST_NODE_TYPES.FunctionExpression) {
      return member.value;
    }
  }
  return undefined;
}

/** A creation kept in a module-level variable (`client ??= createClient()`, `client = await make()`): made once. */
export function storedInModuleVariable(file: FileFacts, creation: TSESTree.Node): boolean {
  for (let node: TSESTree.Node | undefined = creation.parent; node; node = node.parent) {
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.left.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariableFor(file.analysis.sourceCode, node.left);
      return variable?.scope.type === 'module' || variable?.scope.type === 'global';
    }
    if (node.type !== AST_NODE_TYPES.AwaitExpression && node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.MemberExpression) return false;
  }
  return false;
}

/** `new Cache()` where `class Cache extends Redis`: the analysis made the value at this `new` (a subclass summary). */
function isSubclassInstance(value: RedisValue): boolean {
  return value.how === 'summary' && value.creation.type === AST_NODE_TYPES.NewExpression && value.summary?.madeBy === 'own' && !value.summary.shared;
}

/** The one target every candidate denotes; undefined when there is none, one is unknown, or they differ. */
function agreed(candidates: readonly (Target | undefined)[]): Target | undefined {
  const [first] = candidates;
  return first && candidates.every((candidate) => candidate && targetKey(candidate) === targetKey(first)) ? first : undefined;
}

function frameKey(frame: Frame): string {
  return frame.map((entry) => `${entry.file.file}@${entry.site.range[0]}`).join(',');
}

/** Whether two targets denote the same thing (a connection by its identity). */
export function targetKey(target: Target): string {
  switch (target.type) {
    case 'connection':
      return `c:${target.connection.key}`;
    case 'lease':
      return `l:${target.pool.key}:${target.loan.range[0]}`;
    case 'function':
      return `f:${target.file.file}:${target.fn.range[0]}:${frameKey(target.frame)}`;
    case 'class':
      return `k:${target.file.file}:${target.cls.range[0]}`;
    case 'instance':
      return `i:${target.siteFile.file}:${target.site.range[0]}:${frameKey(target.frame)}`;
    case 'object':
      return `o:${target.file.file}:${target.node.range[0]}:${frameKey(target.frame)}`;
    case 'module':
      return `m:${target.file.file}`;
    case 'param':
      return `p:${target.file.file}:${target.fn.range[0]}:${target.index}:${target.path.join('.')}`;
    case 'field':
      return `t:${target.file.file}:${target.cls.range[0]}:${target.name}`;
  }
}
