/**
 * Whether evaluating a node may throw (or, for `await`, reject), read the way a careful reviewer
 * reads a statement between taking a connection and the `try` that protects it: an exception path
 * only when it can fail on real input (I/O, an awaited operation, parsing, an explicit throw, an
 * unknown function). Known not to fail: a few built-ins (`console.*`, `Math.*`, `new Map()`),
 * logging statements, calls that only build a promise chain, commands on a recognised Redis value
 * (they reject, so their `await` is what throws), plain classes and functions of the same file
 * (DESIGN: "a plain object's constructor … is not an exception path"), getters of a started object
 * and `child.kill()`. `JSON.parse(raw)`, `assert(…)` and unknown functions stay throw points.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, isFunctionNode, isNullish, methodCall, requireSpecifier, skipWrappersUp, staticPropertyName, unwrapExpression, walk } from './ast';
import type { RedisAnalysis } from './context';
import { findVariableFor, importOf, isGlobal, isReassigned, isUnshadowedGlobal } from './scope';

/**
 * Whether evaluating this node may throw (or, for `await`, reject). A `throw` statement throws;
 * calls inside its argument are part of it. With type information, a property read through a
 * non-null assertion on a value whose type admits null or undefined may throw.
 */
export function mayThrow(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
  // Asked for every step of every path that holds a value: remember the answer per node.
  let known = throwing.get(node);
  if (known === undefined) {
    // "May throw" while being worked out: a class whose construction constructs itself never ends.
    throwing.set(node, true);
    known = computeMayThrow(node, analysis);
    throwing.set(node, known);
  }
  return known;
}

/** Per node (so per file and its analysis), whether it may throw. */
const throwing = new WeakMap<TSESTree.Node, boolean>();

function computeMayThrow(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
  if (cannotFailAtRunTime(node, analysis)) return false;
  switch (node.type) {
    case AST_NODE_TYPES.ThrowStatement:
      return true;
    case AST_NODE_TYPES.AwaitExpression:
      return mayReject(node.argument, analysis);
    case AST_NODE_TYPES.TaggedTemplateExpression:
      return !insideThrow(node);
    case AST_NODE_TYPES.NewExpression:
      return !insideThrow(node) && !isGlobal(node.callee, SAFE_CONSTRUCTORS, analysis.sourceCode);
    case AST_NODE_TYPES.CallExpression: {
      if (insideThrow(node) || isSafeCall(node, analysis.sourceCode)) return false;
      const callee = unwrapExpression(node.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        if (PROMISE_METHODS.has(staticPropertyName(callee) ?? '')) return false;
        if (analysis.origins.valueOrPromised(callee.object)) return false;
      }
      return !isChainedToPromise(node);
    }
    case AST_NODE_TYPES.MemberExpression:
      return readMayThrow(node, analysis);
    default:
      return false;
  }
}

/**
 * Whether anything `node` evaluates, outside the functions it makes, may throw; `callMayThrow`
 * may judge calls more strictly.
 */
export function mayThrowWithin(
  node: TSESTree.Node,
  analysis: RedisAnalysis,
  callMayThrow = (call: TSESTree.CallExpression) => mayThrow(call, analysis),
): boolean {
  let throws = false;
  walk(node, (inner) => {
    if (throws || isFunctionNode(inner)) return false;
    if (inner.type === AST_NODE_TYPES.AwaitExpression || inner.type === AST_NODE_TYPES.YieldExpression || inner.type === AST_NODE_TYPES.ThrowStatement) {
      throws = true;
    } else {
      throws = inner.type === AST_NODE_TYPES.CallExpression ? callMayThrow(inner) : mayThrow(inner, analysis);
    }
    return !throws;
  });
  return throws;
}

const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

/**
 * Whether the promise an `await` waits for may reject. A chain that ends in `.catch(handler)`
 * (or `.then(onFulfilled, onRejected)`) rejects only when a handler throws: `await
 * client.get(k).catch(() => null)` does not.
 */
function mayReject(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
  const inner = unwrapExpression(node);
  if (inner.type === AST_NODE_TYPES.NewExpression && isGlobal(inner.callee, 'Promise', analysis.sourceCode)) {
    return executorMayReject(inner.arguments[0], analysis);
  }
  const parts = methodCall(inner);
  if (!parts) return true;
  const [first, second] = parts.call.arguments;
  switch (parts.method) {
    case 'catch':
      return first === undefined ? mayReject(parts.receiver, analysis) : handlerMayThrow(first, analysis);
    case 'then':
      return (
        (first !== undefined && handlerMayThrow(first, analysis)) ||
        (second === undefined ? mayReject(parts.receiver, analysis) : handlerMayThrow(second, analysis))
      );
    case 'finally':
      return mayReject(parts.receiver, analysis) || (first !== undefined && handlerMayThrow(first, analysis));
    default:
      return true;
  }
}

/**
 * `new Promise((resolve) => setTimeout(resolve, ms))`, `new Promise(async (resolve) => …)`: an
 * executor written in place that takes (or uses) no `reject` rejects only by throwing
 * synchronously (an async one can't: its own promise is dropped) or by resolving with a promise
 * that rejects.
 */
function executorMayReject(argument: TSESTree.Node | undefined, analysis: RedisAnalysis): boolean {
  const executor = argument && unwrapExpression(argument);
  if (!executor || !isFunctionNode(executor) || executor.generator || executor.params.length > 2) return true;
  const [resolve, reject] = executor.params;
  // A `reject` the executor never uses is as good as none.
  if (reject && (reject.type !== AST_NODE_TYPES.Identifier || (findVariableFor(analysis.sourceCode, reject)?.references.length ?? 1) > 0)) return true;
  if (resolve && (resolve.type !== AST_NODE_TYPES.Identifier || resolvesWithCall(resolve, analysis))) return true;
  if (executor.async) return false;
  const callsResolve = (call: TSESTree.CallExpression) => resolve !== undefined && call.callee.type === AST_NODE_TYPES.Identifier && call.callee.name === resolve.name;
  return mayThrowWithin(executor.body, analysis, (call) => !callsResolve(call) && !isSafeCall(call, analysis.sourceCode));
}

/** `resolve(fetchIt())`: resolving with what a call returns adopts its rejection. */
function resolvesWithCall(resolve: TSESTree.Identifier, analysis: RedisAnalysis): boolean {
  const variable = findVariableFor(analysis.sourceCode, resolve);
  if (!variable) return true;
  return variable.references.some(({ identifier }) => {
    const { node, parent } = skipWrappersUp(identifier as TSESTree.Node);
    if (parent?.type !== AST_NODE_TYPES.CallExpression || parent.callee !== node) return false;
    return parent.arguments.some((value) => {
      const inner = unwrapExpression(value);
      return inner.type === AST_NODE_TYPES.CallExpression || inner.type === AST_NODE_TYPES.NewExpression || inner.type === AST_NODE_TYPES.SpreadElement;
    });
  });
}

/**
 * Whether a promise handler may throw or return a promise that rejects. Only handlers written
 * in place whose body does nothing that may throw (no call but the safe built-ins and logging,
 * no `await`, no `throw`), `undefined`/`null`, and `console.*` are known not to.
 */
function handlerMayThrow(argument: TSESTree.Node, analysis: RedisAnalysis): boolean {
  const handler = unwrapExpression(argument);
  if (handler.type === AST_NODE_TYPES.SpreadElement) return true;
  if (isNullish(handler, true)) return false;
  if (handler.type === AST_NODE_TYPES.MemberExpression) return !isGlobal(handler.object, 'console', analysis.sourceCode);
  if (!isFunctionNode(handler) || handler.generator) return true;
  // A command on a Redis value rejects instead of throwing, but a handler that returns it rejects.
  return mayThrowWithin(handler.body, analysis, (call) => !isSafeCall(call, analysis.sourceCode));
}

/** Method names of loggers (console, pino, winston, bunyan, Nest's Logger). */
const LOG_METHODS = new Set(['log', 'info', 'warn', 'warning', 'error', 'debug', 'trace', 'fatal', 'verbose', 'silly', 'notice', 'critical']);

/**
 * `logger.error(err)`, `this.log.warn(…)`, `req.log.info(…)` as a statement of its own (or an
 * arrow's body): a logger's level method on a receiver named like one. Loggers do not throw in
 * practice, and a catch that logs and swallows before the release is the common, correct shape.
 */
function isLoggingStatement(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): boolean {
  const method = staticPropertyName(callee);
  if (method === undefined || !LOG_METHODS.has(method)) return false;
  const receiver = unwrapExpression(callee.object);
  const name =
    receiver.type === AST_NODE_TYPES.Identifier
      ? receiver.name
      : receiver.type === AST_NODE_TYPES.MemberExpression
        ? staticPropertyName(receiver)
        : undefined;
  if (name === undefined || !isLoggerName(name.replace(/^#/, ''))) return false;
  const { node, parent } = skipWrappersUp(call);
  return (
    (parent?.type === AST_NODE_TYPES.ExpressionStatement && parent.expression === node) ||
    (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node)
  );
}

function isLoggerName(name: string): boolean {
  // `logger`, `log`, `_logger`, `LOGGER`, `console`; `appLogger`, `auditLog`, `request_logger` (not `catalog`).
  return /^_*(?:log|logger|console)$/i.test(name) || /(?:Log|Logger|_log|_logger)$/.test(name);
}

/** Globals whose calls do not throw in practice. */
const SAFE_NAMESPACES = new Set(['console', 'Math']);
const SAFE_STATIC_CALLS: Record<string, ReadonlySet<string>> = {
  Date: new Set(['now']),
  Array: new Set(['isArray']),
  Number: new Set(['isInteger', 'isFinite', 'isNaN', 'isSafeInteger']),
  performance: new Set(['now']),
};
// Timers take a function and return at once: what the function does happens later.
const SAFE_FUNCTIONS = new Set(['Boolean', 'String', 'Symbol', 'setTimeout', 'setImmediate', 'queueMicrotask']);
const SAFE_CONSTRUCTORS = new Set([
  'Map', 'Set', 'WeakMap', 'WeakSet', 'Date', 'Error', 'TypeError', 'RangeError', 'Promise', 'AbortController',
]);

/** A call of a safe built-in, or a logging statement. */
function isSafeCall(call: TSESTree.CallExpression, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return isGlobal(callee, SAFE_FUNCTIONS, sourceCode);
  if (isLoggingStatement(call, callee)) return true;
  const object = unwrapExpression(callee.object);
  if (object.type !== AST_NODE_TYPES.Identifier || !isUnshadowedGlobal(object, sourceCode)) return false;
  if (SAFE_NAMESPACES.has(object.name)) return true;
  const method = staticPropertyName(callee);
  return method !== undefined && (SAFE_STATIC_CALLS[object.name]?.has(method) ?? false);
}

/** The call's promise goes straight into `.then` / `.catch` / `.finally`. */
function isChainedToPromise(call: TSESTree.CallExpression): boolean {
  const { node, parent } = skipWrappersUp(call);
  return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node && PROMISE_METHODS.has(staticPropertyName(parent) ?? '');
}

function insideThrow(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ThrowStatement) return true;
    if (isFunctionNode(current) || current.type.endsWith('Statement') || current.type === AST_NODE_TYPES.VariableDeclarator) {
      return false;
    }
  }
  return false;
}

/** `x!.y` where x's type admits null or undefined (only with type information). */
function readMayThrow(node: TSESTree.MemberExpression, analysis: RedisAnalysis): boolean {
  if (!analysis.types || node.optional || node.object.type !== AST_NODE_TYPES.TSNonNullExpression) return false;
  return analysis.types.admitsNullOrUndefined(node.object.expression);
}

/** Same-file plain constructors and functions, getters of started objects, `child.kill()`. */
function cannotFailAtRunTime(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return false;
  const callee = unwrapExpression(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    return isPlainDeclaration(callee, node.type === AST_NODE_TYPES.NewExpression, analysis, new Set());
  }
  if (node.type !== AST_NODE_TYPES.CallExpression || callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const method = staticPropertyName(callee);
  if (method === undefined) return false;
  const receiver = unwrapExpression(callee.object);
  if (receiver.type !== AST_NODE_TYPES.Identifier) return false;
  // `child.kill()` reports failure by returning false.
  if (method === 'kill' && node.arguments.every(isLiteralArgument)) return isChildProcess(receiver, analysis);
  if ((STARTED_GETTER.test(method) || method === 'address') && node.arguments.every(isLiteralArgument)) {
    return isStartedObject(receiver, analysis);
  }
  return false;
}

/** `getHost()`, `getMappedPort(6379)`, `getPort()`, `getConnectionUrl()`: accessors of a started server or container. */
const STARTED_GETTER = /^get[A-Z][A-Za-z]*$/;

function isLiteralArgument(argument: TSESTree.Node): boolean {
  return argument.type === AST_NODE_TYPES.Literal || (argument.type === AST_NODE_TYPES.TemplateLiteral && argument.expressions.length === 0);
}

/** What a once-declared, never re-assigned name stands for: its class or function, or its initial value. */
function declarationOf(identifier: TSESTree.Identifier, analysis: RedisAnalysis): TSESTree.Node | undefined {
  const variable = findVariableFor(analysis.sourceCode, identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!def || isReassigned(variable!)) return undefined;
  if (def.type === 'ClassName' || def.type === 'FunctionName') return def.node;
  const declarator = def.type === 'Variable' ? def.node : undefined;
  return declarator?.id.type === AST_NODE_TYPES.Identifier && declarator.init ? unwrapExpression(declarator.init) : undefined;
}

/** `await new GenericContainer(…).start()`, `await app.listen(0)`: an object that is up and running. */
function isStartedObject(identifier: TSESTree.Identifier, analysis: RedisAnalysis): boolean {
  const init = declarationOf(identifier, analysis);
  if (init?.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const method = methodCall(unwrapExpression(init.argument))?.method;
  return method === 'start' || method === 'listen';
}

const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process']);
const SPAWNING_FUNCTIONS = new Set(['spawn', 'fork', 'exec', 'execFile']);

/** A variable holding `spawn(…)` / `cp.fork(…)` from `node:child_process`. */
function isChildProcess(identifier: TSESTree.Identifier, analysis: RedisAnalysis): boolean {
  const init = declarationOf(identifier, analysis);
  if (init?.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrapExpression(init.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariableFor(analysis.sourceCode, callee);
    const imported = variable && importOf(variable);
    return !!imported && SPAWNING_FUNCTIONS.has(imported.name) && CHILD_PROCESS_MODULES.has(imported.source);
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !SPAWNING_FUNCTIONS.has(staticPropertyName(callee) ?? '')) return false;
  const object = unwrapExpression(callee.object);
  if (object.type === AST_NODE_TYPES.CallExpression) return CHILD_PROCESS_MODULES.has(requireSpecifier(object) ?? '');
  return object.type === AST_NODE_TYPES.Identifier && CHILD_PROCESS_MODULES.has(analysis.origins.importSourceOf(object) ?? '');
}

/** How deep plain declarations may call each other before the answer is "may throw". */
const MAX_DEPTH = 4;

/**
 * A class or function declared in this file whose construction or call runs only plain code.
 * A class counts when it has no base class (a base constructor may do anything) and constructs
 * quietly; a function counts when its body is plain.
 */
function isPlainDeclaration(identifier: TSESTree.Identifier, constructing: boolean, analysis: RedisAnalysis, seen: Set<TSESTree.Node>): boolean {
  if (seen.size >= MAX_DEPTH) return false;
  const declaration = declarationOf(identifier, analysis);
  if (!declaration || seen.has(declaration)) return false;
  seen.add(declaration);
  try {
    if (declaration.type === AST_NODE_TYPES.ClassDeclaration || declaration.type === AST_NODE_TYPES.ClassExpression) {
      return constructing && !declaration.superClass && constructsQuietly(declaration, analysis, seen);
    }
    if (declaration.type === AST_NODE_TYPES.FunctionDeclaration || declaration.type === AST_NODE_TYPES.FunctionExpression) {
      return !declaration.async && !declaration.generator && isPlainBlock(declaration.body, analysis, seen);
    }
    if (declaration.type === AST_NODE_TYPES.ArrowFunctionExpression && !constructing && !declaration.async) {
      return declaration.body.type === AST_NODE_TYPES.BlockStatement
        ? isPlainBlock(declaration.body, analysis, seen)
        : isPlainExpression(declaration.body, analysis, seen);
    }
    return false;
  } finally {
    seen.delete(declaration);
  }
}

/**
 * Construction runs nothing that may throw: every instance field, parameter default and
 * constructor statement is plain, or stores on `this` a value that may not throw
 * (`this.cache = new Map()`).
 */
function constructsQuietly(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, analysis: RedisAnalysis, seen: Set<TSESTree.Node>): boolean {
  const quiet = (expression: TSESTree.Node | null | undefined) =>
    !expression || isPlainExpression(expression, analysis, seen) || !mayThrowWithin(expression, analysis);
  const storesQuietly = (statement: TSESTree.Statement) =>
    statement.type === AST_NODE_TYPES.ExpressionStatement &&
    statement.expression.type === AST_NODE_TYPES.AssignmentExpression &&
    statement.expression.left.type === AST_NODE_TYPES.MemberExpression &&
    statement.expression.left.object.type === AST_NODE_TYPES.ThisExpression &&
    quiet(statement.expression.right);
  return node.body.body.every((member) => {
    if (member.type === AST_NODE_TYPES.PropertyDefinition) return member.static || quiet(member.value);
    if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind !== 'constructor') return true;
    const { params, body } = member.value;
    return (
      // Parameter properties (`constructor(private redis: Redis)`) only assign.
      params.every((param) => param.type !== AST_NODE_TYPES.AssignmentPattern || quiet(param.right)) &&
      (body?.body ?? []).every((statement) => isPlainStatement(statement, analysis, seen) || storesQuietly(statement))
    );
  });
}

function isPlainBlock(block: TSESTree.BlockStatement, analysis: RedisAnalysis, seen: Set<TSESTree.Node>): boolean {
  return block.body.every((statement) => isPlainStatement(statement, analysis, seen));
}

function isPlainStatement(statement: TSESTree.Node, analysis: RedisAnalysis, seen: Set<TSESTree.Node>): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.ExpressionStatement:
      return isPlainExpression(statement.expression, analysis, seen);
    case AST_NODE_TYPES.VariableDeclaration:
      return statement.declarations.every(
        (declarator) => declarator.id.type === AST_NODE_TYPES.Identifier && (!declarator.init || isPlainExpression(declarator.init, analysis, seen)),
      );
    case AST_NODE_TYPES.ReturnStatement:
      return !statement.argument || isPlainExpression(statement.argument, analysis, seen);
    case AST_NODE_TYPES.IfStatement:
      return (
        isPlainExpression(statement.test, analysis, seen) &&
        isPlainStatement(statement.consequent, analysis, seen) &&
        (!statement.alternate || isPlainStatement(statement.alternate, analysis, seen))
      );
    case AST_NODE_TYPES.BlockStatement:
      return isPlainBlock(statement, analysis, seen);
    case AST_NODE_TYPES.EmptyStatement:
    case AST_NODE_TYPES.FunctionDeclaration:
      return true;
    default:
      return false;
  }
}

/**
 * Reads, literals, operators, object and array literals, function expressions, assignments of
 * those to `this.x` or a variable, and calls of other plain declarations. A property read is
 * plain: a missing option reads as undefined, not a throw (what a reviewer assumes of
 * `opts.redis`).
 */
function isPlainExpression(node: TSESTree.Node, analysis: RedisAnalysis, seen: Set<TSESTree.Node>): boolean {
  const inner = unwrapExpression(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.ThisExpression:
      return true;
    case AST_NODE_TYPES.MemberExpression:
      return isPlainExpression(inner.object, analysis, seen) && (!inner.computed || isPlainExpression(inner.property, analysis, seen));
    case AST_NODE_TYPES.TemplateLiteral:
      return inner.expressions.every((expression) => isPlainExpression(expression, analysis, seen));
    case AST_NODE_TYPES.UnaryExpression:
      return inner.operator !== 'delete' && isPlainExpression(inner.argument, analysis, seen);
    case AST_NODE_TYPES.BinaryExpression:
      // `in` and `instanceof` throw on a non-object right side.
      return inner.operator !== 'in' && inner.operator !== 'instanceof' && isPlainExpression(inner.left, analysis, seen) && isPlainExpression(inner.right, analysis, seen);
    case AST_NODE_TYPES.LogicalExpression:
      return isPlainExpression(inner.left, analysis, seen) && isPlainExpression(inner.right, analysis, seen);
    case AST_NODE_TYPES.ConditionalExpression:
      return isPlainExpression(inner.test, analysis, seen) && isPlainExpression(inner.consequent, analysis, seen) && isPlainExpression(inner.alternate, analysis, seen);
    case AST_NODE_TYPES.AssignmentExpression:
      return (
        (inner.left.type === AST_NODE_TYPES.Identifier || inner.left.type === AST_NODE_TYPES.MemberExpression) &&
        (inner.left.type === AST_NODE_TYPES.Identifier || isPlainExpression(inner.left.object, analysis, seen)) &&
        isPlainExpression(inner.right, analysis, seen)
      );
    case AST_NODE_TYPES.ObjectExpression:
      return inner.properties.every((property) =>
        property.type === AST_NODE_TYPES.SpreadElement
          ? isPlainExpression(property.argument, analysis, seen)
          : (!property.computed || isPlainExpression(property.key, analysis, seen)) && isPlainExpression(property.value, analysis, seen),
      );
    case AST_NODE_TYPES.ArrayExpression:
      // A spread iterates: an iterator may throw.
      return inner.elements.every((element) => element === null || (element.type !== AST_NODE_TYPES.SpreadElement && isPlainExpression(element, analysis, seen)));
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression: {
      const callee = unwrapExpression(inner.callee);
      return (
        callee.type === AST_NODE_TYPES.Identifier &&
        isPlainDeclaration(callee, inner.type === AST_NODE_TYPES.NewExpression, analysis, seen) &&
        inner.arguments.every((argument) => argument.type !== AST_NODE_TYPES.SpreadElement && isPlainExpression(argument, analysis, seen))
      );
    }
    default:
      return isFunctionNode(inner);
  }
}
