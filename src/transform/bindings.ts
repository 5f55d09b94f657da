/**
 * How a module-level or local binding is used, reference by reference, on the jscodeshift AST:
 * as the receiver of a method call, read, handed on, exported. The codemods that move a client
 * (dedicated-blocking-client, shared-client) and add-timeouts' BullMQ check read bindings here.
 */
import { isCall, isMember, staticName, type Node } from './ast';
import type { FileContext } from './file-context';
import type { Binding } from './scope';

export type ReferenceUse =
  /** `x.method(…)`: `call` is the call, `member` the `x.method` callee. */
  | { kind: 'method-call'; identifier: Node; outer: Node; method: string; call: Node; member: Node }
  /** `x.y` read without a call, `typeof x`, a test. */
  | { kind: 'read'; identifier: Node; outer: Node }
  /** `{ key: x }`: `property` is the ObjectProperty. */
  | { kind: 'contained'; identifier: Node; outer: Node; property: Node }
  /** `export { x }`, `export default x`, `module.exports = x`, `exports.y = x`. */
  | { kind: 'exported'; identifier: Node; outer: Node }
  /** Written (`x = …`). */
  | { kind: 'written'; identifier: Node; outer: Node }
  /** Returned, passed, stored, spread, put in an array: it goes where this file can't follow. */
  | { kind: 'handed-on'; identifier: Node; outer: Node };

// Wrappers that keep the same value: `await`, TS assertions, parentheses.
const WRAPPERS = new Set(['AwaitExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ParenthesizedExpression', 'TypeCastExpression']);

/** Every reference to a binding, classified. */
export function referenceUses(context: FileContext, binding: Binding): ReferenceUse[] {
  return context.scopes.referencesOf(binding).map((reference) => {
    if (reference.write) return { kind: 'written', identifier: reference.identifier, outer: reference.identifier };
    return classifyReference(context, reference.identifier);
  });
}

export function classifyReference(context: FileContext, identifier: Node): ReferenceUse {
  let outer = identifier;
  let slot = context.index.slotOf(outer);
  while (slot && WRAPPERS.has(slot.parent.type)) {
    outer = slot.parent;
    slot = context.index.slotOf(outer);
  }
  if (!slot) return { kind: 'read', identifier, outer };
  const { parent, key } = slot;
  if (isMember(parent) && key === 'object') {
    const method = staticName(parent);
    const callSlot = context.index.slotOf(parent);
    if (method !== undefined && callSlot && isCall(callSlot.parent) && callSlot.key === 'callee') {
      return { kind: 'method-call', identifier, outer, method, call: callSlot.parent, member: parent };
    }
    return { kind: 'read', identifier, outer };
  }
  switch (parent.type) {
    case 'ExportSpecifier':
    case 'ExportDefaultDeclaration':
      return { kind: 'exported', identifier, outer };
    case 'ObjectProperty': {
      if (key !== 'value') return { kind: 'read', identifier, outer };
      const object = context.index.parentOf(parent);
      const assignment = object && context.index.parentOf(object);
      if (assignment?.type === 'AssignmentExpression' && assignment.right === object && isModuleExports(assignment.left)) {
        return { kind: 'exported', identifier, outer };
      }
      return { kind: 'contained', identifier, outer, property: parent };
    }
    case 'AssignmentExpression':
      if (key === 'right' && (isModuleExports(parent.left) || isExportsMember(parent.left))) return { kind: 'exported', identifier, outer };
      return { kind: 'handed-on', identifier, outer };
    // Evaluated for its truth or compared: `redis;`, `if (redis)`, `!redis`, `redis === other`.
    case 'ExpressionStatement':
    case 'UnaryExpression':
    case 'BinaryExpression':
      return { kind: 'read', identifier, outer };
    case 'IfStatement':
    case 'ConditionalExpression':
      return key === 'test' ? { kind: 'read', identifier, outer } : { kind: 'handed-on', identifier, outer };
    default:
      return { kind: 'handed-on', identifier, outer };
  }
}

/** Whether a module-level binding is exported from its module (ESM or CommonJS). */
export function isExportedBinding(context: FileContext, binding: Binding): boolean {
  if (binding.scope !== context.program) return false;
  const owner = context.index.parentOf(binding.declaration);
  if (owner?.type === 'ExportNamedDeclaration' || owner?.type === 'ExportDefaultDeclaration') return true;
  return referenceUses(context, binding).some((use) => use.kind === 'exported');
}

/** `module.exports`. */
export function isModuleExports(node: Node | undefined): boolean {
  return !!node && isMember(node) && node.object.type === 'Identifier' && node.object.name === 'module' && staticName(node) === 'exports';
}

/** `exports.x`, `module.exports.x`. */
function isExportsMember(node: Node): boolean {
  if (!isMember(node)) return false;
  const object = node.object;
  return (object.type === 'Identifier' && object.name === 'exports') || isModuleExports(object);
}

/**
 * Whether a value made at `creation` can reach code this file doesn't show: exported, returned,
 * passed on, stored, or put in a literal (other than one `keptProperty` accepts). Its own method
 * calls keep it here; `step` says which methods return the same value (`chain`) or a value that
 * carries it on (`inherits`, a duplicate), whose way then counts too.
 */
export function leavesSight(
  context: FileContext,
  creation: Node,
  step: (method: string | undefined) => 'chain' | 'inherits' | 'other',
  keptProperty: (property: Node) => boolean = () => false,
  depth = 0,
): boolean {
  if (depth > 4) return true;
  let current = creation;
  for (;;) {
    const slot = context.index.slotOf(current);
    if (!slot) return false;
    const { parent, key } = slot;
    if (WRAPPERS.has(parent.type)) {
      current = parent;
      continue;
    }
    if (isMember(parent)) {
      if (key !== 'object') return true;
      const callSlot = context.index.slotOf(parent);
      if (!callSlot || !isCall(callSlot.parent) || callSlot.key !== 'callee') return false;
      const kind = step(staticName(parent));
      if (kind === 'chain') {
        current = callSlot.parent;
        continue;
      }
      return kind === 'inherits' ? leavesSight(context, callSlot.parent, step, keptProperty, depth + 1) : false;
    }
    switch (parent.type) {
      case 'ObjectProperty':
        return !(key === 'value' && keptProperty(parent));
      case 'ExpressionStatement':
        return false;
      case 'VariableDeclarator': {
        if (key !== 'init' || parent.id.type !== 'Identifier') return true;
        const binding = context.scopes.resolve(parent.id);
        if (!binding || binding.identifier !== parent.id || isExportedBinding(context, binding)) return true;
        return referenceUses(context, binding).some((use) => {
          switch (use.kind) {
            case 'read':
              return false;
            case 'method-call': {
              const kind = step(use.method);
              return kind === 'inherits' ? leavesSight(context, use.call, step, keptProperty, depth + 1) : false;
            }
            case 'contained':
              return !keptProperty(use.property);
            default:
              return true;
          }
        });
      }
      default:
        return true;
    }
  }
}

/** For `leavesSight`: what a method on the value at `creation` returns, per the catalog. */
export function catalogStep(context: FileContext, creation: Node): (method: string | undefined) => 'chain' | 'inherits' | 'other' {
  return (method) => {
    const value = context.origins.valueOrPromised(creation);
    const spec = value && method !== undefined ? value.library.values[value.kind]?.methods[method] : undefined;
    if (spec?.type === 'self' || spec?.type === 'listener') return 'chain';
    if (spec?.type === 'produces' && spec.inheritsOptions) return 'inherits';
    return 'other';
  };
}
