/**
 * Shared or dedicated: which connection each blocking or takeover command in a file runs on, and
 * whether that connection also serves other work. A client runs its commands in order on one
 * connection, so a BLPOP on a connection that also serves GETs stalls them; on a pool, blocking
 * reads pin connections that other work waits for. Decisions (shared by the rule, the
 * `dedicated-blocking-client` codemod and the report):
 * - A connection is the value a command runs on, by identity (`RedisValue.creation`). Commands
 *   on pool loans (`acquire()`, `use`/`execute` callbacks) and pool commands (`pool.get`) count
 *   towards the pool.
 * - A module-level client is shared when the file also uses it for a non-blocking command, or
 *   when it is exported and was made by its own factory or constructor (an exported `duplicate()`
 *   is a second connection made on purpose).
 * - A client imported from another module is shared (an app-wide client). With type information
 *   its type must say Redis client, and one the exporting module made with `duplicate()` is
 *   dedicated. Without, the binding must come from a relative (or `#` subpath) import and the call
 *   must be a blocking method or raw blocking command of a catalog library, never `wait`/`WAIT`
 *   (a common name for unrelated things); that shows it is a client, and its other calls then
 *   count as commands on it. An imported name with "blocking" or "blocker" (what our suggestion
 *   and codemod write) is dedicated, and so is an exported client declared with such a name in
 *   the module that makes it: the only place a name counts, and it only silences.
 * - A class field is shared when the class uses it for both kinds of work; a pool when it serves
 *   blocking work on one loan and non-blocking work on another.
 * - Anything else (a client made and closed inside a function, a parameter, node-redis 4
 *   `isolated` calls and `executeIsolated` callbacks) is dedicated or unknown: no finding.
 * - Takeover commands count only where they take the connection over: MONITOR always, the
 *   SUBSCRIBE family only when the client provably speaks RESP2.
 */
import { ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  LIBRARIES,
  TAKEOVER_COMMANDS,
  isRedisClientLibrary,
  type LibraryCatalog,
  takesOverConnection,
  type ValueKind,
} from '../catalog';
import { AST_NODE_TYPES, importedName, isFunctionNode, isModuleLevel, methodCall, skipWrappersUp, staticPropertyName, thisPropertyName, unwrapExpression } from './ast';
import type { CommandCall } from './commands';
import type { RedisAnalysis } from './context';
import { nodesOfType } from './node-index';
import { protocolOf } from './options';
import { BLOCKING_METHOD_NAMES } from './relevance';
import type { RedisValue } from './origin';
import { resourceLibraryOf } from './pools';
import { findVariableFor, importOf, writesOf, type Variable } from './scope';
import { madeByOf } from './summaries';
import { isExported } from './uses';

export type BlockingCommandCall = Extract<CommandCall, { type: 'blocking' | 'takeover' }>;
export type OrdinaryCommandCall = Extract<CommandCall, { type: 'command' }>;

/** One command call and the connection it runs on. */
export interface ConnectionUse<C extends CommandCall = CommandCall> {
  command: C;
  /** The receiver at the call: `redis`, `this.redis`, `client` inside `pool.use(...)`. */
  receiver: TSESTree.Expression;
  /**
   * The loan the call runs on: for a pool, the `acquire()` call, the `use`/`execute` call, or the
   * pool command itself; for a client, the client's identity.
   */
  loan: TSESTree.Node;
}

export type ConnectionScope = 'module' | 'imported' | 'field' | 'local';

export interface ModuleDeclaration {
  variable: Variable;
  declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier; init: TSESTree.Expression };
  /** The statement to insert after: the declaration, or the `export` around it. */
  statement: TSESTree.Node;
}

export interface ImportedFrom {
  source: string;
  /** The export, a default import's local name, or `module.exports` for a whole `require`. */
  name: string;
  /** The exporting module made it with `duplicate()` (known only from type information). */
  duplicateInSource: boolean;
}

export interface Connection extends SharingFacts<ConnectionUse<OrdinaryCommandCall>> {
  /** Absent for a client imported without type information. */
  value: RedisValue | undefined;
  /** The library, when known (an untyped import may fit several). */
  library: LibraryCatalog | undefined;
  /** Every library it may be: the one library, or those that spell an untyped import's calls. */
  libraries: LibraryCatalog[];
  kind: ValueKind | undefined;
  /** Blocking calls and takeover calls that run on it (node-redis 4 isolated calls excluded). */
  blocking: ConnectionUse<BlockingCommandCall>[];
  work: ConnectionUse<OrdinaryCommandCall>[];
  /** The module-level `const x = …` that holds it, when there is one. */
  declaration: ModuleDeclaration | undefined;
  /** How to name it in a message: `redis`, `this.redis`, `pool`. */
  name: string;
}

export type SharingDecision<W> =
  /** It also serves this non-blocking work. */
  | { type: 'non-blocking-use'; witness: W }
  /** A module-level client exported for others. */
  | { type: 'exported' }
  /** An app-wide client from another module. */
  | { type: 'imported'; source: string };

export type SharingReason = SharingDecision<ConnectionUse<OrdinaryCommandCall>>;

/**
 * What the decision needs to know about a connection, whatever found it (this file's ESTree
 * analysis, a codemod's, or the project report's). `W` is one non-blocking use, with its loan.
 */
export interface SharingFacts<W extends { loan: unknown }> {
  role: 'client' | 'pool';
  scope: ConnectionScope;
  madeBy: 'duplicate' | 'own' | 'unknown';
  /** A module-level client exported from its file. */
  exported: boolean;
  imported: ImportedFrom | undefined;
  /** The name a module-level client is declared with, when known (see DEDICATED_NAME). */
  name?: string;
  /** Non-blocking uses in source order. */
  work: readonly W[];
}

/**
 * Whether a blocking call on loan `loan` of this connection shares it, and why (undefined:
 * dedicated, or not known to be shared). The decisions listed at the top of this file.
 */
export function decideSharing<W extends { loan: unknown }>(facts: SharingFacts<W>, loan: unknown): SharingDecision<W> | undefined {
  if (facts.role === 'pool') {
    const witness = facts.work.find((work) => work.loan !== loan);
    return witness ? { type: 'non-blocking-use', witness } : undefined;
  }
  if (facts.scope === 'local') return undefined;
  const witness = facts.work[0];
  if (witness) return { type: 'non-blocking-use', witness };
  if (facts.scope === 'imported' && facts.imported) {
    if (facts.imported.duplicateInSource || DEDICATED_NAME.test(facts.imported.name)) return undefined;
    return { type: 'imported', source: facts.imported.source };
  }
  if (facts.scope === 'module' && facts.exported && facts.madeBy === 'own') {
    // `export const blockingRedis = new Redis()`: what importers of that name are told (above).
    return facts.name !== undefined && DEDICATED_NAME.test(facts.name) ? undefined : { type: 'exported' };
  }
  return undefined;
}

export interface SharingFinding {
  connection: Connection;
  use: ConnectionUse<BlockingCommandCall>;
  reason: SharingReason;
}

/** Commands that keep a subscriber subscriber (they are not other work on it). */
export const SUBSCRIBER_COMPANIONS = new Set(['UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE']);

/** Blocking commands whose method names are too common to recognise a client by (`barrier.wait()`). */
export const AMBIGUOUS_BLOCKING_COMMANDS = new Set(['WAIT', 'WAITAOF']);

/**
 * Names that declare a connection set aside for blocking work (see the file comment):
 * `redisBlocking`, `blockingClient`, `blocker`, but not `nonBlockingRedis`.
 */
export const DEDICATED_NAME = /(?<!non[-_]?)block(?:ing|er)/i;

const POOL_KINDS: ReadonlySet<ValueKind> = new Set(['pool', 'sentinel']);
const CLIENT_KINDS: ReadonlySet<ValueKind> = new Set(['client', 'cluster']);

const cache = new WeakMap<RedisAnalysis, FileSharing>();
const everyConnectionCache = new WeakMap<RedisAnalysis, FileSharing>();

/**
 * The sharing analysis of the analysed file (computed once, shared by every caller). By default
 * a file that spells no blocking or takeover method is not analysed (it can have no finding);
 * `everyConnection` analyses it anyway, for callers that need ordinary uses too (the report,
 * which decides sharing across files).
 */
export function getSharing(analysis: RedisAnalysis, { everyConnection = false } = {}): FileSharing {
  const store = everyConnection ? everyConnectionCache : cache;
  const sharing = store.get(analysis) ?? new FileSharing(analysis, everyConnection);
  store.set(analysis, sharing);
  return sharing;
}

interface Receiver {
  key: unknown;
  role: 'client' | 'pool';
  /** The value whose catalog entry spells the commands (a pool's loan is seen as its client). */
  view: RedisValue | undefined;
  /** The client or pool itself. */
  value: RedisValue | undefined;
  loan: TSESTree.Node;
  /** For a pool: an expression that denotes the pool (`pool` in `pool.use(…)`). */
  poolExpression?: TSESTree.Expression;
  /** The call runs on an isolated connection (node-redis 4 `executeIsolated`). */
  isolated?: boolean;
  imported?: UntypedImport;
}

interface UntypedImport {
  key: string;
  node: TSESTree.Node;
  source: string;
  name: string;
}

interface ManagedLoan {
  pool: RedisValue;
  loan: TSESTree.CallExpression;
  isolated: boolean;
}

export class FileSharing {
  /** Connections with a command call in the file (none when it is not analysed: see getSharing). */
  readonly connections: Connection[] = [];
  private readonly byKey = new Map<unknown, Connection>();
  private readonly managedParams = new Map<Variable, ManagedLoan>();
  private readonly resourceLibraries = new Map<RedisValue, LibraryCatalog | undefined>();
  private readonly receiverNodes = new Map<Connection, TSESTree.Expression[]>();
  private readonly poolExpressions = new Map<Connection, TSESTree.Expression>();
  /** For calls on untyped imports: the libraries that spell them as blocking. */
  private readonly spellingLibraries = new Map<TSESTree.CallExpression, Set<LibraryCatalog>>();

  constructor(
    private readonly analysis: RedisAnalysis,
    everyConnection = false,
  ) {
    const calls = nodesOfType(analysis.sourceCode.ast, AST_NODE_TYPES.CallExpression);
    const blockingReceivers = calls.flatMap((call) => {
      const parts = methodCall(call);
      return parts && BLOCKING_METHOD_NAMES.has(parts.method) ? [unwrapExpression(parts.receiver)] : [];
    });
    // Most files send no blocking command: skip resolving every receiver in them. In a file that
    // can hold no Redis value, only an untyped import a blocking call runs on can be one.
    if (!everyConnection && blockingReceivers.length === 0) return;
    if (!everyConnection && !analysis.origins.mayHoldValues() && !blockingReceivers.some((receiver) => untypedImport(receiver, analysis.sourceCode))) return;
    for (const call of calls) this.collectManagedParams(call);
    for (const call of calls) this.collect(call);
    // An untyped import is known to be a client only by a blocking call on it.
    const unproven = this.connections.filter((connection) => connection.imported && connection.blocking.length === 0);
    for (const connection of unproven) this.connections.splice(this.connections.indexOf(connection), 1);
    for (const connection of this.connections) this.describe(connection);
  }

  /** The connection a blocking, takeover or ordinary command call runs on, if known. */
  connectionOf(call: TSESTree.CallExpression): Connection | undefined {
    return this.connections.find(
      (connection) =>
        connection.blocking.some((use) => use.command.call === call) ||
        connection.work.some((use) => use.command.call === call),
    );
  }

  /** Why a blocking or takeover call shares its connection; undefined when it is dedicated. */
  reasonFor(connection: Connection, use: ConnectionUse<BlockingCommandCall>): SharingReason | undefined {
    if (use.command.type === 'takeover' && !takesOverConnection(use.command.command, this.protocolOf(connection))) {
      return undefined;
    }
    return decideSharing(connection, use.loan);
  }

  /** Every blocking or takeover call that runs on a shared connection. */
  findings(): SharingFinding[] {
    const findings: SharingFinding[] = [];
    for (const connection of this.connections) {
      for (const use of connection.blocking) {
        const reason = this.reasonFor(connection, use);
        if (reason) findings.push({ connection, use, reason });
      }
    }
    return findings.sort((a, b) => a.use.command.call.range[0] - b.use.command.call.range[0]);
  }

  /** The RESP version a client provably speaks. */
  protocolOf(connection: Connection): 2 | 3 | undefined {
    const value = connection.value;
    if (!value || connection.role !== 'client') return undefined;
    return protocolOf(value, this.analysis.evaluator, this.analysis.versions);
  }

  /** `pool.use(async (client) => …)`: calls on `client` run on a loan of the pool. */
  private collectManagedParams(call: TSESTree.CallExpression): void {
    const parts = methodCall(call);
    if (!parts) return;
    const owner = this.analysis.origins.valueOf(parts.receiver);
    const spec = owner?.library.values[owner.kind]?.methods[parts.method];
    if (!owner || spec?.type !== 'managed') return;
    const callback = call.arguments[spec.callbackArg];
    const fn = callback && unwrapExpression(callback);
    if (!fn || !isFunctionNode(fn)) return;
    const param = fn.params[0];
    if (param?.type !== AST_NODE_TYPES.Identifier) return;
    const variable = findVariableFor(this.analysis.sourceCode, param);
    if (!variable) return;
    // A client's managed method is node-redis 4 `executeIsolated`: its own connection.
    this.managedParams.set(variable, { pool: owner, loan: call, isolated: CLIENT_KINDS.has(owner.kind) });
  }

  private collect(call: TSESTree.CallExpression): void {
    const parts = methodCall(call);
    if (!parts) return;
    const receiver = this.receiverOf(parts.receiver);
    if (!receiver || receiver.isolated) return;
    const command = receiver.imported
      ? this.classifyImported(receiver.imported, parts.method, call)
      : receiver.view && this.analysis.commands.classifyOn(receiver.view, parts.method, call);
    if (!command || command.type === 'lifecycle') return;
    if (command.type === 'blocking' && command.isolated) return;
    if (command.type === 'command' && SUBSCRIBER_COMPANIONS.has(command.command)) return;
    // A method named after a takeover command that the library does not list as one does not
    // run on this connection: ioredis's monitor() opens a connection of its own.
    if (command.type === 'command' && TAKEOVER_COMMANDS[command.command]) return;
    const connection = this.connectionFor(receiver);
    this.receiverNodes.get(connection)!.push(parts.receiver);
    if (receiver.poolExpression && !this.poolExpressions.has(connection)) {
      this.poolExpressions.set(connection, receiver.poolExpression);
    }
    if (command.type === 'command') connection.work.push({ command, receiver: parts.receiver, loan: receiver.loan });
    else connection.blocking.push({ command, receiver: parts.receiver, loan: receiver.loan });
  }

  private connectionFor(receiver: Receiver): Connection {
    const existing = this.byKey.get(receiver.key);
    if (existing) return existing;
    const connection: Connection = {
      role: receiver.role,
      value: receiver.value,
      library: receiver.value?.library,
      libraries: receiver.value ? [receiver.value.library] : [],
      kind: receiver.value?.kind,
      scope: 'local',
      madeBy: 'unknown',
      blocking: [],
      work: [],
      exported: false,
      declaration: undefined,
      imported: receiver.imported
        ? { source: receiver.imported.source, name: receiver.imported.name, duplicateInSource: false }
        : undefined,
      name: '',
    };
    this.byKey.set(receiver.key, connection);
    this.receiverNodes.set(connection, []);
    this.connections.push(connection);
    return connection;
  }

  /** Which connection a receiver expression denotes, and how its commands are spelt. */
  private receiverOf(expression: TSESTree.Expression): Receiver | undefined {
    const inner = unwrapExpression(expression);
    if (inner.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariableFor(this.analysis.sourceCode, inner);
      const managed = variable && this.managedParams.get(variable);
      if (managed) {
        const view = this.loanView(managed.pool, managed.loan, expression);
        return {
          key: managed.pool.creation,
          role: 'pool',
          view,
          value: managed.pool,
          loan: managed.loan,
          poolExpression: methodCall(managed.loan)?.receiver,
          isolated: managed.isolated,
        };
      }
    }
    const value = this.analysis.origins.valueOf(expression);
    if (value) {
      if (value.kind === 'lease') {
        const pool = value.parent;
        if (!pool) return undefined;
        const view = this.loanView(pool, value.creation, expression);
        const poolExpression = value.call?.type === AST_NODE_TYPES.CallExpression ? methodCall(value.call)?.receiver : undefined;
        return { key: pool.creation, role: 'pool', view, value: pool, loan: value.creation, poolExpression };
      }
      if (POOL_KINDS.has(value.kind)) {
        return { key: value.creation, role: 'pool', view: value, value, loan: expression, poolExpression: expression };
      }
      if (CLIENT_KINDS.has(value.kind) && isRedisClientLibrary(value.library)) {
        return { key: value.creation, role: 'client', view: value, value, loan: value.creation };
      }
      return undefined;
    }
    // With type information a binding that is not typed as a Redis client is not one.
    if (this.analysis.types) return undefined;
    const imported = untypedImport(inner, this.analysis.sourceCode);
    return imported ? { key: imported.key, role: 'client', view: undefined, value: undefined, loan: imported.node, imported } : undefined;
  }

  /** A pool's loan seen as the client it lends, so its commands can be classified. */
  private loanView(pool: RedisValue, loan: TSESTree.Node, expression: TSESTree.Expression): RedisValue | undefined {
    let library: LibraryCatalog | undefined;
    let kind: ValueKind = 'client';
    if (isRedisClientLibrary(pool.library)) {
      library = pool.library;
      // A sentinel lends leases (with their own release()); a pool lends clients.
      if (pool.kind === 'sentinel') kind = 'lease';
    } else {
      library = this.resourceLibraryOf(pool);
      if (!library) {
        const typed = this.analysis.types?.originOf(expression);
        if (typed?.type === 'value' && isRedisClientLibrary(typed.value.library)) library = typed.value.library;
      }
    }
    if (!library?.values[kind]) return undefined;
    return { library, kind, creation: loan, how: 'method', parent: pool };
  }

  /** The client library a generic-pool or tarn pool's `create` returns (cached per pool). */
  private resourceLibraryOf(pool: RedisValue): LibraryCatalog | undefined {
    if (this.resourceLibraries.has(pool)) return this.resourceLibraries.get(pool);
    const library = resourceLibraryOf(pool, this.analysis.origins, this.analysis.evaluator);
    this.resourceLibraries.set(pool, library);
    return library;
  }

  /**
   * A call on an untyped imported binding. Blocking calls are recognised by their spelling (and
   * make the binding a client); any other call is an ordinary command unless some client library
   * calls it lifecycle or plumbing, or could mean something blocking by it (`wait`, `subscribe`).
   */
  private classifyImported(imported: UntypedImport, method: string, call: TSESTree.CallExpression): CommandCall | undefined {
    const blocking = this.classifyBySpelling(imported, method, call);
    if (blocking) return blocking;
    let ordinary: OrdinaryCommandCall | undefined;
    for (const library of LIBRARIES) {
      if (!isRedisClientLibrary(library) || !library.values.client) continue;
      const view: RedisValue = { library, kind: 'client', creation: imported.node, how: 'type' };
      const result = this.analysis.commands.classifyOn(view, method, call);
      if (result?.type !== 'command') return undefined;
      ordinary ??= result;
    }
    return ordinary;
  }

  /**
   * A call on an untyped imported binding: blocking when some catalog library spells a blocking
   * command this way. Several libraries may fit (`blpop`); the timeout is kept when they agree.
   */
  private classifyBySpelling(imported: UntypedImport, method: string, call: TSESTree.CallExpression): BlockingCommandCall | undefined {
    const candidates = LIBRARIES.filter(
      (library) =>
        isRedisClientLibrary(library) && (library.blockingMethods?.[method] || library.rawCommandMethods?.[method]),
    );
    let results: Extract<CommandCall, { type: 'blocking' }>[] = [];
    for (const library of candidates) {
      const view: RedisValue = { library, kind: 'client', creation: imported.node, how: 'type' };
      const result = this.analysis.commands.classifyOn(view, method, call);
      if (result?.type === 'blocking' && !AMBIGUOUS_BLOCKING_COMMANDS.has(result.command)) results.push(result);
    }
    // Prefer the libraries the project has installed (or configured).
    const installed = results.filter((result) => this.analysis.versions.major(result.receiver.library) !== undefined);
    if (installed.length > 0) results = installed;
    const first = results[0];
    if (!first) return undefined;
    this.spellingLibraries.set(call, new Set(results.map((result) => result.receiver.library)));
    if (results.every((result) => result.timeout.ms === first.timeout.ms && result.isolated === first.isolated)) return first;
    if (!results.every((result) => result.isolated === first.isolated)) return undefined;
    return { ...first, timeout: { value: undefined, ms: undefined, node: undefined } };
  }

  /** Fills in scope, how it was made, export, declaration and name once all uses are known. */
  private describe(connection: Connection): void {
    const receivers = this.receiverNodes.get(connection) ?? [];
    const { sourceCode } = this.analysis;
    const value = connection.value;
    if (connection.imported) {
      // An untyped import: the library, if only one spells all its blocking calls.
      let libraries: LibraryCatalog[] | undefined;
      for (const use of connection.blocking) {
        const fits = this.spellingLibraries.get(use.command.call) ?? new Set<LibraryCatalog>();
        libraries = (libraries ?? [...fits]).filter((library) => fits.has(library));
      }
      connection.libraries = libraries ?? [];
      if (libraries?.length === 1) connection.library = libraries[0];
      connection.kind = 'client';
    }
    if (value && value.how !== 'summary' && value.how !== 'type') connection.madeBy = madeByOf(value);

    const variables = new Set<Variable>();
    // Known from its type through an import: the import is its identity, or a receiver reads it.
    let importNode: TSESTree.ImportSpecifier | TSESTree.ImportDefaultSpecifier | undefined =
      value && isImportNode(value.creation) ? value.creation : undefined;
    let field: string | undefined;
    for (const receiver of receivers) {
      const inner = unwrapExpression(receiver);
      if (inner.type === AST_NODE_TYPES.Identifier) {
        const variable = findVariableFor(sourceCode, inner);
        if (!variable) continue;
        const def = variable.defs[0];
        if (def?.type === 'ImportBinding') {
          if (isImportNode(def.node)) importNode ??= def.node;
        } else if (variable.scope.type === 'module' || variable.scope.type === 'global') {
          variables.add(variable);
        }
      } else {
        field ??= thisPropertyName(inner);
      }
    }
    // Handed out by a method of the class (`this.getOrCreateRedis()`): the field it is kept on.
    if (field === undefined && value) field = thisFieldAssignedBy(value.creation);
    const declarator = value && moduleDeclaratorOf(value.creation);
    if (declarator) {
      const variable = findVariableFor(sourceCode, declarator.id);
      if (variable) variables.add(variable);
    }

    const fromModule = value?.summary?.shared ? value.summary.imported : undefined;
    if (connection.imported) {
      connection.scope = 'imported';
    } else if (fromModule) {
      // Known through the module view: an imported client, or the one a project getter hands out.
      connection.scope = 'imported';
      connection.imported = { source: fromModule.source, name: fromModule.name, duplicateInSource: value!.summary!.madeBy === 'duplicate' };
    } else if (value && importNode) {
      connection.scope = 'imported';
      const declaration = importNode.parent as TSESTree.ImportDeclaration;
      connection.imported = {
        source: declaration.source.value,
        name: importNode.type === AST_NODE_TYPES.ImportDefaultSpecifier ? importNode.local.name : importedName(importNode)!,
        duplicateInSource: this.isDuplicateInSource(importNode.local),
      };
    } else if (value && (isModuleLevelCreation(value.creation) || variables.size > 0)) {
      connection.scope = 'module';
    } else if (field !== undefined) {
      connection.scope = 'field';
    }

    if (connection.scope === 'module') {
      connection.exported = [...variables].some((variable) => isExported(variable, sourceCode));
      connection.declaration = declarationOf(value!, variables);
    }
    connection.name = this.nameOf(connection, receivers);
  }

  private nameOf(connection: Connection, receivers: TSESTree.Expression[]): string {
    const { sourceCode } = this.analysis;
    if (connection.role === 'pool' && connection.value) {
      const declarator = declaratorOf(connection.value.creation);
      if (declarator) return declarator.id.name;
      const expression = this.poolExpressions.get(connection);
      return expression ? sourceCode.getText(unwrapExpression(expression)) : 'the pool';
    }
    if (connection.declaration) return connection.declaration.declarator.id.name;
    const first = receivers[0];
    return first ? sourceCode.getText(unwrapExpression(first)) : 'the client';
  }

  /**
   * With type information: the imported binding's declaration in its own module reads
   * `x.duplicate(…)` (perhaps awaited and chained into `.connect()`), a second connection.
   */
  private isDuplicateInSource(identifier: TSESTree.Identifier): boolean {
    const services = this.analysis.sourceCode.parserServices;
    if (!this.analysis.types || !services?.program || !services.esTreeNodeToTSNodeMap) return false;
    const checker = services.program.getTypeChecker();
    const tsNode = services.esTreeNodeToTSNodeMap.get(identifier as never);
    let symbol = tsNode ? checker.getSymbolAtLocation(tsNode) : undefined;
    // ts.SymbolFlags.Alias, spelt as a number so this file needs no runtime typescript.
    if (symbol && symbol.flags & 2097152) symbol = checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.declarations ?? []) {
      const initializer = (declaration as { initializer?: { getText(): string } }).initializer;
      if (initializer && DUPLICATE_INITIALIZER.test(initializer.getText())) return true;
    }
    return false;
  }
}

/** `x.duplicate(`, `await x.duplicate(`, `(await x.y.duplicate(` at the start of an initializer. */
const DUPLICATE_INITIALIZER = /^[\s(]*(?:await\s+)?[\s(]*[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*\s*\.\s*duplicate\s*\(/;

/** `this.redis = new Redis()` (perhaps `this.redis ??= …`): the field a creation is stored on. */
function thisFieldAssignedBy(creation: TSESTree.Node): string | undefined {
  const { node, parent } = skipWrappersUp(creation);
  return parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node ? thisPropertyName(parent.left) : undefined;
}

/** Relative modules and package-internal `#` imports: the application's own code. */
export function isLocalModule(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#');
}

function isImportNode(node: TSESTree.Node): node is TSESTree.ImportSpecifier | TSESTree.ImportDefaultSpecifier {
  return (
    (node.type === AST_NODE_TYPES.ImportSpecifier || node.type === AST_NODE_TYPES.ImportDefaultSpecifier) &&
    node.parent?.type === AST_NODE_TYPES.ImportDeclaration
  );
}

/**
 * An identifier (or `ns.name`) bound to a value import from the application's own modules:
 * `import { redis } from './redis'`, `import redis from '#lib/redis'`, `import * as db from
 * './db'` then `db.redis`, `const { redis } = require('./redis')`, `const redis = require('./redis')`.
 */
function untypedImport(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): UntypedImport | undefined {
  const identifier = node.type === AST_NODE_TYPES.MemberExpression ? node.object : node;
  const variable = identifier.type === AST_NODE_TYPES.Identifier ? findVariableFor(sourceCode, identifier) : undefined;
  const imported = variable && importOf(variable);
  if (!variable || !imported || imported.typeOnly || !isLocalModule(imported.source)) return undefined;
  const whole = imported.required && imported.name === 'default';
  let name: string | undefined;
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    // `db.redis` on `import * as db` or a whole `require('./db')`.
    name = imported.name === '*' || whole ? staticPropertyName(node) : undefined;
  } else if (imported.name !== '*') {
    // A default import goes by its local name, a whole `require` by the module's exports.
    name = imported.node.type === AST_NODE_TYPES.ImportDefaultSpecifier ? variable.name : whole ? 'module.exports' : imported.name;
  }
  return name === undefined ? undefined : { key: keyOf(imported.node, name), node: imported.node, source: imported.source, name };
}

function keyOf(node: TSESTree.Node, name: string): string {
  return `import:${node.range[0]}:${name}`;
}

/**
 * Made once per module load. A value known from its type has its declaration as identity: a
 * parameter or a class member is not module-level even when its class is.
 */
function isModuleLevelCreation(node: TSESTree.Node): boolean {
  if (
    node.type === AST_NODE_TYPES.PropertyDefinition ||
    node.type === AST_NODE_TYPES.TSAbstractPropertyDefinition ||
    node.type === AST_NODE_TYPES.TSParameterProperty ||
    node.type === AST_NODE_TYPES.TSPropertySignature
  ) {
    return false;
  }
  const parent = node.parent;
  if (isFunctionNode(parent) && (parent.params as TSESTree.Node[]).includes(node)) return false;
  return isModuleLevel(node);
}

/** The `const x = <creation …>` declarator whose value is this creation, directly or through a chain. */
function declaratorOf(
  creation: TSESTree.Node,
): (TSESTree.VariableDeclarator & { id: TSESTree.Identifier; init: TSESTree.Expression }) | undefined {
  if (creation.type === AST_NODE_TYPES.VariableDeclarator) {
    return creation.id.type === AST_NODE_TYPES.Identifier && creation.init ? (creation as never) : undefined;
  }
  for (let current: TSESTree.Node | undefined = creation.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.VariableDeclarator) {
      return current.id.type === AST_NODE_TYPES.Identifier && current.init && isChainOf(current.init, creation)
        ? (current as never)
        : undefined;
    }
    if (
      current.type !== AST_NODE_TYPES.MemberExpression &&
      current.type !== AST_NODE_TYPES.CallExpression &&
      current.type !== AST_NODE_TYPES.AwaitExpression &&
      current.type !== AST_NODE_TYPES.TSAsExpression &&
      current.type !== AST_NODE_TYPES.TSNonNullExpression &&
      current.type !== AST_NODE_TYPES.TSSatisfiesExpression
    ) {
      return undefined;
    }
  }
  return undefined;
}

function moduleDeclaratorOf(creation: TSESTree.Node) {
  const declarator = declaratorOf(creation);
  return declarator && isModuleLevel(declarator) ? declarator : undefined;
}

/**
 * Whether `expression` is `creation` or a method chain on it:
 * `await createClient().on('error', h).connect()` for `createClient()`.
 */
export function isChainOf(expression: TSESTree.Node, creation: TSESTree.Node): boolean {
  let current = unwrapExpression(expression);
  for (;;) {
    if (current === creation) return true;
    if (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
    else if (
      current.type === AST_NODE_TYPES.CallExpression &&
      unwrapExpression(current.callee).type === AST_NODE_TYPES.MemberExpression
    ) {
      current = unwrapExpression((unwrapExpression(current.callee) as TSESTree.MemberExpression).object);
    } else {
      return false;
    }
  }
}

/** The module-level `const x = …` holding the value, when it is declared with it. */
function declarationOf(value: RedisValue, variables: Set<Variable>): ModuleDeclaration | undefined {
  const declarator = moduleDeclaratorOf(value.creation);
  if (!declarator) return undefined;
  const variable = [...variables].find((candidate) => candidate.defs.some((def) => def.node === declarator));
  if (!variable || writesOf(variable).length !== 1) return undefined;
  const statement = declarator.parent;
  if (statement?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  const container = statement.parent;
  if (container?.type === AST_NODE_TYPES.Program) return { variable, declarator, statement };
  if (container?.type === AST_NODE_TYPES.ExportNamedDeclaration) return { variable, declarator, statement: container };
  return undefined;
}

/** Whether `name` can be declared at module level and read at `at` without clashing. */
export function isNameFree(sourceCode: Readonly<TSESLint.SourceCode>, name: string, at: TSESTree.Node): boolean {
  if (ASTUtils.findVariable(sourceCode.getScope(at), name)) return false;
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return false;
  return !globalScope.through.some((reference) => reference.identifier.name === name);
}
