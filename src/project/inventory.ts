/**
 * The inventory: every Redis connection the program creates (clients, clusters, duplicates,
 * sentinels, pools of Redis clients), what each one is configured with, and every command the
 * program issues on it, wherever in the program that happens. Timeouts, pool sizes, command
 * classification and sharing are the analysis's own functions; project-view.ts links values.
 */
import * as fs from 'node:fs';
import type { TSESTree } from '@typescript-eslint/utils';
import {
  isRedisClientLibrary,
  TAKEOVER_COMMANDS,
  takesOverConnection,
  type LibraryCatalog,
  type PoolSizeOptionSpec,
  type QueueConnectionsSpec,
  type TimeoutOptionSpec,
  type ValueKind,
} from '../catalog';
import { AST_NODE_TYPES, isFunctionNode, isModuleLevel, staticPropertyName, unwrapExpression, walk } from '../analysis/ast';
import type { CommandCall } from '../analysis/commands';
import { argumentAt, clientOptionsOf, poolOptionsOf, poolSizeSpecsFor, protocolOf, type OptionsView, type ResolvedTimeout } from '../analysis/options';
import { lookupOption } from '../analysis/static-value';
import type { RedisValue } from '../analysis/origin';
import { commonPrefix, readSize, type PoolSizeReading } from '../analysis/pool-sizes';
import { createFunctionOf, returnedExpressions } from '../analysis/pools';
import { decideSharing, SUBSCRIBER_COMPANIONS, type ConnectionScope } from '../analysis/sharing';
import { UnparsableFileError } from '../analysis/standalone';
import { effectiveTimeouts } from '../analysis/timeouts';
import { factsOf, type FileFacts } from './facts';
import { constructorOwner, ProjectView, storedInModuleVariable, targetKey, type ConnectionInstance, type FrameEntry, type InstanceTarget, type Target } from './project-view';

export interface InventoryOptions {
  /** Majors by package name or library id (`{ redis: 4 }`), as ESLint's `settings.redis.versions`; default: detect. */
  versions?: Record<string, string | number>;
  /** Reads a file's text (default: from disk). */
  readFile?: (file: string) => string;
}

export interface Site {
  /** Absolute path (in the report: relative to its root, with `/` separators). */
  file: string;
  line: number;
  /** 1-based. */
  column: number;
}

export interface CommandUse extends Site {
  command: string;
  method: string;
}

export interface BlockingUse extends CommandUse {
  /** The timeout in ms: 0 blocks forever, null when not static. */
  timeoutMs: number | null;
  /** SUBSCRIBE (under RESP2) or MONITOR: the connection serves nothing else afterwards. */
  takeover: boolean;
}

/** `queue`: a Bull, bee-queue or BullMQ object, counted by the connections the catalog says it opens. */
export type ConnectionKind = 'client' | 'cluster' | 'duplicate' | 'pool' | 'sentinel' | 'queue';

/** A timeout as the report shows it. */
export interface ReportTimeout {
  /** What it bounds: connect, command, socket-idle, acquire, blocking-command. */
  bounds: TimeoutOptionSpec['bounds'];
  /** bounded: `ms` applies; unbounded: nothing limits the wait; unknown: not static. */
  state: 'bounded' | 'unbounded' | 'unknown';
  ms: number | null;
  /** explicit: set in the code; default: the library's default for the detected major. */
  source: 'explicit' | 'default' | null;
}

export interface PoolSize {
  /** Connections the pool may open (after min > max handling); null when not static. */
  max: number | null;
  min: number | null;
  /** A required size is not set (tarn without max). */
  missing: boolean;
  /** Sentinel: connections to each replica; null when not static. */
  perReplica: number | null;
}

export interface Connection {
  /** Identity: the creation site and the call sites that instantiated it. */
  key: string;
  value: RedisValue;
  library: LibraryCatalog;
  kind: ConnectionKind;
  /** The library major the defaults were taken from (undefined: not detected, newest assumed). */
  major: number | undefined;
  creation: Site;
  /** The factory calls (or `new` of a class holding it) that made this one, innermost first. */
  via: Site[];
  /** What the program calls it: `redis`, `sessions.client`. */
  name: string | undefined;
  /** module: made once per process; function: made each time the code around it runs (counted once). */
  scope: 'module' | 'function';
  timeouts: Map<string, ReportTimeout>;
  pool: PoolSize | undefined;
  /** Connections it opens to the server at most; null when not static. */
  perProcess: number | null;
  /** A pool whose size has no bound (Infinity). */
  unbounded: boolean;
  /** For a pool's member client: the pool's key (its connections are the pool's). */
  memberOf: string | undefined;
  /** For a duplicate: its source's key. */
  duplicateOf: string | undefined;
  blockingUses: BlockingUse[];
  commandUses: CommandUse[];
  /** node-redis 4 calls that run on the client's isolation pool. */
  isolatedUses: number;
  /** Blocking (or takeover) work and other commands share this connection, as the rules decide it. */
  shared: boolean;
}

export interface UnattributedBlockingUse extends BlockingUse {
  /** What the receiver's type says it is. */
  library: LibraryCatalog;
}

export interface UnparsedFile extends Site {
  message: string;
}

export interface Inventory {
  /** The files analysed (absolute paths), unparsable ones included. */
  files: readonly string[];
  connections: Connection[];
  /** Blocking commands on parameters typed as Redis connections that no call site in the project binds. */
  unattributedBlockingUses: UnattributedBlockingUse[];
  /** Files no parser could read: the inventory is partial without them. */
  unparsed: UnparsedFile[];
}

interface Uses {
  blocking: { use: BlockingUse; loan: unknown }[];
  commands: { use: CommandUse; loan: unknown }[];
  isolated: number;
  lends: boolean;
  seen: Set<string>;
}

/** Takes the inventory of the given project files. */
export function takeInventory(files: readonly string[], options: InventoryOptions = {}): Inventory {
  const readFile = options.readFile ?? ((file: string) => fs.readFileSync(file, 'utf8'));
  const facts = new Map<string, FileFacts>();
  const unparsed: UnparsedFile[] = [];
  for (const file of files) {
    try {
      facts.set(file, factsOf(file, readFile(file), options.versions ? { versions: options.versions } : undefined));
    } catch (error) {
      if (!(error instanceof UnparsableFileError)) throw error;
      unparsed.push({ file, line: error.line, column: error.column + 1, message: error.message });
    }
  }
  return { files, ...new InventoryBuilder(new ProjectView(facts)).build(), unparsed };
}

class InventoryBuilder {
  private readonly registered = new Map<string, ConnectionInstance>();
  private readonly uses = new Map<string, Uses>();
  private readonly members = new Map<string, string>();
  /** The client library a generic-pool or tarn pool lends, from its members (undefined: none, or being read). */
  private readonly resources = new Map<string, LibraryCatalog | undefined>();
  private readonly unattributed = new Map<string, UnattributedBlockingUse>();

  constructor(private readonly view: ProjectView) {}

  build(): Pick<Inventory, 'connections' | 'unattributedBlockingUses'> {
    for (const file of this.view.files.values()) {
      for (const site of file.calls) this.discover(file, site);
    }
    for (const file of this.view.files.values()) {
      for (const site of file.calls) if (site.type === AST_NODE_TYPES.CallExpression) this.collectUse(file, site);
    }
    return {
      connections: [...this.registered.values()].map((instance) => this.describe(instance)).sort(byConnection),
      unattributedBlockingUses: [...this.unattributed.values()].sort(bySite),
    };
  }

  /** Registers what a call or `new` makes: a connection, or the connections a new instance holds. */
  private discover(file: FileFacts, site: TSESTree.CallExpression | TSESTree.NewExpression): void {
    const target = this.view.targetOf(file, site);
    if (target?.type === 'connection') {
      const { connection } = target;
      const madeHere = connection.value.creation === site ? connection.via.length === 0 : connection.via.some((entry) => entry.site === site);
      if (madeHere && !(connection.via.length === 0 && this.madePerCall(connection))) this.register(connection);
    } else if (target?.type === 'instance') {
      for (const name of fieldNames(target.cls)) {
        const held = this.view.field(target, name, 0);
        if (held?.type === 'connection' && held.connection.via.some((entry) => entry.site === site)) this.register(held.connection);
      }
    }
  }

  /** Made by a function that returns it, or held by a class the project instantiates: per call. */
  private madePerCall(connection: ConnectionInstance): boolean {
    const { value, file } = connection;
    if (isModuleLevel(value.creation)) return false;
    for (let node = value.creation.parent; node; node = node.parent) {
      if (node.type === AST_NODE_TYPES.ClassBody) {
        const cls = node.parent as InstanceTarget['cls'];
        return this.view.instancesOf(cls).length > 0;
      }
      if (isFunctionNode(node)) {
        const returned = returnedExpressions(node).some((expression) => file.analysis.origins.valueOrPromised(expression)?.creation === value.creation);
        if (returned) return true;
      }
    }
    return false;
  }

  private register(connection: ConnectionInstance): void {
    if (!CONNECTION_KINDS.has(connection.value.kind)) return;
    if (!this.registered.has(connection.key)) {
      // A generic-pool or tarn pool counts only when what it lends is a Redis connection.
      if (connection.value.kind === 'pool' && !isRedisClientLibrary(connection.value.library) && !this.resourceOf(connection)) return;
      this.registered.set(connection.key, connection);
    }
    if (connection.parent) this.register(connection.parent);
  }

  /** A connection made per call, seen from inside its function: each call site's instance. */
  private instancesAtCallSites(connection: ConnectionInstance): ConnectionInstance[] {
    if (connection.via.length > 0 || !this.madePerCall(connection)) return [connection];
    const instances: ConnectionInstance[] = [];
    for (let fn = connection.value.creation.parent; fn; fn = fn.parent) {
      if (!isFunctionNode(fn)) continue;
      for (const entry of this.view.callSitesOf(fn)) {
        const target = this.view.targetOf(entry.file, entry.site);
        if (target?.type === 'connection' && target.connection.value.creation === connection.value.creation) instances.push(target.connection);
      }
    }
    return instances;
  }

  /** What a generic-pool or tarn pool lends, by what its `create` makes: those connections are the pool's. */
  private resourceOf(pool: ConnectionInstance): LibraryCatalog | undefined {
    if (this.resources.has(pool.key)) return this.resources.get(pool.key);
    this.resources.set(pool.key, undefined);
    const fn = createFunctionOf(pool.value, this.view.evaluatorFor(pool.file, pool.frame));
    for (const expression of fn ? returnedExpressions(fn) : []) {
      const target = this.view.targetOf(pool.file, expression, pool.frame);
      if (target?.type !== 'connection' || !isRedisClientLibrary(target.connection.value.library)) continue;
      this.resources.set(pool.key, target.connection.value.library);
      this.members.set(target.connection.key, pool.key);
      this.register(target.connection);
    }
    return this.resources.get(pool.key);
  }

  /** Classifies `receiver.method(…)` on whatever connection the receiver denotes. */
  private collectUse(file: FileFacts, call: TSESTree.CallExpression): void {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
    const method = staticPropertyName(callee);
    if (method === undefined) return;
    const receiver = this.view.targetOf(file, callee.object);
    if (!receiver) return;
    const targets = this.expand(receiver, new Set()).flatMap((target): Target[] => {
      if (target.type === 'connection') return this.instancesAtCallSites(target.connection).map((connection) => ({ type: 'connection', connection }));
      if (target.type === 'lease') return this.instancesAtCallSites(target.pool).map((pool) => ({ ...target, pool }));
      return [target];
    });
    for (const target of targets) this.addUse(file, target, method, call, callee);
    if (targets.length === 0 && receiver.type === 'param') this.checkUnattributed(receiver, file, method, call, callee);
  }

  /** A parameter is each call site's argument; `this.x` outside an instance is each instance's field. */
  private expand(target: Target, seen: Set<string>): Target[] {
    const key = targetKey(target);
    if (seen.has(key)) return [];
    seen.add(key);
    if (target.type === 'param') {
      const owner = constructorOwner(target.fn);
      const results: Target[] = [];
      for (const entry of this.view.callSitesOf(owner ?? target.fn)) {
        const argument = entry.site.arguments[target.index];
        if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) continue;
        let found = this.view.targetOf(entry.file, argument);
        for (const name of target.path) found = found && this.view.memberOf(found, name, 0);
        if (found) results.push(...this.expand(found, seen));
      }
      return results;
    }
    if (target.type === 'field') {
      return this.view.instancesOf(target.cls).flatMap((instance) => {
        const held = this.view.field(instance, target.name, 0);
        return held ? this.expand(held, seen) : [];
      });
    }
    return target.type === 'connection' || target.type === 'lease' ? [target] : [];
  }

  private addUse(file: FileFacts, target: Target, method: string, call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
    let connection: ConnectionInstance;
    let spelling: RedisValue | undefined;
    let loan: unknown;
    let isolated = false;
    if (target.type === 'connection') {
      connection = target.connection;
      spelling = connection.value;
      // A pool command (`pool.get`) is a loan of its own.
      loan = POOL_KINDS.has(connection.value.kind) ? call : connection.key;
    } else if (target.type === 'lease') {
      connection = target.pool;
      spelling = this.loanSpelling(connection, target.loan);
      loan = target.loan;
      isolated = target.isolated;
    } else return;
    this.register(connection);
    if (!spelling) return;
    const command = file.analysis.commands.classifyOn(spelling, method, call);
    if (!command) return;
    const uses = this.usesOf(connection.key);
    const site = siteOf(file, callee.property);
    const key = `${site.file}:${call.range[0]}`;
    if (uses.seen.has(key)) return;
    uses.seen.add(key);
    if (command.type === 'lifecycle') {
      if (command.spec.type === 'managed') {
        if (CLIENT_KINDS.has(connection.value.kind)) uses.isolated += 1;
        else uses.lends = true;
      }
      return;
    }
    // The `executeIsolated` call counted once; its callback's commands run on the isolated client.
    if (isolated) return;
    if (command.type === 'blocking' && command.isolated) {
      uses.isolated += 1;
      return;
    }
    if (command.type === 'blocking') {
      uses.blocking.push({ use: { ...site, command: command.command, method, timeoutMs: command.timeout.ms ?? null, takeover: false }, loan });
    } else if (command.type === 'takeover') {
      const evaluator = this.view.evaluatorFor(connection.file, connection.frame);
      const protocol = protocolOf({ ...connection.value, inheritsFrom: undefined }, evaluator, connection.file.analysis.versions);
      if (!takesOverConnection(command.command, protocol)) return;
      uses.blocking.push({ use: { ...site, command: command.command, method, timeoutMs: 0, takeover: true }, loan });
    } else if (!SUBSCRIBER_COMPANIONS.has(command.command) && !TAKEOVER_COMMANDS[command.command]) {
      uses.commands.push({ use: { ...site, command: command.command, method }, loan });
    }
  }

  /** How a pool's loan spells its commands: a node-redis pool lends its own clients, others their resource's. */
  private loanSpelling(pool: ConnectionInstance, loan: TSESTree.Node): RedisValue | undefined {
    const library = isRedisClientLibrary(pool.value.library) ? pool.value.library : this.resourceOf(pool);
    if (!library) return undefined;
    const kind: ValueKind = pool.value.kind === 'sentinel' ? 'lease' : 'client';
    return library.values[kind] ? { library, kind, creation: loan, how: 'method', parent: pool.value } : undefined;
  }

  /** A blocking command on a parameter typed as a catalog client, that no call site in the project binds. */
  private checkUnattributed(param: Extract<Target, { type: 'param' }>, file: FileFacts, method: string, call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
    if (param.path.length > 0) return;
    const library = typedLibraryOf(param, file);
    if (!library?.values.client) return;
    const spelling: RedisValue = { library, kind: 'client', creation: call, how: 'type' };
    const command: CommandCall | undefined = file.analysis.commands.classifyOn(spelling, method, call);
    if (command?.type !== 'blocking' || command.isolated) return;
    const site = siteOf(file, callee.property);
    const use = { ...site, command: command.command, method, timeoutMs: command.timeout.ms ?? null, takeover: false, library };
    this.unattributed.set(`${site.file}:${call.range[0]}`, use);
  }

  /**
   * What a queue object opens, from the catalog: beside a client the caller supplies (counted on
   * its own), or all of its own when it is given options or a URL. Null when that can't be told.
   */
  private queueConnections(connection: ConnectionInstance, queue: QueueConnectionsSpec): number | null {
    if (!connection.value.call) return queue.ownConnections;
    const evaluator = this.view.evaluatorFor(connection.file, connection.frame);
    const argument = argumentAt(connection.value.call, queue.optionsArg, evaluator);
    if (argument.status === 'unknown') return queue.acceptsClient ? null : queue.ownConnections;
    if (!argument.node) return queue.ownConnections;
    const options = evaluator.evaluate(argument.node);
    // Bull `createClient`: the factory's clients are counted where it makes them.
    if (queue.clientFactoryKey && lookupOption(options, [queue.clientFactoryKey]).status === 'present') return 0;
    if (!queue.acceptsClient) return queue.ownConnections;
    const found = lookupOption(options, [queue.connectionKey]);
    if (found.status === 'absent') return queue.ownConnections;
    if (found.status === 'unknown') return null;
    if (found.value.kind === 'object') return queue.ownConnections;
    const supplied = this.view.targetOf(connection.file, found.property?.value ?? found.value.node, connection.frame);
    if (supplied?.type === 'connection') {
      this.register(supplied.connection);
      return queue.connectionsBesideSupplied;
    }
    return null;
  }

  private usesOf(key: string): Uses {
    let uses = this.uses.get(key);
    if (!uses) this.uses.set(key, (uses = { blocking: [], commands: [], isolated: 0, lends: false, seen: new Set() }));
    return uses;
  }

  /** A duplicate's options are its overrides over its source's (as `duplicate()` merges them). */
  private clientView(connection: ConnectionInstance): OptionsView {
    const own = clientOptionsOf({ ...connection.value, inheritsFrom: undefined }, this.view.evaluatorFor(connection.file, connection.frame));
    const parent = isDuplicate(connection) ? connection.parent : undefined;
    const inherited = parent && this.clientView(parent);
    return {
      get: (path) => {
        const found = own.get(path);
        return found.status === 'absent' && inherited ? inherited.get(path) : found;
      },
    };
  }

  private describe(connection: ConnectionInstance): Connection {
    const { value, file } = connection;
    const major = file.analysis.versions.major(value.library);
    const views: Record<'options' | 'poolOptions', OptionsView> = {
      options: this.clientView(connection),
      poolOptions: poolOptionsOf(value, this.view.evaluatorFor(file, connection.frame)),
    };
    const timeouts = new Map([...effectiveTimeouts(value, views, major)].map(([path, timeout]) => [path, reportTimeout(timeout)]));
    const sizeSpecs = poolSizeSpecsFor(value, file.analysis.versions);
    const pool = sizeSpecs.length > 0 ? poolSize(sizeSpecs, views) : undefined;
    const uses = this.usesOf(connection.key);
    const memberOf = this.members.get(connection.key);
    const kind: ConnectionKind = value.queue ? 'queue' : isDuplicate(connection) ? 'duplicate' : (value.kind as ConnectionKind);

    // A client's side pool (node-redis 4's isolation pool) opens its clients when isolated
    // commands run, or when its options (the path the catalog's size options share) are given.
    const isolationPool = value.kind === 'client' && pool && (uses.isolated > 0 || uses.lends || views.options.get(commonPrefix(sizeSpecs)).status === 'present');
    let perProcess: number | null;
    if (memberOf) perProcess = 0;
    else if (value.queue) perProcess = this.queueConnections(connection, value.queue);
    else if (isolationPool) perProcess = pool.max === null ? null : 1 + pool.max;
    // A cluster: one connection to each node, and maxclients is per node.
    else if (value.kind === 'client' || value.kind === 'cluster') perProcess = 1;
    else perProcess = pool && !pool.missing ? pool.max : null;
    const unbounded = perProcess !== null && !Number.isFinite(perProcess);
    if (unbounded) perProcess = null;

    const blocking = uses.blocking.sort((a, b) => bySite(a.use, b.use));
    const commands = uses.commands.sort((a, b) => bySite(a.use, b.use));
    const anchor = connection.via.at(-1)?.site ?? value.creation;
    const sharingScope: ConnectionScope = connection.via.some((entry) => entry.self)
      ? 'field'
      : isModuleLevel(anchor) || storedInModuleVariable(connection.file, connection.value.creation)
        ? 'module'
        : 'local';
    const role = POOL_KINDS.has(value.kind) ? 'pool' : 'client';
    const facts = { role, scope: sharingScope, madeBy: 'own', exported: false, imported: undefined, work: commands } as const;
    const shared = blocking.some((use) => decideSharing(facts, use.loan) !== undefined);

    return {
      key: connection.key,
      value,
      library: value.library,
      kind,
      major,
      creation: siteOf(file, value.creation),
      via: connection.via.map((entry) => siteOf(entry.file, entry.site)),
      name: nameOf(connection),
      scope: isModuleLevel(anchor) ? 'module' : 'function',
      timeouts,
      pool,
      perProcess,
      unbounded,
      memberOf,
      duplicateOf: kind === 'duplicate' ? connection.parent?.key : undefined,
      blockingUses: blocking.map((entry) => entry.use),
      commandUses: commands.map((entry) => entry.use),
      isolatedUses: uses.isolated,
      shared,
    };
  }
}

function reportTimeout(timeout: ResolvedTimeout): ReportTimeout {
  const bounds = timeout.spec.bounds;
  if (timeout.state === 'unknown') return { bounds, state: 'unknown', ms: null, source: null };
  const source = timeout.explicit ? 'explicit' : 'default';
  return timeout.state === 'bounded' ? { bounds, state: 'bounded', ms: timeout.ms, source } : { bounds, state: 'unbounded', ms: null, source };
}

/** A pool's size as the library reads it (src/analysis/pool-sizes.ts); the catalog gives each role one spec. */
function poolSize(specs: readonly PoolSizeOptionSpec[], views: Record<'options' | 'poolOptions', OptionsView>): PoolSize {
  const readings = specs.map((spec) => readSize(views[spec.argument], spec));
  const size = (reading: PoolSizeReading | undefined, absent: number | null): number | null =>
    !reading ? absent : reading.effective !== undefined && !Number.isNaN(reading.effective) ? reading.effective : null;
  const minReading = readings.find((reading) => reading.spec.role === 'min');
  const min = size(minReading, null);
  let max = size(readings.find((reading) => reading.spec.role === 'max' && !reading.spec.perReplica), 0);
  // node-redis creates `minimum` clients even when it is above `maximum`.
  if (minReading?.spec.minAboveMax === 'creates-min' && min !== null && max !== null && min > max) max = min;
  const perReplica = size(readings.find((reading) => reading.spec.role === 'max' && reading.spec.perReplica), 0);
  return { max, min, missing: readings.some((reading) => reading.source === 'missing'), perReplica };
}

const CONNECTION_KINDS: ReadonlySet<ValueKind> = new Set(['client', 'cluster', 'sentinel', 'pool', 'consumer']);
const POOL_KINDS: ReadonlySet<ValueKind> = new Set(['pool', 'sentinel']);
const CLIENT_KINDS: ReadonlySet<ValueKind> = new Set(['client', 'cluster']);

function isDuplicate(connection: ConnectionInstance): boolean {
  return connection.value.how === 'method' && connection.parent !== undefined && connection.value.kind !== 'pool';
}

/** The library of a parameter the analysis knows as a client from its annotation (`client: Redis`, Redis imported from a catalog module). */
function typedLibraryOf(param: Extract<Target, { type: 'param' }>, file: FileFacts): LibraryCatalog | undefined {
  let node: TSESTree.Node | undefined = param.fn.params[param.index];
  if (node?.type === AST_NODE_TYPES.TSParameterProperty) node = node.parameter;
  if (node?.type === AST_NODE_TYPES.AssignmentPattern) node = node.left;
  if (node?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const origin = file.analysis.origins.resolve(node);
  return origin?.type === 'value' && origin.value.how === 'type' && origin.value.kind === 'client' ? origin.value.library : undefined;
}

/** The instance fields a class declares, or assigns (`this.name = …`) in its methods. */
function fieldNames(cls: InstanceTarget['cls']): string[] {
  const names: (string | undefined)[] = [];
  for (const member of cls.body.body) {
    if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static) names.push(staticPropertyName(member));
    if (member.type !== AST_NODE_TYPES.MethodDefinition) continue;
    walk(member.value, (node) => {
      if (
        node.type === AST_NODE_TYPES.AssignmentExpression &&
        node.left.type === AST_NODE_TYPES.MemberExpression &&
        node.left.object.type === AST_NODE_TYPES.ThisExpression
      ) {
        names.push(staticPropertyName(node.left));
      }
      return true;
    });
  }
  return [...new Set(names.filter((name) => name !== undefined))];
}

/** What the program calls a connection: where it is stored, and for an instance's field `instance.field`. */
function nameOf(connection: ConnectionInstance): string | undefined {
  const outermost: FrameEntry | undefined = connection.via.at(-1);
  if (outermost?.self) {
    const instance = storedName(outermost.site);
    const field = storedName(connection.value.creation);
    return instance && field ? `${instance}.${field}` : undefined;
  }
  return storedName(outermost?.site ?? connection.value.creation);
}

/** The variable, field or property a value is stored under where it is made (through `await` and method chains). */
function storedName(node: TSESTree.Node): string | undefined {
  let current = node;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.VariableDeclarator:
        return parent.init === current && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
      case AST_NODE_TYPES.AssignmentExpression:
        if (parent.right !== current) return undefined;
        if (parent.left.type === AST_NODE_TYPES.Identifier) return parent.left.name;
        return parent.left.type === AST_NODE_TYPES.MemberExpression ? staticPropertyName(parent.left) : undefined;
      case AST_NODE_TYPES.PropertyDefinition:
        return parent.value === current ? staticPropertyName(parent) : undefined;
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
        continue;
      case AST_NODE_TYPES.MemberExpression:
        // `createClient().on('error', h)`: the chain's result is the client.
        if (parent.object === current && parent.parent?.type === AST_NODE_TYPES.CallExpression && parent.parent.callee === parent) {
          current = parent;
          parent = parent.parent;
          continue;
        }
        return undefined;
      default:
        return undefined;
    }
  }
  return undefined;
}

function siteOf(file: FileFacts, node: TSESTree.Node): Site {
  return { file: file.file, line: node.loc.start.line, column: node.loc.start.column + 1 };
}

function bySite(a: Site, b: Site): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

function byConnection(a: Connection, b: Connection): number {
  return bySite(a.creation, b.creation) || a.via.length - b.via.length || bySite(a.via[0] ?? a.creation, b.via[0] ?? b.creation);
}

