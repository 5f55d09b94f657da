/**
 * Connections a class makes, opens and keeps on `this` with no way to close them: one leaked
 * connection per instance (services that made one per request ran out of connections). A
 * lifecycle method that touches the field or calls another method, a release anywhere in the
 * class, or handing the field out is a way; a class that extends another is left alone (its
 * base may close the field).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, isFunctionNode, methodCall, skipWrappersUp, staticPropertyName, thisPropertyName, unwrapExpression, walk } from './ast';
import type { RedisAnalysis } from './context';
import { closesItself, connectionMadeIn } from './loans';
import { enclosingClass, type RedisValue } from './origin';
import { opensIn } from './summaries';
import { placementOf, type Placement } from './uses';

/** Names of methods that end an object's life in the frameworks and libraries people use. */
export const CLOSE_METHOD_NAMES: readonly string[] = [
  'close', 'quit', 'disconnect', 'destroy', 'stop', 'shutdown', 'dispose', 'onModuleDestroy', 'onApplicationShutdown',
  // Fastify's hook name, used as a method by plugins and services.
  'onClose',
];

const DISPOSE_SYMBOLS = new Set(['asyncDispose', 'dispose']);

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

export interface UnclosedField {
  field: string;
  value: RedisValue;
  /** The factory call, constructor or `duplicate()` that made the connection. */
  creation: TSESTree.CallExpression | TSESTree.NewExpression;
}

/** The connections this class makes, keeps on `this`, and has no way to close. */
export function unclosedConnectionFields(classNode: ClassNode, analysis: RedisAnalysis): UnclosedField[] {
  if (classNode.superClass) return [];
  const made = new Map<string, UnclosedField>();
  const consider = (field: string | undefined, expression: TSESTree.Node): void => {
    const connection = field === undefined ? undefined : connectionMadeIn(expression, analysis, true);
    if (connection && !made.has(field!)) made.set(field!, { field: field!, ...connection });
  };
  for (const member of classNode.body.body) {
    if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static && member.value) {
      consider(staticPropertyName(member), member.value);
    }
  }
  walkClass(classNode, (node) => {
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.operator === '=') consider(thisPropertyName(node.left), node.right);
  });

  const result: UnclosedField[] = [];
  for (const candidate of made.values()) {
    // A node-redis connection holds a socket only once `connect()` ran on it somewhere in the class.
    if (!opensIn(classNode.body, candidate.value, analysis.origins)) continue;
    if (isReleasedInClass(candidate, classNode, analysis)) continue;
    if (hasCloseMethodFor(candidate.field, classNode)) continue;
    if (isHandedOut(candidate.field, classNode)) continue;
    result.push(candidate);
  }
  return result;
}

/** Visits the class's own code: members and their functions, not nested classes. */
function walkClass(classNode: ClassNode, visit: (node: TSESTree.Node) => void): void {
  walk(classNode.body, (node) => {
    if ((node.type === AST_NODE_TYPES.ClassBody && node !== classNode.body) || node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression) {
      return false;
    }
    if (enclosingClass(node) === classNode || node.parent === classNode.body) visit(node);
    return true;
  });
}

function isReleasedInClass(candidate: UnclosedField, classNode: ClassNode, analysis: RedisAnalysis): boolean {
  let released = false;
  walk(classNode.body, (node) => {
    if (released) return false;
    const parts = methodCall(node);
    const receiver = parts && analysis.origins.valueOrPromised(parts.receiver);
    if (receiver?.creation === candidate.value.creation && closesItself(receiver, parts, analysis)) released = true;
    return true;
  });
  return released;
}

/** A lifecycle method that reads the field, or calls another method of the class it may close it in. */
function hasCloseMethodFor(field: string, classNode: ClassNode): boolean {
  for (const member of classNode.body.body) {
    if (!isCloseMethodKey(member) || ('static' in member && member.static)) continue;
    const fn =
      member.type === AST_NODE_TYPES.MethodDefinition
        ? member.value
        : member.type === AST_NODE_TYPES.PropertyDefinition && member.value && isFunctionNode(unwrapExpression(member.value))
          ? unwrapExpression(member.value)
          : undefined;
    if (!fn) continue;
    let touches = false;
    walk(fn, (node) => {
      if (touches) return false;
      if (node.type === AST_NODE_TYPES.MemberExpression && unwrapExpression(node.object).type === AST_NODE_TYPES.ThisExpression) {
        const name = staticPropertyName(node);
        const { node: callee, parent } = skipWrappersUp(node);
        const isCall = parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === callee;
        if (name === field || isCall || name === undefined) touches = true;
      }
      return true;
    });
    if (touches) return true;
  }
  return false;
}

function isCloseMethodKey(member: TSESTree.ClassElement): boolean {
  if (member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) return false;
  if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind !== 'method') return false;
  if (member.computed) {
    // [Symbol.asyncDispose], [Symbol.dispose]
    const key = member.key;
    return (
      key.type === AST_NODE_TYPES.MemberExpression &&
      key.object.type === AST_NODE_TYPES.Identifier &&
      key.object.name === 'Symbol' &&
      DISPOSE_SYMBOLS.has(staticPropertyName(key) ?? '')
    );
  }
  const name = staticPropertyName(member);
  return name !== undefined && CLOSE_METHOD_NAMES.includes(name);
}

/** `this.field` leaves the class: returned, passed on, put in an object, aliased. */
function isHandedOut(field: string, classNode: ClassNode): boolean {
  let handedOut = false;
  walkClass(classNode, (node) => {
    if (!handedOut && thisPropertyName(node) === field) handedOut = HAND_OUTS.has(placementOf(node).placement);
  });
  return handedOut;
}

export const HAND_OUTS: ReadonlySet<Placement> = new Set(['returned', 'yielded', 'contained', 'passed', 'declared', 'assigned']);
