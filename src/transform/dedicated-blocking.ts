/**
 * The `dedicated-blocking-client` rewrite: blocking commands move off a client that serves other
 * work onto a duplicate of it, made for them.
 *
 * In the module that declares the client (`const redis = new Redis(…)` at module level):
 *
 *     export const redis = new Redis();            export const redis = new Redis();
 *     redis.on('error', onError);                  export const redisBlocking = redis.duplicate({ commandTimeout: 11000 });
 *     …                                     →      redis.on('error', onError);
 *     await redis.blpop('jobs', 10);               redisBlocking.on('error', onError);
 *     await redis.get('k');                        …
 *                                                  await redisBlocking.blpop('jobs', 10);
 *                                                  await redis.get('k');
 *
 * The duplicate is exported when the client is; the client's connect, 'error' listeners and
 * closing are repeated for it where they are written; on ioredis its overrides keep its
 * commandTimeout (and socketTimeout) longer than the longest wait it serves. A `<name>Blocking`
 * that is already a duplicate of the client is reused.
 *
 * In a module that imports the client and runs blocking commands on it, the blocking calls move
 * to the dedicated duplicate the declaring module exports, or will export once this codemod has
 * run there (that module is read from disk and planned the same way): an import used only for
 * blocking commands is replaced, otherwise the duplicate is imported beside it.
 */
import type { VersionResolver } from '../analysis/versions';
import { BLOCKING_MARGIN_MS, blockingTimeoutOf, DEFAULT_TIMEOUT_MS, isIoredisFamily, timeoutsOf, versionsFor, waitMsOf, type Creation, type ResolvedTimeout } from './timeouts';
import { isCall, isMember, staticName, unwrap, walk, type Node } from './ast';
import { classifyReference, isModuleExports, referenceUses, type ReferenceUse } from './bindings';
import { CommandClassifier } from './commands';
import { StaticEvaluator } from './evaluate';
import type { FileContext } from './file-context';
import type { Value } from './origins';
import type { Binding } from './scope';
import type { Session } from './session';
import { chainAfter, moduleClients, protocolOf, sharingOf, usesOfClient, type BlockingCall, type ClientUses, type ModuleClient } from './sharing';
import { endWithTrailingComment, commentsOf, indentationAt, newlineOf, type TextEdit } from './text';

const SUFFIXES = ['', '2', '3', '4', '5'];

/** The timeouts of a dedicated duplicate that fire during a blocking wait (command timeout, idle socket timeout). */
export interface WaitBounds {
  bounds: Array<{ option: string; ms: number }>;
  /** Its options can't be read. */
  unknown: boolean;
  /** ioredis `blockingTimeout`: how long a wait of 0 really lasts on it. */
  blockingMs?: number;
}

export interface Dedicated {
  name: string;
  /** The name other modules import it by, when it is (or will be) exported. */
  exportedAs: string | undefined;
  bounds: WaitBounds;
}

export interface DedicatedPlan {
  client: ModuleClient;
  /** The dedicated duplicate's name in this module. */
  dedicated: string;
  /** The declaration is new (false: an existing duplicate is reused). */
  creates: boolean;
  edits: TextEdit[];
  moved: Array<{ command: BlockingCall; receiver: Node }>;
}

export interface ClientVerdict {
  client: ModuleClient;
  plan: DedicatedPlan | undefined;
  /** Sites left alone, with the reason. */
  skips: Array<{ at: Node; reason: string }>;
  /** The dedicated duplicate there is, or will be once the plan is applied. */
  dedicated?: Dedicated;
}

/** Plans the module-level clients of one file (the one being rewritten, or one it imports). */
export class DedicatedPlanner {
  readonly evaluator: StaticEvaluator;
  readonly commands: CommandClassifier;
  private readonly versions: VersionResolver;
  readonly clients: ModuleClient[];
  private readonly comments: Node[];

  constructor(
    readonly context: FileContext,
    private readonly lineOf: (node: Node) => number,
    options: Record<string, unknown>,
  ) {
    this.evaluator = new StaticEvaluator(context);
    this.commands = new CommandClassifier(context, this.evaluator);
    this.versions = versionsFor(context.filePath, options);
    this.clients = moduleClients(context, this.commands, (creation) => protocolOf(creation, this.evaluator, this.versions));
    this.comments = commentsOf(context.root);
  }

  get text(): string {
    return this.context.source;
  }

  verdict(client: ModuleClient): ClientVerdict | undefined {
    const existing = this.existingDedicated(client);
    const reason = sharingOf({ scope: 'module', value: client.value, exported: client.exported, name: client.name }, client.uses);
    if (!reason || client.uses.blocking.length === 0) return existing ? { client, plan: undefined, skips: [], dedicated: existing } : undefined;
    const skips: ClientVerdict['skips'] = [];
    for (const use of client.uses.blocking) {
      if (use.command.type !== 'takeover') continue;
      const mode = use.command.command === 'MONITOR' ? 'a monitor feed' : 'a subscriber';
      skips.push({ at: use.command.call, reason: `${use.command.command} turns \`${client.name}\` into ${mode}; give it a connection of its own by hand` });
    }
    const moved = client.uses.blocking.filter((use) => use.command.type === 'blocking');
    if (moved.length === 0) return { client, plan: undefined, skips, dedicated: existing };
    const fail = (reason: string): ClientVerdict => ({ client, plan: undefined, skips: [...skips, { at: client.declarator, reason }], dedicated: existing });

    const library = client.value.library;
    if (library.values[client.value.kind]?.methods.duplicate?.type !== 'produces') {
      return fail(`${library.displayName} has no duplicate(); make a second client for the blocking calls by hand`);
    }
    const written = client.uses.other.find((use) => use.kind === 'written');
    if (written) return fail(`\`${client.name}\` is assigned again at line ${this.lineOf(written.identifier)}; a duplicate made beside its declaration could be of the wrong client`);

    const edits: TextEdit[] = [];
    if (existing) {
      const cut = this.cutWait(existing.bounds, moved.map((use) => use.command), existing.name);
      if (cut) return fail(cut);
      for (const use of moved) edits.push({ start: use.receiver.start, end: use.receiver.end, text: existing.name });
      return { client, plan: { client, dedicated: existing.name, creates: false, edits, moved }, skips, dedicated: existing };
    }
    const name = this.freeName(`${client.name}Blocking`);
    if (!name) return fail(`the names ${client.name}Blocking…${client.name}Blocking5 are all taken`);
    for (const use of moved) edits.push({ start: use.receiver.start, end: use.receiver.end, text: name });

    const chain = chainAfter(client.declarator.init, client.value.creation, this.text)!;
    const mirrors = this.mirrors(client, name);
    if (typeof mirrors === 'string') return fail(mirrors);
    const opensWith = library.values[client.value.kind]?.opensWith;
    const connects = opensWith !== undefined && (chain.segments.some((segment) => segment.method === opensWith) || mirrors.methods.has(opensWith));
    if (opensWith && !connects) {
      return fail(`nothing in this file connects \`${client.name}\`, so a duplicate made here would never open; add one where \`${client.name}\` is connected`);
    }
    const override = this.override(client, moved);
    if (typeof override === 'string') return fail(override);
    const exported = this.exportEdits(client, name);
    if (typeof exported === 'string') return fail(exported);

    const newline = newlineOf(this.text);
    const indent = indentationAt(this.text, client.statement.start);
    const initializer = `${chain.awaited ? 'await ' : ''}${client.name}.duplicate(${override.text})${chain.segments.map((segment) => segment.text).join('')}`;
    const declaration = `${exported.prefix}const ${name} = ${initializer};`;
    const after = endWithTrailingComment(this.text, this.comments, client.statement.end).end;
    edits.push({ start: after, end: after, text: `${newline}${indent}${declaration}` }, ...mirrors.edits, ...exported.edits);
    const dedicated: Dedicated = { name, exportedAs: exported.as, bounds: override.bounds };
    return { client, plan: { client, dedicated: name, creates: true, edits, moved }, skips, dedicated };
  }

  /**
   * Why the duplicate's timeouts would cut one of these waits (a bound no longer than the wait,
   * or any bound on an endless wait), or undefined when none would.
   */
  cutWait(bounds: WaitBounds, calls: BlockingCall[], name: string, lineOf: (node: Node) => number = this.lineOf): string | undefined {
    for (const call of calls) {
      if (call.type !== 'blocking') continue;
      const ms = waitMsOf(call.timeout.ms, bounds.blockingMs);
      const endless = ms === undefined || !Number.isFinite(ms);
      if (bounds.unknown) return `the options of \`${name}\` can't be read, so whether its timeouts cut ${call.command} (line ${lineOf(call.call)}) is unknown; move it by hand`;
      const cutting = bounds.bounds.find((bound) => endless || bound.ms <= ms!);
      if (cutting) {
        const wait = ms === Infinity ? 'waits forever (timeout 0)' : endless ? "waits for a time this file can't read" : `waits up to ${ms} ms`;
        return `${call.command} at line ${lineOf(call.call)} ${wait}, and ${cutting.option} ${cutting.ms} on \`${name}\` would cut it; give the call a shorter timeout or the duplicate a longer ${cutting.option} first`;
      }
    }
    return undefined;
  }

  /** The timeouts of a client that fire during a blocking wait, by its library. */
  boundsOf(creation: Creation): WaitBounds {
    const timeouts = timeoutsOf(creation, this.evaluator, this.versions.major(creation.value.library));
    const relevant = isIoredisFamily(creation.value.library) ? [timeouts?.client.command, timeouts?.client['socket-idle']] : [timeouts?.client['socket-idle']];
    const bounds: WaitBounds['bounds'] = [];
    let unknown = false;
    for (const timeout of relevant) {
      if (timeout?.state === 'unknown') unknown = true;
      if (timeout?.state === 'bounded') bounds.push({ option: timeout.spec.path.join('.'), ms: timeout.ms });
    }
    return { bounds, unknown, blockingMs: blockingTimeoutOf(creation, this.evaluator, this.versions.major(creation.value.library)) };
  }

  /** A module-level `<name>Blocking…` that is already a duplicate of the client. */
  private existingDedicated(client: ModuleClient): Dedicated | undefined {
    for (const suffix of SUFFIXES) {
      const name = `${client.name}Blocking${suffix}`;
      const candidate = this.clients.find((other) => other.name === name);
      if (!candidate) continue;
      const callee = candidate.value.call ? unwrap(candidate.value.call.callee) : undefined;
      if (candidate.value.how === 'method' && candidate.value.parent?.creation === client.value.creation && callee && isMember(callee) && staticName(callee) === 'duplicate') {
        const exported = candidate.exported && this.exportedUnderOwnName(candidate);
        return { name, exportedAs: exported ? name : undefined, bounds: this.boundsOf(candidate.creation) };
      }
    }
    return undefined;
  }

  /** Importers find it by its own name: `export const x`, `export { x }`, `module.exports = { x }`, `exports.x = x`. */
  private exportedUnderOwnName(client: ModuleClient): boolean {
    if (client.statement.type === 'ExportNamedDeclaration') return true;
    return referenceUses(this.context, client.binding).some((use) => {
      if (use.kind !== 'exported') return false;
      const parent = this.context.index.parentOf(use.outer);
      if (parent?.type === 'ExportSpecifier') return staticExportName(parent) === client.name;
      if (parent?.type === 'ObjectProperty') return staticName(parent) === client.name;
      if (parent?.type === 'AssignmentExpression') return isMember(parent.left) && staticName(parent.left) === client.name && !isModuleExports(parent.left);
      return false;
    });
  }

  /** `base`, or `base2`… when an identifier of that name already appears in the file. */
  private freeName(base: string): string | undefined {
    const used = new Set<string>();
    walk(this.context.program, (node) => {
      if (node.type === 'Identifier') used.add(node.name);
    });
    return SUFFIXES.map((suffix) => `${base}${suffix}`).find((name) => !used.has(name));
  }

  /**
   * The overrides the duplicate needs so that no timeout it inherits cuts a wait it serves:
   * ioredis `commandTimeout` (and `socketTimeout`) longer than the longest wait, or none when
   * the client has none and some wait is endless (`duplicate()`). A string is why there is none.
   */
  private override(client: ModuleClient, moved: DedicatedPlan['moved']): { text: string; bounds: WaitBounds } | string {
    // The duplicate inherits the client's blockingTimeout, which ends a wait of 0.
    const blockingMs = blockingTimeoutOf(client.creation, this.evaluator, this.versions.major(client.value.library));
    const waits = moved.map((use) => (use.command.type === 'blocking' ? waitMsOf(use.command.timeout.ms, blockingMs) : undefined));
    const open = moved.find((_, index) => waits[index] === undefined || !Number.isFinite(waits[index]!));
    const longest = Math.max(0, ...waits.filter((ms): ms is number => ms !== undefined && Number.isFinite(ms)));
    const timeouts = timeoutsOf(client.creation, this.evaluator, this.versions.major(client.value.library));
    const library = client.value.library;
    const describeOpen = (use: (typeof moved)[number]) => {
      const ms = use.command.type === 'blocking' ? waitMsOf(use.command.timeout.ms, blockingMs) : undefined;
      return `${use.command.command} at line ${this.lineOf(use.command.call)} ${ms === Infinity ? 'waits forever (timeout 0)' : "waits for a time this file can't read"}`;
    };
    if (isIoredisFamily(library)) {
      const command = timeouts?.client.command;
      const socket = timeouts?.client['socket-idle'];
      if (!command || !socket || command.state === 'unknown' || socket.state === 'unknown') {
        return `the options of \`${client.name}\` can't be read, so what its duplicate would inherit is unknown; make the dedicated client by hand`;
      }
      const bounds = [command, socket].filter((t): t is ResolvedTimeout & { state: 'bounded' } => t.state === 'bounded');
      if (open) {
        if (bounds.length === 0) return { text: '', bounds: { bounds: [], unknown: false, blockingMs } };
        return `${describeOpen(open)}, and the duplicate would inherit ${bounds.map((t) => `${t.spec.path.join('.')} ${t.ms}`).join(' and ')}, which would reject it; give the call a finite timeout first`;
      }
      const needed = longest + BLOCKING_MARGIN_MS;
      const entries: string[] = [];
      const result: WaitBounds = { bounds: [], unknown: false, blockingMs };
      if (command.state === 'bounded' && command.ms >= needed) result.bounds.push({ option: 'commandTimeout', ms: command.ms });
      else {
        const ms = Math.max(needed, DEFAULT_TIMEOUT_MS);
        entries.push(`commandTimeout: ${ms}`);
        result.bounds.push({ option: 'commandTimeout', ms });
      }
      if (socket.state === 'bounded' && socket.ms < needed) {
        entries.push(`socketTimeout: ${needed}`);
        result.bounds.push({ option: 'socketTimeout', ms: needed });
      } else if (socket.state === 'bounded') result.bounds.push({ option: 'socketTimeout', ms: socket.ms });
      if (entries.length === 0) return { text: '', bounds: result };
      // A cluster takes its per-node overrides as `duplicate(startupNodes, { redisOptions })`.
      if (client.creation.nodeOptionsKey) return `a cluster's duplicate needs its per-node timeouts raised (${entries.join(', ')}); make the dedicated client by hand`;
      return { text: `{ ${entries.join(', ')} }`, bounds: result };
    }
    const socket = timeouts?.client['socket-idle'];
    if (socket?.state === 'unknown') return `the socket options of \`${client.name}\` can't be read; make the dedicated client by hand`;
    if (socket?.state === 'bounded' && (open || socket.ms <= longest)) {
      // node-redis replaces the whole `socket` object of a duplicate's overrides: host and port would go.
      return `${open ? describeOpen(open) : `a ${longest} ms wait`} outlasts socket.socketTimeout ${socket.ms}, which the duplicate would inherit; make the dedicated client by hand`;
    }
    return { text: '', bounds: this.boundsOf(client.creation) };
  }

  /** Connect, 'error' listener and closing statements of the client, repeated for the duplicate. */
  private mirrors(client: ModuleClient, name: string): { edits: TextEdit[]; methods: Set<string> } | string {
    const edits: TextEdit[] = [];
    const methods = new Set<string>();
    const methodsSpec = client.value.library.values[client.value.kind]?.methods ?? {};
    for (const use of client.uses.lifecycle) {
      const spec = methodsSpec[use.method];
      const wanted =
        (spec?.type === 'release' && !(spec.notWhenFirstArgTruthy && use.call.arguments.length > 0 && !isFalse(use.call.arguments[0]))) ||
        (spec?.type === 'self' && use.method === client.value.library.values[client.value.kind]?.opensWith) ||
        (spec?.type === 'listener' && use.call.arguments[0] !== undefined && this.evaluator.string(use.call.arguments[0]) === 'error');
      if (!wanted) continue;
      const edit = this.mirror(use, client.name, name);
      if (typeof edit === 'string') return edit;
      edits.push(edit);
      methods.add(use.method);
    }
    return { edits, methods };
  }

  /** The copy of one lifecycle call for the duplicate, beside the original. */
  private mirror(use: Extract<ReferenceUse, { kind: 'method-call' }>, from: string, to: string): TextEdit | string {
    const text = this.text;
    const copyOf = (node: Node) => `${text.slice(node.start, use.identifier.start)}${to}${text.slice(use.identifier.end, node.end)}`;
    let current: Node = use.call;
    for (;;) {
      const slot = this.context.index.slotOf(current);
      if (!slot) break;
      const { parent, key } = slot;
      if (parent.type === 'AwaitExpression' || (parent.type === 'UnaryExpression' && parent.operator === 'void') || isWrapper(parent)) {
        current = parent;
        continue;
      }
      if (isMember(parent) && key === 'object') {
        const callSlot = this.context.index.slotOf(parent);
        if (callSlot && isCall(callSlot.parent) && callSlot.key === 'callee') {
          current = callSlot.parent;
          continue;
        }
        break;
      }
      if (parent.type === 'ExpressionStatement') {
        const end = endWithTrailingComment(text, this.comments, parent.end).end;
        return { start: end, end, text: `${newlineOf(text)}${indentationAt(text, parent.start)}${copyOf(parent)}` };
      }
      if (parent.type === 'ArrayExpression' && key === 'elements') return { start: current.end, end: current.end, text: `, ${copyOf(current)}` };
      if (parent.type === 'ArrowFunctionExpression' && key === 'body' && current === use.call) {
        return { start: current.start, end: current.end, text: `Promise.all([${text.slice(current.start, current.end)}, ${copyOf(current)}])` };
      }
      break;
    }
    return `\`${from}.${use.method}()\` at line ${this.lineOf(use.call)} is not a statement of its own, so it can't be repeated for the duplicate; make the dedicated client by hand`;
  }

  /** How the duplicate is exported when the client is: `export const`, or beside a CommonJS export. */
  private exportEdits(client: ModuleClient, name: string): { prefix: string; edits: TextEdit[]; as: string | undefined } | string {
    if (!client.exported) return { prefix: '', edits: [], as: undefined };
    if (client.statement.type === 'ExportNamedDeclaration') return { prefix: 'export ', edits: [], as: name };
    const exports = referenceUses(this.context, client.binding).filter((use) => use.kind === 'exported');
    const esm = exports.some((use) => {
      const parent = this.context.index.parentOf(use.outer);
      return parent?.type === 'ExportSpecifier' || parent?.type === 'ExportDefaultDeclaration';
    });
    if (esm) return { prefix: 'export ', edits: [], as: name };
    const edits: TextEdit[] = [];
    for (const use of exports) {
      const parent = this.context.index.parentOf(use.outer)!;
      if (parent.type === 'ObjectProperty') {
        edits.push({ start: parent.end, end: parent.end, text: `, ${name}` });
        continue;
      }
      const statement = this.context.index.parentOf(parent);
      if (parent.type === 'AssignmentExpression' && isMember(parent.left) && !isModuleExports(parent.left) && statement?.type === 'ExpressionStatement') {
        const target = this.text.slice(parent.left.object.start, parent.left.object.end);
        const end = endWithTrailingComment(this.text, this.comments, statement.end).end;
        edits.push({ start: end, end, text: `${newlineOf(this.text)}${indentationAt(this.text, statement.start)}${target}.${name} = ${name};` });
        continue;
      }
      return `\`${client.name}\` is exported as the module itself, so a duplicate can't be exported beside it; make the dedicated client by hand`;
    }
    return { prefix: '', edits, as: name };
  }
}

/** Rewrites the module-level clients of a file, one at a time (each edit is re-planned on the new text). */
export function rewriteModuleClients(session: Session): void {
  const done = new Set<string>();
  for (;;) {
    const planner = new DedicatedPlanner(session.context, (node) => session.lineOf(node), session.options);
    let applied = false;
    for (const client of planner.clients) {
      if (done.has(client.name)) continue;
      const verdict = planner.verdict(client);
      if (!verdict) continue;
      done.add(client.name);
      for (const skip of verdict.skips) session.skipped(skip.at, skip.reason);
      const plan = verdict.plan;
      if (!plan || plan.moved.length === 0) continue;
      for (const use of plan.moved) {
        session.rewritten(use.command.call, `${use.command.command} now runs on \`${plan.dedicated}\`, a dedicated duplicate of \`${client.name}\``);
      }
      session.apply(plan.edits);
      applied = true;
      break;
    }
    if (!applied) return;
  }
}

/** How a module refers to a client it imports. */
type ImportedRef =
  /** `import { redis }`, `import redis`, `const { redis } = require(…)`: a binding of its own. */
  | { kind: 'binding'; binding: Binding; specifier: Node; importedName: string; source: string; declaration: Node }
  /** `db.redis` with `import * as db` or `const db = require(…)`. */
  | { kind: 'member'; namespace: Binding; name: string; source: string };

/**
 * Moves the blocking calls a module runs on clients it imports onto the dedicated duplicate the
 * declaring module exports (now, or once this codemod has run there).
 */
export function rewriteImportedClients(session: Session): void {
  const context = session.context;
  const evaluator = new StaticEvaluator(context);
  const commands = new CommandClassifier(context, evaluator);
  const groups = new Map<string, { ref: ImportedRef; value: Value; calls: Node[] }>();
  walk(context.program, (node) => {
    if (!isCall(node)) return;
    const command = commands.classify(node);
    if (command?.type !== 'blocking' || command.isolated) return;
    const value = command.receiver;
    if (value.home === context || (value.kind !== 'client' && value.kind !== 'cluster')) return;
    const receiver = unwrap(unwrap(node.callee).object);
    const ref = importedRef(context, receiver);
    if (!ref) return;
    const key = ref.kind === 'binding' ? `b:${ref.binding.identifier.start}` : `m:${ref.namespace.identifier.start}:${ref.name}`;
    const group = groups.get(key) ?? { ref, value, calls: [] };
    group.calls.push(node);
    groups.set(key, group);
  });
  const edits: TextEdit[] = [];
  for (const group of groups.values()) {
    const planned = planImported(session, commands, group.ref, group.value);
    if (!planned) continue;
    if (typeof planned === 'string') {
      session.skipped(group.calls[0]!, planned);
      continue;
    }
    edits.push(...planned.edits);
    for (const call of planned.moved) {
      const command = commands.classify(call);
      session.rewritten(call, `${command?.type === 'blocking' ? command.command : 'the blocking call'} now runs on \`${planned.name}\`, the dedicated duplicate '${group.ref.source}' exports`);
    }
  }
  if (edits.length > 0) session.apply(edits);
}

function planImported(session: Session, commands: CommandClassifier, ref: ImportedRef, value: Value): { edits: TextEdit[]; moved: Node[]; name: string } | string | undefined {
  const context = session.context;
  const uses = ref.kind === 'binding' ? usesOfClient(context, commands, ref.binding, value, () => undefined) : memberUses(context, commands, ref, value);
  const blocking = uses.blocking.filter((use) => use.command.type === 'blocking');
  const importedName = ref.kind === 'binding' ? ref.importedName : ref.name;
  const reason = sharingOf({ scope: 'imported', value, exported: false, importedName, importedFrom: ref.source }, uses);
  if (!reason || blocking.length === 0) return undefined;
  const home = value.home;
  const direct = context.load(ref.source);
  if (direct !== home) return `\`${importedName}\` is re-exported by '${ref.source}' from another module; move its blocking calls to a dedicated client by hand`;
  const planner = new DedicatedPlanner(home, (node) => node.loc?.start.line ?? 0, session.options);
  const client = planner.clients.find((candidate) => candidate.value.creation === value.creation);
  if (!client) return `'${ref.source}' does not declare \`${importedName}\` as a module-level client; move its blocking calls to a dedicated client by hand`;
  const verdict = planner.verdict(client);
  const name = verdict?.dedicated?.exportedAs;
  if (!name) {
    const why = verdict?.dedicated
      ? 'its duplicate there is not exported'
      : verdict?.skips.length
        ? `there: ${verdict.skips[verdict.skips.length - 1]!.reason}`
        : 'that module runs no blocking command on it, so the codemod makes no duplicate there';
    return `'${ref.source}' exports no dedicated duplicate of \`${client.name}\` for these blocking calls (${why}); add \`export const ${client.name}Blocking = ${client.name}.duplicate()\` there, with its error listener and closing, and run the codemod again`;
  }
  const cut = planner.cutWait(verdict.dedicated!.bounds, blocking.map((use) => use.command), name, (node) => session.lineOf(node));
  if (cut) return cut;
  const edits: TextEdit[] = [];
  const moved = blocking.map((use) => use.command.call);
  if (ref.kind === 'member') {
    for (const use of blocking) {
      const member = unwrap(unwrap(use.command.call.callee).object);
      edits.push({ start: member.property.start, end: member.property.end, text: name });
    }
    return { edits, moved, name };
  }
  const onlyBlocking = uses.work.length === 0 && uses.other.length === 0 && uses.lifecycle.length === 0 && uses.blocking.length === blocking.length;
  const taken = identifierNames(context);
  if (onlyBlocking) {
    const aliased = ref.binding.name !== ref.importedName;
    if (ref.specifier.type === 'ImportSpecifier' || ref.specifier.type === 'ObjectProperty') {
      if (aliased) {
        // `{ redis as r }` / `{ redis: r }`: only the imported name changes.
        const key = ref.specifier.type === 'ImportSpecifier' ? ref.specifier.imported : ref.specifier.key;
        edits.push({ start: key.start, end: key.end, text: name });
        return { edits, moved, name };
      }
      if (taken.has(name)) return `\`${name}\` is already a name in this file; import the dedicated duplicate by hand`;
      edits.push({ start: ref.specifier.start, end: ref.specifier.end, text: name });
    } else if (ref.specifier.type === 'ImportDefaultSpecifier' && ref.declaration.specifiers.length === 1) {
      if (taken.has(name)) return `\`${name}\` is already a name in this file; import the dedicated duplicate by hand`;
      edits.push({ start: ref.specifier.start, end: ref.specifier.end, text: `{ ${name} }` });
    } else {
      return `\`${ref.binding.name}\` is imported in a form the codemod does not rewrite; import the dedicated duplicate by hand`;
    }
    for (const reference of context.scopes.referencesOf(ref.binding)) {
      edits.push({ start: reference.identifier.start, end: reference.identifier.end, text: name });
    }
    return { edits, moved, name };
  }
  // Other work stays on the shared client: import the duplicate beside it.
  if (taken.has(name) && !importsName(ref, name)) return `\`${name}\` is already a name in this file; import the dedicated duplicate by hand`;
  if (!importsName(ref, name)) {
    const addition = addSpecifierEdit(ref, name);
    if (!addition) return `\`${ref.binding.name}\` is imported in a form the codemod does not extend; import \`${name}\` from '${ref.source}' by hand`;
    edits.push(addition);
  }
  for (const use of blocking) edits.push({ start: use.receiver.start, end: use.receiver.end, text: name });
  return { edits, moved, name };
}

/** The import or require that brings a receiver into this module. */
function importedRef(context: FileContext, receiver: Node): ImportedRef | undefined {
  if (receiver.type === 'Identifier') {
    const binding = context.scopes.resolve(receiver);
    if (!binding) return undefined;
    const declaration = binding.declaration;
    if (binding.kind === 'import' && declaration.type === 'ImportDeclaration' && declaration.importKind !== 'type') {
      const specifier = binding.specifier!;
      const source = String(declaration.source.value);
      if (specifier.type === 'ImportSpecifier') {
        if (specifier.importKind === 'type') return undefined;
        const importedName = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
        return { kind: 'binding', binding, specifier, importedName, source, declaration };
      }
      if (specifier.type === 'ImportDefaultSpecifier') return { kind: 'binding', binding, specifier, importedName: 'default', source, declaration };
      return undefined;
    }
    // `const { redis } = require('./redis')`.
    const declarator = binding.declarator;
    const required = declarator?.init && requiredSource(declarator.init);
    if (binding.kind === 'const' && required && declarator.id.type === 'ObjectPattern') {
      const property = declarator.id.properties.find((p: Node) => p.type === 'ObjectProperty' && p.value === binding.identifier);
      const importedName = property && staticName(property);
      if (importedName !== undefined) return { kind: 'binding', binding, specifier: property, importedName, source: required, declaration: declarator.id };
    }
    return undefined;
  }
  if (isMember(receiver) && !receiver.computed && receiver.object.type === 'Identifier') {
    const namespace = context.scopes.resolve(receiver.object);
    const name = staticName(receiver);
    if (!namespace || name === undefined) return undefined;
    const declaration = namespace.declaration;
    if (namespace.kind === 'import' && declaration.type === 'ImportDeclaration' && namespace.specifier?.type === 'ImportNamespaceSpecifier') {
      return { kind: 'member', namespace, name, source: String(declaration.source.value) };
    }
    const required = namespace.kind === 'const' && namespace.declarator?.id === namespace.identifier && namespace.declarator.init ? requiredSource(namespace.declarator.init) : undefined;
    if (required) return { kind: 'member', namespace, name, source: required };
  }
  return undefined;
}

function requiredSource(init: Node): string | undefined {
  const inner = unwrap(init);
  if (inner.type !== 'CallExpression' || inner.callee.type !== 'Identifier' || inner.callee.name !== 'require') return undefined;
  const argument = inner.arguments[0];
  return argument?.type === 'StringLiteral' && argument.value.startsWith('.') ? argument.value : undefined;
}

/** Uses of `ns.name` in the module, classified as a client binding's uses are. */
function memberUses(context: FileContext, commands: CommandClassifier, ref: Extract<ImportedRef, { kind: 'member' }>, value: Value): ClientUses {
  const uses: ClientUses = { blocking: [], work: [], lifecycle: [], other: [] };
  for (const reference of context.scopes.referencesOf(ref.namespace)) {
    const member = context.index.parentOf(reference.identifier);
    if (!member || !isMember(member) || member.object !== reference.identifier || staticName(member) !== ref.name) continue;
    const use = classifyReference(context, member);
    if (use.kind !== 'method-call') {
      uses.other.push(use);
      continue;
    }
    const command = commands.classifyOn(value, use.method, use.call);
    if (command?.type === 'blocking' && !command.isolated) uses.blocking.push({ command, receiver: member });
    else if (command?.type === 'command') uses.work.push({ command, loan: value.creation });
    else if (command?.type === 'lifecycle') uses.lifecycle.push(use);
    else uses.other.push(use);
  }
  return uses;
}

/** Whether the import that brings the client also brings `name` already. */
function importsName(ref: Extract<ImportedRef, { kind: 'binding' }>, name: string): boolean {
  if (ref.declaration.type === 'ImportDeclaration') {
    return ref.declaration.specifiers.some((specifier: Node) => specifier.type === 'ImportSpecifier' && specifier.local.name === name);
  }
  return ref.declaration.properties.some((property: Node) => property.type === 'ObjectProperty' && property.value?.type === 'Identifier' && property.value.name === name);
}

/** `import { redis, <name> }`, `import redis, { <name> }`, `const { redis, <name> } = require(…)`. */
function addSpecifierEdit(ref: Extract<ImportedRef, { kind: 'binding' }>, name: string): TextEdit | undefined {
  const declaration = ref.declaration;
  if (declaration.type === 'ImportDeclaration') {
    const named = declaration.specifiers.filter((specifier: Node) => specifier.type === 'ImportSpecifier');
    const last = named[named.length - 1];
    if (last) return { start: last.end, end: last.end, text: `, ${name}` };
    if (declaration.specifiers.length === 1 && ref.specifier.type === 'ImportDefaultSpecifier') {
      return { start: ref.specifier.end, end: ref.specifier.end, text: `, { ${name} }` };
    }
    return undefined;
  }
  const properties = declaration.properties;
  const last = properties[properties.length - 1];
  if (!last || last.type === 'RestElement') return undefined;
  return { start: last.end, end: last.end, text: `, ${name}` };
}

function identifierNames(context: FileContext): Set<string> {
  const names = new Set<string>();
  walk(context.program, (node) => {
    if (node.type === 'Identifier') names.add(node.name);
  });
  return names;
}

function staticExportName(specifier: Node): string | undefined {
  const exported = specifier.exported;
  return exported?.type === 'Identifier' ? exported.name : exported?.value;
}

function isWrapper(node: Node): boolean {
  return ['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ParenthesizedExpression'].includes(node.type);
}

function isFalse(node: Node): boolean {
  const inner = unwrap(node);
  return inner.type === 'BooleanLiteral' && inner.value === false;
}
