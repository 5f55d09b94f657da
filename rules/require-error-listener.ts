import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { LIBRARIES, isRedisClientLibrary, type LibraryId } from '../src/catalog';
import {
  enclosingClass,
  findVariableFor,
  getRedisAnalysis,
  isExported,
  skipWrappersUp,
  staticPropertyName,
  unwrapExpression,
  usesOf,
  walk,
  type RedisAnalysis,
  type RedisValue,
} from '../src/analysis';
import { createRule } from '../src/create-rule';

export type Options = [{ libraries?: LibraryId[] }];
export type MessageIds = 'missingErrorListener' | 'addErrorListener';

const CONNECTION_KINDS = new Set(['client', 'cluster', 'pool', 'sentinel']);
/** Client libraries whose clients emit 'error' events, and those where an unhandled one crashes the process. */
const LISTENER_LIBRARIES: LibraryId[] = clientLibrariesWhere((event) => event === 'crashes' || event === 'logs');
const CRASHING_LIBRARIES: LibraryId[] = clientLibrariesWhere((event) => event === 'crashes');

function clientLibrariesWhere(test: (event: string | undefined) => boolean): LibraryId[] {
  return LIBRARIES.filter((library) => isRedisClientLibrary(library) && test(library.values.client?.errorEvent)).map((library) => library.id);
}
/** The EventEmitter methods that add a listener (every checked library's values are emitters). */

export default createRule<Options, MessageIds>({
  name: 'require-error-listener',
  meta: {
    type: 'problem',
    docs: {
      description: "Require an 'error' listener on every Redis client, pool, cluster and sentinel that can crash the process without one",
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      missingErrorListener:
        "This {{library}} {{kind}} has no 'error' listener: {{consequence}} Add `.on('error', …)` where it is created.",
      addErrorListener: "Add an 'error' listener that logs the error.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          libraries: {
            type: 'array',
            description:
              "Libraries to check. node-redis and node_redis 2/3 (`node-redis-legacy`) crash the process on an unhandled 'error'; ioredis and iovalkey only print \"Unhandled error event\", so they are off by default.",
            items: { type: 'string', enum: LISTENER_LIBRARIES },
            uniqueItems: true,
          },
        },
      },
    ],
    defaultOptions: [{ libraries: CRASHING_LIBRARIES }],
  },
  defaultOptions: [{ libraries: CRASHING_LIBRARIES }],
  create(context, [options]) {
    const libraries = new Set<LibraryId>(options.libraries ?? CRASHING_LIBRARIES);
    const analysis = getRedisAnalysis(context);
    const { sourceCode } = context;

    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const value = analysis.origins.valueOrPromised(node);
      // A value from a project function: the function may well add the listener itself.
      if (!value || value.creation !== node || value.how === 'type' || value.how === 'summary') return;
      if (!libraries.has(value.library.id) || !CONNECTION_KINDS.has(value.kind)) return;
      const errorEvent = value.library.values[value.kind]?.errorEvent;
      if (errorEvent !== 'crashes' && errorEvent !== 'logs') return;
      const verdict = followValue(node, value, analysis, sourceCode);
      if (verdict.handled) return;
      context.report({
        node,
        messageId: 'missingErrorListener',
        data: {
          library: value.library.displayName,
          kind: value.kind === 'client' && value.how === 'method' ? 'duplicate' : value.kind,
          consequence:
            errorEvent === 'crashes'
              ? 'the first socket error (a Redis restart, a failover, a network blip) is thrown as an unhandled event and crashes the process.'
              : 'socket errors are printed as "Unhandled error event" and nothing in the service learns of them.',
        },
        suggest: [{ messageId: 'addErrorListener', fix: (fixer) => addListenerFix(fixer, node, verdict.variableName, sourceCode) }],
      });
    }

    return {
      CallExpression: check,
      NewExpression: check,
    };
  },
});

interface Verdict {
  /** A listener reaches the value, or ownership leaves the scope (someone else's duty). */
  handled: boolean;
  /** The variable the value is stored in directly, for the suggestion. */
  variableName?: string;
}

/** Follows the created value to where it ends up, looking for an 'error' listener on the way. */
function followValue(
  creation: TSESTree.Node,
  created: RedisValue,
  analysis: RedisAnalysis,
  sourceCode: Readonly<TSESLint.SourceCode>,
): Verdict {
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

function addListenerFix(
  fixer: TSESLint.RuleFixer,
  creation: TSESTree.Node,
  variableName: string | undefined,
  sourceCode: Readonly<TSESLint.SourceCode>,
): TSESLint.RuleFix {
  const statement = variableName ? declarationStatement(creation) : undefined;
  if (variableName && statement) return insertListenerAfter(fixer, statement, variableName, sourceCode);
  // `this.client = createClient();`: a statement of its own reads better than a chain, and keeps
  // the assigned type (a chained `.on()` loses the target's contextual type parameters).
  const assignment = assignmentStatement(creation);
  if (assignment) return insertListenerAfter(fixer, assignment.statement, sourceCode.getText(assignment.target), sourceCode);
  const text = sourceCode.getText(creation);
  // `new Redis` without an argument list must be parenthesised before a member access.
  const wrapped = creation.type === AST_NODE_TYPES.NewExpression && !hasParens(creation, sourceCode) ? `(${text})` : text;
  return fixer.replaceText(creation, `${wrapped}.on('error', (err) => console.error('Redis error', err))`);
}

function insertListenerAfter(
  fixer: TSESLint.RuleFixer,
  statement: TSESTree.Node,
  target: string,
  sourceCode: Readonly<TSESLint.SourceCode>,
): TSESLint.RuleFix {
  const line = sourceCode.lines[statement.loc.start.line - 1] ?? '';
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  return fixer.insertTextAfter(
    statement,
    `\n${indent}${target}.on('error', (err) => {\n${indent}  console.error('Redis error', err);\n${indent}});`,
  );
}

function hasParens(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  return sourceCode.getText(node).trimEnd().endsWith(')');
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
    if (current.type === AST_NODE_TYPES.VariableDeclaration) {
      const container = current.parent;
      if (
        container?.type === AST_NODE_TYPES.Program ||
        container?.type === AST_NODE_TYPES.BlockStatement ||
        container?.type === AST_NODE_TYPES.ExportNamedDeclaration
      ) {
        return current;
      }
      return undefined;
    }
    if (current.type === AST_NODE_TYPES.BlockStatement || current.type === AST_NODE_TYPES.Program) return undefined;
  }
  return undefined;
}
