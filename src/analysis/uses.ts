/**
 * How a variable holding a Redis value is used, for ownership questions: returned, exported,
 * stored, handed on, captured by a closure, or only used for its own methods (aliases followed).
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, methodCallOn, skipAwaitsUp, skipWrappersUp, staticPropertyName, unwrapExpression, walk, type FunctionNode } from './ast';
import { nodesOfType } from './node-index';
import { findVariableFor, homeFunction, type Variable } from './scope';

export type UseKind =
  /** `return c`, `=> c`: the caller owns it now. */
  | 'returned'
  /** `export { c }`, `module.exports = c`, `exports.c = c`. */
  | 'exported'
  /** `this.c = c`, `obj.c = c`, `outer = c`: kept beyond this function. */
  | 'stored'
  /** Inside an object or array literal (`{ client: c }`): goes wherever the literal goes. */
  | 'contained'
  /** An argument of a call or `new` that is not a method of the value itself. */
  | 'passed'
  | 'yielded'
  /** `c.method(...)`. */
  | 'method-call'
  /** Any other read: `c.isOpen`, `if (c)`, a comparison. */
  | 'read';

export interface Use {
  kind: UseKind;
  /** The identifier reference. */
  reference: TSESTree.Identifier;
  /** The expression that stands for the value at this use (after `await`, `as`, `!`). */
  expression: TSESTree.Node;
  /** For method-call: the method name and the call. */
  method?: string;
  call?: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The outermost function, nested inside the value's own function, that holds this use. */
  closure?: FunctionNode;
  /** The alias variable the use was reached through, if any. */
  via?: Variable;
}

export function usesOf(variable: Variable, sourceCode: Readonly<TSESLint.SourceCode>): Use[] {
  return followUses(variable, sourceCode).uses;
}

/** The variable and every variable its value is copied to (`const b = a`, `b = a`), as `usesOf` follows them. */
export function aliasesOf(variable: Variable, sourceCode: Readonly<TSESLint.SourceCode>): ReadonlySet<Variable> {
  return followUses(variable, sourceCode).aliases;
}

function followUses(variable: Variable, sourceCode: Readonly<TSESLint.SourceCode>): { uses: Use[]; aliases: Set<Variable> } {
  const uses: Use[] = [];
  const seen = new Set<Variable>();
  // Closures are counted from the value's own function, also for an alias declared in one.
  const owner = homeFunction(variable);
  collect(variable, undefined);
  return { uses, aliases: seen };

  function collect(current: Variable, via: Variable | undefined): void {
    if (seen.has(current)) return;
    seen.add(current);
    const home = homeFunction(current);
    for (const reference of current.references) {
      if (reference.init || (reference.isWrite() && !reference.isRead())) continue;
      const identifier = reference.identifier as TSESTree.Identifier;
      const closure = outermostClosure(identifier, owner);
      const use = classify(identifier, home);
      if (use.alias) {
        collect(use.alias, via ?? current);
        continue;
      }
      uses.push({ ...use.use, reference: identifier, closure, via });
    }
  }

  function classify(
    identifier: TSESTree.Identifier,
    home: FunctionNode | undefined,
  ): { use: Omit<Use, 'reference'>; alias?: undefined } | { alias: Variable; use?: undefined } {
    const { placement, node: expression, parent } = placementOf(identifier);
    const make = (kind: UseKind, extra: Partial<Use> = {}) => ({ use: { kind, expression, ...extra } });
    switch (placement) {
      case 'method-call': {
        const member = parent as TSESTree.MemberExpression;
        return make('method-call', { method: staticPropertyName(member), call: skipWrappersUp(member).parent as TSESTree.CallExpression });
      }
      case 'passed':
        return make('passed', { call: parent as TSESTree.CallExpression | TSESTree.NewExpression });
      case 'declared': {
        const declarator = parent as TSESTree.VariableDeclarator;
        const alias = declarator.id.type === AST_NODE_TYPES.Identifier ? findVariableFor(sourceCode, declarator.id) : undefined;
        return alias ? { alias } : make('read');
      }
      case 'assigned': {
        const left = (parent as TSESTree.AssignmentExpression).left;
        if (left.type === AST_NODE_TYPES.MemberExpression) return isModuleExports(left) ? make('exported') : make('stored');
        if (left.type === AST_NODE_TYPES.Identifier) {
          const target = findVariableFor(sourceCode, left);
          if (!target || homeFunction(target) !== home) return make('stored');
          return { alias: target };
        }
        return make('stored');
      }
      case 'field':
        return make('stored');
      default:
        return make(placement);
    }
  }
}

/**
 * Where an expression's value goes, read from its position alone (wrappers and `await` skipped):
 * the one place that answers "is it returned, passed, stored, put in a literal, or only used",
 * for ownership (`usesOf`), class fields, lifetimes and the fix planners alike.
 */
export type Placement =
  | 'returned'
  | 'yielded'
  | 'exported'
  /** In an object or array literal, or spread into one. */
  | 'contained'
  /** An argument of a call or `new`. */
  | 'passed'
  /** The initialiser of a variable declaration. */
  | 'declared'
  /** The right side of an assignment. */
  | 'assigned'
  /** A class field's initialiser. */
  | 'field'
  | 'method-call'
  | 'read';

export function placementOf(expression: TSESTree.Node): { placement: Placement; node: TSESTree.Node; parent: TSESTree.Node | undefined } {
  const { node, parent } = skipAwaitsUp(expression);
  const at = (placement: Placement) => ({ placement, node, parent });
  switch (parent?.type) {
    case AST_NODE_TYPES.ReturnStatement:
      return at('returned');
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return at(parent.body === node ? 'returned' : 'read');
    case AST_NODE_TYPES.YieldExpression:
      return at('yielded');
    case AST_NODE_TYPES.ExportSpecifier:
    case AST_NODE_TYPES.ExportDefaultDeclaration:
      return at('exported');
    case AST_NODE_TYPES.MemberExpression:
      return at(parent.object === node && methodCallOn(node) ? 'method-call' : 'read');
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return at(parent.arguments.includes(node as TSESTree.CallExpressionArgument) ? 'passed' : 'read');
    case AST_NODE_TYPES.SpreadElement:
    case AST_NODE_TYPES.ArrayExpression:
      return at('contained');
    case AST_NODE_TYPES.Property:
      return at(parent.value === node ? 'contained' : 'read');
    case AST_NODE_TYPES.VariableDeclarator:
      return at(parent.init === node ? 'declared' : 'read');
    case AST_NODE_TYPES.AssignmentExpression:
      return at(parent.right === node ? 'assigned' : 'read');
    case AST_NODE_TYPES.PropertyDefinition:
      return at(parent.value === node ? 'field' : 'read');
    default:
      return at('read');
  }
}

/** Names that close whatever the library: a use by one of these is taken as a close (it only silences). */
export const CLOSING_NAMES: ReadonlySet<string> = new Set(['quit', 'disconnect', 'close', 'destroy', 'end']);

/**
 * Every use runs a command on the value, reads it or hands it to a callback that does, and none
 * closes it; a store on a per-request object (`req.redis`) keeps nothing. '' without such a
 * store, else its target; undefined when some use may close it or keep it elsewhere.
 */
export function onlyBorrowed(uses: Use[], closes: (use: Use) => boolean, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  let kept = '';
  for (const use of uses) {
    if (closes(use)) return undefined;
    if (use.kind === 'method-call' || use.kind === 'read' || (use.kind === 'passed' && droppedThroughCallback(use.expression, sourceCode))) continue;
    const target = use.kind === 'stored' ? keptOnRequest(use.expression, sourceCode) : undefined;
    if (target === undefined) return undefined;
    kept = target;
  }
  return kept;
}

/**
 * `req.redis = value` where `req` is a parameter of the function, which also listens for the end
 * of the call on another parameter (`res.on('finish', …)`), and nothing in the file closes any
 * `.redis`: kept on a per-request object, which closes nothing. The target's text, else undefined.
 */
export function keptOnRequest(expression: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const { placement, parent } = placementOf(expression);
  const left = placement === 'assigned' ? (parent as TSESTree.AssignmentExpression).left : undefined;
  const fn = left && enclosingFunction(left);
  const prop = left?.type === AST_NODE_TYPES.MemberExpression ? staticPropertyName(left) : undefined;
  if (!fn || prop === undefined || left?.type !== AST_NODE_TYPES.MemberExpression || left.object.type !== AST_NODE_TYPES.Identifier) return undefined;
  const object = findVariableFor(sourceCode, left.object);
  if (object?.defs[0]?.type !== 'Parameter' || object.scope.block !== fn) return undefined;
  if (!listensForRequestEnd(fn, sourceCode, object.defs[0]!.name)) return undefined;
  const closed = nodesOfType(sourceCode.ast, AST_NODE_TYPES.MemberExpression).some((member) => {
    if (staticPropertyName(member) !== prop) return false;
    const { placement: at, parent: method } = placementOf(member);
    return at === 'method-call' && CLOSING_NAMES.has(staticPropertyName(method as TSESTree.MemberExpression) ?? '');
  });
  return closed ? undefined : sourceCode.getText(left);
}

/**
 * A request handler: one of its parameters (other than `except`) gets a listener for the end of
 * the response (`res.on('finish', …)`, `req.on('close', …)`) or for the abort of the request's
 * signal (`req.signal.addEventListener('abort', …)`, `({ signal }) => …`), so it runs once per request.
 */
export function listensForRequestEnd(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>, except?: TSESTree.Node): boolean {
  return fn.params.some((param) => {
    if (param === except) return false;
    if (param.type === AST_NODE_TYPES.ObjectPattern) {
      const signal = param.properties.find((property) => property.type === AST_NODE_TYPES.Property && staticPropertyName(property) === 'signal');
      const binding = signal?.type === AST_NODE_TYPES.Property && signal.value.type === AST_NODE_TYPES.Identifier ? signal.value : undefined;
      const variable = binding && findVariableFor(sourceCode, binding);
      return variable?.references.some((reference) => isAbortListener(reference.identifier as TSESTree.Node)) ?? false;
    }
    const variable = param.type === AST_NODE_TYPES.Identifier ? findVariableFor(sourceCode, param) : undefined;
    return variable?.references.some((reference) => isEndListener(reference.identifier) || isSignalAbortListener(reference.identifier as TSESTree.Node)) ?? false;
  });
}

/**
 * `app.get('/events', (req, res) => …)`, `router.post('/jobs', auth, async (ctx) => …)`: the last
 * argument of an HTTP method (or `use`) called with a route path first. It runs once per request.
 */
export function isRouteHandler(fn: FunctionNode): boolean {
  const { node, parent } = skipWrappersUp(fn);
  if (parent?.type !== AST_NODE_TYPES.CallExpression || parent.arguments.at(-1) !== node || fn.params.length === 0) return false;
  const callee = unwrapExpression(parent.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !ROUTE_METHODS.has(staticPropertyName(callee) ?? '')) return false;
  const path = parent.arguments[0];
  if (!path || path === node) return false;
  if (path.type === AST_NODE_TYPES.Literal) return typeof path.value === 'string' && path.value.startsWith('/');
  return path.type === AST_NODE_TYPES.TemplateLiteral && (path.quasis[0]!.value.cooked ?? '').startsWith('/');
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'use']);

/** `req.signal.addEventListener('abort', …)`, `req.signal.onabort = …`. */
function isSignalAbortListener(identifier: TSESTree.Node): boolean {
  const member = identifier.parent;
  return member?.type === AST_NODE_TYPES.MemberExpression && member.object === identifier && staticPropertyName(member) === 'signal' && isAbortListener(member);
}

/** `signal.addEventListener('abort', …)` (optional chaining too), `signal.onabort = …`. */
function isAbortListener(signal: TSESTree.Node): boolean {
  const { node, parent } = skipWrappersUp(signal);
  if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return false;
  const name = staticPropertyName(parent);
  const outer = skipWrappersUp(parent);
  if (name === 'onabort') return outer.parent?.type === AST_NODE_TYPES.AssignmentExpression && outer.parent.left === outer.node;
  if (name !== 'addEventListener' || outer.parent?.type !== AST_NODE_TYPES.CallExpression || outer.parent.callee !== outer.node) return false;
  const event = outer.parent.arguments[0];
  return event?.type === AST_NODE_TYPES.Literal && event.value === 'abort';
}

/**
 * `res.on('finish', …)`, `req.once('close', …)`, `ws.on('close', …)`, socket.io's
 * `socket.on('disconnect', …)`: the end of a request or of a client's connection.
 */
function isEndListener(identifier: TSESTree.Node): boolean {
  const { placement, parent } = placementOf(identifier);
  if (placement !== 'method-call' || !/^(on|once)$/.test(staticPropertyName(parent as TSESTree.MemberExpression) ?? '')) return false;
  const event = (skipWrappersUp(parent!).parent as TSESTree.CallExpression).arguments[0];
  return event?.type === AST_NODE_TYPES.Literal && typeof event.value === 'string' && END_EVENTS.has(event.value);
}

const END_EVENTS = new Set(['finish', 'close', 'disconnect']);

/**
 * `return { emit }` where `emit`, a function of the owner, uses the value and no use anywhere
 * closes it or hands it on: the returned object keeps the connection with no way to close it.
 */
export function keptByReturnedFunctions(uses: Use[], returned: TSESTree.Node, closes: (use: Use) => boolean, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  if (onlyBorrowed(uses, closes, sourceCode) !== '') return false;
  const closures = new Set(uses.map((use) => use.closure));
  let kept = false;
  walk(returned, (node) => {
    if (kept) return false;
    // The function itself, or a name bound to it (`function emit() {…}`, `const emit = () => …`).
    const def = node.type === AST_NODE_TYPES.Identifier ? findVariableFor(sourceCode, node)?.defs[0]?.node : undefined;
    const bound = def?.type === AST_NODE_TYPES.VariableDeclarator ? def.init : def;
    kept = closures.has(node as FunctionNode) || (bound != null && closures.has(bound as FunctionNode));
    return !kept;
  });
  return kept;
}

/**
 * `cb(null, new Model())` where `cb` is a parameter of a function this file only ever calls, each
 * time with a function literal whose matching parameter only runs commands on the value (none
 * named like a close) or reads it (`getModel((err, m) => m.find(k))`): dropped when it ends.
 */
export function droppedThroughCallback(argument: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const { node, parent: call } = skipWrappersUp(argument);
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.Identifier) return false;
  const index = call.arguments.indexOf(node as TSESTree.CallExpressionArgument);
  const callback = findVariableFor(sourceCode, call.callee);
  const def = callback?.defs[0];
  if (index < 0 || def?.type !== 'Parameter' || callback!.references.some((reference) => reference.isWrite())) return false;
  const fn = def.node as FunctionNode;
  const position = fn.params.indexOf(def.name as TSESTree.Parameter);
  const calls = position < 0 ? undefined : callsOf(fn, sourceCode);
  return !!calls?.length && calls.every((outer) => {
    const given = outer.arguments[position] && unwrapExpression(outer.arguments[position]);
    const param = isFunctionNode(given) ? given.params[index] : undefined;
    const variable = param?.type === AST_NODE_TYPES.Identifier ? findVariableFor(sourceCode, param) : undefined;
    return variable !== undefined && usesOf(variable, sourceCode).every((use) => use.kind === 'read' || (use.kind === 'method-call' && !CLOSING_NAMES.has(use.method ?? '')));
  });
}

/** The identifier a function is called by: its own name, or the variable it initialises. */
export function nameOfFunction(fn: FunctionNode): TSESTree.Identifier | undefined {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return fn.id ?? undefined;
  const { parent } = skipWrappersUp(fn);
  return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id : undefined;
}

/** The calls of a named function in this file; undefined when it is used other than by calling it. */
export function callsOf(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.CallExpression[] | undefined {
  const name = nameOfFunction(fn);
  if (!name) return undefined;
  const variable = findVariableFor(sourceCode, name);
  const calls: TSESTree.CallExpression[] = [];
  for (const reference of variable?.references ?? []) {
    if (reference.init) continue;
    const { node, parent: call } = skipWrappersUp(reference.identifier);
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== node) return undefined;
    calls.push(call);
  }
  return calls;
}

/** The outermost function between a node and `home` (its owner function, or module level when undefined), if any. */
export function outermostClosure(node: TSESTree.Node, home: FunctionNode | undefined): FunctionNode | undefined {
  let closure: FunctionNode | undefined;
  for (let current = node.parent; current && current !== home; current = current.parent) {
    if (isFunctionNode(current)) closure = current;
  }
  return closure;
}

/** `module.exports`, `module.exports.x`, `exports.x`. */
export function isModuleExports(node: TSESTree.MemberExpression): boolean {
  let current: TSESTree.Node = node;
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    const name = current.object.type === AST_NODE_TYPES.Identifier ? current.object.name : undefined;
    if (name === 'exports' || (name === 'module' && staticPropertyName(current) === 'exports')) return true;
    current = current.object;
  }
  return false;
}

/** Whether a module-level variable is exported (ESM `export`, or CommonJS `module.exports`). */
export function isExported(variable: Variable, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  for (const def of variable.defs) {
    const declaration = def.node.parent;
    if (declaration?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) return true;
  }
  return usesOf(variable, sourceCode).some((use) => {
    if (use.kind === 'exported') return true;
    if (use.kind !== 'contained') return false;
    // `module.exports = { client }`
    let current: TSESTree.Node | undefined = use.expression.parent;
    while (
      current &&
      (current.type === AST_NODE_TYPES.Property ||
        current.type === AST_NODE_TYPES.ObjectExpression ||
        current.type === AST_NODE_TYPES.ArrayExpression)
    ) {
      current = current.parent;
    }
    return (
      (current?.type === AST_NODE_TYPES.AssignmentExpression &&
        current.left.type === AST_NODE_TYPES.MemberExpression &&
        isModuleExports(current.left)) ||
      current?.type === AST_NODE_TYPES.ExportDefaultDeclaration
    );
  });
}
