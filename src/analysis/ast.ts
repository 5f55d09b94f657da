/** Small AST predicates and accessors shared by the analysis and the rules. */
import { AST_NODE_TYPES as NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

/** The node-type enum as a plain binding: the package's re-export costs two getter calls per use. */
export import AST_NODE_TYPES = NODE_TYPES;

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

/** Strips what does not change a value at run time: TS assertions, `!`, `satisfies`, `?.`. */
export function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSInstantiationExpression:
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The parent, skipping the wrappers that `unwrapExpression` strips. */
export function skipWrappersUp(node: TSESTree.Node): { node: TSESTree.Node; parent: TSESTree.Node | undefined } {
  let current = node;
  let parent = node.parent;
  while (
    parent &&
    (parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    current = parent;
    parent = parent.parent;
  }
  return { node: current, parent };
}

/** skipWrappersUp, past `await` too: where a value ends up once awaited. */
export function skipAwaitsUp(node: TSESTree.Node): { node: TSESTree.Node; parent: TSESTree.Node | undefined } {
  let step = skipWrappersUp(node);
  while (step.parent?.type === AST_NODE_TYPES.AwaitExpression) step = skipWrappersUp(step.parent);
  return step;
}

export function isFunctionNode(node: TSESTree.Node | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** The innermost function that contains the node, or undefined at module level. */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

/**
 * Code that runs once per module load: not inside a function, and not in a class field
 * initializer or static block (which run per instance or per class).
 */
export function isModuleLevel(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return false;
    if (current.type === AST_NODE_TYPES.PropertyDefinition && !current.static) return false;
  }
  return true;
}

/** `a.b`, `a['b']`, `` a[`b`] ``: the property name when it is static. */
export function staticPropertyName(
  node: TSESTree.MemberExpression | TSESTree.Property | TSESTree.PropertyDefinition | TSESTree.MethodDefinition,
): string | undefined {
  const key = node.type === AST_NODE_TYPES.MemberExpression ? node.property : node.key;
  const computed = node.computed;
  if (!computed) {
    if (key.type === AST_NODE_TYPES.Identifier) return key.name;
    if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  }
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  if (key.type === AST_NODE_TYPES.TemplateLiteral && key.expressions.length === 0) {
    return key.quasis[0]?.value.cooked ?? undefined;
  }
  if (!computed && key.type === AST_NODE_TYPES.Literal) return String(key.value);
  return undefined;
}

/** For `this.name` (through TS wrappers on `this`): the name, when it is static. */
export function thisPropertyName(node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.MemberExpression || unwrapExpression(node.object).type !== AST_NODE_TYPES.ThisExpression) return undefined;
  return staticPropertyName(node);
}

/** For `obj.method(...)`: the method name and the receiver. */
export function methodCall(
  node: TSESTree.Node,
): { receiver: TSESTree.Expression; method: string; call: TSESTree.CallExpression } | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = unwrapExpression(node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = staticPropertyName(callee);
  if (method === undefined) return undefined;
  return { receiver: callee.object, method, call: node };
}

/** The call of a method on `node` (`node.m(…)`, through TS wrappers): the call, and the method's name when static. */
export function methodCallOn(node: TSESTree.Node): { call: TSESTree.CallExpression; method: string | undefined } | undefined {
  const { node: object, parent: member } = skipWrappersUp(node);
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== object) return undefined;
  const { node: callee, parent: call } = skipWrappersUp(member);
  return call?.type === AST_NODE_TYPES.CallExpression && call.callee === callee ? { call, method: staticPropertyName(member) } : undefined;
}

export function isStringLiteral(node: TSESTree.Node | undefined): node is TSESTree.StringLiteral {
  return node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string';
}

/** `require('x')` (also `module.require('x')`): the specifier. */
export function requireSpecifier(node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression || node.arguments.length !== 1) return undefined;
  const callee = unwrapExpression(node.callee);
  const isRequire =
    (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require') ||
    (callee.type === AST_NODE_TYPES.MemberExpression &&
      callee.object.type === AST_NODE_TYPES.Identifier &&
      callee.object.name === 'module' &&
      staticPropertyName(callee) === 'require');
  const arg = node.arguments[0];
  return isRequire && isStringLiteral(arg) ? arg.value : undefined;
}

/** The export an import specifier names: 'a' for `import { a as b }`, 'default' for a default import. */
export function importedName(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.ImportDefaultSpecifier) return 'default';
  if (node.type !== AST_NODE_TYPES.ImportSpecifier) return undefined;
  return node.imported.type === AST_NODE_TYPES.Identifier ? node.imported.name : node.imported.value;
}

/** `for`, `for…in`, `for…of`, `while`, `do…while`. */
export function isLoop(node: TSESTree.Node): node is
  | TSESTree.ForStatement
  | TSESTree.ForInStatement
  | TSESTree.ForOfStatement
  | TSESTree.WhileStatement
  | TSESTree.DoWhileStatement {
  switch (node.type) {
    case AST_NODE_TYPES.ForStatement:
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
      return true;
    default:
      return false;
  }
}

/** Whether `node` is where the `break` or `continue` goes: its label, else the nearest loop (or switch, for `break`). */
export function isJumpTarget(jump: TSESTree.BreakStatement | TSESTree.ContinueStatement, node: TSESTree.Node): boolean {
  if (jump.label) return node.type === AST_NODE_TYPES.LabeledStatement && node.label.name === jump.label.name;
  if (isLoop(node)) return true;
  return node.type === AST_NODE_TYPES.SwitchStatement && jump.type === AST_NODE_TYPES.BreakStatement;
}

/** `stmt;`, `await stmt;` or `void stmt;` whose expression (through TS wrappers) is one of the given nodes. */
export function isStatementOf(statement: TSESTree.Node, nodes: ReadonlySet<TSESTree.Node>): statement is TSESTree.ExpressionStatement {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  let expression: TSESTree.Node = statement.expression;
  for (;;) {
    if (nodes.has(expression)) return true;
    const inner = unwrapExpression(expression);
    if (inner !== expression) {
      expression = inner;
      continue;
    }
    if (inner.type === AST_NODE_TYPES.AwaitExpression) expression = inner.argument;
    else if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === 'void') expression = inner.argument;
    else return false;
  }
}

/** The expression an expression statement runs, through TS wrappers and one `await` or `void`. */
export function statementCall(statement: TSESTree.ExpressionStatement): TSESTree.Node {
  const expression = unwrapExpression(statement.expression);
  if (expression.type === AST_NODE_TYPES.AwaitExpression || (expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void')) {
    return unwrapExpression(expression.argument);
  }
  return expression;
}

/** Whether `node` lies inside `container` (or is it), by source range. */
export function within(node: TSESTree.Node, container: TSESTree.Node): boolean {
  return node.range[0] >= container.range[0] && node.range[1] <= container.range[1];
}

/** `null` or `undefined` (with `orVoid`, also `void x`), through TS wrappers. */
export function isNullish(node: TSESTree.Node | undefined, orVoid = false): boolean {
  if (!node) return false;
  const inner = unwrapExpression(node);
  return (
    (inner.type === AST_NODE_TYPES.Literal && inner.value === null) ||
    (inner.type === AST_NODE_TYPES.Identifier && inner.name === 'undefined') ||
    (orVoid && inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === 'void')
  );
}

/** The 1-based line of a node, for messages. */
export function lineOf(node: TSESTree.Node): number {
  return node.loc.start.line;
}

/** Descends into every child node (by visitor keys), calling `visit` on each; return false to skip children. */
export function walk(node: TSESTree.Node, visit: (node: TSESTree.Node) => boolean | void): void {
  if (visit(node) === false) return;
  for (const key of visitorKeys[node.type] ?? []) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const child of value) {
        if (isNode(child)) walk(child, visit);
      }
    } else if (isNode(value)) {
      walk(value, visit);
    }
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
