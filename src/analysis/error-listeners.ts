/**
 * Does an 'error' listener reach a client made here, or does ownership leave with it? The value
 * is followed to where it ends up: chained `.on('error', h)`, a variable whose uses listen
 * (aliases, `const { client } = this`, `const c = this.client`), a class field some method
 * listens on; returned, passed, stored, exported values are someone else's duty, except a client
 * a pool's `create` hands to a pool that never listens on its resources (generic-pool 2 and 3,
 * tarn). The catalog says which methods add listeners and which libraries crash (`errorEvent`).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { LIBRARIES, isRedisClientLibrary, type LibraryId } from '../catalog';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, methodCallOn, skipAwaitsUp, skipWrappersUp, staticPropertyName, thisPropertyName, unwrapExpression, walk, type FunctionNode } from './ast';
import { constructorFunctionClasses, constructorFunctionOf } from './class-connections';
import type { RedisAnalysis } from './context';
import { enclosingClass, type RedisValue } from './origin';
import { findVariableFor, type Variable } from './scope';
import { isExported, placementOf, usesOf } from './uses';

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
): ErrorListenerVerdict {
  const { sourceCode } = analysis;
  let current: TSESTree.Node = creation;
  for (;;) {
    const { node, parent } = skipAwaitsUp(current);
    if (!parent) return { handled: false };
    // Chained: createClient().on('error', h).connect()
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
      const { call, method } = methodCallOn(node) ?? {};
      if (!call) return { handled: true };
      const value = analysis.origins.valueOrPromised(creation);
      const spec = value && method ? value.library.values[value.kind]?.methods[method] : undefined;
      if (spec?.type === 'listener' && isErrorEventCall(call, analysis)) return { handled: true };
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
        return { handled: variableIsHandled(variable, analysis), variableName: parent.id.name };
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (parent.right !== node) return { handled: true };
        if (parent.left.type === AST_NODE_TYPES.Identifier) {
          const variable = findVariableFor(sourceCode, parent.left);
          if (!variable) return { handled: true };
          return { handled: variableIsHandled(variable, analysis) };
        }
        const field = thisPropertyName(parent.left);
        const classNode = enclosingClass(parent);
        if (classNode) return { handled: field === undefined || fieldIsHandled([classNode.body], field, created, analysis) };
        // `function Store() { this.db = redis.createClient() }`, or `self.db = …` through a local
        // that stands for `this`: its prototype methods are its class.
        const members = constructorFunctionMembers(parent, analysis);
        const named = field ?? (members && aliasPropertyName(parent.left, members.aliases, analysis));
        return { handled: !members || named === undefined || fieldIsHandled(members.bodies, named, created, analysis, members.aliases) };
      }
      case AST_NODE_TYPES.PropertyDefinition: {
        const field = staticPropertyName(parent);
        const classNode = parent.parent.parent;
        if (field === undefined || parent.static || (classNode.type !== AST_NODE_TYPES.ClassDeclaration && classNode.type !== AST_NODE_TYPES.ClassExpression)) {
          return { handled: true };
        }
        return { handled: fieldIsHandled([classNode.body], field, created, analysis) };
      }
      case AST_NODE_TYPES.ExpressionStatement:
        // Made and dropped: nothing can ever listen to it.
        return { handled: false };
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.CallExpression:
        // `create: () => createClient()`, `cb(null, createClient())`: a pool that never listens gets it.
        return { handled: !handedToUnlisteningPool(node, analysis) };
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
  variable: Variable,
  analysis: RedisAnalysis,
  fieldValue?: RedisValue,
): boolean {
  if (isExported(variable, analysis.sourceCode)) return true;
  for (const use of usesOf(variable, analysis.sourceCode)) {
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
      case 'returned':
      case 'passed':
        if (!use.closure && handedToUnlisteningPool(use.expression, analysis)) break;
        return true;
      default:
        // exported, stored, contained, yielded
        return true;
    }
  }
  return false;
}

/**
 * Whether an expression is what a pool's `create` makes, handed to a pool that adds no 'error'
 * listener to its resources: returned from `create`, or given to its node-style callback
 * (`create(cb) { cb(null, client) }`, generic-pool 2 and tarn).
 */
function handedToUnlisteningPool(expression: TSESTree.Node, analysis: RedisAnalysis): boolean {
  const { placement, parent } = placementOf(expression);
  const fn = enclosingFunction(expression);
  if (!fn) return false;
  if (placement === 'passed') {
    const callback = fn.params[0];
    const call = parent as TSESTree.CallExpression | TSESTree.NewExpression;
    if (call.type !== AST_NODE_TYPES.CallExpression || callback?.type !== AST_NODE_TYPES.Identifier) return false;
    const callee = unwrapExpression(call.callee);
    const { node } = skipWrappersUp(expression);
    if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== callback.name || call.arguments[1] !== node) return false;
    if (findVariableFor(analysis.sourceCode, callee)?.defs[0]?.name !== callback) return false;
  } else if (placement !== 'returned') {
    return false;
  }
  return isCreateOfUnlisteningPool(fn, analysis);
}

/** `create` of the resource factory given to a pool creation (inline, or an object in a local const). */
function isCreateOfUnlisteningPool(fn: FunctionNode, analysis: RedisAnalysis): boolean {
  const { node, parent: property } = skipWrappersUp(fn);
  if (property?.type !== AST_NODE_TYPES.Property || property.value !== node || staticPropertyName(property) !== 'create') return false;
  const object = property.parent;
  if (object.type !== AST_NODE_TYPES.ObjectExpression) return false;
  const { node: factory, parent } = skipWrappersUp(object);
  if (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) {
    return isUnlisteningPoolFactory(parent, factory, analysis);
  }
  // `const factory = { create() {…} }; createPool(factory, opts)`.
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== factory || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = findVariableFor(analysis.sourceCode, parent.id);
  return (
    variable?.references.some((reference) => {
      const { node: read, parent: call } = skipWrappersUp(reference.identifier);
      return (call?.type === AST_NODE_TYPES.CallExpression || call?.type === AST_NODE_TYPES.NewExpression) && isUnlisteningPoolFactory(call, read, analysis);
    }) ?? false
  );
}

function isUnlisteningPoolFactory(call: TSESTree.CallExpression | TSESTree.NewExpression, factory: TSESTree.Node, analysis: RedisAnalysis): boolean {
  const pool = analysis.origins.valueOf(call);
  if (!pool || pool.creation !== call || pool.resourceFactoryArg === undefined || call.arguments[pool.resourceFactoryArg] !== factory) return false;
  return pool.library.values[pool.kind]?.leavesResourceErrorsUnhandled === true;
}

function isListenerForError(call: TSESTree.CallExpression, method: string | undefined, analysis: RedisAnalysis): boolean {
  if (!method || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const receiver = analysis.origins.valueOrPromised(call.callee.object);
  return receiver !== undefined && isListenerMethod(receiver, method) && isErrorEventCall(call, analysis);
}

/** The catalog says this method of the value adds an event listener. */
function isListenerMethod(value: RedisValue, method: string | undefined): boolean {
  return method !== undefined && value.library.values[value.kind]?.methods[method]?.type === 'listener';
}

/** The event is 'error', or a name we can't read (then we assume it may be 'error'). */
function isErrorEventCall(call: TSESTree.CallExpression, analysis: RedisAnalysis): boolean {
  const value = call.arguments[0] && analysis.evaluator.evaluate(call.arguments[0]);
  return value !== undefined && (value.kind !== 'primitive' || value.value === 'error');
}

/**
 * The bodies of the constructor function `this.<field> = …` runs in and of its prototype methods,
 * with the locals that stand for `this` in them (`var self = this`, read only as `self.x`), or
 * undefined when `this` is not such an instance or leaves them (`register(this)`, `self` passed
 * on): then who listens on the field can't be seen, so it counts as handled.
 */
function constructorFunctionMembers(assignment: TSESTree.Node, analysis: RedisAnalysis): { bodies: TSESTree.Node[]; aliases: Set<Variable> } | undefined {
  const fn = enclosingFunction(assignment);
  const owner = fn && fn.type !== AST_NODE_TYPES.ArrowFunctionExpression ? constructorFunctionOf(fn)?.owner : undefined;
  if (owner === undefined) return undefined;
  const found = constructorFunctionClasses(analysis.sourceCode.ast).get(owner);
  const members = found ? [...(found.fn ? [found.fn] : []), ...found.methods.map((method) => method.fn)] : [];
  const aliases = new Set<Variable>();
  let thisLeaves = false;
  // Handing the instance back to whoever called on it (`return self`, `return this`) gives nobody a new way to it.
  const readOnlyAsMember = (variable: Variable) =>
    variable.references.every((reference) => {
      if (reference.init) return true;
      const { node, parent } = skipWrappersUp(reference.identifier);
      return !reference.isWrite() && ((parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) || parent?.type === AST_NODE_TYPES.ReturnStatement);
    });
  for (const member of members) {
    walk(member.body, (node) => {
      if (thisLeaves || (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression)) return false;
      if (node.type !== AST_NODE_TYPES.ThisExpression) return true;
      const { node: self, parent } = skipWrappersUp(node);
      if ((parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === self) || parent?.type === AST_NODE_TYPES.ReturnStatement) return true;
      const alias = parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === self && parent.id.type === AST_NODE_TYPES.Identifier ? findVariableFor(analysis.sourceCode, parent.id) : undefined;
      if (alias && readOnlyAsMember(alias)) aliases.add(alias);
      else thisLeaves = true;
      return !thisLeaves;
    });
  }
  return thisLeaves ? undefined : { bodies: members.map((member) => member.body), aliases };
}

/** `db` in `self.db`, when `self` is one of the locals that stand for `this` (see constructorFunctionMembers). */
function aliasPropertyName(node: TSESTree.Node, aliases: ReadonlySet<Variable>, analysis: RedisAnalysis): string | undefined {
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.object.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariableFor(analysis.sourceCode, node.object);
  return variable && aliases.has(variable) ? staticPropertyName(node) : undefined;
}

/** A class that listens for 'error' on the field, or hands the field out, handles it. */
function fieldIsHandled(
  members: readonly TSESTree.Node[],
  field: string,
  fieldValue: RedisValue,
  analysis: RedisAnalysis,
  thisAliases: ReadonlySet<Variable> = new Set(),
): boolean {
  // `this.client`, or `self.client` through a local that stands for `this`.
  const readsField = (node: TSESTree.Node): boolean => {
    if (thisPropertyName(node) === field) return true;
    if (thisAliases.size === 0 || node.type !== AST_NODE_TYPES.MemberExpression || node.object.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = staticPropertyName(node) === field ? findVariableFor(analysis.sourceCode, node.object) : undefined;
    return variable !== undefined && thisAliases.has(variable);
  };
  let handled = false;
  for (const member of members) walk(member, (node) => {
    if (handled) return false;
    // `const { client } = this; client.on('error', h)`.
    const destructured = destructuredFromThis(node, field);
    if (destructured) {
      const variable = findVariableFor(analysis.sourceCode, destructured);
      if (variable && variableIsHandled(variable, analysis, fieldValue)) handled = true;
      return true;
    }
    if (!readsField(node)) return true;
    const { node: fieldRead, parent } = skipAwaitsUp(node);
    if (!parent) return true;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === fieldRead) {
      const called = methodCallOn(fieldRead);
      if (called && isListenerMethod(fieldValue, called.method) && isErrorEventCall(called.call, analysis)) handled = true;
      return true;
    }
    // `const c = this.client; c.on('error', h)`: the local stands for the field.
    if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fieldRead && parent.id.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariableFor(analysis.sourceCode, parent.id);
      if (variable && variableIsHandled(variable, analysis, fieldValue)) handled = true;
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
