/**
 * Does an 'error' listener reach a client made here, or does ownership leave with it? The
 * created value is followed to where it ends up: chained `.on('error', h)`, a variable whose
 * uses listen (aliases, `const { client } = this`, `const c = this.client` included), a class
 * field some method listens on; returned, passed, stored, exported values are someone else's
 * duty. Which methods add listeners is the catalog's (`listener` methods); which libraries have
 * an 'error' event and which crash on an unhandled one is the catalog's `errorEvent`.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { LIBRARIES, isRedisClientLibrary, type LibraryId } from '../catalog';
import { skipWrappersUp, staticPropertyName, unwrapExpression, walk } from './ast';
import type { RedisAnalysis } from './context';
import { enclosingClass, type RedisValue } from './origin';
import { findVariableFor } from './scope';
import { isExported, usesOf } from './uses';

/** Client libraries whose clients emit 'error' events, and those where an unhandled one crashes the process. */
export const LISTENER_LIBRARIES: LibraryId[] = clientLibrariesWhere((event) => event === 'crashes' || event === 'logs');
export const CRASHING_LIBRARIES: LibraryId[] = clientLibrariesWhere((event) => event === 'crashes');

function clientLibrariesWhere(test: (event: string | undefined) => boolean): LibraryId[] {
  return LIBRARIES.filter((library) => isRedisClientLibrary(library) && test(library.values.client?.errorEvent)).map((library) => library.id);
}

export interface ErrorListenerVerdict {
  /** A listener reaches the value, or ownership leaves the scope (someone else's duty). */
  handled: boolean;
  /** The variable the value is stored in directly, for the suggestion. */
  variableName?: string;
}

/** Follows the created value to where it ends up, looking for an 'error' listener on the way. */
export function errorListenerVerdict(
  creation: TSESTree.Node,
  created: RedisValue,
  analysis: RedisAnalysis,
  sourceCode: Readonly<TSESLint.SourceCode>,
): ErrorListenerVerdict {
  let current: TSESTree.Node = creation;
  for (;;) {
    const { node, parent } = skipWrappersUp(current);
    if (!parent) return { handled: false };
    if (parent.type === AST_NODE_TYPES.AwaitExpression) {
      current = parent;
      continue;
    }
    // Chained: createClient().on('error', h).connect()
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
      const { node: callee, parent: call } = skipWrappersUp(parent);
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== callee) return { handled: true };
      const value = analysis.origins.valueOrPromised(creation);
      const method = staticPropertyName(parent);
      const spec = value && method ? value.library.values[value.kind]?.methods[method] : undefined;
      if (spec?.type === 'listener' && call.arguments[0] && isErrorEventArgument(call.arguments[0], analysis)) {
        return { handled: true };
      }
      if (spec?.type === 'self' || spec?.type === 'listener') {
        current = call;
        continue;
      }
      // Any other method on a fresh value: the value itself is not kept.
      return { handled: false };
    }
    switch (parent.type) {
      case AST_NODE_TYPES.VariableDeclarator: {
        if (parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier) return { handled: true };
        const variable = findVariableFor(sourceCode, parent.id);
        if (!variable) return { handled: true };
        return { handled: variableIsHandled(variable, analysis, sourceCode), variableName: parent.id.name };
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (parent.right !== node) return { handled: true };
        if (parent.left.type === AST_NODE_TYPES.Identifier) {
          const variable = findVariableFor(sourceCode, parent.left);
          if (!variable) return { handled: true };
          return { handled: variableIsHandled(variable, analysis, sourceCode) };
        }
        if (
          parent.left.type === AST_NODE_TYPES.MemberExpression &&
          unwrapExpression(parent.left.object).type === AST_NODE_TYPES.ThisExpression
        ) {
          const field = staticPropertyName(parent.left);
          const classNode = enclosingClass(parent);
          if (field === undefined || !classNode) return { handled: true };
          return { handled: fieldIsHandled(classNode, field, created, analysis) };
        }
        return { handled: true };
      }
      case AST_NODE_TYPES.PropertyDefinition: {
        const field = staticPropertyName(parent);
        const classNode = parent.parent.parent;
        if (field === undefined || parent.static || (classNode.type !== AST_NODE_TYPES.ClassDeclaration && classNode.type !== AST_NODE_TYPES.ClassExpression)) {
          return { handled: true };
        }
        return { handled: fieldIsHandled(classNode, field, created, analysis) };
      }
      case AST_NODE_TYPES.ExpressionStatement:
        // Made and dropped: nothing can ever listen to it.
        return { handled: false };
      default:
        // Returned, passed on, put in an object or array, exported: someone else owns it.
        return { handled: true };
    }
  }
}

/**
 * Whether a listener reaches the value a variable holds, or ownership leaves with it. With
 * `fieldValue`, the variable reads a class field known to hold that value, so the value's own
 * catalog entry says which of its methods add listeners.
 */
function variableIsHandled(
  variable: ReturnType<typeof findVariableFor> & object,
  analysis: RedisAnalysis,
  sourceCode: Readonly<TSESLint.SourceCode>,
  /** The value a class field holds, when the variable was read from that field. */
  fieldValue?: RedisValue,
): boolean {
  if (isExported(variable, sourceCode)) return true;
  for (const use of usesOf(variable, sourceCode)) {
    switch (use.kind) {
      case 'method-call': {
        const call = use.call as TSESTree.CallExpression;
        const listens = fieldValue
          ? isListenerMethod(fieldValue, use.method) && isErrorEventCall(call, analysis)
          : isListenerForError(call, use.method, analysis);
        if (listens) return true;
        break;
      }
      case 'read':
        break;
      default:
        // returned, exported, stored, contained, passed, yielded
        return true;
    }
  }
  return false;
}

function isListenerForError(call: TSESTree.CallExpression, method: string | undefined, analysis: RedisAnalysis): boolean {
  if (!method || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const receiver: RedisValue | undefined = analysis.origins.valueOrPromised(call.callee.object);
  const spec = receiver?.library.values[receiver.kind]?.methods[method];
  if (spec?.type !== 'listener') return false;
  const event = call.arguments[0];
  return event !== undefined && isErrorEventArgument(event, analysis);
}

/** The catalog says this method of the value adds an event listener. */
function isListenerMethod(value: RedisValue, method: string | undefined): boolean {
  return method !== undefined && value.library.values[value.kind]?.methods[method]?.type === 'listener';
}

function isErrorEventCall(call: TSESTree.CallExpression, analysis: RedisAnalysis): boolean {
  const event = call.arguments[0];
  return event !== undefined && isErrorEventArgument(event, analysis);
}

/** 'error', or an event name we can't read (then we assume it may be 'error'). */
function isErrorEventArgument(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
  const value = analysis.evaluator.evaluate(node);
  if (value.kind !== 'primitive') return true;
  return value.value === 'error';
}

/** A class that listens for 'error' on the field, or hands the field out, handles it. */
function fieldIsHandled(
  classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  field: string,
  fieldValue: RedisValue,
  analysis: RedisAnalysis,
): boolean {
  let handled = false;
  walk(classNode.body, (node) => {
    if (handled) return false;
    // `const { client } = this; client.on('error', h)`.
    const destructured = destructuredFromThis(node, field);
    if (destructured) {
      const variable = findVariableFor(analysis.sourceCode, destructured);
      if (variable && variableIsHandled(variable, analysis, analysis.sourceCode, fieldValue)) handled = true;
      return true;
    }
    if (
      node.type !== AST_NODE_TYPES.MemberExpression ||
      unwrapExpression(node.object).type !== AST_NODE_TYPES.ThisExpression ||
      staticPropertyName(node) !== field
    ) {
      return true;
    }
    let { node: fieldRead, parent } = skipWrappersUp(node);
    while (parent?.type === AST_NODE_TYPES.AwaitExpression) ({ node: fieldRead, parent } = skipWrappersUp(parent));
    if (!parent) return true;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === fieldRead) {
      const { node: callee, parent: call } = skipWrappersUp(parent);
      const method = staticPropertyName(parent);
      if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === callee) {
        if (isListenerMethod(fieldValue, method) && isErrorEventCall(call, analysis)) handled = true;
      }
      return true;
    }
    // `const c = this.client; c.on('error', h)`: the local stands for the field.
    if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fieldRead && parent.id.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariableFor(analysis.sourceCode, parent.id);
      if (variable && variableIsHandled(variable, analysis, analysis.sourceCode, fieldValue)) handled = true;
      return true;
    }
    if (
      parent.type === AST_NODE_TYPES.ReturnStatement ||
      (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(fieldRead as TSESTree.CallExpressionArgument)) ||
      (parent.type === AST_NODE_TYPES.NewExpression && parent.arguments.includes(fieldRead as TSESTree.CallExpressionArgument)) ||
      (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === fieldRead) ||
      parent.type === AST_NODE_TYPES.Property ||
      parent.type === AST_NODE_TYPES.ArrayExpression
    ) {
      handled = true;
    }
    return true;
  });
  return handled;
}

/** For `const { field: local } = this`: the local bound to the field. */
function destructuredFromThis(node: TSESTree.Node, field: string): TSESTree.Identifier | undefined {
  if (
    node.type !== AST_NODE_TYPES.VariableDeclarator ||
    node.id.type !== AST_NODE_TYPES.ObjectPattern ||
    !node.init ||
    unwrapExpression(node.init).type !== AST_NODE_TYPES.ThisExpression
  ) {
    return undefined;
  }
  for (const property of node.id.properties) {
    if (property.type !== AST_NODE_TYPES.Property || staticPropertyName(property) !== field) continue;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    return value.type === AST_NODE_TYPES.Identifier ? value : undefined;
  }
  return undefined;
}
