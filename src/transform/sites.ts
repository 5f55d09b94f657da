/**
 * Loans and per-call connections on the jscodeshift AST: where one is taken into a local
 * variable, how that variable is used (ownership), and which statements give it back. All
 * method knowledge comes from the catalog: `acquire()` is a loan because the catalog says the
 * pool's method produces a lease, `pool.release(conn)` is a release because the catalog gives
 * the pool's `release` a loan argument.
 */
import { CONNECTION_KINDS, isRedisClientLibrary, LIBRARIES, TARN_PENDING_PROMISE_PROPERTY, type MethodSpec } from '../catalog';
import {
  isCall,
  isFunction,
  isMember,
  staticName,
  methodCall,
  positionOf,
  statementList,
  unwrap,
  walk,
  type Node,
} from './ast';
import type { FileContext } from './file-context';
import { loanedValueOf, poolResourceOf, type Value } from './origins';
import type { Binding } from './scope';

export interface Site {
  /** A loan from a pool (generic-pool, tarn, node-redis sentinel), or a connection opened here. */
  kind: 'loan' | 'connection';
  value: Value;
  /** For loans: the pool or sentinel it came from. */
  pool?: Value;
  binding: Binding;
  /** The `const conn = …` statement and its declarator. */
  declaration: Node;
  declarator: Node;
  /** The statement list holding the declaration, and its owner (block, program, switch case). */
  list: Node[];
  owner: Node;
  /** The function the site is in. */
  fn: Node;
  line: number;
  column: number;
}

export type UseKind =
  | 'release'
  | 'method-call'
  | 'returned'
  | 'yielded'
  | 'exported'
  | 'stored'
  | 'contained'
  | 'passed'
  | 'aliased'
  | 'reassigned'
  | 'read';

export interface Use {
  kind: UseKind;
  reference: Node;
  /** The expression that stands for the value here (above `await`, `as`, `!`). */
  expression: Node;
  method?: string;
  call?: Node;
  /** The use sits in a function nested inside the site's function. */
  inClosure: boolean;
}

/** Every local variable that takes a loan or opens a connection, in source order. */
export function findSites(context: FileContext): Site[] {
  const sites: Site[] = [];
  walk(context.program, (node, slot) => {
    if (node.type !== 'VariableDeclaration' || node.declarations.length !== 1 || node.kind === 'using' || node.kind === 'await using') return;
    const declarator = node.declarations[0];
    if (declarator.id.type !== 'Identifier' || !declarator.init) return;
    const list = statementList(slot);
    const fn = context.index.enclosingFunction(node);
    if (!list || !slot || !fn) return;
    const site = siteFor(context, declarator, node, fn);
    if (!site) return;
    sites.push({ ...site, list, owner: slot.parent });
  });
  return sites;
}

function siteFor(context: FileContext, declarator: Node, declaration: Node, fn: Node): Omit<Site, 'list' | 'owner'> | undefined {
  const value = context.origins.valueOrPromised(declarator.init);
  if (!value || value.how === 'type' || !context.index.isWithin(value.creation, declarator.init)) return undefined;
  // `var` belongs to the function, `let`/`const` to the block: ask from the identifier itself.
  const binding = context.scopes.resolve(declarator.id);
  if (!binding || binding.identifier !== declarator.id) return undefined;
  const { line, column } = positionOf(declaration);
  const base = { value, binding, declaration, declarator, fn, line, column };
  if (value.kind === 'lease' && value.parent) {
    // A generic-pool or tarn pool known to lend something other than Redis connections is not ours.
    if (poolResourceOf(value.parent) === 'other') return undefined;
    return { ...base, kind: 'loan', pool: value.parent };
  }
  if (CONNECTION_KINDS.has(value.kind) && value.kind !== 'sentinel') {
    if (value.how === 'method' && !(value.parent && CONNECTION_KINDS.has(value.parent.kind))) return undefined;
    return { ...base, kind: 'connection' };
  }
  return undefined;
}

/** How the site's variable is used, reference by reference. */
export function usesOf(context: FileContext, site: Site): Use[] {
  const uses: Use[] = [];
  for (const reference of context.scopes.referencesOf(site.binding)) {
    const inClosure = context.index.enclosingFunction(reference.identifier) !== site.fn;
    if (reference.write) {
      uses.push({ kind: 'reassigned', reference: reference.identifier, expression: reference.identifier, inClosure });
      continue;
    }
    uses.push({ ...classify(context, site, reference.identifier), reference: reference.identifier, inClosure });
  }
  return uses;
}

function classify(context: FileContext, site: Site, identifier: Node): Omit<Use, 'reference' | 'inClosure'> {
  let expression = identifier;
  let slot = context.index.slotOf(expression);
  const wrappers = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ParenthesizedExpression', 'AwaitExpression']);
  while (slot && wrappers.has(slot.parent.type)) {
    expression = slot.parent;
    slot = context.index.slotOf(expression);
  }
  const make = (kind: UseKind, extra: Partial<Use> = {}) => ({ kind, expression, ...extra });
  if (!slot) return make('read');
  const { parent, key } = slot;
  switch (parent.type) {
    case 'ReturnStatement':
      return make('returned');
    case 'ArrowFunctionExpression':
      return key === 'body' ? make('returned') : make('read');
    case 'YieldExpression':
      return make('yielded');
    case 'ExportSpecifier':
    case 'ExportDefaultDeclaration':
      return make('exported');
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      if (key !== 'object') return make('read');
      const callSlot = context.index.slotOf(parent);
      const call = callSlot && isCall(callSlot.parent) && callSlot.key === 'callee' ? callSlot.parent : undefined;
      if (!call) return make('read');
      const method = methodCall(call)?.method;
      if (method !== undefined && isReleaseCall(context, site, call)) return make('release', { method, call });
      return make('method-call', { method, call });
    }
    case 'CallExpression':
    case 'OptionalCallExpression':
    case 'NewExpression':
      if (key !== 'arguments') return make('read');
      if (isReleaseCall(context, site, parent)) return make('release', { method: methodCall(parent)?.method, call: parent });
      return make('passed', { call: parent });
    case 'ObjectProperty':
      return key === 'value' ? make('contained') : make('read');
    case 'ArrayExpression':
    case 'SpreadElement':
      return make('contained');
    case 'VariableDeclarator':
      return key === 'init' ? make('aliased') : make('read');
    case 'AssignmentExpression': {
      if (key !== 'right') return make('read');
      const left = unwrap(parent.left);
      if (left.type === 'Identifier') {
        const target = context.scopes.resolve(left);
        const targetFn = target ? (isFunction(target.scope) ? target.scope : context.index.enclosingFunction(target.scope)) : undefined;
        return targetFn === site.fn ? make('aliased') : make('stored');
      }
      return make('stored');
    }
    case 'ClassProperty':
    case 'ClassPrivateProperty':
      return make('stored');
    default:
      return make('read');
  }
}

/** The catalog method spec a call on a value runs, if any. */
function specOf(value: Value, method: string): MethodSpec | undefined {
  return value.library.values[value.kind]?.methods[method];
}

/**
 * Whether a call gives the site's loan back or closes its connection: `pool.release(conn)` on
 * the loan's own pool, `lease.release()`, `client.quit()`. `disconnect(true)` reconnects and is
 * not a release; neither is one whose argument can't be read.
 */
export function isReleaseCall(context: FileContext, site: Site, call: Node): boolean {
  const parts = methodCall(call);
  if (!parts) return false;
  const receiver = unwrap(parts.receiver);
  if (receiver.type === 'Identifier' && context.scopes.resolve(receiver) === site.binding) {
    const spec = specOf(site.value, parts.method);
    if (spec?.type !== 'release' || spec.loanArg !== undefined) return false;
    if (spec.notWhenFirstArgTruthy && call.arguments.length > 0) {
      const first = unwrap(call.arguments[0]);
      return first.type === 'BooleanLiteral' && first.value === false;
    }
    return true;
  }
  if (site.kind !== 'loan' || !site.pool) return false;
  const pool = context.origins.valueOf(receiver);
  if (!pool || pool.creation !== site.pool.creation) return false;
  const spec = specOf(pool, parts.method);
  if (spec?.type !== 'release' || spec.loanArg === undefined) return false;
  const loan = call.arguments[spec.loanArg];
  return !!loan && unwrap(loan).type === 'Identifier' && context.scopes.resolve(unwrap(loan)) === site.binding;
}

/**
 * A statement that does nothing but release the site: `pool.release(conn);`,
 * `await client.quit();`, `void lease.release();`, or one guarded by a test of the loan itself
 * (`if (conn) pool.release(conn);`, `if (client.isOpen) await client.quit();`). Returns the
 * release call.
 */
export function releaseStatementCall(context: FileContext, site: Site, statement: Node): Node | undefined {
  if (statement.type === 'ExpressionStatement') {
    let expression = unwrap(statement.expression);
    if (expression.type === 'AwaitExpression' || (expression.type === 'UnaryExpression' && expression.operator === 'void')) {
      expression = unwrap(expression.argument);
    }
    return isCall(expression) && isReleaseCall(context, site, expression) ? expression : undefined;
  }
  if (statement.type === 'IfStatement' && !statement.alternate && testReadsTheLoan(context, site, statement.test)) {
    const body = statement.consequent;
    if (body.type === 'BlockStatement') return body.body.length === 1 ? releaseStatementCall(context, site, body.body[0]) : undefined;
    return releaseStatementCall(context, site, body);
  }
  return undefined;
}

/**
 * A guard that asks about the loan itself: whether it is set (`if (conn)`) or still open
 * (`if (client.isOpen)`, `if (redis.status !== 'end')`): releasing under it is releasing.
 */
function testReadsTheLoan(context: FileContext, site: Site, test: Node): boolean {
  let reads = false;
  walk(test, (node) => {
    if (node.type === 'Identifier' && context.scopes.resolve(node) === site.binding) reads = true;
    return !reads && !isFunction(node);
  });
  return reads;
}

/** `conn`, `conn != null`, `conn !== undefined`, `conn !== null`: the guard only asks whether it is set. */
export function testsOnlyTheLoan(context: FileContext, site: Site, test: Node): boolean {
  const isLoan = (node: Node) => {
    const inner = unwrap(node);
    return inner.type === 'Identifier' && context.scopes.resolve(inner) === site.binding;
  };
  const node = unwrap(test);
  if (isLoan(node)) return true;
  if (node.type === 'BinaryExpression' && (node.operator === '!=' || node.operator === '!==')) {
    const nullish = (other: Node) => {
      const inner = unwrap(other);
      return inner.type === 'NullLiteral' || (inner.type === 'Identifier' && inner.name === 'undefined');
    };
    return (isLoan(node.left) && nullish(node.right)) || (isLoan(node.right) && nullish(node.left));
  }
  return false;
}

/**
 * Member calls that keep the connection busy after the code moves on: SUBSCRIBE or MONITOR
 * take it over, and listeners for events other than 'error' wait for later events. For a loan
 * whose client can't be known, any catalog library's spelling counts: this only ever stops a
 * rewrite.
 */
export function longLivedUse(site: Site, use: Use): string | undefined {
  if (use.kind !== 'method-call' || !use.method || !use.call) return undefined;
  const client = site.kind === 'loan' ? loanedValueOf(site.value) : site.value;
  const candidates = client ? [client] : CLIENT_LIBRARIES.flatMap((library) => (['client', 'cluster'] as const).map((kind) => ({ library, kind })));
  for (const { library, kind } of candidates) {
    const takeover = library.takeoverMethods?.[use.method];
    if (takeover) return `${takeover} takes the connection over`;
    const spec = library.values[kind]?.methods[use.method];
    if (spec?.type === 'listener') {
      const event = use.call.arguments[0];
      if (!(event?.type === 'StringLiteral' && event.value === 'error')) return 'it listens for events that may arrive later';
    }
  }
  return undefined;
}

const CLIENT_LIBRARIES = LIBRARIES.filter(isRedisClientLibrary);

/**
 * Acquisitions that are not taken into a `const`/`let` the codemods can follow, with the reason
 * they are left alone. Loans handed straight on (returned, passed to a call, put in an object)
 * belong to someone else and are not listed; neither is a loan assigned inside a `try` whose
 * `finally` releases it (`let conn; try { conn = await pool.acquire(); … } finally { … }`).
 */
export function looseAcquisitions(context: FileContext, sites: Site[]): Array<{ node: Node; reason: string }> {
  const covered = new Set(sites.map((site) => site.value.creation));
  const found: Array<{ node: Node; reason: string }> = [];
  walk(context.program, (node) => {
    if (!isCall(node) || covered.has(node)) return;
    const value = context.origins.valueOrPromised(node);
    if (!value || (value.kind !== 'lease' && value.kind !== 'pending-acquire') || value.creation !== node || !value.parent) return;
    if (!context.index.enclosingFunction(node)) return;
    let expression = node;
    for (;;) {
      const slot = context.index.slotOf(expression);
      if (!slot) break;
      const { parent, key } = slot;
      const wraps = ['AwaitExpression', 'TSAsExpression', 'TSNonNullExpression', 'ParenthesizedExpression'].includes(parent.type);
      // tarn: `pool.acquire().promise`.
      const pending = value.kind === 'pending-acquire' && isMember(parent) && key === 'object' && staticName(parent) === TARN_PENDING_PROMISE_PROPERTY;
      if (!wraps && !pending) break;
      expression = parent;
    }
    const slot = context.index.slotOf(expression);
    if (!slot) return;
    const { parent, key } = slot;
    if (parent.type === 'ExpressionStatement') {
      found.push({ node, reason: 'the loan is discarded: nothing can release it' });
    } else if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && key === 'object') {
      found.push({ node, reason: 'the loan is taken in a promise chain; rewrite it with await first' });
    } else if (parent.type === 'VariableDeclarator' && key === 'init' && parent.id.type !== 'Identifier') {
      found.push({ node, reason: 'the loan is destructured; take it into one variable first' });
    } else if (parent.type === 'AssignmentExpression' && key === 'right' && unwrap(parent.left).type === 'Identifier') {
      if (!releasedByEnclosingFinally(context, value, unwrap(parent.left), parent)) {
        found.push({ node, reason: 'the loan is assigned to a variable declared elsewhere; take it with `const x = await …acquire()`' });
      }
    }
  });
  return found;
}

/** `conn = await pool.acquire()` as a statement of a `try` block whose `finally` releases `conn`. */
function releasedByEnclosingFinally(context: FileContext, value: Value, target: Node, assignment: Node): boolean {
  const binding = context.scopes.resolve(target);
  const statement = context.index.parentOf(assignment);
  const block = statement && context.index.parentOf(statement);
  const tryStatement = block && context.index.parentOf(block);
  if (!binding || !block || statement?.type !== 'ExpressionStatement' || tryStatement?.type !== 'TryStatement' || tryStatement.block !== block) return false;
  const fn = context.index.enclosingFunction(assignment)!;
  const pseudo: Site = {
    kind: 'loan',
    value,
    pool: value.parent,
    binding,
    declaration: statement,
    declarator: assignment,
    list: block.body,
    owner: block,
    fn,
    ...positionOf(statement),
  };
  return (tryStatement.finalizer?.body ?? []).some((candidate: Node) => releaseStatementCall(context, pseudo, candidate) !== undefined);
}
