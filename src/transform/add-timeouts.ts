/**
 * The `add-timeouts` rewrite of one file: every client and pool creation that `require-timeout`
 * reports for a missing or disabled bound gets the option it asks for, written into the
 * creation's own options.
 *
 * - ioredis / iovalkey clients and clusters: `commandTimeout` (under `redisOptions` for a
 *   cluster), longer than the longest finite blocking wait the client (or a duplicate that
 *   inherits its options) serves, so the new bound never rejects a wait the code asks for.
 *   BullMQ Worker / QueueEvents connections are exempt, as in the rule.
 * - node-redis: `commandOptions.timeout` where the installed major has no default for it (5),
 *   and a finite value where the code turns it off; a pool's `acquireTimeout: 0` becomes finite.
 * - generic-pool pools of Redis clients: `acquireTimeoutMillis`.
 *
 * Options are edited where they are written: the literal at the call, or a same-file constant
 * whose every read is the options of a creation that gets the same edit. Options this file
 * can't read (imported, computed, spread from elsewhere), and clients whose blocking waits a
 * bound could cut (timeout 0, a timeout that isn't static, a duplicate used out of sight), are
 * left alone and reported. The whole file is planned on one parse and edited once.
 */
import type { VersionResolver } from '../analysis/versions';
import { isFunction, methodCall, unwrap, walk, type Node } from './ast';
import { catalogStep, leavesSight } from './bindings';
import { BullmqConnections } from './bullmq';
import { CommandClassifier } from './commands';
import { StaticEvaluator, lookupOption } from './evaluate';
import type { FileContext } from './file-context';
import { appendArgumentEdit, propertyText, setValueEdit, writePathEdits } from './option-edits';
import { poolResourceOf, type Value } from './origins';
import type { Session } from './session';
import type { TextEdit } from './text';
import {
  BLOCKING_MARGIN_MS,
  DEFAULT_TIMEOUT_MS,
  acquireBoundOf,
  blockingTimeoutOf,
  argumentAt,
  clientOptionsOf,
  commandBoundOf,
  creationOf,
  isIoredisFamily,
  timeoutsOf,
  versionsFor,
  waitMsOf,
  type Creation,
  type ResolvedTimeout,
} from './timeouts';

export interface AddTimeoutsSettings {
  commandTimeout: number;
  acquireTimeout: number;
}

/** The flag values, checked: a timeout is a whole number of milliseconds above 0. */
export function settingsFrom(options: Record<string, unknown>): AddTimeoutsSettings {
  const read = (key: string, flag: string): number => {
    const raw = options[key];
    if (raw === undefined) return DEFAULT_TIMEOUT_MS;
    const value = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`--${flag} needs a whole number of milliseconds above 0, not ${JSON.stringify(raw)}`);
    }
    return value;
  };
  return { commandTimeout: read('commandTimeout', 'command-timeout'), acquireTimeout: read('acquireTimeout', 'acquire-timeout') };
}

/** One option a creation needs. */
interface Want {
  creation: Creation;
  /** Where the option goes: the client options or the pool options. */
  position: 'options' | 'poolOptions';
  path: string[];
  ms: number;
  /** Set an existing property (a disabled value), or add the option. */
  property: Node | undefined;
  /** What the report says was done. */
  note: string;
}

type Decision = Want | { skip: string } | undefined;

interface Waits {
  /** The longest finite wait (ms) and the call that waits it. */
  longest: number;
  longestAt: { command: string; line: number } | undefined;
  /** A wait a bound would cut whatever its length: timeout 0, or a timeout that isn't static. */
  open: { command: string; line: number; forever: boolean } | undefined;
}

export function addTimeouts(session: Session): void {
  const settings = settingsFrom(session.options);
  const planner = new Planner(session, settings);
  const edits = planner.plan();
  if (edits.length > 0) session.apply(edits);
}

class Planner {
  private readonly context: FileContext;
  private readonly evaluator: StaticEvaluator;
  private readonly commands: CommandClassifier;
  private readonly bullmq: BullmqConnections;
  private readonly versions: VersionResolver;
  private readonly waits = new Map<Node, Waits>();

  constructor(
    private readonly session: Session,
    private readonly settings: AddTimeoutsSettings,
  ) {
    this.context = session.context;
    this.evaluator = new StaticEvaluator(this.context);
    this.commands = new CommandClassifier(this.context, this.evaluator);
    this.bullmq = new BullmqConnections(this.context, this.evaluator);
    this.versions = versionsFor(session.file, session.options);
  }

  plan(): TextEdit[] {
    const creations: Creation[] = [];
    walk(this.context.program, (node) => {
      if (node.type === 'NewExpression' || node.type === 'CallExpression' || node.type === 'OptionalCallExpression') {
        const value = this.context.origins.valueOrPromised(node);
        const creation = value && value.creation === node && value.home === this.context ? creationOf(value) : undefined;
        if (creation) creations.push(creation);
        if (node.type !== 'NewExpression') this.recordWait(node);
      }
    });
    this.recordPoolWaits(creations);
    const wants: Want[] = [];
    for (const creation of creations) {
      const decision = this.decide(creation);
      if (!decision) continue;
      if ('skip' in decision) this.session.skipped(creation.call, decision.skip);
      else wants.push(decision);
    }
    const edits = new Map<string, TextEdit>();
    for (const want of wants) {
      const planned = this.editFor(want, wants);
      if (typeof planned === 'string') {
        this.session.skipped(want.creation.call, planned);
        continue;
      }
      // Creations that share an options object plan the same edit: it is made once.
      for (const edit of planned) edits.set(`${edit.start}:${edit.end}:${edit.text}`, edit);
      this.session.rewritten(want.creation.call, want.note);
    }
    return [...edits.values()];
  }

  /** What a creation needs, per the same readings as `require-timeout`. */
  private decide(creation: Creation): Decision {
    const { value } = creation;
    // monitor() and the like make connections that take no options of their own.
    if (value.how === 'method' && creation.optionsArg === undefined) return undefined;
    // A duplicate of a client made in another module (or known only by its type, a parameter):
    // where the source is made decides, as the rule reads it.
    if (creation.inheritsFrom && (creation.inheritsFrom.home !== this.context || !creationOf(creation.inheritsFrom))) return undefined;
    switch (value.library.id) {
      case 'ioredis':
      case 'iovalkey':
        return value.kind === 'client' || value.kind === 'cluster' ? this.ioredisClient(creation) : undefined;
      case 'node-redis':
        return this.nodeRedis(creation);
      case 'generic-pool':
        return value.kind === 'pool' && poolResourceOf(value) === 'redis' ? this.genericPool(creation) : undefined;
      default:
        // tarn bounds acquire by default (0 also means 30 s); glide's requestTimeout defaults to 250 ms.
        return undefined;
    }
  }

  private ioredisClient(creation: Creation): Decision {
    if (this.bullmq.roleOf(creation.value) !== 'none') return undefined;
    const need = this.commandNeed(creation);
    if (!need || need.type === 'no-option') return undefined;
    if (need.type === 'unknown') return { skip: this.unknownOptions(creation, creation.optionsArg) };
    const path = creation.nodeOptionsKey ? [creation.nodeOptionsKey, 'commandTimeout'] : ['commandTimeout'];
    if (need.type === 'missing' && this.sourceCarriesNeed(creation)) return undefined;
    const waits = this.waits.get(creation.value.creation);
    if (waits?.open) {
      const what = waits.open.forever ? 'with timeout 0 (it waits forever)' : "with a timeout this file can't read";
      return {
        skip: `it serves ${waits.open.command} ${what} at line ${waits.open.line}, which any commandTimeout would reject; move blocking calls to a dedicated client first (dedicated-blocking-client)`,
      };
    }
    const hidden = this.hiddenDuplicate(creation);
    if (hidden) {
      return {
        skip: `its duplicate at line ${hidden} would inherit commandTimeout and is used outside this file, perhaps for blocking commands; give that duplicate its own commandTimeout first`,
      };
    }
    const longest = waits?.longest ?? 0;
    const ms = longest > 0 ? Math.max(this.settings.commandTimeout, longest + BLOCKING_MARGIN_MS) : this.settings.commandTimeout;
    const longer = longest > 0 && ms > this.settings.commandTimeout ? ` (longer than the ${duration(longest)} ${waits!.longestAt!.command} at line ${waits!.longestAt!.line})` : '';
    const property = need.type === 'disabled' ? need.timeout.property : undefined;
    return { creation, position: 'options', path, ms, property, note: `${need.type === 'disabled' ? 'set' : 'added'} ${path.join('.')}: ${ms}${longer}` };
  }

  private nodeRedis(creation: Creation): Decision {
    if (this.bullmq.roleOf(creation.value) === 'blocking-connection') return undefined;
    const timeouts = timeoutsOf(creation, this.evaluator, this.major(creation));
    if (!timeouts) return undefined;
    if (creation.value.kind === 'pool') {
      const acquire = acquireBoundOf(timeouts);
      if (acquire.state === 'unbounded' && acquire.disabledBy) {
        const spec = acquire.disabledBy.spec;
        const ms = this.settings.acquireTimeout;
        return { creation, position: 'poolOptions', path: spec.path, ms, property: acquire.disabledBy.property, note: `set ${spec.path.join('.')}: ${ms}` };
      }
    }
    const need = this.commandNeed(creation);
    if (!need || need.type === 'no-option') return undefined;
    const spec = timeouts.client.command?.spec;
    if (need.type === 'unknown') {
      // Where the major bounds commands by default (6), options we can't read most likely keep that bound.
      return spec && spec.defaultMs === null ? { skip: this.unknownOptions(creation, creation.optionsArg) } : undefined;
    }
    if (!spec) return undefined;
    if (need.type === 'missing' && this.sourceCarriesNeed(creation)) return undefined;
    const ms = this.settings.commandTimeout;
    const property = need.type === 'disabled' ? need.timeout.property : undefined;
    return { creation, position: 'options', path: spec.path, ms, property, note: `${need.type === 'disabled' ? 'set' : 'added'} ${spec.path.join('.')}: ${ms}` };
  }

  private genericPool(creation: Creation): Decision {
    const timeouts = timeoutsOf(creation, this.evaluator, this.major(creation));
    const acquire = timeouts && acquireBoundOf(timeouts);
    const spec = timeouts?.pool.acquire?.spec;
    if (!acquire || !spec) return undefined;
    if (acquire.state === 'unknown') return { skip: this.unknownOptions(creation, creation.poolOptionsArg) };
    if (acquire.state !== 'unbounded') return undefined;
    const ms = this.settings.acquireTimeout;
    const property = acquire.disabledBy?.property;
    return { creation, position: 'poolOptions', path: spec.path, ms, property, note: `${property ? 'set' : 'added'} ${spec.path.join('.')}: ${ms}` };
  }

  private major(creation: Creation): number | undefined {
    return this.versions.major(creation.value.library);
  }

  /** Whether commands on the value can wait forever, as far as its options tell. */
  private commandNeed(creation: Creation):
    | { type: 'missing' }
    | { type: 'disabled'; timeout: ResolvedTimeout & { state: 'unbounded' } }
    | { type: 'unknown' }
    | { type: 'no-option' }
    | undefined {
    const timeouts = timeoutsOf(creation, this.evaluator, this.major(creation));
    if (!timeouts) return undefined;
    const bound = commandBoundOf(timeouts);
    switch (bound.state) {
      case 'bounded':
        return undefined;
      case 'unknown':
      case 'no-option':
        return { type: bound.state };
      case 'unbounded':
        return bound.disabledBy ? { type: 'disabled', timeout: bound.disabledBy } : { type: 'missing' };
    }
  }

  /** A duplicate lacks a bound because its source does: the source's edit covers both. */
  private sourceCarriesNeed(creation: Creation): boolean {
    for (let source = creation.inheritsFrom; source; source = creationOf(source)?.inheritsFrom) {
      const sourceCreation = creationOf(source);
      const need = sourceCreation && this.commandNeed(sourceCreation);
      if (need && need.type !== 'no-option') return true;
    }
    return false;
  }

  /**
   * Counts a blocking call's wait for its client and for each source whose commandTimeout it
   * would inherit; `as` is the client a pool's loan is.
   */
  private recordWait(call: Node, as?: Value): void {
    const parts = as && methodCall(call);
    const command = parts ? this.commands.classifyOn(as!, parts.method, call) : this.commands.classify(call);
    if (command?.type !== 'blocking' || command.isolated || !isIoredisFamily(command.receiver.library)) return;
    // A negative timeout is an error Redis answers at once; it waits for nothing.
    if (command.timeout.ms !== undefined && command.timeout.ms < 0) return;
    const receiver = creationOf(command.receiver);
    const ms = waitMsOf(command.timeout.ms, blockingTimeoutOf(receiver, this.evaluator, this.versions.major(command.receiver.library)));
    const finite = ms !== undefined && Number.isFinite(ms) && ms > 0;
    for (let current: Value | undefined = command.receiver; current; ) {
      const waits = this.waits.get(current.creation) ?? { longest: 0, longestAt: undefined, open: undefined };
      if (finite && ms! > waits.longest) {
        waits.longest = ms!;
        waits.longestAt = { command: command.command, line: this.session.lineOf(call) };
      }
      if (!finite) waits.open ??= { command: command.command, line: this.session.lineOf(call), forever: ms === Infinity };
      this.waits.set(current.creation, waits);
      const creation = creationOf(current);
      if (!creation?.inheritsFrom || this.setsCommandBoundItself(creation)) break;
      current = creation.inheritsFrom;
    }
  }

  /**
   * A client a pool's `create` makes serves what the pool's loans run: blocking calls on a loan
   * (`const conn = await pool.acquire()`, the parameter of `pool.use(async (conn) => …)`) count
   * as waits of that creation.
   */
  private recordPoolWaits(creations: readonly Creation[]): void {
    const pools = creations.filter((creation) => creation.value.kind === 'pool' && creation.value.resourceFactoryArg !== undefined);
    for (const pool of pools) {
      const factory = this.factoryOf(pool);
      const made = factory && creations.filter((creation) => isIoredisFamily(creation.value.library) && this.context.index.isWithin(creation.call, factory));
      if (!made?.length) continue;
      const managedParams = new Set<Node>();
      walk(this.context.program, (node) => {
        const parts = methodCall(node);
        if (!parts || this.context.origins.valueOf(parts.receiver)?.creation !== pool.value.creation) return;
        const spec = pool.value.library.values.pool?.methods[parts.method];
        const callback = spec?.type === 'managed' ? node.arguments[spec.callbackArg] : undefined;
        const param = callback && isFunction(unwrap(callback)) ? unwrap(callback).params[0] : undefined;
        if (param?.type === 'Identifier') managedParams.add(param);
      });
      walk(this.context.program, (node) => {
        const parts = methodCall(node);
        if (!parts) return;
        const receiver = unwrap(parts.receiver);
        const loan = this.context.origins.valueOrPromised(receiver);
        const onLoan =
          (loan?.kind === 'lease' && loan.parent?.creation === pool.value.creation) ||
          (receiver.type === 'Identifier' && managedParams.has(this.context.scopes.resolve(receiver)?.identifier as Node));
        if (!onLoan) return;
        for (const creation of made) this.recordWait(node, creation.value);
      });
    }
  }

  /** The `{ create, destroy }` object of a pool, written inline or as a same-file constant. */
  private factoryOf(pool: Creation): Node | undefined {
    let factory: Node | undefined = pool.call.arguments[pool.value.resourceFactoryArg!];
    if (factory && unwrap(factory).type === 'Identifier') {
      const binding = this.context.scopes.resolve(unwrap(factory));
      factory = binding?.kind === 'const' ? binding.declarator?.init : undefined;
    }
    return factory && unwrap(factory).type === 'ObjectExpression' ? unwrap(factory) : undefined;
  }

  /** A duplicate whose own overrides set commandTimeout or socketTimeout, or may. */
  private setsCommandBoundItself(creation: Creation): boolean {
    const argument = argumentAt(creation.call, creation.optionsArg, this.evaluator);
    if (argument.status === 'absent' || !argument.node) return false;
    if (argument.status === 'unknown') return true;
    const options = this.evaluator.evaluate(argument.node);
    const prefixes = creation.nodeOptionsKey ? [[], [creation.nodeOptionsKey]] : [[]];
    return prefixes.some((prefix) => ['commandTimeout', 'socketTimeout'].some((key) => lookupOption(options, [...prefix, key]).status !== 'absent'));
  }

  /**
   * The line of a duplicate that would inherit a new commandTimeout from this client and goes
   * where this file can't see what it runs (exported, handed on).
   */
  private hiddenDuplicate(creation: Creation): number | undefined {
    let found: number | undefined;
    walk(this.context.program, (node) => {
      if (found !== undefined) return false;
      const value = this.context.origins.valueOf(node);
      if (!value || value.creation !== node || value.how !== 'method') return;
      const duplicate = creationOf(value);
      if (!duplicate || !this.inheritsFrom(duplicate, creation.value) || this.setsCommandBoundItself(duplicate)) return;
      if (this.bullmq.roleOf(value) !== 'none') return;
      if (leavesSight(this.context, node, catalogStep(this.context, node))) found = this.session.lineOf(node);
    });
    return found;
  }

  private inheritsFrom(duplicate: Creation, source: Value): boolean {
    for (let current = duplicate.inheritsFrom; current; current = creationOf(current)?.inheritsFrom) {
      if (current.creation === source.creation) return true;
      const step = creationOf(current);
      if (!step || this.setsCommandBoundItself(step)) return false;
    }
    return false;
  }

  /** The edit that gives a creation what it wants, or why there is no safe one. */
  private editFor(want: Want, wants: readonly Want[]): TextEdit[] | string {
    const source = this.session.text;
    const { creation } = want;
    const text = String(want.ms);
    if (want.property) {
      const owner = this.ownerOf(want.property);
      if (!owner.ok) return owner.reason;
      const other = this.disagreeingRead(owner, want, wants);
      if (other) return this.sharedReason(owner, other);
      return [setValueEdit(want.property, text)];
    }
    const position = want.position === 'options' ? creation.optionsArg : creation.poolOptionsArg;
    // An override that sets a nested object replaces the source's whole object: only safe when
    // the source has none. ioredis merges a cluster's redisOptions one level deep.
    const mergedDeeper = want.path[0] === creation.nodeOptionsKey && !['node-redis'].includes(creation.value.library.id);
    if (creation.inheritsFrom && want.path.length > 1 && !mergedDeeper) {
      const source = creationOf(creation.inheritsFrom);
      if (!source || clientOptionsOf(source, this.evaluator).get([want.path[0]!]).status !== 'absent') {
        return `its source sets ${want.path[0]}, which an override of ${want.path.join('.')} would replace as a whole; set it on the source`;
      }
    }
    const argument = argumentAt(creation.call, position, this.evaluator);
    if (argument.status === 'unknown') return this.unknownOptions(creation, position);
    if (argument.status === 'absent' || !argument.node) {
      const args: Node[] = creation.call.arguments;
      const fits = typeof position === 'number' ? args.length === position : args.length <= 2 && args.every((arg) => !isNullish(arg));
      if (!fits) return `its arguments leave no clear place for an options object; add ${want.path.join('.')} by hand`;
      return [appendArgumentEdit(source, creation.call, `{ ${propertyText(want.path, text)} }`)];
    }
    const inner = unwrap(argument.node);
    let object: Node | undefined;
    if (inner.type === 'ObjectExpression') object = inner;
    else if (inner.type === 'Identifier') {
      const binding = this.context.scopes.resolve(inner);
      const init = binding?.kind === 'const' && binding.declarator?.id === binding.identifier ? binding.declarator.init : undefined;
      if (init && unwrap(init).type === 'ObjectExpression') object = unwrap(init);
    }
    if (!object) return this.unknownOptions(creation, position);
    const owner = this.ownerOf(object);
    if (!owner.ok) return owner.reason;
    const other = this.disagreeingRead(owner, want, wants);
    if (other) return this.sharedReason(owner, other);
    const written = writePathEdits(source, object, want.path, text, this.evaluator);
    return typeof written === 'string' ? `${written}; add ${want.path.join('.')} by hand` : written;
  }

  /**
   * Which options a node sits in: a literal in a creation's arguments, or a same-file `const`
   * (not exported) whose reads are checked against the creations that read it.
   */
  private ownerOf(node: Node): { ok: true; reads: Node[]; name: string | undefined } | { ok: false; reason: string } {
    let top = node;
    for (const ancestor of this.context.index.ancestors(node)) {
      if (ancestor.type === 'ObjectExpression') top = ancestor;
      else if (ancestor.type !== 'ObjectProperty' && !isWrapper(ancestor)) break;
    }
    const holder = this.context.index.ancestors(top).next().value as Node | undefined;
    let outer = top;
    let parent = holder;
    while (parent && isWrapper(parent)) {
      outer = parent;
      parent = this.context.index.parentOf(parent);
    }
    if (parent?.type !== 'VariableDeclarator' || parent.init !== outer) return { ok: true, reads: [top], name: undefined };
    const binding = parent.id.type === 'Identifier' ? this.context.scopes.resolve(parent.id) : undefined;
    if (!binding || binding.kind !== 'const' || binding.identifier !== parent.id) {
      return { ok: false, reason: 'its options object is held in a variable that may change; set the option by hand' };
    }
    const exported = this.context.index.parentOf(binding.declaration)?.type === 'ExportNamedDeclaration';
    const references = this.context.scopes.referencesOf(binding);
    if (exported || references.some((reference) => this.context.index.parentOf(reference.identifier)?.type === 'ExportSpecifier')) {
      return { ok: false, reason: `its options object \`${binding.name}\` is exported, and other modules may use it where the option is wrong; set it by hand` };
    }
    return { ok: true, reads: references.map((reference) => reference.identifier), name: binding.name };
  }

  /** A read of the options outside the arguments of every creation that wants the same edit. */
  private disagreeingRead(owner: { reads: Node[] }, want: Want, wants: readonly Want[]): Node | undefined {
    return owner.reads.find((read) => {
      const call = this.enclosingCreationArgument(read);
      if (!call) return true;
      return !wants.some(
        (other) =>
          other.creation.call === call &&
          other.position === want.position &&
          other.ms === want.ms &&
          other.property === want.property &&
          other.path.join('.') === want.path.join('.'),
      );
    });
  }

  private sharedReason(owner: { name: string | undefined }, read: Node): string {
    const what = owner.name ? `its options object \`${owner.name}\`` : 'its options';
    return `${what} is also read at line ${this.session.lineOf(read)}, where this option is not wanted or needs another value; set it by hand`;
  }

  /** The creation whose arguments contain a node. */
  private enclosingCreationArgument(node: Node): Node | undefined {
    let child = node;
    for (const ancestor of this.context.index.ancestors(node)) {
      if ((ancestor.type === 'NewExpression' || ancestor.type === 'CallExpression' || ancestor.type === 'OptionalCallExpression') && ancestor.arguments.includes(child)) {
        return ancestor;
      }
      child = ancestor;
    }
    return undefined;
  }

  /** Why a creation's options can't be read: imported, computed, spread from elsewhere. */
  private unknownOptions(creation: Creation, position: Creation['optionsArg']): string {
    const argument = argumentAt(creation.call, position, this.evaluator);
    const node = argument.node && unwrap(argument.node);
    if (!node) return "its arguments can't be read statically (a spread); set the option where the options are made";
    const importedFrom = (identifier: Node): string | undefined => {
      const binding = this.context.scopes.resolve(identifier);
      const declaration = binding?.kind === 'import' ? binding.declaration : undefined;
      return declaration?.type === 'ImportDeclaration' ? String(declaration.source.value) : undefined;
    };
    if (node.type === 'Identifier') {
      const kind = this.context.scopes.resolve(node)?.kind;
      if (kind === 'let' || kind === 'var') return `its options \`${node.name}\` are held in a variable that may change; set the option where they are made`;
      const from = importedFrom(node);
      return from !== undefined
        ? `its options \`${node.name}\` are imported from '${from}'; set the option where they are made`
        : `its options \`${node.name}\` are not a literal this file can read; set the option where they are made`;
    }
    if (node.type === 'ObjectExpression') {
      for (const property of node.properties) {
        if (property.type !== 'SpreadElement') continue;
        if (this.evaluator.evaluate(property.argument).kind === 'object') continue;
        const argument = unwrap(property.argument);
        const from = argument.type === 'Identifier' ? importedFrom(argument) : undefined;
        const name = this.session.text.slice(property.argument.start, property.argument.end);
        return from !== undefined
          ? `its options spread \`${name}\`, imported from '${from}', which may set the option; set it where that is made`
          : `its options spread \`${name}\`, which this file can't read and which may set the option; set it by hand`;
      }
      return "a value in its options is computed at run time; set the option by hand";
    }
    return 'its options are computed at run time; set the option where they are made';
  }
}

function isWrapper(node: Node): boolean {
  return ['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ParenthesizedExpression'].includes(node.type);
}

function isNullish(node: Node): boolean {
  const inner = unwrap(node);
  return inner.type === 'NullLiteral' || (inner.type === 'Identifier' && inner.name === 'undefined');
}

/** 1500 → "1.5 s", 250 → "250 ms". */
function duration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${Number(ms.toFixed(3))} ms`;
}
