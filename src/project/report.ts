/**
 * The report: the inventory in a stable, documented shape (docs/report.md), the connection
 * budget, and the findings that can fail a build. Every format renders this one object.
 */
import * as path from 'node:path';
import type { LibraryId } from '../catalog';
import type { BlockingUse, CommandUse, Connection, ConnectionKind, Inventory, ReportTimeout, Site, UnparsedFile } from './inventory';

/** Bumped only when a field changes meaning or disappears; new fields keep the version. */
export const REPORT_SCHEMA_VERSION = 1;

/** The inventory's places, with `file` relative to the report's root. */
export type ReportLocation = Site;

/** An inventory Connection as the JSON carries it (docs/report.md): ids for keys, null for absent. */
export interface ReportConnection extends ReportLocation {
  /** `file:line:column` of the creation, then ` via file:line:column` per factory call that made it. */
  id: string;
  via: ReportLocation[];
  name: string | null;
  library: LibraryId;
  major: number | null;
  kind: ConnectionKind;
  scope: 'module' | 'function';
  /** Null also when unbounded. */
  perProcess: number | null;
  /** Sentinel: connections opened to each replica (another server); null otherwise or when not static. */
  perReplica: number | null;
  unbounded: boolean;
  pool: { min: number | null; max: number | null } | null;
  memberOf: string | null;
  duplicateOf: string | null;
  timeouts: Record<string, ReportTimeout>;
  blockingUses: BlockingUse[];
  commandUses: CommandUse[];
  isolatedUses: number;
  shared: boolean;
}

export type FindingRule = 'shared-blocking' | 'budget';

export interface ReportFinding {
  rule: FindingRule;
  message: string;
  /** The connection concerned (shared-blocking). */
  connection: string | null;
  /** Where to look first: the first blocking use (shared-blocking). */
  location: ReportLocation | null;
  /** Made in one file and used in another: a finding no rule reading one file can make in full. */
  crossFile: boolean;
}

export interface ReportBudget {
  /** Connections one process can open to one Redis server: the sum of the known `perProcess`. */
  perProcess: number;
  replicas: number;
  total: number;
  maxClients: number;
  /** maxClients − total; negative when exceeded. */
  headroom: number;
  exceeded: boolean;
  /** False when a connection's size is unknown or unbounded: the total is then a lower bound. */
  complete: boolean;
  /** Ids of connections whose size can't be known statically. */
  unknown: string[];
  /** Ids of pools with no bound. */
  unbounded: string[];
  /** Of perProcess, how many each kind contributes. */
  byKind: Record<ConnectionKind, number>;
}

export interface ReportJson {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** Absolute path of the analysed directory. */
  root: string;
  /** The config the program came from, relative to root; null when files were collected. */
  config: string | null;
  files: number;
  /** Files no parser could read (relative to root): the inventory and budget leave them out. */
  unparsed: UnparsedFile[];
  connections: ReportConnection[];
  /** Blocking commands on values typed as Redis connections whose origin can't be traced. */
  unattributedBlockingUses: (BlockingUse & { library: LibraryId })[];
  findings: ReportFinding[];
  budget: ReportBudget;
}

export interface BudgetOptions {
  /** Processes running this code (pods, workers). Default 1. */
  replicas: number;
  /** Redis `maxclients`. Default 10000. */
  maxClients: number;
}

export const DEFAULT_BUDGET: BudgetOptions = { replicas: 1, maxClients: 10000 };

export function buildReport(
  inventory: Inventory,
  context: { root: string; config: string | undefined },
  budgetOptions: BudgetOptions = DEFAULT_BUDGET,
): ReportJson {
  const where = <T extends Site>(site: T): T => ({ ...site, file: relativeFile(context.root, site.file) });
  const idOf = (site: Site, via: readonly Site[]) =>
    [site, ...via].map((s) => `${relativeFile(context.root, s.file)}:${s.line}:${s.column}`).join(' via ');
  const ids = new Map<string, string>();
  for (const connection of inventory.connections) ids.set(connection.key, idOf(connection.creation, connection.via));
  const idOfKey = (key: string | undefined): string | null => {
    if (key === undefined) return null;
    const known = ids.get(key);
    if (known) return known;
    // A source that is itself made per call: name it by where it was created.
    const owner = inventory.connections.find((c) => c.key.startsWith(`${key}>`));
    return owner ? idOf(owner.creation, []) : null;
  };

  const connections = inventory.connections.map((connection): ReportConnection => ({
    id: ids.get(connection.key)!,
    ...where(connection.creation),
    via: connection.via.map(where),
    name: connection.name ?? null,
    library: connection.library.id,
    major: connection.major ?? null,
    kind: connection.kind,
    scope: connection.scope,
    perProcess: connection.perProcess,
    perReplica: connection.kind === 'sentinel' ? (connection.pool?.perReplica ?? null) : null,
    unbounded: connection.unbounded,
    pool:
      connection.pool && (connection.kind === 'pool' || connection.kind === 'sentinel')
        ? { min: connection.pool.min, max: connection.pool.max }
        : null,
    memberOf: idOfKey(connection.memberOf),
    duplicateOf: idOfKey(connection.duplicateOf),
    timeouts: Object.fromEntries(connection.timeouts),
    blockingUses: connection.blockingUses.map(where),
    commandUses: connection.commandUses.map(where),
    isolatedUses: connection.isolatedUses,
    shared: connection.shared,
  }));

  const budget = computeBudget(connections, budgetOptions);
  const findings: ReportFinding[] = [];
  for (const [i, connection] of connections.entries()) {
    if (connection.shared) findings.push(sharedBlockingFinding(connection, inventory.connections[i]!));
  }
  if (budget.exceeded) findings.push(budgetFinding(budget));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    root: context.root,
    config: context.config ? relativeFile(context.root, context.config) : null,
    files: inventory.files.length,
    unparsed: inventory.unparsed.map(where),
    connections,
    unattributedBlockingUses: inventory.unattributedBlockingUses.map((use) => ({ ...where(use), library: use.library.id })),
    findings,
    budget,
  };
}

/**
 * Per process: the connections each creation can open to one server (a client or duplicate 1,
 * a cluster 1 per node, a sentinel its master pool, a pool its max; a pool's member clients
 * count inside the pool). Times the replicas, against maxclients.
 */
export function computeBudget(connections: readonly ReportConnection[], options: BudgetOptions): ReportBudget {
  const byKind: Record<ConnectionKind, number> = { client: 0, duplicate: 0, cluster: 0, sentinel: 0, pool: 0, queue: 0 };
  const unknown: string[] = [];
  const unbounded: string[] = [];
  let perProcess = 0;
  for (const connection of connections) {
    if (connection.unbounded) unbounded.push(connection.id);
    else if (connection.perProcess === null) unknown.push(connection.id);
    else {
      perProcess += connection.perProcess;
      byKind[connection.kind] += connection.perProcess;
    }
  }
  const total = perProcess * options.replicas;
  return {
    perProcess,
    replicas: options.replicas,
    total,
    maxClients: options.maxClients,
    headroom: options.maxClients - total,
    // A pool without a bound can open more than any maxclients allows.
    exceeded: total > options.maxClients || unbounded.length > 0,
    complete: unknown.length === 0 && unbounded.length === 0,
    unknown,
    unbounded,
    byKind,
  };
}

function sharedBlockingFinding(connection: ReportConnection, source: Connection): ReportFinding {
  const blocking = connection.blockingUses[0]!;
  const other = connection.commandUses[0]!;
  const files = new Set([connection, ...connection.blockingUses, ...connection.commandUses].map((site) => site.file));
  const label = connection.name ? `\`${connection.name}\`` : `the ${connection.kind}`;
  const at = (use: ReportLocation) => `${use.file}:${use.line}`;
  const moreBlocking = connection.blockingUses.length > 1 ? ` (and ${connection.blockingUses.length - 1} more)` : '';
  const moreOther = connection.commandUses.length > 1 ? ` (and ${connection.commandUses.length - 1} more)` : '';
  const pool = connection.kind === 'pool';
  const consequence = pool
    ? 'each blocking call pins one of its connections while other work waits for a free one'
    : blocking.takeover
      ? `after ${blocking.command} the connection serves nothing else`
      : 'every command queued behind it waits until it returns';
  const remedy = pool
    ? 'give blocking work its own pool or a dedicated client'
    : source.library.values.client?.methods.duplicate && connection.name && !connection.name.includes('(')
      ? `give blocking work its own connection (\`${connection.name}.duplicate()\`)`
      : 'give blocking work its own connection';
  return {
    rule: 'shared-blocking',
    message:
      `${label} (${connection.library} ${connection.kind}, ${connection.id}) runs ${blocking.command} at ${at(blocking)}${moreBlocking} ` +
      `and also serves ${other.command} at ${at(other)}${moreOther}: ${consequence}; ${remedy}.`,
    connection: connection.id,
    location: { file: blocking.file, line: blocking.line, column: blocking.column },
    crossFile: files.size > 1,
  };
}

function budgetFinding(budget: ReportBudget): ReportFinding {
  const message =
    budget.unbounded.length > 0
      ? `A pool with no bound (${budget.unbounded.join(', ')}) can open more connections than maxclients ${budget.maxClients} allows.`
      : `${budget.perProcess} connections per process × ${budget.replicas} ${budget.replicas === 1 ? 'replica' : 'replicas'} = ` +
        `${budget.total}, above maxclients ${budget.maxClients} by ${budget.total - budget.maxClients}.`;
  return { rule: 'budget', message, connection: null, location: null, crossFile: false };
}

function relativeFile(root: string, file: string): string {
  const relative = path.relative(root, file);
  return (relative && !relative.startsWith('..') ? relative : file).split(path.sep).join('/');
}
