/**
 * Project-wide origin tracking: from an expression anywhere in the program back to the catalog
 * factory, class or method that made its value. Crosses files with the type checker's symbol
 * resolution (imports, re-exports, `export *`, default exports, CommonJS `require` and
 * `module.exports`), follows aliases, user factory functions, class fields, object properties and
 * parameters (through their call sites), and never decides by a name alone.
 */
import {
  Node,
  SyntaxKind,
  VariableDeclarationKind,
  type BindingElement,
  type CallExpression,
  type NewExpression,
  type ObjectLiteralExpression,
  type ParameterDeclaration,
  type Symbol as MorphSymbol,
} from 'ts-morph';
import {
  LIBRARIES,
  libraryForModule,
  TARN_PENDING_PROMISE_PROPERTY,
  type ExportSpec,
  type LibraryCatalog,
  type MethodSpec,
  exportMember,
  moduleMember,
} from '../catalog';
import type { Frame, ParamBinding } from './evaluate';
import type { ProjectIndex } from './project-index';
import {
  dynamicImportSpecifier,
  isNullish,
  memberAccess,
  requireSpecifier,
  returnedExpressions,
  staticName,
  unwrap,
  unwrapAwait,
} from './syntax';
import { libraryOfFile, type TypeRecognizer } from './types';
import {
  anchorOf,
  isClassLike,
  isFunctionLike,
  isInside,
  keyOf,
  type ClassLike,
  type FunctionLike,
  type Instance,
  type Origin,
  type Value,
} from './values';

/** Returned by alias inspection when the alias leads on to user code. */
const CONTINUE = Symbol('continue');
const MAX_ALIAS_HOPS = 32;

type Callee = FunctionLike | ClassLike;

export class ProjectResolver {
  private readonly cache = new Map<Node, Origin | undefined>();
  private readonly inProgress = new Set<Node>();
  private readonly symbolCache = new Map<unknown, Origin | undefined>();
  private readonly symbolsInProgress = new Set<unknown>();
  private readonly calleeCache = new Map<Node, Callee | undefined>();
  private readonly heldCache = new Map<ClassLike, Value[]>();
  /** Duplicates made from a parameter: which parameter, so a call site can name their source. */
  private readonly parentParams = new Map<Node, { fn: FunctionLike; index: number; inherits: boolean }>();
  private sites: Map<Node, Node[]> | undefined;
  private writes: Map<unknown, Node[]> | undefined;

  constructor(
    /** The project's own files, with every call, `new` and assignment in them. */
    private readonly index: ProjectIndex,
    private readonly types: TypeRecognizer,
  ) {}

  /** What the expression evaluates to, as far as the catalog and the program can tell. */
  resolve(node: Node): Origin | undefined {
    const target = unwrapAwait(node);
    if (this.cache.has(target)) return this.cache.get(target);
    if (this.inProgress.has(target)) return undefined;
    this.inProgress.add(target);
    let origin: Origin | undefined;
    try {
      origin = this.compute(target);
    } finally {
      this.inProgress.delete(target);
    }
    this.cache.set(target, origin);
    return origin;
  }

  valueOf(node: Node): Value | undefined {
    const origin = this.resolve(node);
    return origin?.type === 'value' ? origin.value : undefined;
  }

  /** The function (or class, for `new`) a call site enters, when it is user code. */
  calleeOf(site: Node): Callee | undefined {
    if (this.calleeCache.has(site)) return this.calleeCache.get(site);
    let callee: Callee | undefined;
    if (Node.isCallExpression(site) || Node.isNewExpression(site)) {
      const expression = unwrap(site.getExpression());
      if (isFunctionLike(expression) || isClassLike(expression)) callee = expression;
      else {
        const access = memberAccess(expression);
        const nameNode = access ? access.nameNode : Node.isIdentifier(expression) ? expression : undefined;
        callee = nameNode ? calleeOfSymbol(nameNode.getSymbol()) : undefined;
      }
    }
    this.calleeCache.set(site, callee);
    return callee;
  }

  /** Every call (or `new`) in the project that enters the function or class. */
  callSitesOf(callee: Callee): readonly Node[] {
    if (!this.sites) {
      this.sites = new Map();
      for (const site of this.index.calls) {
        const target = this.calleeOf(site);
        if (!target) continue;
        const list = this.sites.get(target);
        if (list) list.push(site);
        else this.sites.set(target, [site]);
      }
    }
    return this.sites.get(callee) ?? [];
  }

  /** The argument a parameter takes at the innermost call in `frame` that entered its function. */
  bindParameter(parameter: ParameterDeclaration, frame: Frame): ParamBinding | undefined {
    const fn = parameter.getParent();
    if (!isFunctionLike(fn)) return undefined;
    const target: Callee = Node.isConstructorDeclaration(fn) ? (fn.getParent() as ClassLike) : fn;
    for (let i = 0; i < frame.length; i++) {
      const site = frame[i]!;
      if (this.calleeOf(site) !== target) continue;
      const argument = argumentAt(site, fn.getParameters().indexOf(parameter));
      return argument === null ? undefined : { argument, frame: frame.slice(i + 1) };
    }
    return undefined;
  }

  /** The values passed as a parameter at every known call site (through parameter chains). */
  argumentValues(param: Extract<Origin, { type: 'param' }>, seen = new Set<string>()): Value[] {
    const key = `${keyOfNode(param.fn)}:${param.index}:${param.members.join('.')}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const target: Callee = Node.isConstructorDeclaration(param.fn) ? (param.fn.getParent() as ClassLike) : param.fn;
    const values: Value[] = [];
    for (const site of this.callSitesOf(target)) {
      const argument = argumentAt(site, param.index);
      if (!argument) continue;
      let origin = this.resolve(argument);
      for (const member of param.members) origin = origin && this.memberOf(origin, member);
      if (origin?.type === 'value') values.push(origin.value);
      else if (origin?.type === 'param') values.push(...this.argumentValues(origin, seen));
    }
    return values;
  }

  /**
   * The connections a class's instances hold in their fields (initializers, and `this.x = …`
   * in its constructor and methods) that are made fresh for each instance.
   */
  heldByInstances(cls: ClassLike): Value[] {
    const cached = this.heldCache.get(cls);
    if (cached) return cached;
    this.heldCache.set(cls, []);
    const found = new Map<string, Value>();
    const consider = (origin: Origin | undefined) => {
      if (origin?.type === 'value' && isFresh(origin.value, cls)) found.set(keyOf(origin.value), origin.value);
    };
    for (const property of cls.getProperties()) {
      if (property.isStatic()) continue;
      const initializer = property.getInitializer();
      if (initializer) consider(this.resolve(initializer));
    }
    for (const assignment of this.index.assignments) {
      const left = unwrap(assignment.getLeft());
      const access = memberAccess(left);
      if (!access || unwrap(access.object).getKind() !== SyntaxKind.ThisKeyword) continue;
      if (!isInside(assignment, cls) || enclosingClassOf(assignment) !== cls) continue;
      consider(this.resolve(assignment.getRight()));
    }
    const values = [...found.values()];
    this.heldCache.set(cls, values);
    return values;
  }

  /** A class-held value as seen through one instance. */
  throughInstance(origin: Origin | undefined, instance: Instance): Origin | undefined {
    if (!origin) return undefined;
    if (origin.type === 'value' && isFresh(origin.value, instance.cls)) {
      const constructor = instance.cls.getConstructors()[0];
      const value = constructor ? this.bindParentParam(origin.value, constructor, instance.creation) : origin.value;
      return { type: 'value', value: extend(value, instance.cls, [instance.creation, ...instance.path], instance.via) };
    }
    if (origin.type === 'param' && Node.isConstructorDeclaration(origin.fn) && origin.fn.getParent() === instance.cls) {
      const argument = argumentAt(instance.creation, origin.index);
      let result = argument ? this.resolve(argument) : undefined;
      for (const member of origin.members) result = result && this.memberOf(result, member);
      return result;
    }
    return origin;
  }

  private compute(node: Node): Origin | undefined {
    if (Node.isIdentifier(node)) {
      if (node.getText() === 'undefined') return undefined;
      const symbol = node.getSymbol();
      return symbol ? this.symbolOrigin(symbol) : undefined;
    }
    if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) return this.member(node);
    if (Node.isCallExpression(node)) return this.call(node);
    if (Node.isNewExpression(node)) return this.construct(node);
    if (Node.isConditionalExpression(node)) return this.merge([node.getWhenTrue(), node.getWhenFalse()]);
    if (Node.isBinaryExpression(node)) {
      switch (node.getOperatorToken().getKind()) {
        case SyntaxKind.QuestionQuestionToken:
        case SyntaxKind.BarBarToken:
        case SyntaxKind.QuestionQuestionEqualsToken:
        case SyntaxKind.BarBarEqualsToken:
          return this.merge([node.getLeft(), node.getRight()]);
        case SyntaxKind.AmpersandAmpersandToken:
        case SyntaxKind.EqualsToken:
        case SyntaxKind.CommaToken:
          return this.resolve(node.getRight());
        default:
          return undefined;
      }
    }
    if (isFunctionLike(node)) return { type: 'function', node };
    if (isClassLike(node)) return this.classOrigin(node);
    if (Node.isObjectLiteralExpression(node)) return { type: 'object', node };
    return undefined;
  }

  /** Resolves each expression (nullish ones aside); all must denote the same thing. */
  private merge(nodes: readonly Node[]): Origin | undefined {
    const origins: Origin[] = [];
    for (const node of nodes) {
      if (isNullish(node)) continue;
      const origin = this.resolve(node);
      if (!origin) return undefined;
      origins.push(origin);
    }
    return agree(origins);
  }

  // ---- symbols -------------------------------------------------------------------------------

  /** What a symbol denotes: through its alias chain, to a catalog export or a user declaration. */
  symbolOrigin(start: MorphSymbol): Origin | undefined {
    const cacheKey = start.compilerSymbol;
    if (this.symbolCache.has(cacheKey)) return this.symbolCache.get(cacheKey);
    if (this.symbolsInProgress.has(cacheKey)) return undefined;
    this.symbolsInProgress.add(cacheKey);
    let origin: Origin | undefined;
    try {
      origin = this.followAliases(start);
    } finally {
      this.symbolsInProgress.delete(cacheKey);
    }
    this.symbolCache.set(cacheKey, origin);
    return origin;
  }

  private followAliases(start: MorphSymbol): Origin | undefined {
    let symbol: MorphSymbol | undefined = start;
    for (let hop = 0; symbol && hop < MAX_ALIAS_HOPS; hop++) {
      if (!symbol.isAlias()) return this.declaredOrigin(symbol);
      const declaration = symbol.getDeclarations()[0];
      if (declaration) {
        // An import or re-export of a catalog module decides here, even when the module's
        // types are not installed.
        const origin = this.aliasOrigin(declaration);
        if (origin !== CONTINUE) return origin;
      }
      symbol = symbol.getImmediatelyAliasedSymbol();
    }
    return undefined;
  }

  private aliasOrigin(declaration: Node): Origin | undefined | typeof CONTINUE {
    if (Node.isImportSpecifier(declaration)) {
      const importDeclaration = declaration.getImportDeclaration();
      const library = libraryForModule(importDeclaration.getModuleSpecifierValue());
      if (!library) return CONTINUE;
      if (importDeclaration.isTypeOnly() || declaration.isTypeOnly()) return undefined;
      return namedExport(library, declaration.getName());
    }
    if (Node.isImportClause(declaration)) {
      const importDeclaration = declaration.getParent();
      if (!Node.isImportDeclaration(importDeclaration)) return CONTINUE;
      const library = libraryForModule(importDeclaration.getModuleSpecifierValue());
      if (!library) return CONTINUE;
      return declaration.isTypeOnly() ? undefined : defaultOf(library);
    }
    if (Node.isNamespaceImport(declaration)) {
      const importDeclaration = declaration.getParent().getParent();
      if (!Node.isImportDeclaration(importDeclaration)) return CONTINUE;
      const library = libraryForModule(importDeclaration.getModuleSpecifierValue());
      if (!library) return CONTINUE;
      return importDeclaration.isTypeOnly() ? undefined : { type: 'module', library, commonjs: false };
    }
    if (Node.isImportEqualsDeclaration(declaration)) {
      const reference = declaration.getModuleReference();
      if (!Node.isExternalModuleReference(reference)) return CONTINUE;
      const expression = reference.getExpression();
      const library = expression && Node.isStringLiteral(expression) ? libraryForModule(expression.getLiteralValue()) : undefined;
      return library ? { type: 'module', library, commonjs: true } : CONTINUE;
    }
    if (Node.isExportSpecifier(declaration)) {
      const specifier = declaration.getExportDeclaration().getModuleSpecifierValue();
      const library = specifier === undefined ? undefined : libraryForModule(specifier);
      if (!library) return CONTINUE;
      return declaration.isTypeOnly() || declaration.getExportDeclaration().isTypeOnly()
        ? undefined
        : namedExport(library, declaration.getName());
    }
    if (Node.isNamespaceExport(declaration)) {
      const specifier = declaration.getParent().getModuleSpecifierValue();
      const library = specifier === undefined ? undefined : libraryForModule(specifier);
      return library ? { type: 'module', library, commonjs: false } : CONTINUE;
    }
    // CommonJS in JavaScript: `const Redis = require('ioredis')`, `require('ioredis').default`,
    // `const { createClient } = require('redis')`.
    if (Node.isVariableDeclaration(declaration)) {
      const initializer = declaration.getInitializer();
      const origin = initializer && this.requiredFromCatalog(initializer) ? this.resolve(initializer) : undefined;
      return origin ?? CONTINUE;
    }
    if (Node.isBindingElement(declaration)) {
      const holder = declaration.getParent().getParent();
      const initializer = Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
      if (!initializer || !this.requiredFromCatalog(initializer)) return CONTINUE;
      const container = this.resolve(initializer);
      const key = staticName(declaration.getPropertyNameNode() ?? declaration.getNameNode());
      return container && key !== undefined ? this.memberOf(container, key) : undefined;
    }
    return CONTINUE;
  }

  /** `require('<catalog module>')`, possibly followed by member reads. */
  private requiredFromCatalog(node: Node): boolean {
    let current = unwrap(node);
    while (Node.isPropertyAccessExpression(current)) current = unwrap(current.getExpression());
    const specifier = requireSpecifier(current);
    return specifier !== undefined && libraryForModule(specifier) !== undefined;
  }

  private declaredOrigin(symbol: MorphSymbol): Origin | undefined {
    const declarations = symbol.getDeclarations();
    const first = declarations[0];
    if (!first) return undefined;
    const library = libraryOfFile(first.getSourceFile().getFilePath());
    if (library) return catalogDeclaration(symbol, first, library);
    if (declarations.some((d) => d.getSourceFile().isDeclarationFile())) return undefined;
    const value = symbol.getValueDeclaration();
    // Several declarations: JavaScript `this.x = …` assignments, or merged declarations.
    const relevant = value && !isAssignmentDeclaration(value) ? [value] : declarations;
    const origins: Origin[] = [];
    for (const declaration of relevant) {
      const origin = this.declarationOrigin(declaration, symbol);
      if (!origin) return undefined;
      origins.push(origin);
    }
    return agree(origins);
  }

  private declarationOrigin(declaration: Node, symbol: MorphSymbol): Origin | undefined {
    if (Node.isVariableDeclaration(declaration)) {
      if (!Node.isIdentifier(declaration.getNameNode())) return undefined;
      const list = declaration.getParent();
      const constant = Node.isVariableDeclarationList(list) && list.getDeclarationKind() === VariableDeclarationKind.Const;
      const sources = [declaration.getInitializer(), ...(constant ? [] : this.writesOf(symbol))].filter(
        (node): node is Node => node !== undefined,
      );
      return via(this.merge(sources), declaration);
    }
    if (Node.isBindingElement(declaration)) return via(this.bindingElement(declaration), declaration);
    if (Node.isParameterDeclaration(declaration)) return this.parameter(declaration);
    if (Node.isFunctionDeclaration(declaration) || Node.isMethodDeclaration(declaration)) {
      return { type: 'function', node: declaration };
    }
    if (Node.isGetAccessorDeclaration(declaration)) return this.merge(returnedExpressions(declaration));
    if (isClassLike(declaration)) return this.classOrigin(declaration);
    if (Node.isPropertyDeclaration(declaration)) {
      const sources = [declaration.getInitializer(), ...this.writesOf(symbol)].filter((node): node is Node => node !== undefined);
      return via(this.merge(sources), declaration);
    }
    if (Node.isPropertyAssignment(declaration)) {
      const initializer = declaration.getInitializer();
      return via(initializer ? this.resolve(initializer) : undefined, declaration);
    }
    if (Node.isShorthandPropertyAssignment(declaration)) {
      const valueSymbol = declaration.getValueSymbol();
      return via(valueSymbol ? this.symbolOrigin(valueSymbol) : undefined, declaration);
    }
    if (Node.isExportAssignment(declaration)) return this.resolve(declaration.getExpression());
    if (isAssignmentDeclaration(declaration)) {
      // JavaScript: `module.exports = x`, `exports.x = y`, `this.x = z`.
      const assignment = Node.isBinaryExpression(declaration) ? declaration : declaration.getParent();
      return Node.isBinaryExpression(assignment) ? via(this.resolve(assignment.getRight()), declaration) : undefined;
    }
    return undefined;
  }

  /** Right-hand sides assigned to a symbol anywhere in the project (`x = …`, `this.x = …`, `x ??= …`). */
  private writesOf(symbol: MorphSymbol): Node[] {
    if (!this.writes) {
      this.writes = new Map();
      for (const assignment of this.index.assignments) {
        const left = unwrap(assignment.getLeft());
        const target = Node.isIdentifier(left) ? left : memberAccess(left)?.nameNode;
        const written = target?.getSymbol()?.compilerSymbol;
        if (!written) continue;
        const list = this.writes.get(written);
        if (list) list.push(assignment.getRight());
        else this.writes.set(written, [assignment.getRight()]);
      }
    }
    return this.writes.get(symbol.compilerSymbol) ?? [];
  }

  private bindingElement(element: BindingElement): Origin | undefined {
    const pattern = element.getParent();
    if (!Node.isObjectBindingPattern(pattern) || element.getDotDotDotToken()) return undefined;
    const key = staticName(element.getPropertyNameNode() ?? element.getNameNode());
    if (key === undefined) return undefined;
    const holder = pattern.getParent();
    let container: Origin | undefined;
    if (Node.isVariableDeclaration(holder)) {
      const initializer = holder.getInitializer();
      container = initializer ? this.resolve(initializer) : undefined;
    } else if (Node.isParameterDeclaration(holder)) {
      container = this.parameter(holder);
    } else if (Node.isBindingElement(holder)) {
      container = this.bindingElement(holder);
    }
    return container ? this.memberOf(container, key) : undefined;
  }

  /**
   * A parameter: the lease a managed method lends its callback (`pool.use(c => …)`), or a
   * placeholder resolved per call site.
   */
  private parameter(parameter: ParameterDeclaration): Origin | undefined {
    const fn = parameter.getParent();
    if (!isFunctionLike(fn) || parameter.isRestParameter()) return undefined;
    const index = fn.getParameters().indexOf(parameter);
    const lease = index === 0 ? this.callbackArgument(fn) : undefined;
    if (lease) return lease;
    return { type: 'param', fn, index, members: [] };
  }

  /**
   * `pool.use(fn)`, `pool.execute(fn)`, `client.executeIsolated(fn)`: what `fn` is lent; and
   * `promise.then(fn)`: what the promise resolves to.
   */
  private callbackArgument(fn: FunctionLike): Origin | undefined {
    let argumentNode: Node = fn;
    while (unwrap(argumentNode.getParentOrThrow()) === fn) argumentNode = argumentNode.getParentOrThrow();
    const call = argumentNode.getParent();
    if (!Node.isCallExpression(call)) return undefined;
    const access = memberAccess(unwrap(call.getExpression()));
    if (!access) return undefined;
    const receiver = this.valueOf(access.object);
    if (!receiver) return undefined;
    // `pool.acquire().then((client) => …)`: the resolver looks through promises.
    if (access.name === 'then' && call.getArguments()[0] && unwrap(call.getArguments()[0]!) === fn) {
      return { type: 'value', value: { ...receiver, via: [] } };
    }
    const spec = methodSpecOf(receiver, access.name);
    if (spec?.type !== 'managed') return undefined;
    const argument = call.getArguments()[spec.callbackArg];
    if (!argument || unwrap(argument) !== fn) return undefined;
    const isolated = receiver.kind === 'client' && receiver.library.id === 'node-redis';
    return {
      type: 'value',
      value: {
        library: receiver.library,
        kind: 'lease',
        creation: call,
        path: [],
        how: 'method',
        spec: {},
        parent: receiver,
        isolated,
        via: [],
      },
    };
  }

  // ---- members -------------------------------------------------------------------------------

  private member(node: Node): Origin | undefined {
    const access = memberAccess(node);
    if (!access) return undefined;
    const object = unwrapAwait(access.object);
    const base = object.getKind() === SyntaxKind.ThisKeyword ? undefined : this.resolve(object);
    if (base) {
      switch (base.type) {
        case 'module':
        case 'export':
        case 'value':
        case 'object':
        case 'param':
          return this.memberOf(base, access.name);
        case 'instance': {
          const symbol = access.nameNode.getSymbol();
          return this.throughInstance(symbol ? this.symbolOrigin(symbol) : undefined, base.instance);
        }
        default:
          break;
      }
    }
    // The checker knows which property this is: a class field, an object's property, an export.
    const symbol = access.nameNode.getSymbol();
    return symbol ? this.symbolOrigin(symbol) : undefined;
  }

  /** `origin.name` for origins whose members are known without the checker. */
  memberOf(origin: Origin, name: string): Origin | undefined {
    switch (origin.type) {
      case 'module': {
        const member = moduleMember(origin.library, origin.commonjs, name);
        if (member === 'module') return origin;
        return member ? { type: 'export', library: origin.library, spec: member, name } : undefined;
      }
      case 'export': {
        const member = exportMember(origin.spec, name);
        return member ? { type: 'export', library: origin.library, spec: member, name } : undefined;
      }
      case 'value': {
        const { value } = origin;
        if (value.kind !== 'pending-acquire' || name !== TARN_PENDING_PROMISE_PROPERTY || !value.parent) return undefined;
        return { type: 'value', value: { ...value, kind: 'lease', via: [] } };
      }
      case 'object':
        return this.objectMember(origin.node, name);
      case 'param':
        return { ...origin, members: [...origin.members, name] };
      case 'instance': {
        const property = origin.instance.cls.getProperty(name);
        return property ? this.throughInstance(this.symbolOrigin(property.getSymbolOrThrow()), origin.instance) : undefined;
      }
      default:
        return undefined;
    }
  }

  private objectMember(node: ObjectLiteralExpression, name: string): Origin | undefined {
    const properties = node.getProperties();
    for (let i = properties.length - 1; i >= 0; i--) {
      const property = properties[i]!;
      // A spread after the last explicit property may override it.
      if (Node.isSpreadAssignment(property)) return undefined;
      if (staticName(property.getNameNode()) !== name) continue;
      if (Node.isPropertyAssignment(property)) {
        const initializer = property.getInitializer();
        return initializer ? this.resolve(initializer) : undefined;
      }
      if (Node.isShorthandPropertyAssignment(property)) {
        const symbol = property.getValueSymbol();
        return symbol ? this.symbolOrigin(symbol) : undefined;
      }
      if (Node.isMethodDeclaration(property)) return { type: 'function', node: property };
      return undefined;
    }
    return undefined;
  }

  // ---- calls ---------------------------------------------------------------------------------

  private call(node: CallExpression): Origin | undefined {
    const required = requireSpecifier(node) ?? dynamicImportSpecifier(node);
    if (required !== undefined) {
      const library = libraryForModule(required);
      return library ? { type: 'module', library, commonjs: requireSpecifier(node) !== undefined } : undefined;
    }
    const callee = unwrap(node.getExpression());
    const access = memberAccess(callee);
    if (access) {
      const receiver = this.resolve(access.object);
      if (receiver?.type === 'value') return this.methodResult(receiver.value, access.name, node);
      if (receiver?.type === 'param') return this.paramMethodResult(receiver, access, node);
    }
    const target = this.resolve(callee);
    if (target?.type === 'export' && target.spec.type === 'factory') {
      const spec = target.spec;
      return {
        type: 'value',
        value: {
          library: target.library,
          kind: spec.produces,
          creation: node,
          path: [],
          how: 'factory',
          spec: {
            optionsArg: spec.optionsArg,
            poolOptionsArg: spec.poolOptionsArg,
            resourceFactoryArg: spec.resourceFactoryArg,
            nodeOptionsKey: spec.nodeOptionsKey,
          },
          via: [],
        },
      };
    }
    if (target?.type === 'function') return this.callResult(target.node, node);
    return undefined;
  }

  /** What a call to a user function returns, as seen from one call site. */
  private callResult(fn: FunctionLike, site: Node): Origin | undefined {
    const origins: Origin[] = [];
    for (const expression of returnedExpressions(fn)) {
      if (isNullish(expression)) continue;
      const origin = this.throughCall(this.resolve(expression), fn, site);
      if (!origin) return undefined;
      origins.push(origin);
    }
    return agree(origins);
  }

  /** A value made fresh inside `fn` is a new one at each call site; a parameter is the argument. */
  private throughCall(origin: Origin | undefined, fn: FunctionLike, site: Node): Origin | undefined {
    if (!origin) return undefined;
    if (origin.type === 'value') {
      const value = isFresh(origin.value, fn) ? extend(origin.value, fn, [site], []) : origin.value;
      return { type: 'value', value: this.bindParentParam(value, fn, site) };
    }
    if (origin.type === 'instance' && isFresh(origin.instance, fn)) {
      return { type: 'instance', instance: { ...origin.instance, path: [...origin.instance.path, site], via: [] } };
    }
    if (origin.type === 'param' && origin.fn === fn) {
      const argument = argumentAt(site, origin.index);
      let result = argument ? this.resolve(argument) : undefined;
      for (const member of origin.members) result = result && this.memberOf(result, member);
      return result;
    }
    return origin;
  }

  /** `function blocking(c) { return c.duplicate() }`: at a call site, the duplicate's source is the argument. */
  private bindParentParam(value: Value, fn: FunctionLike, site: Node): Value {
    const pending = this.parentParams.get(value.creation);
    if (!pending || pending.fn !== fn || value.parent) return value;
    const argument = argumentAt(site, pending.index);
    const parent = argument ? this.valueOf(argument) : undefined;
    if (!parent) return value;
    return { ...value, parent, inheritsFrom: pending.inherits ? parent : undefined };
  }

  private methodResult(receiver: Value, method: string, call: Node): Origin | undefined {
    const spec = methodSpecOf(receiver, method);
    if (!spec) return undefined;
    // Listeners return the emitter itself (`createClient().on('error', …)`).
    if (spec.type === 'self' || spec.type === 'listener') return { type: 'value', value: { ...receiver, via: [] } };
    if (spec.type !== 'produces') return undefined;
    return { type: 'value', value: produced(receiver.library, spec, call, receiver) };
  }

  /** `c.duplicate()` where `c` is a parameter: what the call sites pass says what it is. */
  private paramMethodResult(
    receiver: Extract<Origin, { type: 'param' }>,
    access: { object: Node; name: string },
    call: Node,
  ): Origin | undefined {
    if (!PRODUCING_METHODS.has(access.name) || !this.types.couldBeConnection(access.object)) return undefined;
    const values = this.argumentValues(receiver);
    let library: LibraryCatalog | undefined;
    let kind: Value['kind'] | undefined;
    if (values.length > 0) {
      const first = values[0]!;
      if (!values.every((v) => v.library === first.library && v.kind === first.kind)) return undefined;
      ({ library, kind } = first);
    } else {
      const typed = this.types.valueOf(access.object);
      if (!typed) return undefined;
      ({ library, kind } = typed);
    }
    const spec = library.values[kind]?.methods[access.name];
    if (spec?.type !== 'produces') return undefined;
    const parent = values.length > 0 && values.every((v) => keyOf(v) === keyOf(values[0]!)) ? values[0] : undefined;
    if (!parent && receiver.members.length === 0) {
      this.parentParams.set(call, { fn: receiver.fn, index: receiver.index, inherits: Boolean(spec.inheritsOptions) });
    }
    return { type: 'value', value: produced(library, spec, call, parent) };
  }

  private construct(node: NewExpression): Origin | undefined {
    const target = this.resolve(node.getExpression());
    let spec: ExportSpec | undefined;
    let library: LibraryCatalog | undefined;
    let how: Value['how'] = 'constructor';
    let opaque = false;
    if (target?.type === 'export') ({ spec, library } = target);
    else if (target?.type === 'module' && target.commonjs && target.library.commonjsExport) {
      spec = target.library.commonjsExport;
      library = target.library;
    } else if (target?.type === 'class' && target.base) {
      ({ spec, library } = target.base);
      how = 'subclass';
      // A subclass with its own constructor may pass anything to super().
      opaque = classChainHasConstructor(target.node);
    } else if (target?.type === 'class') {
      return { type: 'instance', instance: { cls: target.node, creation: node, path: [], via: [] } };
    }
    if (!spec || !library || spec.type !== 'class') return undefined;
    return {
      type: 'value',
      value: {
        library,
        kind: spec.produces,
        creation: node,
        path: [],
        how,
        spec: opaque
          ? { opaque: true }
          : {
              optionsArg: spec.optionsArg,
              poolOptionsArg: spec.poolOptionsArg,
              resourceFactoryArg: spec.resourceFactoryArg,
              nodeOptionsKey: spec.nodeOptionsKey,
            },
        via: [],
      },
    };
  }

  private classOrigin(node: ClassLike): Origin {
    const heritage = node.getExtends();
    if (heritage) {
      const base = this.resolve(heritage.getExpression());
      if (base?.type === 'export' && base.spec.type === 'class') {
        return { type: 'class', node, base: { library: base.library, spec: base.spec } };
      }
      if (base?.type === 'module' && base.commonjs && base.library.commonjsExport?.type === 'class') {
        return { type: 'class', node, base: { library: base.library, spec: base.library.commonjsExport } };
      }
      if (base?.type === 'class' && base.base) return { type: 'class', node, base: base.base };
    }
    return { type: 'class', node };
  }
}

/** Methods that make a new value on some library's connection or pool (`duplicate`, `acquire`). */
const PRODUCING_METHODS = new Set(
  LIBRARIES.flatMap((library) =>
    Object.values(library.values).flatMap((spec) =>
      Object.entries(spec?.methods ?? {})
        .filter(([, method]) => method.type === 'produces')
        .map(([name]) => name),
    ),
  ),
);


/** The method spec a value's library gives `method`, if any. */
export function methodSpecOf(value: Value, method: string): MethodSpec | undefined {
  return value.library.values[value.kind]?.methods[method];
}

function produced(
  library: LibraryCatalog,
  spec: Extract<MethodSpec, { type: 'produces' }>,
  call: Node,
  parent: Value | undefined,
): Value {
  return {
    library,
    kind: spec.produces,
    creation: call,
    path: [],
    how: 'method',
    spec: {
      optionsArg: spec.optionsArg,
      nodeOptionsKey: spec.inheritsOptions ? parent?.spec.nodeOptionsKey : undefined,
    },
    parent,
    inheritsFrom: spec.inheritsOptions ? parent : undefined,
    via: [],
  };
}

function namedExport(library: LibraryCatalog, name: string): Origin | undefined {
  if (name === 'default') return defaultOf(library);
  const spec = library.exports[name];
  return spec ? { type: 'export', library, spec, name } : undefined;
}

/** ESM default import: the declared default, or the CommonJS namespace through interop. */
function defaultOf(library: LibraryCatalog): Origin {
  return library.defaultExport
    ? { type: 'export', library, spec: library.defaultExport, name: 'default' }
    : { type: 'module', library, commonjs: true };
}

/** A symbol declared in a catalog package: a factory, a class, or a class's static. */
function catalogDeclaration(symbol: MorphSymbol, declaration: Node, library: LibraryCatalog): Origin | undefined {
  const name = symbol.getName();
  const owner = declaration.getParent();
  if (isClassLike(owner) && (Node.isMethodDeclaration(declaration) || Node.isPropertyDeclaration(declaration))) {
    const className = owner.getName();
    const classSpec = className ? library.exports[className] : undefined;
    const spec = classSpec?.type === 'class' ? classSpec.statics?.[name] : undefined;
    return spec ? { type: 'export', library, spec, name } : undefined;
  }
  return namedExport(library, name);
}

function calleeOfSymbol(symbol: MorphSymbol | undefined): Callee | undefined {
  const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
  const declaration = target?.getValueDeclaration() ?? target?.getDeclarations()[0];
  if (!declaration) return undefined;
  if (isFunctionLike(declaration) || isClassLike(declaration)) return declaration;
  if (
    Node.isVariableDeclaration(declaration) ||
    Node.isPropertyAssignment(declaration) ||
    Node.isPropertyDeclaration(declaration)
  ) {
    const initializer = declaration.getInitializer();
    const inner = initializer ? unwrap(initializer) : undefined;
    if (isFunctionLike(inner) || isClassLike(inner)) return inner;
  }
  return undefined;
}

/** The argument at `index` of a call or `new`; null when a spread hides where it is. */
function argumentAt(site: Node, index: number): Node | undefined | null {
  if (!(Node.isCallExpression(site) || Node.isNewExpression(site)) || index < 0) return null;
  const args = site.getArguments();
  for (let i = 0; i <= index && i < args.length; i++) {
    if (Node.isSpreadElement(args[i]!)) return null;
  }
  return args[index];
}

/** Whether a value was made inside `container` and reached its return through local code only. */
function isFresh(value: { creation: Node; path: readonly Node[]; via: readonly Node[] }, container: Node): boolean {
  return isInside(anchorOf(value), container) && value.via.every((declaration) => isInside(declaration, container));
}

/** The value as made at `sites` (the calls or `new`s that entered `container`). */
function extend(value: Value, container: Node, sites: readonly Node[], through: readonly Node[]): Value {
  const parent = value.parent && isFresh(value.parent, container) ? extend(value.parent, container, sites, through) : value.parent;
  return {
    ...value,
    path: [...value.path, ...sites],
    via: through,
    parent,
    inheritsFrom: value.inheritsFrom ? (value.inheritsFrom === value.parent ? parent : value.inheritsFrom) : undefined,
  };
}

function via(origin: Origin | undefined, declaration: Node): Origin | undefined {
  if (origin?.type === 'value') return { type: 'value', value: { ...origin.value, via: [...origin.value.via, declaration] } };
  if (origin?.type === 'instance') {
    return { type: 'instance', instance: { ...origin.instance, via: [...origin.instance.via, declaration] } };
  }
  return origin;
}

/** All origins denote the same thing: that thing. */
function agree(origins: readonly Origin[]): Origin | undefined {
  const first = origins[0];
  if (!first) return undefined;
  return origins.every((origin) => sameOrigin(origin, first)) ? first : undefined;
}

export function sameOrigin(a: Origin, b: Origin): boolean {
  switch (a.type) {
    case 'module':
      return b.type === 'module' && a.library === b.library;
    case 'export':
      return b.type === 'export' && a.library === b.library && a.spec === b.spec;
    case 'value':
      return b.type === 'value' && keyOf(a.value) === keyOf(b.value) && a.value.kind === b.value.kind;
    case 'instance':
      return b.type === 'instance' && keyOf(a.instance) === keyOf(b.instance);
    case 'function':
    case 'object':
      return b.type === a.type && b.node === a.node;
    case 'class':
      return b.type === 'class' && b.node === a.node;
    case 'param':
      return b.type === 'param' && a.fn === b.fn && a.index === b.index && a.members.join('.') === b.members.join('.');
  }
}

/** `this.x = …`, `exports.x = …`, `module.exports = …`: a JavaScript assignment declaration. */
function isAssignmentDeclaration(node: Node): boolean {
  if (Node.isBinaryExpression(node)) return true;
  const parent = node.getParent();
  return (
    (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) &&
    Node.isBinaryExpression(parent) &&
    parent.getLeft() === node
  );
}

/** Whether the user-written part of a class chain declares a constructor. */
function classChainHasConstructor(cls: ClassLike): boolean {
  for (let current: ClassLike | undefined = cls; current; current = current.getBaseClass()) {
    if (current.getSourceFile().isDeclarationFile()) return false;
    if (current.getConstructors().length > 0) return true;
  }
  return false;
}

/** The class whose `this` an assignment writes to (arrow functions see through). */
function enclosingClassOf(node: Node): ClassLike | undefined {
  for (let current = node.getParent(); current; current = current.getParent()) {
    if (isClassLike(current)) return current;
    if (isFunctionLike(current) && !Node.isArrowFunction(current)) {
      const owner = current.getParent();
      return isClassLike(owner) ? owner : undefined;
    }
  }
  return undefined;
}

function keyOfNode(node: Node): string {
  return keyOf({ creation: node, path: [] });
}
