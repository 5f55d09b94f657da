/**
 * Calls that cannot fail at run time, decided the way a careful reviewer would: a statement
 * between taking a connection and the `try` that protects it is an exception path only when it
 * can fail on real input (I/O, an awaited operation, parsing external data, an explicit throw, an
 * unknown function). What is known not to fail:
 *
 * - `new C(…)` / `f(…)` where `C` / `f` is declared in the same file and its body only assigns,
 *   declares and returns plain expressions (reads, literals, object and array literals,
 *   operators, functions, and calls of other such declarations): a constructor that stores its
 *   options (`new Cache({ redis })`) does not throw.
 * - a getter of a started object: `container.getMappedPort(6379)`, `server.address()` on a value
 *   made by `await ….start()` / `.listen()`, with literal arguments.
 * - `child.kill(signal)` on a process started by `node:child_process` (it reports failure by
 *   returning false).
 *
 * `loans.ts` asks this before its general answer (calls and `new` may throw, except built-ins
 * and logging); `JSON.parse(raw)`, `assert(…)` and unknown functions stay throw points.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { importedName, isFunctionNode, methodCall, requireSpecifier, staticPropertyName, unwrapExpression } from './ast';
import type { RedisAnalysis } from './context';
import { findVariableFor, isReassigned } from './scope';

/** Whether this call or `new` is known not to throw, whatever the general rule says. */
export function cannotFailAtRunTime(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
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

/** The single value a `const` (or a never re-assigned `let`) was initialised with. */
function initialValue(identifier: TSESTree.Identifier, analysis: RedisAnalysis): TSESTree.Node | undefined {
  const variable = findVariableFor(analysis.sourceCode, identifier);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  if (isReassigned(variable)) return undefined;
  return unwrapExpression(declarator.init);
}

/** `await new GenericContainer(…).start()`, `await app.listen(0)`: an object that is up and running. */
function isStartedObject(identifier: TSESTree.Identifier, analysis: RedisAnalysis): boolean {
  const init = initialValue(identifier, analysis);
  if (init?.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const method = methodCall(unwrapExpression(init.argument))?.method;
  return method === 'start' || method === 'listen';
}

const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process']);
const SPAWNING_FUNCTIONS = new Set(['spawn', 'fork', 'exec', 'execFile']);

/** A variable holding `spawn(…)` / `cp.fork(…)` from `node:child_process`. */
function isChildProcess(identifier: TSESTree.Identifier, analysis: RedisAnalysis): boolean {
  const init = initialValue(identifier, analysis);
  if (init?.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrapExpression(init.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    return SPAWNING_FUNCTIONS.has(importedNameOf(callee, analysis) ?? '') && CHILD_PROCESS_MODULES.has(analysis.origins.importSourceOf(callee) ?? '');
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !SPAWNING_FUNCTIONS.has(staticPropertyName(callee) ?? '')) return false;
  const object = unwrapExpression(callee.object);
  if (object.type === AST_NODE_TYPES.CallExpression) return CHILD_PROCESS_MODULES.has(requireSpecifier(object) ?? '');
  return object.type === AST_NODE_TYPES.Identifier && CHILD_PROCESS_MODULES.has(analysis.origins.importSourceOf(object) ?? '');
}

/** The exported name an imported identifier stands for (`import { spawn as run }` gives spawn). */
function importedNameOf(identifier: TSESTree.Identifier, analysis: RedisAnalysis): string | undefined {
  const variable = findVariableFor(analysis.sourceCode, identifier);
  const def = variable?.defs[0];
  if (def?.type === 'ImportBinding') return importedName(def.node);
  if (def?.type === 'Variable' && def.name.parent?.type === AST_NODE_TYPES.Property) {
    const key = def.name.parent.key;
    return key.type === AST_NODE_TYPES.Identifier ? key.name : undefined;
  }
  return undefined;
}

/** How deep plain declarations may call each other before the answer is "may throw". */
const MAX_DEPTH = 4;

/**
 * A class or function declared in this file whose construction or call runs only plain code.
 * A class counts when it has no base class (a base constructor may do anything), its field
 * initializers are plain, and its constructor is; a function counts when its body is.
 */
function isPlainDeclaration(identifier: TSESTree.Identifier, constructing: boolean, analysis: RedisAnalysis, seen: Set<TSESTree.Node>): boolean {
  if (seen.size >= MAX_DEPTH) return false;
  const variable = findVariableFor(analysis.sourceCode, identifier);
  if (!variable || variable.defs.length !== 1) return false;
  if (isReassigned(variable)) return false;
  const def = variable.defs[0]!;
  let declaration: TSESTree.Node | undefined;
  if (def.type === 'ClassName' || def.type === 'FunctionName') declaration = def.node;
  else if (def.type === 'Variable') {
    const init = (def.node as TSESTree.VariableDeclarator).init;
    declaration = init ? unwrapExpression(init) : undefined;
  }
  if (!declaration || seen.has(declaration)) return false;
  seen.add(declaration);
  try {
    if (declaration.type === AST_NODE_TYPES.ClassDeclaration || declaration.type === AST_NODE_TYPES.ClassExpression) {
      return constructing && isPlainClass(declaration, analysis, seen);
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

function isPlainClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, analysis: RedisAnalysis, seen: Set<TSESTree.Node>): boolean {
  if (node.superClass || (node.decorators?.length ?? 0) > 0) return false;
  for (const member of node.body.body) {
    if (member.type === AST_NODE_TYPES.StaticBlock) return false;
    if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static && member.value && !isPlainExpression(member.value, analysis, seen)) return false;
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor') {
      // Parameter properties (`constructor(private redis: Redis)`) only assign.
      if (member.value.params.some((param) => param.type === AST_NODE_TYPES.AssignmentPattern && !isPlainExpression(param.right, analysis, seen))) return false;
      if (!member.value.body || !isPlainBlock(member.value.body, analysis, seen)) return false;
    }
  }
  return true;
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
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
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
