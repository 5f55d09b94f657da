import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { BLOCKING_COMMANDS, libraryById, SMALLEST_SAFE_BLOCKING_SECONDS, type OptionsPosition } from '../src/catalog';
import {
  argumentAt,
  clientOptionsOf,
  findVariableFor,
  getRedisAnalysis,
  isExported,
  lookupOption,
  poolOptionsOf,
  poolResourceOf,
  poolSizeSpecsFor,
  singleAssignedValue,
  staticPropertyName,
  toNumber,
  unwrapExpression,
  type CommandCall,
  type RedisValue,
  type ResolvedTimeout,
} from '../src/analysis';
import { bullmqRoleOf } from '../src/analysis/bullmq';
import { acquireBoundOf, BLOCKING_MARGIN_MS, commandBoundOf, explicitBound, timeoutsOf, type ValueTimeouts } from '../src/analysis/timeouts';
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
  defaultOptions: [{ allowInfiniteBlocking: false, nodeRedisCommandTimeout: 'where-settable', defaults: DEFAULTS }],
  create(context, [options]) {
    const analysis = getRedisAnalysis(context);
    const { sourceCode } = context;
    const allowInfiniteBlocking = options.allowInfiniteBlocking ?? false;
    const nodeRedisMode = options.nodeRedisCommandTimeout ?? 'where-settable';
    const defaults = { ...DEFAULTS, ...options.defaults };
    // A bad value shared by several creations is reported once.
    const reportedProperties = new Set<TSESTree.Node>();
    const needs = new Map<TSESTree.Node, CommandNeed | undefined>();
    // Creations are checked at the end of the file, once every blocking call on them is known.
    const creations: (TSESTree.CallExpression | TSESTree.NewExpression)[] = [];
    // The longest finite blocking wait (ms) each ioredis client serves, itself or through a
    // duplicate that inherits its commandTimeout.
    const longestWait = new Map<TSESTree.Node, number>();
    // Clients that make a blocking call with timeout 0 themselves (what an ioredis commandTimeout would cut short).
    const endlessWaiters = new Set<TSESTree.Node>();

    function onCreation(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const value = analysis.origins.valueOrPromised(node);
      if (!value || value.creation !== node || value.how === 'type' || !value.call) return;
      // monitor() and the like make connections that take no options of their own.
      if (value.how === 'method' && value.optionsArg === undefined) return;
      switch (value.library.id) {
        case 'ioredis':
        case 'iovalkey':
          if (value.kind === 'client' || value.kind === 'cluster') checkIoredisClient(value);
          break;
        case 'node-redis':
          checkNodeRedis(value);
          break;
        case 'generic-pool':
          if (value.kind === 'pool') checkGenericPool(value);
          break;
        default:
          // tarn bounds acquire by default (30 s; an explicit 0 makes the constructor throw); glide's requestTimeout
          // defaults to 250 ms (0 also means the default). Neither can leave a wait unbounded.
          break;
      }
    }

    function checkIoredisClient(value: RedisValue): void {
      if (bullmqRoleOf(value, analysis) !== 'none') return;
      const retrySpec = value.library.retries;
      const retries = retrySpec ? clientOptionsOf(value, analysis.evaluator).get(retrySpec.optionPath) : { status: 'absent' as const };
      if (
        retrySpec &&
        retries.status === 'present' &&
        retries.property &&
        retries.value.kind === 'primitive' &&
        retries.value.value === null &&
        ownsProperty(retries.property, value) &&
        firstReport(retries.property)
      ) {
        const property = retries.property;
        context.report({
          node: property,
          messageId: 'retriesForever',
          data: { library: value.library.displayName, defaultRetries: retrySpec.default },
          suggest: [
            {
              messageId: 'setOption',
              data: { option: 'maxRetriesPerRequest', value: defaults.maxRetriesPerRequest },
              fix: (fixer) => setValue(fixer, property, String(defaults.maxRetriesPerRequest)),
            },
          ],
        });
      }
      const need = commandNeed(value);
      if (!need) return;
      if (need.type === 'disabled') {
        reportDisabledCommandTimeout(value, need.timeout);
        return;
      }
      if (sourceCarriesReport(value)) return;
      const path = value.nodeOptionsKey ? [value.nodeOptionsKey, 'commandTimeout'] : ['commandTimeout'];
      // A commandTimeout no longer than a blocking wait on this client would reject that call.
      const wait = longestWait.get(value.creation);
      // Any commandTimeout (and any socketTimeout) cuts an endless wait short: a client allowed
      // to wait forever may not have one, and no suggestion writes one that would.
      if (allowInfiniteBlocking && endlessWaiters.has(value.creation)) return;
      const suggested =
        wait === undefined ? defaults.commandTimeout : Math.max(defaults.commandTimeout, wait + BLOCKING_MARGIN_MS);
      context.report({
        node: value.call!,
        messageId: 'missingCommandTimeout',
        data: {
          subject:
            value.how === 'method'
              ? `This ${value.library.displayName} duplicate (it inherits its source's options)`
              : `This ${value.library.displayName} ${value.kind}`,
          option: path.join('.'),
        },
        suggest: Number.isFinite(suggested) ? addOptionSuggestion(value, value.optionsArg, path, suggested) : [],
      });
    }

    function checkNodeRedis(value: RedisValue): void {
      if (bullmqRoleOf(value, analysis) === 'blocking-connection') return;
      const timeouts = timeoutsOf(value, analysis);
      if (!timeouts) return;
      if (value.kind === 'pool') {
        const acquire = acquireBoundOf(timeouts);
        if (acquire.state === 'unbounded' && acquire.disabledBy?.property && firstReport(acquire.disabledBy.property)) {
          reportDisabledAcquire(acquire.disabledBy, capacityOf(value, 'clients'), true);
        }
      }
      const need = commandNeed(value);
      if (!need) return;
      if (need.type === 'disabled') {
        reportDisabledCommandTimeout(value, need.timeout);
        return;
      }
      const major = analysis.versions.major(value.library) ?? value.library.latestMajor;
      const kind = value.how === 'method' ? 'duplicate' : value.kind;
      if (need.type === 'no-option') {
        if (nodeRedisMode !== 'always' || sourceCarriesReport(value)) return;
        context.report({ node: value.call!, messageId: 'noClientWideCommandTimeout', data: { major, kind } });
        return;
      }
      if (nodeRedisMode === 'explicit-only' || sourceCarriesReport(value)) return;
      context.report({
        node: value.call!,
        messageId: 'missingNodeRedisCommandTimeout',
        data: { major, kind },
        suggest: addOptionSuggestion(value, value.optionsArg, ['commandOptions', 'timeout'], defaults.commandTimeout),
      });
    }

    function checkGenericPool(value: RedisValue): void {
      // A pool of database connections or sockets is not this plugin's business; an unknown
      // resource stays unknown.
      if (poolResourceOf(value, analysis.origins, analysis.evaluator) !== 'redis') return;
      const timeouts = timeoutsOf(value, analysis);
      if (!timeouts) return;
      const acquire = acquireBoundOf(timeouts);
      if (acquire.state !== 'unbounded') return;
      const capacity = capacityOf(value, 'resources');
      if (acquire.disabledBy) {
        if (acquire.disabledBy.property && firstReport(acquire.disabledBy.property)) {
          reportDisabledAcquire(acquire.disabledBy, capacity, false);
        }
        return;
      }
      context.report({
        node: value.call!,
        messageId: 'missingAcquireTimeout',
        data: { capacity },
        suggest: addOptionSuggestion(value, value.poolOptionsArg, ['acquireTimeoutMillis'], defaults.acquireTimeoutMillis),
      });
    }

    function reportDisabledCommandTimeout(value: RedisValue, timeout: ResolvedTimeout & { state: 'unbounded' }): void {
      const property = timeout.property;
      if (!property) return;
      // Options shared with a client BullMQ may block on are left alone (see bullmqRoleOf).
      const ioredisFamily = value.library.id === 'ioredis' || value.library.id === 'iovalkey';
      if ((ioredisFamily && !ownsProperty(property, value)) || !firstReport(property)) return;
      context.report({
        node: property,
        messageId: 'commandTimeoutDisabled',
        data: {
          option: timeout.spec.path.join('.'),
          value: literalText(timeout),
          defaultNote:
            timeout.spec.defaultMs === null ? '' : ` (left unset it would be ${timeout.spec.defaultMs} ms)`,
          library: value.library.displayName,
          kind: value.how === 'method' ? 'duplicate' : value.kind,
        },
        suggest: [
          {
            messageId: 'setOption',
            data: { option: timeout.spec.path.join('.'), value: defaults.commandTimeout },
            fix: (fixer) => setValue(fixer, property, String(defaults.commandTimeout)),
          },
        ],
      });
    }

    function reportDisabledAcquire(
      timeout: ResolvedTimeout & { state: 'unbounded' },
      capacity: string,
      nodeRedis: boolean,
    ): void {
      const property = timeout.property!;
      const option = timeout.spec.path.join('.');
      context.report({
        node: property,
        messageId: 'acquireTimeoutDisabled',
        data: {
          option,
          value: literalText(timeout),
          meaning: nodeRedis
            ? `means wait forever in node-redis: once ${capacity} busy, a command on this pool waits for a free client forever (left unset it would be ${timeout.spec.defaultMs} ms).`
            : `counts as unset in generic-pool: once ${capacity} on loan, acquire() waits forever.`,
        },
        suggest: [
          {
            messageId: 'setOption',
            data: { option, value: defaults.acquireTimeoutMillis },
            fix: (fixer) => setValue(fixer, property, String(defaults.acquireTimeoutMillis)),
          },
        ],
      });
    }

    /** What a client lacks to bound its commands, memoised per creation. */
    function commandNeed(value: RedisValue): CommandNeed | undefined {
      if (needs.has(value.creation)) return needs.get(value.creation);
      needs.set(value.creation, undefined);
      const need = computeCommandNeed(value);
      needs.set(value.creation, need);
      return need;
    }

    function computeCommandNeed(value: RedisValue): CommandNeed | undefined {
      if (value.how === 'type' || !value.call || bullmqRoleOf(value, analysis) !== 'none') return undefined;
      const timeouts = timeoutsOf(value, analysis);
      if (!timeouts) return undefined;
      const bound = commandBoundOf(timeouts);
      if (bound.state === 'no-option') return { type: 'no-option' };
      if (bound.state !== 'unbounded') return undefined;
      return bound.disabledBy ? { type: 'disabled', timeout: bound.disabledBy } : { type: 'missing' };
    }

    /** A duplicate lacks a bound because its source does: the source's report covers both. */
    function sourceCarriesReport(value: RedisValue): boolean {
      for (let source = value.inheritsFrom; source; source = source.inheritsFrom) {
        if (commandNeed(source)) return true;
      }
      return false;
    }

    function checkBlocking(node: TSESTree.CallExpression): void {
      const command = analysis.commands.classify(node);
      if (command?.type !== 'blocking') return;
      const { value, ms } = command.timeout;
      if (value === undefined || ms === undefined || value < 0 || !Number.isFinite(value)) return;
      const unit = BLOCKING_COMMANDS[command.command]?.unit ?? 'ms';
      const forever = value === 0;
      const timeouts = timeoutsOf(command.receiver, analysis);
      // An endless wait lasts until ioredis's blockingTimeout, if one is set.
      const waitMs = forever ? (explicitBound(timeouts?.client['blocking-command'])?.ms || Infinity) : ms;
      recordWait(command.receiver, waitMs);
      if (waitMs === Infinity) endlessWaiters.add(command.receiver.creation);
      if (timeouts && reportConflict(command, timeouts, ms, forever)) return;
      if (unit === 's' && value > 0 && value < SMALLEST_SAFE_BLOCKING_SECONDS) {
        context.report({ node, messageId: 'nearZeroBlocking', data: { command: command.command, value } });
        return;
      }
      if (!forever || allowInfiniteBlocking) return;
      // ioredis >= 5.9.1 `blockingTimeout`: the client resolves the wait with null on its own.
      if (explicitBound(timeouts?.client['blocking-command'])?.ms) return;
      context.report({
        node,
        messageId: 'infiniteBlocking',
        data: { command: command.command, unit: unit === 's' ? 'seconds' : 'ms' },
      });
    }

    /** A client timeout that fires before the blocking command's own wait ends. */
    function reportConflict(
      command: Extract<CommandCall, { type: 'blocking' }>,
      timeouts: ValueTimeouts,
      waitMs: number,
      forever: boolean,
    ): boolean {
      const library = command.receiver.library.id;
      const fires = (timeout: ResolvedTimeout | undefined) => {
        const bound = explicitBound(timeout);
        return bound && (forever || bound.ms <= waitMs) ? bound : undefined;
      };
      let conflict: { timeout: ResolvedTimeout & { state: 'bounded' }; messageId: MessageIds } | undefined;
      if (library === 'ioredis' || library === 'iovalkey') {
        const commandTimeout = fires(timeouts.client.command);
        const socketTimeout = fires(timeouts.client['socket-idle']);
        if (commandTimeout && (!socketTimeout || commandTimeout.ms <= socketTimeout.ms)) {
          conflict = { timeout: commandTimeout, messageId: 'commandTimeoutRejectsBlocking' };
        } else if (socketTimeout) {
          conflict = { timeout: socketTimeout, messageId: 'socketTimeoutRestartsBlocking' };
        }
      } else if (library === 'node-redis') {
        const socketTimeout = fires(timeouts.client['socket-idle']);
        if (socketTimeout) conflict = { timeout: socketTimeout, messageId: 'socketTimeoutClosesClient' };
      }
      if (!conflict) return false;
      context.report({
        node: command.call,
        messageId: conflict.messageId,
        data: {
          limit: conflict.timeout.ms,
          limitHuman: duration(conflict.timeout.ms),
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

    /** The property sits in options only this creation reads: inline, or a same-file constant used once, here. */
    function ownsProperty(property: TSESTree.Property, value: RedisValue): boolean {
      let object: TSESTree.Node = property.parent;
      while (object.parent?.type === AST_NODE_TYPES.Property && object.parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
        object = object.parent.parent;
      }
      const call = value.call!;
      if (withinArguments(object, call)) return true;
      const declarator = skipToDeclarator(object);
      if (!declarator || declarator.id.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = findVariableFor(sourceCode, declarator.id);
      if (!variable || isExported(variable, sourceCode)) return false;
      const reads = variable.references.filter((reference) => !reference.init && reference.isRead());
      return reads.length === 1 && withinArguments(reads[0]!.identifier, call);
    }

    /** A suggestion that writes `path: number` into the options at `position`, when there is a safe place. */
    function addOptionSuggestion(
      value: RedisValue,
      position: OptionsPosition | undefined,
      path: string[],
      amount: number,
    ): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const fix = addOptionFix(value, position, path, String(amount));
      return fix ? [{ messageId: 'addOption', data: { option: path.join('.'), value: amount }, fix }] : [];
    }

    function addOptionFix(
      value: RedisValue,
      position: OptionsPosition | undefined,
      path: string[],
      text: string,
    ): TSESLint.ReportFixFunction | undefined {
      const call = value.call!;
      // An override that sets a nested object replaces the source's whole object: only safe when
      // the source has none. ioredis merges a cluster's redisOptions one level deep.
      const mergedDeeper = path[0] === value.nodeOptionsKey && value.library.id !== 'node-redis';
      if (value.inheritsFrom && path.length > 1 && !mergedDeeper) {
        if (clientOptionsOf(value.inheritsFrom, analysis.evaluator).get([path[0]!]).status !== 'absent') return undefined;
      }
      const argument = argumentAt(call, position, analysis.evaluator);
      if (argument.status === 'unknown') return undefined;
      if (argument.status === 'absent' || !argument.node) {
        const args = call.arguments;
        const fits =
          typeof position === 'number'
            ? args.length === position
            : args.length <= 2 && args.every((arg) => !isNullish(arg));
        if (!fits) return undefined;
        return (fixer) => appendArgument(fixer, call, `{ ${propertyText(path, text)} }`);
      }
      const object = ownedObject(argument.node, call);
      if (!object) return undefined;
      return writePath(object, path, text);
    }

    /** The object literal an options argument is: written inline, or a same-file constant read only here. */
    function ownedObject(node: TSESTree.Node, call: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.ObjectExpression | undefined {
      const inner = unwrapExpression(node);
      if (inner.type === AST_NODE_TYPES.ObjectExpression) return inner;
      if (inner.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = findVariableFor(sourceCode, inner);
      if (!variable || isExported(variable, sourceCode)) return undefined;
      const init = singleAssignedValue(variable);
      const object = init && unwrapExpression(init);
      if (object?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
      const reads = variable.references.filter((reference) => !reference.init && reference.isRead());
      return reads.length === 1 && withinArguments(reads[0]!.identifier, call) ? object : undefined;
    }

    function writePath(object: TSESTree.ObjectExpression, path: string[], text: string): TSESLint.ReportFixFunction | undefined {
      const [key, ...rest] = path;
      if (key === undefined) return undefined;
      const property = object.properties.find(
        (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && staticPropertyName(p) === key,
      );
      if (rest.length === 0) {
        return property ? (fixer) => setValue(fixer, property, text) : (fixer) => insertProperty(fixer, object, `${key}: ${text}`);
      }
      if (property) {
        const inner = unwrapExpression(property.value);
        return inner.type === AST_NODE_TYPES.ObjectExpression ? writePath(inner, rest, text) : undefined;
      }
      // A spread may already bring this key; writing it here would replace that whole object.
      const evaluated = analysis.evaluator.evaluate(object);
      if (evaluated.kind !== 'object' || evaluated.properties.has(key)) return undefined;
      return (fixer) => insertProperty(fixer, object, `${key}: { ${propertyText(rest, text)} }`);
    }

    function insertProperty(fixer: TSESLint.RuleFixer, object: TSESTree.ObjectExpression, text: string): TSESLint.RuleFix {
      const last = object.properties[object.properties.length - 1];
      if (!last) return fixer.replaceText(object, `{ ${text} }`);
      const after = sourceCode.getTokenAfter(last);
      const comma = after?.value === ',' ? after : undefined;
      if (last.loc.start.line !== object.loc.start.line) {
        const indent = /^\s*/.exec(sourceCode.lines[last.loc.start.line - 1] ?? '')?.[0] ?? '';
        return comma ? fixer.insertTextAfter(comma, `\n${indent}${text},`) : fixer.insertTextAfter(last, `,\n${indent}${text}`);
      }
      return comma ? fixer.insertTextAfter(comma, ` ${text},`) : fixer.insertTextAfter(last, `, ${text}`);
    }

    function appendArgument(
      fixer: TSESLint.RuleFixer,
      call: TSESTree.CallExpression | TSESTree.NewExpression,
      text: string,
    ): TSESLint.RuleFix {
      const last = call.arguments[call.arguments.length - 1];
      if (last) {
        const after = sourceCode.getTokenAfter(last);
        return after?.value === ',' ? fixer.insertTextAfter(after, ` ${text}`) : fixer.insertTextAfter(last, `, ${text}`);
      }
      const closing = sourceCode.getLastToken(call);
      // `new Redis` without parentheses.
      if (!closing || closing.value !== ')' || closing.range[1] <= call.callee.range[1]) {
        return fixer.insertTextAfter(call, `(${text})`);
      }
      return fixer.insertTextBefore(closing, text);
    }

    function setValue(fixer: TSESLint.RuleFixer, property: TSESTree.Property, text: string): TSESLint.RuleFix {
      if (property.shorthand) return fixer.replaceText(property, `${sourceCode.getText(property.key)}: ${text}`);
      return fixer.replaceText(property.value, text);
    }

    /** "its 10 resources are", from the pool's static max or the library default. */
    function capacityOf(value: RedisValue, noun: 'resources' | 'clients'): string {
      const spec = poolSizeSpecsFor(value, analysis.versions).find((s) => s.role === 'max');
      if (!spec) return `every ${noun.slice(0, -1)} is`;
      const found = poolOptionsOf(value, analysis.evaluator).get(spec.path);
      const max =
        found.status === 'present' ? toNumber(found.value) : found.status === 'absent' ? (spec.default ?? undefined) : undefined;
      if (max === undefined || !Number.isFinite(max) || max < 1) return `every ${noun.slice(0, -1)} is`;
      const fromDefault = found.status === 'absent' ? ` (${value.library.displayName}'s default max)` : '';
      return max === 1 ? `its one ${noun.slice(0, -1)}${fromDefault} is` : `all ${max} ${noun}${fromDefault} are`;
    }

    /** Counts a wait for the client and for each source whose commandTimeout it would inherit. */
    function recordWait(receiver: RedisValue, ms: number): void {
      if (receiver.library.id !== 'ioredis' && receiver.library.id !== 'iovalkey') return;
      for (let current: RedisValue | undefined = receiver; current; current = current.inheritsFrom) {
        longestWait.set(current.creation, Math.max(longestWait.get(current.creation) ?? 0, ms));
        if (!current.inheritsFrom || setsCommandBoundItself(current)) break;
      }
    }

    /** A duplicate whose own overrides set commandTimeout or socketTimeout, or may. */
    function setsCommandBoundItself(value: RedisValue): boolean {
      const argument = argumentAt(value.call!, value.optionsArg, analysis.evaluator);
      if (argument.status === 'absent' || !argument.node) return false;
      if (argument.status === 'unknown') return true;
      const options = analysis.evaluator.evaluate(argument.node);
      const keys = ['commandTimeout', 'socketTimeout'];
      const prefixes = value.nodeOptionsKey ? [[], [value.nodeOptionsKey]] : [[]];
      return prefixes.some((prefix) => keys.some((key) => lookupOption(options, [...prefix, key]).status !== 'absent'));
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
      },
    };
  },
});

type CommandNeed =
  | { type: 'missing' }
  | { type: 'no-option' }
  | { type: 'disabled'; timeout: ResolvedTimeout & { state: 'unbounded' } };

function withinArguments(node: TSESTree.Node, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const first = call.arguments[0];
  const last = call.arguments[call.arguments.length - 1];
  return !!first && !!last && node.range[0] >= first.range[0] && node.range[1] <= last.range[1];
}

/** The declarator whose initializer is this object (through `as const`, `satisfies`). */
function skipToDeclarator(object: TSESTree.Node): TSESTree.VariableDeclarator | undefined {
  let current = object;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.TSTypeAssertion)
  ) {
    current = current.parent;
  }
  return current.parent?.type === AST_NODE_TYPES.VariableDeclarator && current.parent.init === current
    ? current.parent
    : undefined;
}

function propertyText(path: string[], text: string): string {
  const [key, ...rest] = path;
  return rest.length === 0 ? `${key}: ${text}` : `${key}: { ${propertyText(rest, text)} }`;
}

function isNullish(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  return (
    (inner.type === AST_NODE_TYPES.Literal && inner.value === null) ||
    (inner.type === AST_NODE_TYPES.Identifier && inner.name === 'undefined')
  );
}

/** The value as written in the options (`0`, `null`). */
function literalText(timeout: ResolvedTimeout & { state: 'unbounded' }): string {
  const value = timeout.value;
  if (value?.kind !== 'primitive') return 'unset';
  return typeof value.value === 'string' ? `'${value.value}'` : String(value.value);
}

/** 1500 → "1.5 s", 250 → "250 ms". */
function duration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${Number(ms.toFixed(3))} ms`;
}
