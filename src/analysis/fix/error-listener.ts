/**
 * The error-listener plan: `x.on('error', (err) => { console.error('Redis error', err); })` after
 * the statement that stores a new client in `x` (a declaration, or `this.client = …`), else
 * chained onto the creation.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, skipWrappersUp } from '../ast';
import { indentationAt, type TextEdit } from './text';

export function planErrorListener(
  creation: TSESTree.Node,
  variableName: string | undefined,
  sourceCode: Readonly<TSESLint.SourceCode>,
): TextEdit[] {
  const statement = variableName ? declarationStatement(creation) : undefined;
  if (variableName && statement) return [listenerAfter(statement, variableName, sourceCode)];
  // `this.client = createClient();`: a statement of its own reads better than a chain, and keeps
  // the assigned type (a chained `.on()` loses the target's contextual type parameters).
  const assignment = assignmentStatement(creation);
  if (assignment) return [listenerAfter(assignment.statement, sourceCode.getText(assignment.target), sourceCode)];
  const text = sourceCode.getText(creation);
  // `new Redis` without an argument list must be parenthesised before a member access.
  const wrapped = creation.type === AST_NODE_TYPES.NewExpression && !text.trimEnd().endsWith(')') ? `(${text})` : text;
  return [{ start: creation.range[0], end: creation.range[1], text: `${wrapped}.on('error', (err) => console.error('Redis error', err))` }];
}

function listenerAfter(statement: TSESTree.Node, target: string, sourceCode: Readonly<TSESLint.SourceCode>): TextEdit {
  const indent = indentationAt(sourceCode.text, statement.range[0]);
  return {
    start: statement.range[1],
    end: statement.range[1],
    text: `\n${indent}${target}.on('error', (err) => {\n${indent}  console.error('Redis error', err);\n${indent}});`,
  };
}

/** `target = <creation>;` as a statement of its own in a block. */
function assignmentStatement(
  creation: TSESTree.Node,
): { statement: TSESTree.ExpressionStatement; target: TSESTree.Node } | undefined {
  const { node, parent } = skipWrappersUp(creation);
  if (parent?.type !== AST_NODE_TYPES.AssignmentExpression || parent.operator !== '=' || parent.right !== node) return undefined;
  const statement = parent.parent;
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const container = statement.parent;
  const inList =
    container?.type === AST_NODE_TYPES.Program ||
    container?.type === AST_NODE_TYPES.BlockStatement ||
    container?.type === AST_NODE_TYPES.StaticBlock;
  return inList ? { statement, target: parent.left } : undefined;
}

/** The `const x = …;` statement a creation initialises directly, when it sits in a block. */
function declarationStatement(creation: TSESTree.Node): TSESTree.VariableDeclaration | undefined {
  for (let current: TSESTree.Node | undefined = creation.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.BlockStatement || current.type === AST_NODE_TYPES.Program) return undefined;
    if (current.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    const container = current.parent;
    const inList =
      container?.type === AST_NODE_TYPES.Program ||
      container?.type === AST_NODE_TYPES.BlockStatement ||
      container?.type === AST_NODE_TYPES.ExportNamedDeclaration;
    return inList ? current : undefined;
  }
  return undefined;
}
