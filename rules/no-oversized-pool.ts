import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../src/analysis/ast';
import { getRedisAnalysis, within } from '../src/analysis';
import {
  connectionBudget,
  type ConnectionBudget,
  poolSizesOf,
  type PoolSizeReading,
  type PoolSizes,
} from '../src/analysis/pool-sizes';
import { libraryById } from '../src/catalog';
import { createRule } from '../src/create-rule';

export type Options = [
  {
    maxPoolSize?: number;
    concurrency?: number;
    replicas?: number;
    maxClients?: number;
    requireExplicitSize?: boolean;
    checkIdleTimeout?: boolean;
  },
];
export type MessageIds =
  | 'maxAboveCap'
  | 'minAboveCap'
  | 'unbounded'
  | 'parsedSmaller'
  | 'minAboveMax'
  | 'implicitMaxOfOne'
  | 'defaultAboveCap'
  | 'idleWithoutEviction'
  | 'overBudget';

const DEFAULTS = {
  maxPoolSize: 50,
  replicas: 1,
  maxClients: 10000,
  requireExplicitSize: true,
  checkIdleTimeout: true,
} as const;

/** The share of `maxclients` a file's pools may take: the rest is for other services, replicas' own links, admin. */
const BUDGET_SHARE = 0.8;
/** One connection per operation in flight plus 20% for bursts and connections being replaced. */
const CONCURRENCY_BUFFER = 1.2;

const MIN_ABOVE_MAX_CONSEQUENCES = {
  clamped: 'generic-pool silently lowers the minimum to {{max}}, so the configured minimum never holds',
  'creates-min': 'node-redis does not check this and opens {{min}} clients at connect anyway',
  throws: "tarn throws 'Tarn: opt.max is smaller than opt.min' when the pool is created",
} as const;

export default createRule<Options, MessageIds>({
  name: 'no-oversized-pool',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require Redis pool sizes to be explicit, bounded, consistent, and to fit the Redis connection budget',
      recommended: true,
    },
    messages: {
      maxAboveCap:
        '{{setting}} lets this {{pool}} open {{value}} connections{{where}}, above the cap of {{cap}}. Size the pool to the concurrency it serves plus 20%.',
      minAboveCap:
        '{{setting}} keeps {{value}} connections of this {{pool}} open at all times, above the cap of {{cap}}.',
      unbounded:
        '{{setting}} is unbounded in practice: at maxclients ({{maxClients}}) Redis refuses new connections before this {{pool}} reaches its bound, and refuses every other client of the server with it. Use a bound at or below {{cap}}.',
      parsedSmaller:
        '{{engine}} reads {{setting}} with parseInt, which gives {{effective}}: this {{pool}} lends {{connections}} at a time, not {{value}}. Use a finite integer at or below {{cap}}.',
      minAboveMax: '{{setting}} is above {{maxSetting}}: {{consequence}}.',
      implicitMaxOfOne:
        'This {{pool}} leaves `{{option}}` at the library default of 1: callers take turns on a single connection. Set `{{option}}` explicitly.',
      defaultAboveCap:
        'This {{pool}} leaves `{{option}}` at the library default of {{value}}, above the cap of {{cap}}. Set `{{option}}` explicitly.',
      idleWithoutEviction:
        '`{{option}}` does nothing here: generic-pool evicts idle connections only when `evictionRunIntervalMillis` is above 0 ({{interval}}). Set `evictionRunIntervalMillis` or remove `{{option}}`.',
      overBudget:
        "The Redis pools in this file can open {{arithmetic}} connections{{notes}}, over {{share}}% of maxclients {{maxClients}} ({{limit}}). Shrink the pools, or raise the server's maxclients and this rule's `maxClients`.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxPoolSize: {
            type: 'integer',
            minimum: 1,
            description: 'The largest pool size allowed, whatever the concurrency: past ~50 connections a process adds Redis load, not throughput.',
          },
          concurrency: {
            type: 'integer',
            minimum: 1,
            description:
              'How many operations one process runs at once. When set, the cap is min(ceil(concurrency × 1.2), maxPoolSize).',
          },
          replicas: {
            type: 'integer',
            minimum: 1,
            description: 'How many processes (pods, workers) run this code against the same Redis server.',
          },
          maxClients: {
            type: 'integer',
            minimum: 1,
            description:
              "The Redis server's `maxclients` (default 10000). A file's pools times `replicas` may use 80% of it.",
          },
          requireExplicitSize: {
            type: 'boolean',
            description:
              'Report pools whose maximum is left to a library default that does not fit: generic-pool 3 and 2 (and the node-redis 4 isolation pool) default to 1, node-redis client pools to 100.',
          },
          checkIdleTimeout: {
            type: 'boolean',
            description:
              'Report generic-pool `idleTimeoutMillis` / `softIdleTimeoutMillis` set without `evictionRunIntervalMillis`, where they do nothing.',
          },
        },
      },
    ],
    defaultOptions: [{ ...DEFAULTS }],
  },
  create(context, [options]) {
    const analysis = getRedisAnalysis(context);
    // A file that can hold no Redis value has nothing to check: no listeners at all.
    if (!analysis.origins.mayHoldValues()) return {};
    const settings = { ...DEFAULTS, ...options };
    const cap = capOf(settings.maxPoolSize, settings.concurrency);
    const pools: PoolSizes[] = [];
    // A property shared by several pools (a spread base config, an inherited duplicate) is reported once.
    const reported = new Set<string>();

    function report(node: TSESTree.Node, messageId: MessageIds, data: Record<string, string | number>): void {
      const key = `${node.range[0]}:${node.range[1]}:${messageId}`;
      if (reported.has(key)) return;
      reported.add(key);
      context.report({ node, messageId, data });
    }

    function visit(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const value = analysis.origins.valueOf(node);
      if (!value || value.creation !== node) return;
      const sizes = poolSizesOf(value, analysis);
      if (!sizes || sizes.resource !== 'redis') return;
      pools.push(sizes);
      checkPool(sizes);
    }

    function checkPool(sizes: PoolSizes): void {
      const maxReadings = [sizes.max, ...sizes.perReplica].filter((r): r is PoolSizeReading => r !== undefined);
      for (const reading of maxReadings) checkMax(sizes, reading);
      if (sizes.min) checkMin(sizes, sizes.min);
      if (settings.checkIdleTimeout && sizes.idleEviction.state === 'inactive') {
        const { property, option, interval } = sizes.idleEviction;
        report(property ?? sizes.container, 'idleWithoutEviction', {
          option,
          interval: interval === 'unset' ? 'it is not set, and defaults to 0' : `it is ${interval}`,
        });
      }
    }

    function checkMax(sizes: PoolSizes, reading: PoolSizeReading): void {
      const option = optionName(reading);
      if (reading.source === 'default') {
        if (!settings.requireExplicitSize || reading.effective === undefined) return;
        if (reading.spec.lendsExclusively && reading.effective === 1) {
          report(sizes.container, 'implicitMaxOfOne', { pool: sizes.label, option });
        } else if (reading.effective > cap.value) {
          report(sizes.container, 'defaultAboveCap', { pool: sizes.label, option, value: reading.effective, cap: cap.text });
        }
        return;
      }
      if (reading.source !== 'explicit' || reading.written === undefined || reading.effective === undefined) return;
      const node = reading.property ?? sizes.container;
      const setting = settingText(reading, context.sourceCode);
      const { written, effective } = reading;
      if (written - effective >= 1) {
        const engine = libraryById(sizes.engine).displayName;
        const connections = `${effective} ${effective === 1 ? 'connection' : 'connections'}`;
        report(node, 'parsedSmaller', { engine, pool: sizes.label, setting, effective, connections, value: written, cap: cap.text });
      } else if (isUnbounded(effective, settings.maxClients)) {
        report(node, 'unbounded', { pool: sizes.label, setting, maxClients: settings.maxClients, cap: cap.text });
      } else if (effective > cap.value) {
        const where = reading.spec.perReplica ? ' to each replica' : '';
        report(node, 'maxAboveCap', { pool: sizes.label, setting, value: effective, where, cap: cap.text });
      }
    }

    function checkMin(sizes: PoolSizes, min: PoolSizeReading): void {
      if (min.source !== 'explicit' || min.effective === undefined || min.written === undefined) return;
      const node = min.property ?? sizes.container;
      const setting = settingText(min, context.sourceCode);
      const max = sizes.max;
      const consequence = min.spec.minAboveMax;
      if (
        consequence &&
        max?.effective !== undefined &&
        (max.source === 'explicit' || max.source === 'default') &&
        min.effective > max.effective
      ) {
        const maxSetting =
          max.source === 'default'
            ? `\`${optionName(max)}\` (default ${max.effective})`
            : max.written === max.effective
              ? settingText(max, context.sourceCode)
              : `${settingText(max, context.sourceCode)}, read as ${max.effective}`;
        report(node, 'minAboveMax', {
          setting,
          maxSetting,
          consequence: MIN_ABOVE_MAX_CONSEQUENCES[consequence]
            .replace('{{max}}', String(max.effective))
            .replace('{{min}}', String(min.effective)),
        });
      } else if (isUnbounded(min.effective, settings.maxClients)) {
        report(node, 'unbounded', { pool: sizes.label, setting, maxClients: settings.maxClients, cap: cap.text });
      } else if (min.effective > cap.value) {
        report(node, 'minAboveCap', { pool: sizes.label, setting, value: min.effective, cap: cap.text });
      }
    }

    return {
      CallExpression: visit,
      NewExpression: visit,
      'Program:exit'() {
        const budget = connectionBudget(pools, { replicas: settings.replicas, maxClients: settings.maxClients, share: BUDGET_SHARE });
        if (!budget.over || !budget.crossing) return;
        const crossing = budget.crossing;
        // At the pool's own size setting; a duplicate inheriting it is reported at its own call.
        const property = crossing.max?.property;
        const ownCall = crossing.pool.call ?? crossing.pool.creation;
        const ownProperty = property && within(property, ownCall);
        context.report({
          node: ownProperty ? property : crossing.max?.source === 'explicit' ? ownCall : crossing.container,
          messageId: 'overBudget',
          data: { notes: budgetNotes(budget), arithmetic: budget.arithmetic, share: BUDGET_SHARE * 100, maxClients: budget.maxClients, limit: budget.limit },
        });
      },
    };
  },
});

/** The cap: min(ceil(concurrency × 1.2), maxPoolSize) (docs/rules/no-oversized-pool.md says why), and how it was reached. */
function capOf(maxPoolSize: number, concurrency: number | undefined): { value: number; text: string } {
  const fromConcurrency = concurrency === undefined ? Infinity : Math.ceil(concurrency * CONCURRENCY_BUFFER);
  return fromConcurrency < maxPoolSize
    ? { value: fromConcurrency, text: `${fromConcurrency} (concurrency ${concurrency} × ${CONCURRENCY_BUFFER}, rounded up)` }
    : { value: maxPoolSize, text: `${maxPoolSize} (maxPoolSize)` };
}

function budgetNotes(budget: ConnectionBudget): string {
  const notes: string[] = [];
  if (budget.counted.some(({ sizes }) => sizes.perReplica.length > 0)) {
    notes.push('sentinels count their masterPoolSize; replica pools connect to other servers');
  }
  if (budget.uncounted.length > 0) {
    notes.push(`plus ${budget.uncounted.length} ${budget.uncounted.length === 1 ? 'pool' : 'pools'} sized at run time`);
  }
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/**
 * At or past maxclients a pool's bound can never be what stops it: the server is. NaN is no
 * bound of any size (node-redis compares with it and opens nothing), so it is not reported here.
 */
function isUnbounded(size: number, maxClients: number): boolean {
  return size === Infinity || size >= maxClients;
}

function optionName(reading: PoolSizeReading): string {
  return reading.spec.path.join('.');
}

/** "`max: 400`", or "`max: BASE * 8` (= 400)" when the value was computed. */
function settingText(reading: PoolSizeReading, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const option = optionName(reading);
  const written = reading.written;
  const valueNode = reading.property?.value;
  if (!valueNode || written === undefined) return `\`${option}\``;
  if (reading.property?.shorthand) return `\`${option}\` (= ${written})`;
  const text = sourceCode.getText(valueNode).replace(/\s+/g, ' ');
  if (text === String(written) || (valueNode.type === AST_NODE_TYPES.Literal && typeof valueNode.value === 'number')) return `\`${option}: ${text}\``;
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `\`${option}: ${shown}\` (= ${written})`;
}
