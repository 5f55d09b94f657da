/**
 * Origin tracking on the jscodeshift AST, driven by the catalog: from an expression back to the
 * import, factory, constructor or method that made its value. The codemods' counterpart of
 * src/analysis/origin.ts (which works on ESLint's ESTree and scope manager). A value is a pool,
 * client or loan because of where it came from, or because a TypeScript annotation names a
 * catalog type; never because of a method's name. Relative imports are followed into the file
 * they name, so a pool made in `./pool.ts` is known where `acquire()` is called.
 */
import {
  isRedisClientLibrary,
  libraryForModule,
  libraryForTypePackage,
  TARN_PENDING_PROMISE_PROPERTY,
  type ExportSpec,
  type LibraryCatalog,
  type MethodSpec,
  type ValueKind,
  exportMember,
  moduleMember,
} from '../catalog';
import { isCall, isFunction, isMember, requireSpecifier, staticName, unwrap, walkOwn, type Node } from './ast';
import type { FileContext } from './file-context';
import type { Binding } from './scope';

export interface Value {
  library: LibraryCatalog;
  kind: ValueKind;
  /** Identity: the call, `new` or declaration that made it. Same node, same value. */
  creation: Node;
  how: 'factory' | 'constructor' | 'method' | 'type';
  /** The call or `new` that made it. */
  call?: Node;
  /** The pool a loan came from, or the client a duplicate came from. */
  parent?: Value;
  /** The file the value was made in (another file for an imported pool). */
  home: FileContext;
  /** Where the resource factory (`{ create }`) sits among `call`'s arguments. */
  resourceFactoryArg?: number;
  /** For values known from a type annotation: what a pool's type argument says it lends. */
  typedResource?: PoolResource;
  typedResourceValue?: Value;
}

export type PoolResource = 'redis' | 'other' | 'unknown';

export type Origin =
  | { type: 'module'; library: LibraryCatalog; commonjs: boolean }
  | { type: 'export'; library: LibraryCatalog; spec: ExportSpec; name: string }
  | { type: 'value'; value: Value }
  | { type: 'promise'; of: Origin }
  /** A local module (`import * as pools from './pools'`). */
  | { type: 'file'; context: FileContext };

export class OriginResolver {
  private readonly cache = new Map<Node, Origin | undefined>();
  private readonly inProgress = new Set<Node>();

  constructor(private readonly context: FileContext) {}

  resolve(node: Node): Origin | undefined {
    if (this.cache.has(node)) return this.cache.get(node);
    if (this.inProgress.has(node)) return undefined;
    this.inProgress.add(node);
    let origin: Origin | undefined;
    try {
      origin = this.compute(unwrap(node));
    } finally {
      this.inProgress.delete(node);
    }
    this.cache.set(node, origin);
    return origin;
  }

  valueOf(node: Node): Value | undefined {
    const origin = this.resolve(node);
    return origin?.type === 'value' ? origin.value : undefined;
  }

  /** The value an expression denotes or promises (`pool.acquire()`, `createClient().connect()`). */
  valueOrPromised(node: Node): Value | undefined {
    let origin = this.resolve(node);
    while (origin?.type === 'promise') origin = origin.of;
    return origin?.type === 'value' ? origin.value : undefined;
  }

  /** What a binding holds: an import, a single-valued variable, a typed parameter. */
  fromBinding(binding: Binding): Origin | undefined {
    switch (binding.kind) {
      case 'import':
        return this.importBinding(binding);
      case 'param':
        return this.fromAnnotation(binding.identifier);
      case 'const':
      case 'let':
      case 'var':
        return this.fromVariable(binding);
      default:
        return undefined;
    }
  }

  private compute(node: Node): Origin | undefined {
    switch (node.type) {
      case 'Identifier': {
        const binding = this.context.scopes.resolve(node);
        return binding ? this.fromBinding(binding) : undefined;
      }
      case 'AwaitExpression': {
        const inner = node.argument ? this.resolve(node.argument) : undefined;
        return inner?.type === 'promise' ? inner.of : inner;
      }
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        const name = staticName(node);
        if (name === undefined) return undefined;
        const object = unwrap(node.object);
        if (object.type === 'ThisExpression') return this.thisField(object, name);
        const base = this.resolve(object);
        return base ? this.memberOf(base, name) : undefined;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
        return this.call(node);
      case 'NewExpression':
        return this.construct(node);
      case 'AssignmentExpression':
        return node.operator === '=' ? this.resolve(node.right) : undefined;
      case 'SequenceExpression':
        return this.resolve(node.expressions[node.expressions.length - 1]);
      default:
        return undefined;
    }
  }

  private importBinding(binding: Binding): Origin | undefined {
    const declaration = binding.declaration;
    if (declaration.type === 'TSImportEqualsDeclaration') {
      const reference = declaration.moduleReference;
      if (reference?.type !== 'TSExternalModuleReference') return undefined;
      return this.moduleOrigin(reference.expression.value, true);
    }
    if (declaration.type !== 'ImportDeclaration') return undefined;
    const specifier = binding.specifier!;
    const module = this.moduleOrigin(declaration.source.value, false);
    if (!module) return undefined;
    switch (specifier.type) {
      case 'ImportNamespaceSpecifier':
        return module;
      case 'ImportDefaultSpecifier':
        return this.memberOf(module, 'default');
      case 'ImportSpecifier': {
        const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
        return this.memberOf(module, imported);
      }
      default:
        return undefined;
    }
  }

  /** A catalog module, or a local file this one imports. */
  private moduleOrigin(specifier: unknown, commonjs: boolean): Origin | undefined {
    if (typeof specifier !== 'string') return undefined;
    const library = libraryForModule(specifier);
    if (library) return { type: 'module', library, commonjs };
    const other = this.context.load(specifier);
    return other ? { type: 'file', context: other } : undefined;
  }

  /** `origin.name`: a module's export, a class's static, tarn's `pendingAcquire.promise`. */
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
      case 'file':
        return origin.context.exportedOrigin(name);
      case 'value': {
        const { value } = origin;
        if (value.kind === 'pending-acquire' && name === TARN_PENDING_PROMISE_PROPERTY && value.parent) {
          const lease: Value = { ...value, kind: 'lease', parent: value.parent };
          return { type: 'promise', of: { type: 'value', value: lease } };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private call(node: Node): Origin | undefined {
    const specifier = requireSpecifier(node);
    if (specifier !== undefined) return this.moduleOrigin(specifier, true);
    const callee = unwrap(node.callee);
    if (callee.type === 'Import') {
      const source = node.arguments[0];
      const module = source?.type === 'StringLiteral' ? this.moduleOrigin(source.value, false) : undefined;
      return module ? { type: 'promise', of: module } : undefined;
    }
    if (isMember(callee)) {
      const method = staticName(callee);
      const receiver = method === undefined ? undefined : this.resolve(callee.object);
      if (method !== undefined && receiver?.type === 'value') {
        const spec = receiver.value.library.values[receiver.value.kind]?.methods[method];
        return spec ? this.methodResult(receiver.value, spec, node) : undefined;
      }
    }
    const target = this.resolve(callee);
    if (target?.type === 'export' && target.spec.type === 'factory') {
      const spec = target.spec;
      const value: Value = {
        library: target.library,
        kind: spec.produces,
        creation: node,
        how: 'factory',
        call: node,
        home: this.context,
        resourceFactoryArg: spec.resourceFactoryArg,
      };
      return spec.async ? { type: 'promise', of: { type: 'value', value } } : { type: 'value', value };
    }
    return undefined;
  }

  private methodResult(receiver: Value, spec: MethodSpec, node: Node): Origin | undefined {
    if (spec.type === 'self') {
      const self: Origin = { type: 'value', value: receiver };
      return spec.async ? { type: 'promise', of: self } : self;
    }
    // EventEmitter-based values (those with an 'error' event) return themselves from on():
    // `createClient().on('error', log).connect()`. tarn's on() returns nothing.
    if (spec.type === 'listener') {
      const errorEvent = receiver.library.values[receiver.kind]?.errorEvent;
      return errorEvent === 'crashes' || errorEvent === 'logs' ? { type: 'value', value: receiver } : undefined;
    }
    if (spec.type !== 'produces') return undefined;
    const value: Value = {
      library: receiver.library,
      kind: spec.produces,
      creation: node,
      how: 'method',
      call: node,
      parent: receiver,
      home: this.context,
    };
    return spec.async ? { type: 'promise', of: { type: 'value', value } } : { type: 'value', value };
  }

  private construct(node: Node): Origin | undefined {
    const target = this.resolve(node.callee);
    let spec: ExportSpec | undefined;
    let library: LibraryCatalog | undefined;
    if (target?.type === 'export') {
      ({ spec, library } = target);
    } else if (target?.type === 'module' && target.commonjs && target.library.commonjsExport) {
      spec = target.library.commonjsExport;
      library = target.library;
    }
    if (!spec || !library || spec.type !== 'class') return undefined;
    return {
      type: 'value',
      value: {
        library,
        kind: spec.produces,
        creation: node,
        how: 'constructor',
        call: node,
        home: this.context,
        resourceFactoryArg: spec.resourceFactoryArg,
      },
    };
  }

  /** A variable's value when every write agrees (a `const`, or a `let` written once). */
  private fromVariable(binding: Binding): Origin | undefined {
    const declarator = binding.declarator;
    if (!declarator) return undefined;
    const owner = this.context.index.parentOf(binding.declaration);
    if ((owner?.type === 'ForOfStatement' || owner?.type === 'ForInStatement') && owner.left === binding.declaration) return undefined;
    const origins: Array<Origin | undefined> = [];
    if (declarator.init && !isNullish(declarator.init)) {
      const path = patternPath(declarator.id, binding.identifier);
      if (path === undefined) return undefined;
      origins.push(path.reduce<Origin | undefined>((acc, key) => (acc ? this.memberOf(acc, key) : undefined), this.resolve(declarator.init)));
    }
    if (binding.kind !== 'const') {
      for (const reference of this.context.scopes.referencesOf(binding)) {
        if (!reference.write) continue;
        const { parent, key } = reference.slot;
        if (parent.type !== 'AssignmentExpression' || key !== 'left' || parent.operator !== '=') return undefined;
        if (!isNullish(parent.right)) origins.push(this.resolve(parent.right));
      }
    }
    if (origins.length === 0) return this.fromAnnotation(binding.identifier);
    const first = origins[0];
    return first && origins.every((origin) => sameOrigin(origin, first)) ? first : undefined;
  }

  /** `this.name` in a class: its field initializer, annotation, parameter property, or `this.name = …` writes. */
  private thisField(node: Node, name: string): Origin | undefined {
    const classNode = this.enclosingClass(node);
    if (!classNode) return undefined;
    const origins: Array<Origin | undefined> = [];
    for (const member of classNode.body.body) {
      if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty') && !member.static && staticName(member) === name) {
        if (member.value && !isNullish(member.value)) origins.push(this.resolve(member.value));
        else if (member.typeAnnotation) origins.push(this.fromAnnotation(member));
      }
      if (member.type === 'ClassMethod' && member.kind === 'constructor') {
        for (const param of member.params) {
          if (param.type === 'TSParameterProperty' && param.parameter.type === 'Identifier' && param.parameter.name === name) {
            origins.push(this.fromAnnotation(param.parameter));
          }
        }
      }
    }
    for (const member of classNode.body.body) {
      if (!isFunction(member)) continue;
      walkOwn(member.body ?? member, (child) => {
        if (isFunction(child) && child.type !== 'ArrowFunctionExpression') return false;
        if (
          child.type === 'AssignmentExpression' &&
          child.operator === '=' &&
          isMember(child.left) &&
          unwrap(child.left.object).type === 'ThisExpression' &&
          staticName(child.left) === name &&
          !isNullish(child.right)
        ) {
          origins.push(this.resolve(child.right));
        }
        return true;
      });
    }
    const first = origins[0];
    return first && origins.every((origin) => sameOrigin(origin, first)) ? first : undefined;
  }

  /** The class whose `this` a node sees (arrow functions see through). */
  private enclosingClass(node: Node): Node | undefined {
    let sawMethod = false;
    for (const ancestor of this.context.index.ancestors(node)) {
      if (ancestor.type === 'ClassBody') {
        const owner = this.context.index.parentOf(ancestor);
        return owner?.type === 'ClassDeclaration' || owner?.type === 'ClassExpression' ? owner : undefined;
      }
      if (isFunction(ancestor) && ancestor.type !== 'ArrowFunctionExpression') {
        if (sawMethod || (ancestor.type !== 'ClassMethod' && ancestor.type !== 'ClassPrivateMethod')) return undefined;
        sawMethod = true;
      }
    }
    return undefined;
  }

  /** A catalog type named in an annotation (`pool: Pool<Redis>`, `client?: RedisClientType`). */
  fromAnnotation(holder: Node): Origin | undefined {
    const annotation = holder.typeAnnotation?.typeAnnotation;
    const named = annotation ? this.typeOf(annotation, holder) : undefined;
    if (!named) return undefined;
    const value: Value = { library: named.library, kind: named.kind, creation: holder, how: 'type', home: this.context };
    if (named.kind === 'pool') value.typedResource = this.typedResource(named.library, named.typeArguments, holder);
    if (named.kind === 'pool' && named.typeArguments[0]) {
      const resource = this.typeOf(named.typeArguments[0], holder);
      if (resource) value.typedResourceValue = { library: resource.library, kind: resource.kind, creation: named.typeArguments[0], how: 'type', home: this.context };
    }
    return { type: 'value', value };
  }

  /** A catalog type by name; `holder` is the annotated node, where the name is looked up. */
  private typeOf(type: Node, holder: Node): { library: LibraryCatalog; kind: ValueKind; typeArguments: Node[] } | undefined {
    if (type.type === 'TSUnionType') {
      const meaningful = type.types.filter((member: Node) => member.type !== 'TSNullKeyword' && member.type !== 'TSUndefinedKeyword');
      return meaningful.length === 1 ? this.typeOf(meaningful[0], holder) : undefined;
    }
    if (type.type !== 'TSTypeReference') return undefined;
    const typeArguments: Node[] = type.typeParameters?.params ?? type.typeArguments?.params ?? [];
    const name = type.typeName;
    let library: LibraryCatalog | undefined;
    let exported: string | undefined;
    if (name.type === 'Identifier') {
      const binding = this.context.scopes.lookup(name.name, holder);
      const found = binding?.kind === 'import' ? importedTypeName(binding) : undefined;
      if (!found) return undefined;
      ({ library, exported } = found);
    } else if (name.type === 'TSQualifiedName' && name.left.type === 'Identifier') {
      const binding = this.context.scopes.lookup(name.left.name, holder);
      const found = binding?.kind === 'import' ? importedTypeName(binding) : undefined;
      if (!found || found.exported !== '*') return undefined;
      library = found.library;
      exported = name.right.name;
    }
    const kind = library && exported ? library.typeNames[exported] : undefined;
    return library && kind ? { library, kind, typeArguments } : undefined;
  }

  private typedResource(pool: LibraryCatalog, typeArguments: Node[], holder: Node): PoolResource {
    if (isRedisClientLibrary(pool)) return 'redis';
    const argument = typeArguments[0];
    if (!argument) return 'unknown';
    const named = this.typeOf(argument, holder);
    if (named) return isRedisClientLibrary(named.library) ? 'redis' : 'other';
    return 'unknown';
  }
}

function importedTypeName(binding: Binding): { library: LibraryCatalog; exported: string } | undefined {
  const declaration = binding.declaration;
  if (declaration.type !== 'ImportDeclaration' || typeof declaration.source.value !== 'string') return undefined;
  const library = libraryForModule(declaration.source.value) ?? libraryForTypePackage(declaration.source.value);
  if (!library) return undefined;
  const specifier = binding.specifier!;
  if (specifier.type === 'ImportNamespaceSpecifier') return { library, exported: '*' };
  if (specifier.type === 'ImportDefaultSpecifier') return { library, exported: 'default' };
  const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
  return { library, exported: imported };
}

/** What a generic-pool or tarn pool lends, from its factory's `create` or its type argument. */
export function poolResourceOf(pool: Value): PoolResource {
  if (isRedisClientLibrary(pool.library)) return 'redis';
  if (pool.how === 'type') return pool.typedResource ?? 'unknown';
  return factoryReturns(pool)?.resource ?? 'unknown';
}

/**
 * The client a loan is, when it can be known: a node-redis sentinel lease is itself; a
 * generic-pool or tarn loan is what the pool's `create` returns (or its type argument names).
 */
export function loanedValueOf(loan: Value): Value | undefined {
  const pool = loan.parent;
  if (!pool) return undefined;
  if (isRedisClientLibrary(pool.library)) return loan;
  if (pool.how === 'type') return pool.typedResourceValue;
  return factoryReturns(pool)?.value;
}

function factoryReturns(pool: Value): { resource: PoolResource; value?: Value } | undefined {
  if (!pool.call || pool.resourceFactoryArg === undefined) return undefined;
  const { origins, scopes } = pool.home;
  let factory: Node | undefined = pool.call.arguments[pool.resourceFactoryArg];
  if (factory && unwrap(factory).type === 'Identifier') {
    const binding = scopes.resolve(unwrap(factory));
    factory = binding?.kind === 'const' ? binding.declarator?.init : undefined;
  }
  factory = factory && unwrap(factory);
  if (factory?.type !== 'ObjectExpression') return undefined;
  const create = factory.properties.find((property: Node) => property.type !== 'SpreadElement' && staticName(property) === 'create');
  const fn = create?.type === 'ObjectMethod' ? create : create?.value && isFunction(unwrap(create.value)) ? unwrap(create.value) : undefined;
  if (!fn) return undefined;
  const returned: Node[] = [];
  if (fn.body.type !== 'BlockStatement') returned.push(fn.body);
  else {
    walkOwn(fn.body, (node) => {
      if (node.type === 'ReturnStatement' && node.argument) returned.push(node.argument);
    });
  }
  let verdict: PoolResource | undefined;
  for (const expression of returned) {
    const value = origins.valueOrPromised(expression);
    if (value && isRedisClientLibrary(value.library)) return { resource: 'redis', value };
    const other = !value && isFromOtherPackage(expression, pool.home);
    verdict = other && verdict !== 'unknown' ? 'other' : 'unknown';
  }
  return { resource: verdict ?? 'unknown' };
}

/** `new pg.Client()`, `mysql.createConnection()`: made by a package the catalog doesn't know. */
function isFromOtherPackage(expression: Node, context: FileContext): boolean {
  let node = unwrap(expression);
  if (node.type === 'AwaitExpression') node = unwrap(node.argument);
  if (!isCall(node) && node.type !== 'NewExpression') return false;
  let root = unwrap(node.callee);
  while (isMember(root)) root = unwrap(root.object);
  if (root.type !== 'Identifier') return false;
  const binding = context.scopes.resolve(root);
  let specifier: unknown;
  if (binding?.kind === 'import' && binding.declaration.type === 'ImportDeclaration') specifier = binding.declaration.source.value;
  if (binding?.kind === 'const' && binding.declarator?.init) specifier = requireSpecifier(unwrap(binding.declarator.init));
  return typeof specifier === 'string' && !specifier.startsWith('.') && !libraryForModule(specifier);
}

export function sameOrigin(a: Origin | undefined, b: Origin | undefined): boolean {
  if (!a || !b || a.type !== b.type) return false;
  switch (a.type) {
    case 'module':
      return b.type === 'module' && a.library === b.library;
    case 'export':
      return b.type === 'export' && a.library === b.library && a.spec === b.spec;
    case 'value':
      return b.type === 'value' && a.value.creation === b.value.creation;
    case 'promise':
      return b.type === 'promise' && sameOrigin(a.of, b.of);
    case 'file':
      return b.type === 'file' && a.context === b.context;
  }
}

function isNullish(node: Node): boolean {
  const inner = unwrap(node);
  return inner.type === 'NullLiteral' || (inner.type === 'Identifier' && inner.name === 'undefined');
}

/** For a binding inside a destructuring pattern, the property path down to it. */
export function patternPath(pattern: Node, target: Node): string[] | undefined {
  if (pattern === target) return [];
  switch (pattern.type) {
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        if (property.type === 'RestElement') continue;
        const inner = patternPath(property.value, target);
        if (inner === undefined) continue;
        const name = staticName(property);
        return name === undefined ? undefined : [name, ...inner];
      }
      return undefined;
    case 'AssignmentPattern':
      return patternPath(pattern.left, target);
    default:
      return undefined;
  }
}
