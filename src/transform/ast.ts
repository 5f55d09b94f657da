/**
 * Small helpers over the Babel AST that jscodeshift's parsers produce (not ESTree: string
 * literals are `StringLiteral`, object members `ObjectProperty`/`ObjectMethod`, class members
 * `ClassMethod`/`ClassProperty`, optional chains `OptionalMemberExpression`).
 */

/** A node of that AST. Fields are read by name; the helpers below check types first. */
export interface Node {
  type: string;
  /** Offsets into the parsed text (absent on nodes a codemod builds). */
  start: number;
  end: number;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
  comments?: Comment[] | null;
  [field: string]: any;
}

export interface Comment {
  type: string;
  value: string;
  leading?: boolean;
  trailing?: boolean;
}

/** Where a node sits: its parent, the field holding it and, for lists, its index. */
export interface Slot {
  parent: Node;
  key: string;
  index?: number;
}

const NON_CHILD_KEYS = new Set([
  'type',
  'start',
  'end',
  'loc',
  'range',
  'extra',
  'comments',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'tokens',
  'errors',
]);

/** Fields that hold types, never run-time values. */
const TYPE_KEYS = new Set([
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'typeArguments',
  'superTypeParameters',
  'superTypeArguments',
  'implements',
  'predicate',
]);

/** Declarations that exist only for the type checker. */
const TYPE_ONLY_STATEMENTS = new Set([
  'TSTypeAliasDeclaration',
  'TSInterfaceDeclaration',
  'TSDeclareFunction',
  'TSDeclareMethod',
  'DeclareVariable',
  'TypeAlias',
  'InterfaceDeclaration',
  'OpaqueType',
]);

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function isFunction(node: Node | undefined | null): boolean {
  return !!node && FUNCTION_TYPES.has(node.type);
}

/** Is the node a type-level construct whose identifiers are never run-time references? */
export function isTypeOnly(node: Node): boolean {
  return (
    TYPE_ONLY_STATEMENTS.has(node.type) ||
    node.declare === true ||
    ((node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration') &&
      (node.importKind === 'type' || node.exportKind === 'type'))
  );
}

/** The run-time children of a node, with the field that holds each (types are left out). */
export function childSlots(node: Node): Array<{ child: Node; key: string; index?: number }> {
  const slots: Array<{ child: Node; key: string; index?: number }> = [];
  for (const key of Object.keys(node)) {
    if (NON_CHILD_KEYS.has(key) || TYPE_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      value.forEach((child, index) => {
        if (isNode(child)) slots.push({ child, key, index });
      });
    } else if (isNode(value)) {
      slots.push({ child: value, key });
    }
  }
  return slots;
}

/** Depth-first walk over run-time nodes; return false from `visit` to skip a node's children. */
export function walk(node: Node, visit: (node: Node, slot: Slot | undefined) => boolean | void, slot?: Slot): void {
  if (visit(node, slot) === false) return;
  if (isTypeOnly(node)) return;
  for (const { child, key, index } of childSlots(node)) walk(child, visit, { parent: node, key, index });
}

/** Walks a function's own code: nested functions and classes are not entered. */
export function walkOwn(node: Node, visit: (node: Node, slot: Slot | undefined) => boolean | void): void {
  walk(node, (child, slot) => {
    if (child !== node && (isFunction(child) || child.type === 'ClassBody')) return false;
    return visit(child, slot);
  });
}

/** Parent links for a whole tree (built once per parse). */
export class ParentIndex {
  private readonly slots = new WeakMap<Node, Slot>();

  constructor(root: Node) {
    walk(root, (node, slot) => {
      if (slot) this.slots.set(node, slot);
    });
  }

  slotOf(node: Node): Slot | undefined {
    return this.slots.get(node);
  }

  parentOf(node: Node): Node | undefined {
    return this.slots.get(node)?.parent;
  }

  /** Ancestors from the parent up to the root. */
  *ancestors(node: Node): Generator<Node> {
    for (let current = this.parentOf(node); current; current = this.parentOf(current)) yield current;
  }

  /** The innermost function around a node (undefined at module level). */
  enclosingFunction(node: Node): Node | undefined {
    for (const ancestor of this.ancestors(node)) if (isFunction(ancestor)) return ancestor;
    return undefined;
  }

  /** Is `node` inside `container` (or the same node)? */
  isWithin(node: Node, container: Node): boolean {
    if (node === container) return true;
    for (const ancestor of this.ancestors(node)) if (ancestor === container) return true;
    return false;
  }
}

const WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'ParenthesizedExpression',
  'TypeCastExpression',
]);

/** Strips what does not change a value at run time: TS assertions, `!`, parentheses. */
export function unwrap(node: Node): Node {
  let current = node;
  while (WRAPPERS.has(current.type)) current = current.expression;
  return current;
}

/** The parent above the wrappers that `unwrap` strips, and the outermost wrapper. */
export function skipWrappersUp(node: Node, index: ParentIndex): { node: Node; slot: Slot | undefined } {
  let current = node;
  let slot = index.slotOf(current);
  while (slot && WRAPPERS.has(slot.parent.type)) {
    current = slot.parent;
    slot = index.slotOf(current);
  }
  return { node: current, slot };
}

export function isMember(node: Node | undefined): boolean {
  return node?.type === 'MemberExpression' || node?.type === 'OptionalMemberExpression';
}

export function isCall(node: Node | undefined): boolean {
  return node?.type === 'CallExpression' || node?.type === 'OptionalCallExpression';
}

/** `a.b`, `a['b']`, `` a[`b`] ``, `{ b: … }`, class member `b`: the name when it is static. */
export function staticName(node: Node): string | undefined {
  const key = isMember(node) ? node.property : node.key;
  if (!key) return undefined;
  if (!node.computed) {
    if (key.type === 'Identifier') return key.name;
    if (key.type === 'PrivateName') return `#${key.id.name}`;
  }
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `receiver.method(...)`: the parts, when the method name is static. */
export function methodCall(node: Node): { receiver: Node; method: string; call: Node } | undefined {
  if (!isCall(node)) return undefined;
  const callee = unwrap(node.callee);
  if (!isMember(callee)) return undefined;
  const method = staticName(callee);
  return method === undefined ? undefined : { receiver: callee.object, method, call: node };
}

/** `require('x')`: the specifier. */
export function requireSpecifier(node: Node): string | undefined {
  if (node.type !== 'CallExpression' || node.arguments.length !== 1) return undefined;
  const callee = unwrap(node.callee);
  const isRequire =
    (callee.type === 'Identifier' && callee.name === 'require') ||
    (isMember(callee) && callee.object.type === 'Identifier' && callee.object.name === 'module' && staticName(callee) === 'require');
  const argument = node.arguments[0];
  return isRequire && argument?.type === 'StringLiteral' ? argument.value : undefined;
}

/** The 1-based line and 0-based column where a node starts. */
export function positionOf(node: Node): { line: number; column: number } {
  return { line: node.loc?.start.line ?? 0, column: node.loc?.start.column ?? 0 };
}

/** The statement list a statement sits in (block, program, switch case), if any. */
export function statementList(slot: Slot | undefined): Node[] | undefined {
  if (!slot || slot.index === undefined) return undefined;
  const { parent, key } = slot;
  if ((parent.type === 'BlockStatement' || parent.type === 'Program' || parent.type === 'StaticBlock') && key === 'body') {
    return parent.body;
  }
  if (parent.type === 'SwitchCase' && key === 'consequent') return parent.consequent;
  return undefined;
}

/** Identifiers bound by a declaration pattern (`a`, `{ a, b: [c] }`, `...rest`, `a = 1`). */
export function boundIdentifiers(pattern: Node | null | undefined, into: Node[] = []): Node[] {
  if (!pattern) return into;
  switch (pattern.type) {
    case 'Identifier':
      into.push(pattern);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        boundIdentifiers(property.type === 'RestElement' ? property.argument : property.value, into);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) boundIdentifiers(element, into);
      break;
    case 'RestElement':
      boundIdentifiers(pattern.argument, into);
      break;
    case 'AssignmentPattern':
      boundIdentifiers(pattern.left, into);
      break;
    case 'TSParameterProperty':
      boundIdentifiers(pattern.parameter, into);
      break;
  }
  return into;
}

/** Whether evaluating an expression or simple statement could throw (calls, member reads, await…). */
export function mayThrow(node: Node): boolean {
  let found = false;
  walk(node, (child) => {
    if (found) return false;
    if (child !== node && (isFunction(child) || child.type === 'ClassBody')) return false;
    switch (child.type) {
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
      case 'AwaitExpression':
      case 'YieldExpression':
      case 'MemberExpression':
      case 'OptionalMemberExpression':
      case 'TaggedTemplateExpression':
      case 'ThrowStatement':
      case 'ObjectPattern':
      case 'ArrayPattern':
      case 'SpreadElement':
      case 'ImportExpression':
      case 'ClassDeclaration':
      case 'ClassExpression':
        found = true;
        return false;
      case 'BinaryExpression':
        if (child.operator === 'in' || child.operator === 'instanceof') found = true;
        return !found;
      default:
        return true;
    }
  });
  return found;
}
