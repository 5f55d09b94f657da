/**
 * Constructions that cannot fail: `new Cache({ redis })` of a class declared in the file, with no
 * superclass, whose constructor and fields only store values that cannot fail. Such a statement is
 * not an exception path (DESIGN: "a plain object's constructor … is not an exception path"), for
 * the leak rule's paths and for the try/finally plan, which keeps it before the `try`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode, walk } from './ast';
import type { RedisAnalysis } from './context';
import { mayThrow } from './loans';
import { findVariableFor } from './scope';

/** A class of this file with no superclass whose constructor and fields only store values that cannot fail. */
export function isPlainLocalClass(callee: TSESTree.Node, analysis: RedisAnalysis): boolean {
  if (callee.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = findVariableFor(analysis.sourceCode, callee);
  const def = variable?.defs.find((candidate) => candidate.type === 'ClassName');
  const node = def?.node;
  if ((node?.type !== AST_NODE_TYPES.ClassDeclaration && node?.type !== AST_NODE_TYPES.ClassExpression) || node.superClass) return false;
  const quiet = (expression: TSESTree.Node | null | undefined) => {
    if (!expression) return true;
    let fails = false;
    walk(expression, (inner) => {
      if (fails || isFunctionNode(inner)) return false;
      if (inner.type === AST_NODE_TYPES.AwaitExpression || mayThrow(inner, analysis)) fails = true;
      return !fails;
    });
    return !fails;
  };
  for (const member of node.body.body) {
    if (member.type === AST_NODE_TYPES.PropertyDefinition) {
      if (!member.static && !quiet(member.value)) return false;
      continue;
    }
    if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind !== 'constructor') continue;
    for (const parameter of member.value.params) {
      if (parameter.type === AST_NODE_TYPES.TSParameterProperty) continue;
      if (parameter.type === AST_NODE_TYPES.AssignmentPattern && !quiet(parameter.right)) return false;
    }
    for (const statement of member.value.body?.body ?? []) {
      if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
      const expression = statement.expression;
      if (expression.type !== AST_NODE_TYPES.AssignmentExpression || expression.left.type !== AST_NODE_TYPES.MemberExpression) return false;
      if (expression.left.object.type !== AST_NODE_TYPES.ThisExpression || !quiet(expression.right)) return false;
    }
  }
  return true;
}
