import type { TSESTree } from '@typescript-eslint/utils';
import type { LibraryId } from '../src/catalog';
import { getRedisAnalysis } from '../src/analysis';
import { CRASHING_LIBRARIES, errorListenerVerdict, LISTENER_LIBRARIES } from '../src/analysis/error-listeners';
import { planErrorListener } from '../src/analysis/fix/error-listener';
import { fixOf } from '../src/analysis/plans';
import { createRule } from '../src/create-rule';

export type Options = [{ libraries?: LibraryId[] }];
export type MessageIds = 'missingErrorListener' | 'addErrorListener';

const CONNECTION_KINDS = new Set(['client', 'cluster', 'pool', 'sentinel']);

export default createRule<Options, MessageIds>({
  name: 'require-error-listener',
  meta: {
    type: 'problem',
    docs: {
      description: "Require an 'error' listener on every Redis client, pool, cluster and sentinel that can crash the process without one",
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      missingErrorListener:
        "This {{library}} {{kind}} has no 'error' listener: {{consequence}} Add `.on('error', …)` where it is created.",
      addErrorListener: "Add an 'error' listener that logs the error.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          libraries: {
            type: 'array',
            description:
              "Libraries to check. node-redis and node_redis 2/3 (`node-redis-legacy`) crash the process on an unhandled 'error'; ioredis and iovalkey only print \"Unhandled error event\", so they are off by default.",
            items: { type: 'string', enum: LISTENER_LIBRARIES },
            uniqueItems: true,
          },
        },
      },
    ],
    defaultOptions: [{ libraries: CRASHING_LIBRARIES }],
  },
  create(context, [options]) {
    const libraries = new Set<LibraryId>(options.libraries ?? CRASHING_LIBRARIES);
    const analysis = getRedisAnalysis(context);
    // A file that can hold no Redis value has nothing to check: no listeners at all.
    if (!analysis.origins.mayHoldValues()) return {};
    const { sourceCode } = context;

    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const value = analysis.origins.valueOrPromised(node);
      // A value from a project function is checked where it is called only when the function
      // makes a new one per call and neither listens on it nor passes it on.
      if (!value || value.creation !== node || value.how === 'type') return;
      if (value.how === 'summary' && (value.summary?.shared !== false || value.summary.errorListened !== false)) return;
      if (!libraries.has(value.library.id) || !CONNECTION_KINDS.has(value.kind)) return;
      const errorEvent = value.library.values[value.kind]?.errorEvent;
      if (errorEvent !== 'crashes' && errorEvent !== 'logs') return;
      const verdict = errorListenerVerdict(node, value, analysis);
      if (verdict.handled) return;
      context.report({
        node,
        messageId: 'missingErrorListener',
        data: {
          library: value.library.displayName,
          kind: value.kind === 'client' && value.how === 'method' ? 'duplicate' : value.kind,
          consequence:
            errorEvent === 'crashes'
              ? 'the first socket error (a Redis restart, a failover, a network blip) is thrown as an unhandled event and crashes the process.'
              : 'socket errors are printed as "Unhandled error event" and nothing in the service learns of them.',
        },
        suggest: [{ messageId: 'addErrorListener', fix: fixOf(planErrorListener(node, verdict.variableName, sourceCode), sourceCode.text) }],
      });
    }

    return {
      CallExpression: check,
      NewExpression: check,
    };
  },
});
