/** Scope look-ups: which variable an identifier names, and what was written to it. */
import { ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, enclosingFunction, importedName, isFunctionNode, requireSpecifier, staticPropertyName, unwrapExpression, type FunctionNode } from './ast';

export type Variable = TSESLint.Scope.Variable;

export function findVariableFor(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): Variable | undefined {
  const scope = sourceCode.getScope(identifier);
  return ASTUtils.findVariable(scope, identifier) ?? undefined;
}

/** The function whose scope declares the variable (undefined at module level). */
export function homeFunction(variable: Variable): FunctionNode | undefined {
  const block = variable.scope.block as TSESTree.Node;
  return isFunctionNode(block) ? block : enclosingFunction(block);
}

/** Whether the identifier names no declaration of the file: a global (or an undeclared name). */
export function isUnshadowedGlobal(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  return !findVariableFor(sourceCode, identifier)?.defs.length;
}

/** Whether `node` (through TS wrappers) is the global of that name, or of one of those names. */
export function isGlobal(node: TSESTree.Node, names: string | ReadonlySet<string>, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const inner = unwrapExpression(node);
  if (inner.type !== AST_NODE_TYPES.Identifier || !(typeof names === 'string' ? inner.name === names : names.has(inner.name))) return false;
  return isUnshadowedGlobal(inner, sourceCode);
}

/** Whether the variable is written after its declaration. */
export function isReassigned(variable: Variable): boolean {
  return variable.references.some((reference) => reference.isWrite() && !reference.init);
}

export interface Write {
  /** The expression written, or undefined for a destructuring/loop binding we can't follow. */
  value: TSESTree.Node | undefined;
  /** The node of the write: the declarator or the assignment. */
  node: TSESTree.Node;
  /** For `const { a } = x`: the path from x to this variable. */
  pattern: string[] | undefined;
}

/** Every value written to a variable: its initializer and each assignment. */
export function writesOf(variable: Variable): Write[] {
  const writes: Write[] = [];
  for (const def of variable.defs) {
    if (def.type !== 'Variable') continue;
    const declarator = def.node as TSESTree.VariableDeclarator;
    if (declarator.init === null) continue;
    if (declarator.parent?.parent?.type === AST_NODE_TYPES.ForOfStatement || declarator.parent?.parent?.type === AST_NODE_TYPES.ForInStatement) {
      writes.push({ value: undefined, node: declarator, pattern: undefined });
      continue;
    }
    const path = patternPath(declarator.id, def.name);
    writes.push({ value: declarator.init, node: declarator, pattern: path });
  }
  for (const reference of variable.references) {
    if (!reference.isWrite() || reference.init) continue;
    const parent = reference.identifier.parent;
    if (
      parent?.type === AST_NODE_TYPES.AssignmentExpression &&
      parent.left === reference.identifier &&
      // `x ??= v` and `x ||= v` store v when x is empty: a memoised value is still v.
      (parent.operator === '=' || parent.operator === '??=' || parent.operator === '||=')
    ) {
      writes.push({ value: parent.right, node: parent, pattern: [] });
    } else {
      writes.push({ value: undefined, node: reference.identifier, pattern: undefined });
    }
  }
  return writes;
}

/** Where a binding made by an import or a `require` comes from. */
export interface ImportedBinding {
  /** The module specifier, as written. */
  source: string;
  /** The export it names: 'default' for a default import or a whole `require()`, '*' for `import * as`. */
  name: string;
  /** The import specifier, or the declarator of the `require`. */
  node: TSESTree.Node;
  required: boolean;
  /** `import type { x }`, `import { type x }`. */
  typeOnly: boolean;
}

/**
 * `import x`, `import { x }`, `import * as x`; written once, `const x = require('./m')`,
 * `const { x } = require('./m')`, `const x = require('./m').x`.
 */
export function importOf(variable: Variable): ImportedBinding | undefined {
  const def = variable.defs[0];
  if (def?.type === 'ImportBinding') {
    const declaration = def.parent;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
    const name = def.node.type === AST_NODE_TYPES.ImportNamespaceSpecifier ? '*' : importedName(def.node);
    const typeOnly = declaration.importKind === 'type' || (def.node.type === AST_NODE_TYPES.ImportSpecifier && def.node.importKind === 'type');
    return name === undefined ? undefined : { source: declaration.source.value, name, node: def.node, required: false, typeOnly };
  }
  const writes = writesOf(variable);
  const write = writes[0];
  if (writes.length !== 1 || !write?.value || !write.pattern) return undefined;
  const value = unwrapExpression(write.value);
  const direct = requireSpecifier(value);
  if (direct !== undefined) {
    if (write.pattern.length > 1) return undefined;
    return { source: direct, name: write.pattern[0] ?? 'default', node: write.node, required: true, typeOnly: false };
  }
  if (value.type !== AST_NODE_TYPES.MemberExpression || write.pattern.length > 0) return undefined;
  const source = requireSpecifier(unwrapExpression(value.object));
  const name = staticPropertyName(value);
  return source === undefined || name === undefined ? undefined : { source, name, node: write.node, required: true, typeOnly: false };
}

/**
 * The one value a variable holds for its whole life: a `const`, or a `let`/`var` written once.
 * Undefined for destructured bindings and variables written more than once.
 */
export function singleAssignedValue(variable: Variable): TSESTree.Node | undefined {
  const writes = writesOf(variable);
  if (writes.length !== 1) return undefined;
  const [write] = writes;
  return write?.pattern?.length === 0 ? write.value : undefined;
}

/**
 * For a binding inside a destructuring pattern, the property path from the destructured value
 * down to it (`const { a: { b } } = x` gives ['a', 'b'] for b). Undefined when a step is computed
 * or a rest element.
 */
export function patternPath(pattern: TSESTree.Node, target: TSESTree.Identifier): string[] | undefined {
  if (pattern === target) return [];
  switch (pattern.type) {
    case AST_NODE_TYPES.ObjectPattern:
      for (const property of pattern.properties) {
        if (property.type === AST_NODE_TYPES.RestElement) continue;
        const inner = patternPath(property.value, target);
        if (inner === undefined) continue;
        const name = property.computed ? undefined : staticPropertyName(property);
        return name === undefined ? undefined : [name, ...inner];
      }
      return undefined;
    case AST_NODE_TYPES.AssignmentPattern:
      return patternPath(pattern.left, target);
    default:
      return undefined;
  }
}

/** The function a variable names in its file: a declaration or a `const f = () => …` never reassigned. */
export function localFunctionOf(variable: Variable | undefined): TSESTree.FunctionLike | undefined {
  const def = variable?.defs[0];
  if (!def || variable.defs.length !== 1) return undefined;
  if (def.type === 'FunctionName' && def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
  if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
    const init = unwrapExpression(def.node.init);
    if (init.type === AST_NODE_TYPES.ArrowFunctionExpression || init.type === AST_NODE_TYPES.FunctionExpression) {
      return writesOf(variable).length === 1 ? init : undefined;
    }
  }
  return undefined;
}
