/** Syntax questions the fix planners share: where a statement is, which names are taken, what a call closes. */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { MethodSpec } from '../../catalog';
import { AST_NODE_TYPES, skipWrappersUp, unwrapExpression, walk } from '../ast';
import type { TextEdit } from './text';

/** The first node under `root` (itself included) that passes `test`, not looking into nodes `skip` names. */
export function findNode(root: TSESTree.Node, test: (node: TSESTree.Node) => boolean, skip?: (node: TSESTree.Node) => boolean): TSESTree.Node | undefined {
  let found: TSESTree.Node | undefined;
  walk(root, (node) => {
    if (found || skip?.(node)) return false;
    if (test(node)) found = node;
    return !found;
  });
  return found;
}

/** The ranges of the template literals under `root`: their text is their value, so no line in them is re-indented. */
export function templateRanges(root: TSESTree.Node, into: Array<readonly [number, number]> = []): Array<readonly [number, number]> {
  walk(root, (node) => void (node.type === AST_NODE_TYPES.TemplateLiteral && into.push(node.range)));
  return into;
}

/** The statement a call is the whole of: `c.on('error', h);`, `await c.connect();`, `void c.quit();`. */
export function wholeStatement(call: TSESTree.Node): TSESTree.ExpressionStatement | undefined {
  let current = call;
  for (;;) {
    const { parent } = skipWrappersUp(current);
    if (parent?.type === AST_NODE_TYPES.ExpressionStatement) return parent;
    if (parent?.type !== AST_NODE_TYPES.AwaitExpression && !(parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void')) return undefined;
    current = parent;
  }
}

/** `statement`, or the `if` without `else` that does nothing but guard it, when `guards` accepts its test. */
export function withGuard(statement: TSESTree.Statement, guards: (test: TSESTree.Expression) => boolean): TSESTree.Statement {
  let guard = statement.parent;
  if (guard?.type === AST_NODE_TYPES.BlockStatement && guard.body.length === 1) guard = guard.parent;
  return guard?.type === AST_NODE_TYPES.IfStatement && !guard.alternate && guards(guard.test) ? guard : statement;
}

/** The statement of the program that holds `node`. */
export function topLevelStatement(node: TSESTree.Node): TSESTree.Node {
  let top = node;
  while (top.parent && top.parent.type !== AST_NODE_TYPES.Program) top = top.parent;
  return top;
}

/** Safe to evaluate again, with no side effect: `pool`, `this.pool`, `deps.pools.main`, `pools['main']`. */
export function isRepeatable(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  if (inner.type === AST_NODE_TYPES.Identifier || inner.type === AST_NODE_TYPES.ThisExpression) return true;
  const key = inner.type === AST_NODE_TYPES.MemberExpression && (!inner.computed || inner.property.type === AST_NODE_TYPES.Literal);
  return key && !inner.optional && isRepeatable(inner.object);
}

/** Whether a call of a method of this spec closes its receiver (`disconnect(true)` reconnects instead). */
export function closesReceiver(spec: MethodSpec | undefined, call: TSESTree.CallExpression): boolean {
  if (spec?.type !== 'release') return false;
  const first = call.arguments[0] && unwrapExpression(call.arguments[0]);
  return !spec.notWhenFirstArgTruthy || !first || (first.type === AST_NODE_TYPES.Literal && first.value === false);
}

export function moduleScopeOf(sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.Scope.Scope | undefined {
  const global = sourceCode.scopeManager?.globalScope ?? undefined;
  return global?.childScopes.find((scope) => scope.type === 'module') ?? global;
}

const namesByProgram = new WeakMap<TSESTree.Program, Set<string>>();

/** Every identifier name in the file (read once per file: each finding's plan asks). */
export function identifierNames(program: TSESTree.Program): Set<string> {
  let names = namesByProgram.get(program);
  if (!names) {
    const found = new Set<string>();
    walk(program, (node) => void (node.type === AST_NODE_TYPES.Identifier && found.add(node.name)));
    namesByProgram.set(program, (names = found));
  }
  return names;
}

/** The `try` whose `finally` holds `statement`, nothing but the statements of `only` and no comment: that `finally` goes with them. */
export function tryOfBareFinally(statement: TSESTree.Node, only: { has(node: TSESTree.Node): boolean }, comments: readonly TSESTree.Comment[]): TSESTree.TryStatement | undefined {
  const finalizer = statement.parent;
  const tryStatement = finalizer?.parent;
  if (finalizer?.type !== AST_NODE_TYPES.BlockStatement || tryStatement?.type !== AST_NODE_TYPES.TryStatement || tryStatement.finalizer !== finalizer) return undefined;
  if (!finalizer.body.every((candidate) => only.has(candidate))) return undefined;
  return comments.some((comment) => comment.range[0] > finalizer.range[0] && comment.range[1] < finalizer.range[1]) ? undefined : tryStatement;
}

/** `name` added to an import (`import { a, name }`, `import a, { name }`) or a destructured require (`const { a, name } = require(…)`). */
export function addImportedNameEdit(owner: TSESTree.Node | undefined, name: string): TextEdit | undefined {
  if (owner?.type === AST_NODE_TYPES.ImportDeclaration) {
    const last = owner.specifiers.filter((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier).at(-1);
    if (last) return { start: last.range[1], end: last.range[1], text: `, ${name}` };
    const only = owner.specifiers.length === 1 ? owner.specifiers[0]! : undefined;
    return only?.type === AST_NODE_TYPES.ImportDefaultSpecifier ? { start: only.range[1], end: only.range[1], text: `, { ${name} }` } : undefined;
  }
  const last = owner?.type === AST_NODE_TYPES.ObjectPattern ? owner.properties.at(-1) : undefined;
  return last && last.type !== AST_NODE_TYPES.RestElement ? { start: last.range[1], end: last.range[1], text: `, ${name}` } : undefined;
}
