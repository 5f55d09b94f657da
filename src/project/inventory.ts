/**
 * The inventory: every Redis connection the program creates (clients, clusters, duplicates,
 * sentinels, pools of Redis clients), what each one is configured with, and every command the
 * program issues on it, wherever in the program that happens.
 *
 * One walk over every call and `new` in the project does two things: it registers each value a
 * call creates (a creation site, or a call of a factory function that makes a fresh one), and
 * it resolves the receiver of each method call back to the connection it runs on. Uses on a
 * parameter are handed to the arguments of every call site; uses on a loan count for its pool.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph';
import {
  CONNECTION_KINDS,
  isRedisClientLibrary,
  LIBRARIES,
  type LibraryCatalog,
  type ValueKind,
  type ValueSpec,
  takesOverConnection,
} from '../catalog';
import { VersionResolver } from '../analysis/versions';
import { CommandClassifier } from './commands';
import { functionOf, ProjectEvaluator, toNumber } from './evaluate';
import { OptionReader, type PoolSize, type ResolvedTimeout } from './options';
import { ProjectIndex } from './project-index';
import { ProjectResolver } from './resolver';
import { isModuleLevel, memberAccess, positionOf, returnedExpressions, unwrap } from './syntax';
import { TypeRecognizer } from './types';
import { anchorOf, isClassLike, isFunctionLike, keyOf, nodeId, type Origin, type Value } from './values';

export interface InventoryOptions {
  /** Majors by package name or library id (`{ redis: 4 }`), as ESLint's `settings.redis.versions`; default: detect. */
  versions?: Record<string, string | number>;
}

export interface Site {
  /** Absolute path. */
  file: string;
  line: number;
  column: number;
}

export interface BlockingUse extends Site {
  command: string;
  method: string;
  /** The timeout in ms: 0 blocks forever, null when not static. */
  timeoutMs: number | null;
  /** SUBSCRIBE (under RESP2) or MONITOR: the connection serves nothing else afterwards. */
  takeover: boolean;
}

export interface CommandUse extends Site {
  command: string;
  method: string;
}

export type ConnectionKind = 'client' | 'cluster' | 'duplicate' | 'pool' | 'sentinel';

export interface Connection {
  /** Identity: the creation site and the factory calls that instantiated it. */
  key: string;
  value: Value;
  library: LibraryCatalog;
  kind: ConnectionKind;
  /** The library major the defaults were taken from (undefined: not detected, newest assumed). */
  major: number | undefined;
  creation: Site;
  /** The factory calls (or `new` of a class holding it) that made this one, innermost first. */
  via: Site[];
  /** What the program calls it: `redis`, `Cache.client`, `makeClient()`. */
  name: string | undefined;
  /** module: made once per process; function: made each time the code around it runs (counted once). */
  scope: 'module' | 'function';
  timeouts: Map<string, ResolvedTimeout>;
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
  /** Blocking (or takeover) work and other commands share this connection. */
  shared: boolean;
}

export interface UnattributedBlockingUse extends BlockingUse {
  /** What the receiver's type says it is. */
  library: LibraryCatalog;
}

export interface Inventory {
  files: readonly SourceFile[];
  connections: Connection[];
  /** Blocking commands on values typed as Redis connections whose origin can't be traced. */
  unattributedBlockingUses: UnattributedBlockingUse[];
}

interface RawUse {
  receiver: Value;
  method: string;
  call: CallExpression;
}

interface PoolInfo {
  resource: LibraryCatalog;
  members: Set<string>;
}

/** Takes the inventory of the given project files. */
export function takeInventory(files: readonly SourceFile[], options: InventoryOptions = {}): Inventory {
  return new InventoryBuilder(files, options).build();
}

class InventoryBuilder {
  private readonly index: ProjectIndex;
  private readonly types = new TypeRecognizer();
  private readonly resolver: ProjectResolver;
  private readonly evaluator: ProjectEvaluator;
  private readonly commands: CommandClassifier;
  private readonly reader: OptionReader;
  private readonly versions = new Map<string, VersionResolver>();
  private readonly registered = new Map<string, Value>();
  private readonly rawUses: RawUse[] = [];
  private readonly unattributed = new Map<string, UnattributedBlockingUse>();

  constructor(
    private readonly files: readonly SourceFile[],
    private readonly options: InventoryOptions,
  ) {
    this.index = new ProjectIndex(files);
    this.resolver = new ProjectResolver(this.index, this.types);
    this.evaluator = new ProjectEvaluator((parameter, frame) => this.resolver.bindParameter(parameter, frame));
    this.commands = new CommandClassifier(this.resolver, this.evaluator);
    this.reader = new OptionReader(this.evaluator);
  }

  build(): Inventory {
    const paramUses: { param: Extract<Origin, { type: 'param' }>; method: string; call: CallExpression; receiver: Node }[] = [];
    for (const site of this.index.calls) {
      this.discover(site);
      if (!Node.isCallExpression(site)) continue;
      const access = memberAccess(unwrap(site.getExpression()));
      if (!access) continue;
      const origin = this.resolver.resolve(access.object);
      if (origin?.type === 'value') this.addUse(origin.value, access.name, site);
      else if (origin?.type === 'param') {
        // A parameter typed as something else (`items: string[]`) is not followed to its callers.
        if (this.types.couldBeConnection(access.object)) {
          paramUses.push({ param: origin, method: access.name, call: site, receiver: access.object });
        }
      }
      else this.checkUnattributed(access.object, access.name, site);
    }
    // A use on a parameter is a use on whatever each call site passes.
    for (const use of paramUses) {
      const values = this.resolver.argumentValues(use.param);
      for (const value of uniqueByKey(values)) this.addUse(value, use.method, use.call);
      if (values.length === 0) this.checkUnattributed(use.receiver, use.method, use.call);
    }
    const pools = this.poolResources();
    return {
      files: this.files,
      connections: this.connections(pools),
      unattributedBlockingUses: [...this.unattributed.values()].sort(bySite),
    };
  }

  /** Registers what a call or `new` creates: a value, or the connections a new instance holds. */
  private discover(site: Node): void {
    const origin = this.resolver.resolve(site);
    if (origin?.type === 'value' && anchorOf(origin.value) === site) this.register(origin.value);
    if (origin?.type === 'instance' && anchorOf(origin.instance) === site) {
      for (const held of this.resolver.heldByInstances(origin.instance.cls)) {
        const through = this.resolver.throughInstance({ type: 'value', value: held }, origin.instance);
        if (through?.type === 'value') this.register(through.value);
      }
    }
  }

  private register(value: Value): void {
    if (!CONNECTION_KINDS.has(value.kind) && value.kind !== 'pool') return;
    const key = keyOf(value);
    if (!this.registered.has(key)) this.registered.set(key, value);
    if (value.parent) this.register(value.parent);
  }

  private addUse(receiver: Value, method: string, call: CallExpression): void {
    this.rawUses.push({ receiver, method, call });
    this.register(connectionOf(receiver) ?? receiver);
  }

  /** A blocking command on something typed as a Redis connection that we can't trace. */
  private checkUnattributed(receiver: Node, method: string, call: CallExpression): void {
    if (!CommandClassifier.mayBlock(LIBRARIES, method)) return;
    const typed = this.types.valueOf(receiver);
    if (!typed || !isRedisClientLibrary(typed.library)) return;
    const spec = typed.library.values[typed.kind];
    if (!spec) return;
    const use = this.commands.classify(typed.library, spec, method, call);
    if (use?.type !== 'blocking' || use.isolated) return;
    this.unattributed.set(nodeId(call), {
      ...siteOf(nameNodeOf(call)),
      command: use.command,
      method,
      timeoutMs: use.timeoutMs,
      takeover: false,
      library: typed.library,
    });
  }

  /**
   * The resources of generic-pool and tarn pools: the clients their factory's `create` returns
   * (members, whose connections are the pool's), or what the pool's type says. A pool of
   * anything else is not a Redis pool and leaves the inventory.
   */
  private poolResources(): Map<string, PoolInfo> {
    const pools = new Map<string, PoolInfo>();
    for (const [key, value] of this.registered) {
      if (value.kind !== 'pool' || isRedisClientLibrary(value.library)) continue;
      const members = this.poolMembers(value);
      const resource = members[0]?.library ?? this.types.valueOf(value.creation)?.resource;
      if (!resource) continue;
      for (const member of members) this.register(member);
      pools.set(key, { resource, members: new Set(members.map(keyOf)) });
    }
    return pools;
  }

  private poolMembers(pool: Value): Value[] {
    const creation = pool.creation;
    if (pool.spec.resourceFactoryArg === undefined || !(Node.isCallExpression(creation) || Node.isNewExpression(creation))) {
      return [];
    }
    const factoryNode = creation.getArguments()[pool.spec.resourceFactoryArg];
    if (!factoryNode) return [];
    const factory = this.evaluator.evaluate(factoryNode, pool.path);
    const create = factory.kind === 'object' ? functionOf(factory.properties.get('create')?.value) : undefined;
    if (!create) return [];
    const members: Value[] = [];
    for (const expression of returnedExpressions(create)) {
      const value = this.resolver.valueOf(expression);
      if (value && isRedisClientLibrary(value.library) && CONNECTION_KINDS.has(value.kind)) members.push(value);
    }
    return uniqueByKey(members);
  }

  private connections(pools: Map<string, PoolInfo>): Connection[] {
    const memberOf = new Map<string, string>();
    for (const [poolKey, info] of pools) for (const member of info.members) memberOf.set(member, poolKey);

    // Uses by the key of the connection they run on (a loan's uses run on its pool).
    const uses = new Map<
      string,
      { blocking: Map<string, BlockingUse>; commands: Map<string, CommandUse>; isolated: number; lends: boolean }
    >();
    const usesOf = (key: string) => {
      let entry = uses.get(key);
      if (!entry) uses.set(key, (entry = { blocking: new Map(), commands: new Map(), isolated: 0, lends: false }));
      return entry;
    };
    for (const use of this.rawUses) {
      const connection = connectionOf(use.receiver);
      if (!connection) continue;
      const connectionKey = keyOf(connection);
      const spelling = this.spellingOf(use.receiver, pools);
      if (!spelling) continue;
      const command = this.commands.classify(spelling.library, spelling.spec, use.method, use.call);
      if (!command) continue;
      const entry = usesOf(connectionKey);
      const id = nodeId(use.call);
      const site = siteOf(nameNodeOf(use.call));
      if (command.type === 'isolation') {
        entry.lends = true;
      } else if (use.receiver.isolated || ('isolated' in command && command.isolated)) {
        entry.isolated += 1;
      } else if (command.type === 'blocking') {
        entry.blocking.set(id, { ...site, command: command.command, method: use.method, timeoutMs: command.timeoutMs, takeover: false });
      } else if (command.type === 'takeover') {
        if (this.takesOver(command.command, connection)) {
          entry.blocking.set(id, { ...site, command: command.command, method: use.method, timeoutMs: 0, takeover: true });
        }
      } else {
        entry.commands.set(id, { ...site, command: command.command, method: use.method });
      }
    }

    const registered = [...this.registered.entries()].filter(([key, value]) => {
      if (value.kind === 'pool' && !isRedisClientLibrary(value.library)) return pools.has(key);
      return CONNECTION_KINDS.has(value.kind) || value.kind === 'pool';
    });
    const keys = registered.map(([key]) => key);
    const result: Connection[] = [];
    for (const [key, value] of registered) {
      // A value also made through a factory call is counted at each call instead.
      if (keys.some((other) => other.startsWith(`${key}>`))) continue;
      const blocking = new Map<string, BlockingUse>();
      const commands = new Map<string, CommandUse>();
      let isolated = 0;
      let lends = false;
      for (const prefix of prefixesOf(key)) {
        const entry = uses.get(prefix);
        if (!entry) continue;
        for (const [id, use] of entry.blocking) blocking.set(id, use);
        for (const [id, use] of entry.commands) commands.set(id, use);
        isolated += entry.isolated;
        lends ||= entry.lends;
      }
      const member = prefixesOf(key).map((prefix) => memberOf.get(prefix)).find((pool) => pool !== undefined);
      result.push(this.describe(key, value, {
        blocking: [...blocking.values()].sort(bySite),
        commands: [...commands.values()].sort(bySite),
        isolated,
        lends,
        memberOf: member,
      }));
    }
    return result.sort((a, b) => bySite(a.creation, b.creation) || a.via.length - b.via.length || bySite(a.via[0] ?? a.creation, b.via[0] ?? b.creation));
  }

  private describe(
    key: string,
    value: Value,
    uses: { blocking: BlockingUse[]; commands: CommandUse[]; isolated: number; lends: boolean; memberOf: string | undefined },
  ): Connection {
    const major = this.majorOf(value);
    const optionKind: ValueKind = value.kind;
    const timeouts = this.reader.timeouts(value, optionKind, major);
    const pool = this.reader.poolSize(value, optionKind, major);
    const kind: ConnectionKind =
      value.how === 'method' && value.parent && value.kind !== 'pool' ? 'duplicate' : (value.kind as ConnectionKind);
    let perProcess: number | null;
    let unbounded = false;
    if (uses.memberOf) perProcess = 0;
    else if (value.kind === 'client') {
      perProcess = 1;
      // node-redis 4: the isolation pool opens its clients when isolated commands run.
      if (pool && (uses.isolated > 0 || uses.lends || this.reader.lookup(value, 'options', ['isolationPoolOptions']).status === 'present')) {
        perProcess = pool.max === null ? null : 1 + pool.max;
      }
    } else if (value.kind === 'cluster') {
      // One connection to each node; maxclients is per node.
      perProcess = 1;
    } else {
      perProcess = pool && !pool.missing ? pool.max : null;
    }
    if (perProcess !== null && !Number.isFinite(perProcess)) {
      unbounded = true;
      perProcess = null;
    }
    const anchor = anchorOf(value);
    return {
      key,
      value,
      library: value.library,
      kind,
      major,
      creation: siteOf(value.creation),
      via: value.path.map(siteOf),
      name: nameOf(value),
      scope: isModuleLevel(anchor) ? 'module' : 'function',
      timeouts,
      pool,
      perProcess,
      unbounded,
      memberOf: uses.memberOf,
      duplicateOf: kind === 'duplicate' && value.parent ? keyOf(value.parent) : undefined,
      blockingUses: uses.blocking,
      commandUses: uses.commands,
      isolatedUses: uses.isolated,
      shared: uses.blocking.length > 0 && uses.commands.length > 0,
    };
  }

  /** How the receiver spells its commands: a generic-pool or tarn loan spells its resource's. */
  private spellingOf(receiver: Value, pools: Map<string, PoolInfo>): { library: LibraryCatalog; spec: ValueSpec } | undefined {
    if (receiver.kind === 'lease' && !isRedisClientLibrary(receiver.library)) {
      const pool = receiver.parent && pools.get(keyOf(receiver.parent));
      const spec = pool?.resource.values.client;
      return pool && spec ? { library: pool.resource, spec } : undefined;
    }
    const spec = receiver.library.values[receiver.kind];
    return spec ? { library: receiver.library, spec } : undefined;
  }

  /** MONITOR always takes the connection over; the SUBSCRIBE family only under RESP2. */
  private takesOver(command: string, connection: Value): boolean {
    return takesOverConnection(command, this.protocolOf(connection));
  }

  /** The RESP version a connection speaks, when its options or the detected major tell. */
  private protocolOf(connection: Value): 2 | 3 | undefined {
    const protocol = connection.library.protocol;
    if (!protocol) return undefined;
    const found = this.reader.lookup(connection, 'options', protocol.optionPath);
    if (found.status === 'unknown') return undefined;
    const explicit = found.status === 'present' ? toNumber(found.value) : undefined;
    const major = this.majorOf(connection) ?? connection.library.latestMajor;
    const version = explicit ?? protocol.defaultByMajor[major];
    return version === 2 || version === 3 ? version : undefined;
  }

  private majorOf(value: Value): number | undefined {
    const file = value.creation.getSourceFile().getFilePath();
    let resolver = this.versions.get(file);
    if (!resolver) {
      resolver = new VersionResolver(file, { versions: this.options.versions });
      this.versions.set(file, resolver);
    }
    return resolver.major(value.library);
  }
}

/** The connection a command on this value runs on: a loan's pool, or the value itself. */
function connectionOf(value: Value): Value | undefined {
  if (value.kind === 'lease' || value.kind === 'pending-acquire') return value.parent;
  return CONNECTION_KINDS.has(value.kind) || value.kind === 'pool' ? value : undefined;
}

/** `c>s1>s2` → `c`, `c>s1`, `c>s1>s2`. */
function prefixesOf(key: string): string[] {
  const parts = key.split('>');
  return parts.map((_, i) => parts.slice(0, i + 1).join('>'));
}

function uniqueByKey(values: readonly Value[]): Value[] {
  const seen = new Map<string, Value>();
  for (const value of values) if (!seen.has(keyOf(value))) seen.set(keyOf(value), value);
  return [...seen.values()];
}

function siteOf(node: Node): Site {
  return { file: node.getSourceFile().getFilePath(), ...positionOf(node) };
}

/** Where a method call is reported: at the method's name (`redis\n  .blpop(…)` points at blpop). */
function nameNodeOf(call: CallExpression): Node {
  const access = memberAccess(unwrap(call.getExpression()));
  return access?.nameNode ?? call;
}

function bySite(a: Site, b: Site): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

const LOGICAL = new Set([SyntaxKind.QuestionQuestionToken, SyntaxKind.BarBarToken]);

/**
 * What the program calls a connection: the name it is stored under where it is finally made,
 * and for a client held by a class instance the instance's name and the field (`sessions.client`).
 */
function nameOf(value: Value): string | undefined {
  const outer = nameAt(anchorOf(value));
  const instanceAt = value.path.findIndex((site) => Node.isNewExpression(site));
  if (instanceAt < 0 || !outer) return outer;
  const held = nameAt(instanceAt === 0 ? value.creation : value.path[instanceAt - 1]!);
  const field = held?.includes('.') ? held.slice(held.lastIndexOf('.') + 1) : held;
  return field ? `${outer}.${field}` : outer;
}

/** The name the program stores a value under, seen from the site that made it. */
function nameAt(anchor: Node): string | undefined {
  let node: Node = anchor;
  for (;;) {
    const parent = node.getParent();
    if (!parent) return undefined;
    if (
      Node.isAwaitExpression(parent) ||
      Node.isParenthesizedExpression(parent) ||
      Node.isAsExpression(parent) ||
      Node.isNonNullExpression(parent) ||
      Node.isSatisfiesExpression(parent) ||
      // `url ? new Redis(url) : new Redis(options)`, `existing ?? createClient()`
      (Node.isConditionalExpression(parent) && parent.getCondition() !== node) ||
      (Node.isBinaryExpression(parent) && LOGICAL.has(parent.getOperatorToken().getKind()))
    ) {
      node = parent;
      continue;
    }
    // `createClient().on('error', …)`, `new Redis().connect()`: chained calls on the same value.
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === node) {
      const call = parent.getParent();
      if (Node.isCallExpression(call) && call.getExpression() === parent) {
        node = call;
        continue;
      }
      return undefined;
    }
    if (Node.isVariableDeclaration(parent) && parent.getInitializer() === node) {
      return Node.isIdentifier(parent.getNameNode()) ? parent.getName() : undefined;
    }
    if (Node.isPropertyDeclaration(parent)) {
      const owner = parent.getParent();
      const className = isClassLike(owner) ? owner.getName() : undefined;
      return className ? `${className}.${parent.getName()}` : parent.getName();
    }
    if (Node.isPropertyAssignment(parent)) return parent.getName();
    if (Node.isBinaryExpression(parent) && parent.getRight() === node) return parent.getLeft().getText();
    if (Node.isExportAssignment(parent)) return 'default export';
    if (Node.isReturnStatement(parent) || Node.isArrowFunction(parent)) {
      let fn: Node | undefined = parent;
      while (fn && !isFunctionLike(fn)) fn = fn.getParent();
      const fnName = fn && (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) ? fn.getName() : undefined;
      const holder = fn?.getParent();
      const holderName = Node.isVariableDeclaration(holder) ? holder.getName() : undefined;
      const name = fnName ?? holderName;
      return name ? `${name}()` : undefined;
    }
    return undefined;
  }
}

