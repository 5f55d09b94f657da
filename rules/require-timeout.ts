import type { TSESTree } from '@typescript-eslint/utils';
import { BLOCKING_COMMANDS, libraryById, SMALLEST_SAFE_BLOCKING_SECONDS, type TimeoutOptionSpec } from '../src/catalog';
import { getRedisAnalysis, poolOptionsOf, poolResourceOf, poolSizeSpecsFor, type RedisValue, type ResolvedTimeout } from '../src/analysis';
import { readSize } from '../src/analysis/pool-sizes';
import { clientOptionsOf, duration } from '../src/analysis/options';
import { bullmqRoleOf } from '../src/analysis/bullmq';
import type { CommandCall } from '../src/analysis/commands';
import { optionWantEdits, onlyThisCreationReads, unreadableOptionsReason, type OptionWant } from '../src/analysis/fix/timeout-options';
import { collectingPlans, fixOf, recordPlan, type FixPlan } from '../src/analysis/plans';
import { commandTimeoutCutsWaits, getTimeoutNeeds, type CommandNeed } from '../src/analysis/timeout-needs';
import { acquireBoundOf, BLOCKING_MARGIN_MS, explicitBound, timeoutsOf, type ValueTimeouts } from '../src/analysis/timeouts';
import { createRule } from '../src/create-rule';

export type NodeRedisCommandTimeoutMode = 'where-settable' | 'always' | 'explicit-only';

export type Options = [
  {
    allowInfiniteBlocking?: boolean;
    nodeRedisCommandTimeout?: NodeRedisCommandTimeoutMode;
    defaults?: { commandTimeout?: number; acquireTimeoutMillis?: number; maxRetriesPerRequest?: number };
  },
];

export type MessageIds =
  | 'missingCommandTimeout'
  | 'missingNodeRedisCommandTimeout'
  | 'noClientWideCommandTimeout'
  | 'commandTimeoutDisabled'
  | 'retriesForever'
  | 'missingAcquireTimeout'
  | 'acquireTimeoutDisabled'
  | 'acquireUnboundable'
  | 'infiniteBlocking'
  | 'nearZeroBlocking'
  | 'commandTimeoutRejectsBlocking'
  | 'socketTimeoutRestartsBlocking'
  | 'socketTimeoutClosesClient'
  | 'addOption'
  | 'setOption';

const DEFAULTS = { commandTimeout: 5000, acquireTimeoutMillis: 5000, maxRetriesPerRequest: libraryById('ioredis').retries!.default };

export default createRule<Options, MessageIds>({
  name: 'require-timeout',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require a bound on every Redis command and pool wait, and timeouts that agree with the blocking commands they cover',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      missingCommandTimeout:
        '{{subject}} has no commandTimeout and no socketTimeout: a command sent on a half-open connection (a failover, a socket dropped without a FIN) waits forever, and so does every command queued behind it. Set {{option}} (ms) where it is created.',
      missingNodeRedisCommandTimeout:
        'This node-redis {{major}} {{kind}} has no commandOptions.timeout and no socket.socketTimeout, and node-redis {{major}} sets none by default: a command issued while Redis is unreachable waits in the offline queue forever. Set commandOptions.timeout (ms); node-redis 6 defaults it to 5000.',
      noClientWideCommandTimeout:
        'node-redis {{major}} has no client-wide command timeout: a command issued on this {{kind}} while Redis is unreachable waits forever. Bound calls with commandOptions({ signal: AbortSignal.timeout(ms) }), or move to node-redis 6, which times commands out after 5000 ms by default.',
      commandTimeoutDisabled:
        '{{option}}: {{value}} turns the command timeout off{{defaultNote}}: a command on this {{library}} {{kind}} issued while Redis is unreachable waits forever. Use a finite timeout in ms.',
      retriesForever:
        'maxRetriesPerRequest: null makes {{library}} retry a command for as long as Redis is unreachable, so its caller never gets an error. Only BullMQ Worker and QueueEvents connections need null, and this client is not handed to one. Set a number ({{library}} defaults to {{defaultRetries}}).',
      missingAcquireTimeout:
        'This generic-pool pool of Redis clients has no acquireTimeoutMillis: once {{capacity}} on loan (or create() keeps failing), acquire() waits forever (generic-pool #175, #183). Set acquireTimeoutMillis (ms).',
      acquireTimeoutDisabled: '{{option}}: {{value}} {{meaning}} Use a finite timeout in ms.',
      acquireUnboundable:
        '{{library}} {{major}} has no acquire timeout and no way to take back a waiting acquire: once {{capacity}} on loan, acquire() waits forever and every caller queues behind it. Start a timer around acquire() and give up when it fires (releasing a client that arrives later at once), or move to {{upgrade}}.',
      infiniteBlocking:
        '{{command}} with timeout 0 waits forever: if nothing arrives, or the connection goes half-open, this call never returns and the connection serves nothing else meanwhile. Pass a finite timeout ({{unit}}) and loop on an empty reply.',
      nearZeroBlocking:
        '{{command}} timeout {{value}} s is under 0.002 s: Redis servers before 7.0.8 read it as 0 and wait forever (redis/redis#11688). Use 0.002 s or more.',
      commandTimeoutRejectsBlocking:
        "commandTimeout {{limit}} ms on this client rejects {{command}}'s {{wait}} while the server keeps the connection parked (ioredis #1630): the call fails after {{limitHuman}}, and what the server answers later (for a pop, the element it removed) is thrown away. Block for less than commandTimeout, or use a dedicated client without it.",
      socketTimeoutRestartsBlocking:
        "socketTimeout {{limit}} ms on this client destroys the socket during {{command}}'s {{wait}}, since no data arrives while the server holds the call; ioredis then reconnects and sends it again, so the call never completes. Block for less than socketTimeout, or use a dedicated client without it.",
      socketTimeoutClosesClient:
        "socket.socketTimeout {{limit}} ms on this client fires during {{command}}'s {{wait}}, since the socket is idle while the server holds the call: the call rejects with SocketTimeoutError and, with the default reconnectStrategy, the client closes for good. Block for less than socketTimeout, or use a dedicated client without it.",
      addOption: 'Add `{{option}}: {{value}}`.',
      setOption: 'Set `{{option}}` to {{value}}.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowInfiniteBlocking: {
            type: 'boolean',
            description:
              'Allow blocking commands with timeout 0 (wait forever). Timeouts under 0.002 s are still reported: nobody means "forever" by them.',
          },
          nodeRedisCommandTimeout: {
            type: 'string',
            enum: ['where-settable', 'always', 'explicit-only'],
            description:
              "Which node-redis clients to report for commands that can wait forever. 'where-settable': clients with no command timeout on a major that has a client-wide option for one (5: commandOptions.timeout or socket.socketTimeout; 6 bounds commands by default), plus explicit values that turn it off. 'always': also node-redis 4 clients, which have no such option. 'explicit-only': only explicit values that turn it off.",
          },
          defaults: {
            type: 'object',
            additionalProperties: false,
            description: 'Values the suggestions write.',
            properties: {
              commandTimeout: {
                type: 'integer',
                minimum: 1,
                description: 'ms for ioredis/iovalkey commandTimeout and node-redis commandOptions.timeout.',
              },
              acquireTimeoutMillis: {
                type: 'integer',
                minimum: 1,
                description: 'ms for generic-pool acquireTimeoutMillis and node-redis pool acquireTimeout.',
              },
              maxRetriesPerRequest: {
                type: 'integer',
                minimum: 0,
                description: 'Replaces maxRetriesPerRequest: null on clients that are not BullMQ blocking connections.',
              },
            },
          },
        },
      },
    ],
    defaultOptions: [{ allowInfiniteBlocking: false, nodeRedisCommandTimeout: 'where-settable', defaults: DEFAULTS }],
  },
  create(context, [options]) {
    const analysis = getRedisAnalysis(context);
    // A file that can hold no Redis value has nothing to check: no listeners at all.
    if (!analysis.origins.mayHoldValues()) return {};
    const needs = getTimeoutNeeds(analysis);
    const text = context.sourceCode.text;
    const allowInfiniteBlocking = options.allowInfiniteBlocking ?? false;
    const nodeRedisMode = options.nodeRedisCommandTimeout ?? 'where-settable';
    const defaults = { ...DEFAULTS, ...options.defaults };
    // A bad value shared by several creations is reported once.
    const reportedProperties = new Set<TSESTree.Node>();
    // Creations are checked at the end of the file, once every blocking call on them is known.
    const creations: (TSESTree.CallExpression | TSESTree.NewExpression)[] = [];
    const findings: Finding[] = [];

    function onCreation(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const found = analysis.origins.valueOrPromised(node);
      if (!found || found.creation !== node || found.how === 'type' || !found.call) return;
      const value = found as Created;
      // monitor() and the like make connections that take no options of their own.
      if (value.how === 'method' && value.optionsArg === undefined) return;
      const timeouts = timeoutsOf(value, analysis);
      if (!timeouts) return;
      // Connections a queue blocks on (or may) keep what the queue needs (see bullmqRoleOf).
      if (bullmqRoleOf(value, analysis) !== 'none') return;
      checkRetries(value);
      checkAcquire(value, timeouts);
      checkCommands(value, timeouts);
    }

    function checkRetries(value: Created): void {
      const spec = value.library.retries;
      if (!spec || (value.kind !== 'client' && value.kind !== 'cluster')) return;
      const retries = clientOptionsOf(value, analysis.evaluator).get(spec.optionPath);
      if (retries.status !== 'present' || !retries.property || retries.value.kind !== 'primitive' || retries.value.value !== null) return;
      if (!onlyThisCreationReads(retries.property, value.call, analysis) || !firstReport(retries.property)) return;
      findings.push({
        node: retries.property,
        messageId: 'retriesForever',
        data: { library: value.library.displayName, defaultRetries: spec.default },
        kind: 'retries',
        value,
        fix: { value, position: 'options', path: spec.optionPath, amount: defaults.maxRetriesPerRequest, property: retries.property },
      });
    }

    function checkAcquire(value: Created, timeouts: ValueTimeouts): void {
      const unboundable = value.kind === 'pool' ? value.library.values.pool?.acquireWaitsForever : undefined;
      if (unboundable) {
        checkUnboundableAcquire(value, unboundable.upgrade);
        return;
      }
      const spec = timeouts.pool.acquire?.spec;
      // A pool of database connections or sockets is not this plugin's business; an unknown resource stays unknown.
      if (!spec || value.kind !== 'pool' || poolResourceOf(value, analysis.origins, analysis.evaluator) !== 'redis') return;
      const acquire = acquireBoundOf(timeouts);
      if (acquire.state === 'unknown') {
        // Options we can't read most likely keep a default bound; without one they may leave none.
        if (spec.defaultMs === null) skipOnly(value, 'acquire-timeout', unreadableOptionsReason(value, value.poolOptionsArg, analysis));
        return;
      }
      if (acquire.state !== 'unbounded') return;
      const capacity = capacityOf(value, spec.defaultMs === null ? 'resources' : 'clients');
      const disabled = acquire.disabledBy;
      if (disabled) {
        if (!disabled.property) return;
        findings.push({
          node: disabled.property,
          messageId: 'acquireTimeoutDisabled',
          data: {
            option: spec.path.join('.'),
            value: literalText(disabled),
            meaning:
              spec.defaultMs === null
                ? `counts as unset in ${value.library.displayName}: once ${capacity} on loan, acquire() waits forever.`
                : `means wait forever in ${value.library.displayName}: once ${capacity} busy, a command on this pool waits for a free client forever (left unset it would be ${spec.defaultMs} ms).`,
          },
          silent: !firstReport(disabled.property),
          kind: 'acquire-timeout',
          value,
          fix: { value, position: 'poolOptions', path: spec.path, amount: defaults.acquireTimeoutMillis, property: disabled.property },
        });
        return;
      }
      findings.push({
        node: value.call,
        messageId: 'missingAcquireTimeout',
        data: { capacity },
        kind: 'acquire-timeout',
        value,
        fix: { value, position: 'poolOptions', path: spec.path, amount: defaults.acquireTimeoutMillis, property: undefined },
      });
    }

    /** A pool whose major has nothing that bounds an acquire: no option to suggest (see the catalog). */
    function checkUnboundableAcquire(value: Created, upgrade: string): void {
      if (poolResourceOf(value, analysis.origins, analysis.evaluator) !== 'redis') return;
      const major = analysis.versions.major(value.library) ?? value.library.latestMajor;
      findings.push({
        node: value.call,
        messageId: 'acquireUnboundable',
        data: { library: value.library.displayName, major, capacity: capacityOf(value, 'clients'), upgrade },
        kind: 'acquire-timeout',
        value,
        fix: `${value.library.displayName} ${major} has no option that bounds acquire(): bound it by hand or move to ${upgrade}`,
      });
    }

    function checkCommands(value: Created, timeouts: ValueTimeouts): void {
      const need = needs.commandNeed(value);
      if (!need) return;
      const spec = timeouts.client.command?.spec;
      const byMajor = value.library.commandBoundByMajor === true;
      const major = analysis.versions.major(value.library) ?? value.library.latestMajor;
      const kind = value.how === 'method' ? 'duplicate' : value.kind;
      switch (need.type) {
        case 'unknown':
          // Where the major bounds commands by default, options we can't read most likely keep that bound.
          if (spec?.defaultMs === null && madeInThisFile(value)) {
            skipOnly(value, 'command-timeout', unreadableOptionsReason(value, value.optionsArg, analysis));
          }
          return;
        case 'no-option':
          if (byMajor && nodeRedisMode === 'always' && !needs.sourceCarriesNeed(value)) {
            findings.push({ node: value.call, messageId: 'noClientWideCommandTimeout', data: { major, kind }, kind: 'command-timeout', value, fix: undefined });
          }
          return;
        case 'disabled':
          reportDisabledCommandTimeout(value, need, kind);
          return;
        case 'missing':
          break;
      }
      if (!spec || needs.sourceCarriesNeed(value)) return;
      if (byMajor) {
        if (nodeRedisMode === 'explicit-only') return;
        findings.push({ node: value.call, messageId: 'missingNodeRedisCommandTimeout', data: { major, kind }, kind: 'command-timeout', ...commandFix(value, spec, undefined) });
        return;
      }
      // Any commandTimeout (and any socketTimeout) cuts an endless wait short: a client allowed
      // to wait forever may not have one.
      if (allowInfiniteBlocking && needs.waitsOf(value).waitsForeverItself) return;
      const path = commandPath(value, spec);
      findings.push({
        node: value.call,
        messageId: 'missingCommandTimeout',
        data: {
          subject:
            value.how === 'method'
              ? `This ${value.library.displayName} duplicate (it inherits its source's options)`
              : `This ${value.library.displayName} ${value.kind}`,
          option: path.join('.'),
        },
        kind: 'command-timeout',
        ...commandFix(value, spec, undefined),
      });
    }

    function reportDisabledCommandTimeout(value: Created, need: Extract<CommandNeed, { type: 'disabled' }>, kind: string): void {
      const timeout = need.timeout;
      const property = timeout.property;
      if (!property) return;
      // Options shared with a client a queue may block on are left alone (see bullmqRoleOf).
      if (value.library.queueConnection && !onlyThisCreationReads(property, value.call, analysis)) return;
      findings.push({
        node: property,
        messageId: 'commandTimeoutDisabled',
        data: {
          option: timeout.spec.path.join('.'),
          value: literalText(timeout),
          defaultNote: timeout.spec.defaultMs === null ? '' : ` (left unset it would be ${timeout.spec.defaultMs} ms)`,
          library: value.library.displayName,
          kind,
        },
        silent: !firstReport(property),
        kind: 'command-timeout',
        ...commandFix(value, timeout.spec, property),
      });
    }

    /** The commandTimeout to write: longer than every finite wait the client serves, or why none is safe. */
    function commandFix(value: Created, spec: TimeoutOptionSpec, property: TSESTree.Property | undefined): Pick<Finding, 'value' | 'fix' | 'note'> {
      const path = property ? spec.path : commandPath(value, spec);
      let amount = defaults.commandTimeout;
      let note = '';
      if (commandTimeoutCutsWaits(value.library)) {
        const waits = needs.waitsOf(value);
        if (waits.open) {
          const what = waits.open.forever ? 'with timeout 0 (it waits forever)' : "with a timeout this file can't read";
          return {
            value,
            fix: `it serves ${waits.open.command} ${what} at line ${waits.open.call.loc.start.line}, which any commandTimeout would reject; move blocking calls to a dedicated client first (dedicated-blocking-client)`,
          };
        }
        const hidden = needs.hiddenDuplicateOf(value);
        if (hidden) {
          return {
            value,
            fix: `its duplicate at line ${hidden.creation.loc.start.line} would inherit commandTimeout and is used outside this file, perhaps for blocking commands; give that duplicate its own commandTimeout first`,
          };
        }
        if (waits.longest > 0) {
          amount = Math.max(defaults.commandTimeout, waits.longest + BLOCKING_MARGIN_MS);
          if (amount > defaults.commandTimeout) note = ` (longer than the ${duration(waits.longest)} ${waits.longestAt!.command} at line ${waits.longestAt!.call.loc.start.line})`;
        }
      }
      return { value, fix: { value, position: 'options', path, amount, property }, note };
    }

    function skipOnly(value: Created, kind: PlanKind, reason: string): void {
      if (collectingPlans()) findings.push({ node: value.call, messageId: 'addOption', data: {}, silent: true, kind, value, fix: reason });
    }

    function checkBlocking(node: TSESTree.CallExpression): void {
      const command = analysis.commands.classify(node);
      if (command?.type !== 'blocking') return;
      const { value, ms } = command.timeout;
      if (value === undefined || ms === undefined || value < 0 || !Number.isFinite(value)) return;
      const unit = BLOCKING_COMMANDS[command.command]?.unit ?? 'ms';
      const timeouts = timeoutsOf(command.receiver, analysis);
      // ioredis >= 5.9.1 `blockingTimeout`: the client resolves an endless wait with null on its own.
      const blockingTimeout = explicitBound(timeouts?.client['blocking-command'])?.ms;
      const forever = value === 0 && !blockingTimeout;
      if (timeouts && reportConflict(command, timeouts, value === 0 ? (blockingTimeout ?? 0) : ms, forever)) return;
      if (unit === 's' && value > 0 && value < SMALLEST_SAFE_BLOCKING_SECONDS) {
        context.report({ node, messageId: 'nearZeroBlocking', data: { command: command.command, value } });
        return;
      }
      if (!forever || allowInfiniteBlocking) return;
      context.report({ node, messageId: 'infiniteBlocking', data: { command: command.command, unit: unit === 's' ? 'seconds' : 'ms' } });
    }

    /** A client timeout that fires before the blocking command's own wait ends. */
    function reportConflict(command: Extract<CommandCall, { type: 'blocking' }>, timeouts: ValueTimeouts, waitMs: number, forever: boolean): boolean {
      // The timer that fires first decides what happens to the call.
      let first: (ResolvedTimeout & { state: 'bounded' }) | undefined;
      for (const timeout of [timeouts.client.command, timeouts.client['socket-idle']]) {
        const bound = explicitBound(timeout);
        if (!bound?.spec.blockingWaitCut || !(forever || bound.ms <= waitMs)) continue;
        if (!first || bound.ms < first.ms) first = bound;
      }
      if (!first) return false;
      context.report({
        node: command.call,
        messageId: CUT_MESSAGES[first.spec.blockingWaitCut!],
        data: {
          limit: first.ms,
          limitHuman: duration(first.ms),
          command: command.command,
          wait: forever ? 'endless wait (timeout 0)' : `${duration(waitMs)} wait`,
        },
      });
      return true;
    }

    function firstReport(property: TSESTree.Node): boolean {
      if (reportedProperties.has(property)) return false;
      reportedProperties.add(property);
      return true;
    }

    /** "its 10 resources are", from the pool's static max or the library default. */
    function capacityOf(value: RedisValue, noun: 'resources' | 'clients'): string {
      const spec = poolSizeSpecsFor(value, analysis.versions).find((s) => s.role === 'max');
      const reading = spec && readSize(poolOptionsOf(value, analysis.evaluator), spec);
      const max = reading?.written ?? reading?.effective;
      if (max === undefined || !Number.isFinite(max) || max < 1) return `every ${noun.slice(0, -1)} is`;
      const fromDefault = reading!.source === 'default' ? ` (${value.library.displayName}'s default max)` : '';
      return max === 1 ? `its one ${noun.slice(0, -1)}${fromDefault} is` : `all ${max} ${noun}${fromDefault} are`;
    }

    /** Reports every finding with the plan that fixes it as its suggestion, and records the plans. */
    function reportAll(): void {
      const wants = findings.flatMap((finding) => (typeof finding.fix === 'object' ? [finding.fix] : []));
      for (const finding of findings) {
        const plan = planOf(finding, wants);
        if (plan) recordPlan(plan);
        if (finding.silent) continue;
        const want = typeof finding.fix === 'object' ? finding.fix : undefined;
        context.report({
          node: finding.node,
          messageId: finding.messageId,
          data: finding.data,
          suggest:
            plan?.type === 'rewrite' && want
              ? [{ messageId: want.property ? 'setOption' : 'addOption', data: { option: want.path.join('.'), value: want.amount }, fix: fixOf(plan.edits, text) }]
              : [],
        });
      }
    }

    function planOf(finding: Finding, wants: readonly OptionWant[]): FixPlan | undefined {
      if (finding.fix === undefined) return undefined;
      const base = { rule: 'require-timeout', kind: finding.kind, ...finding.value.call.loc.start };
      const edits = typeof finding.fix === 'string' ? finding.fix : optionWantEdits(finding.fix, wants, analysis);
      if (typeof edits === 'string') return { ...base, type: 'skip', reason: edits };
      const want = finding.fix as OptionWant;
      return { ...base, type: 'rewrite', edits, description: `${want.property ? 'set' : 'added'} ${want.path.join('.')}: ${want.amount}${finding.note ?? ''}` };
    }

    return {
      CallExpression(node) {
        creations.push(node);
        checkBlocking(node);
      },
      NewExpression(node) {
        creations.push(node);
      },
      'Program:exit'() {
        for (const node of creations) onCreation(node);
        reportAll();
      },
    };
  },
});

type Created = RedisValue & { call: TSESTree.CallExpression | TSESTree.NewExpression };
type PlanKind = 'command-timeout' | 'acquire-timeout' | 'retries';

interface Finding {
  node: TSESTree.Node;
  messageId: MessageIds;
  data: Record<string, string | number>;
  /** Planned (for the codemod) but not reported: a value already reported, or options we can't read. */
  silent?: boolean;
  kind: PlanKind;
  /** The creation the plan is for: plans sit at its call. */
  value: Created;
  /** The option it needs, why none can be written safely, or undefined when there is nothing to write. */
  fix: OptionWant | string | undefined;
  /** What the plan's description adds: why the value is longer than the default. */
  note?: string;
}

const CUT_MESSAGES: Record<NonNullable<TimeoutOptionSpec['blockingWaitCut']>, MessageIds> = {
  'rejects-call': 'commandTimeoutRejectsBlocking',
  'resends-call': 'socketTimeoutRestartsBlocking',
  'closes-client': 'socketTimeoutClosesClient',
};

/** Where a command timeout is written: a cluster of some libraries takes it only per node. */
function commandPath(value: RedisValue, spec: TimeoutOptionSpec): string[] {
  return value.nodeOptionsKey && value.library.clusterTimeoutsPerNode ? [value.nodeOptionsKey, ...spec.path] : spec.path;
}

/** A duplicate of a client made elsewhere (or known only by its type): where that client is made decides. */
function madeInThisFile(value: RedisValue): boolean {
  for (let current: RedisValue | undefined = value; current; current = current.inheritsFrom) {
    if (!current.call || current.how === 'type') return false;
  }
  return true;
}

/** The value as written in the options (`0`, `null`). */
function literalText(timeout: ResolvedTimeout & { state: 'unbounded' }): string {
  const value = timeout.value;
  if (value?.kind !== 'primitive') return 'unset';
  return typeof value.value === 'string' ? `'${value.value}'` : String(value.value);
}
