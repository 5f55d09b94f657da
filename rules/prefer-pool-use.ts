import type { TSESTree } from '@typescript-eslint/utils';
import { getRedisAnalysis } from '../src/analysis';
import { planManagedCall } from '../src/analysis/fix/managed-call';
import { fixOf, recordPlan } from '../src/analysis/plans';
import { findManagedSite } from '../src/analysis/pool-use';
import { createRule } from '../src/create-rule';

export type Options = [];
export type MessageIds = 'preferManaged' | 'preferManagedDestroys' | 'preferExecuteIsolated' | 'useManaged';

export default createRule<Options, MessageIds>({
  name: 'prefer-pool-use',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        "Prefer the lifecycle-managed call (`pool.use`, `sentinel.use`, `executeIsolated`) over a manual acquire / try / finally release",
      recommended: false,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      preferManaged:
        'This {{library}} loan is taken with `{{acquire}}()` and given back with `{{release}}()` in `finally`: `{{owner}}.{{managed}}(async ({{name}}) => …)` does both, so later edits can not lose the release.',
      preferManagedDestroys:
        'This {{library}} loan is taken with `{{acquire}}()` and given back with `{{release}}()` in `finally`: `{{owner}}.{{managed}}(async ({{name}}) => …)` does both, so later edits can not lose the release. Unlike this code, it calls `{{onReject}}()` on the connection when the callback rejects.',
      preferExecuteIsolated:
        "A new connection is opened and closed for this isolated work: `{{owner}}.executeIsolated(async ({{name}}) => …)` lends one from the client's isolation pool instead (size it with `isolationPoolOptions.max`: the default is 1).",
      useManaged: 'Rewrite as `{{owner}}.{{managed}}(async ({{name}}) => …)`.',
    },
    schema: [],
  },
  create(context) {
    const analysis = getRedisAnalysis(context);
    // A file that can hold no Redis value has nothing to check: no listeners at all.
    if (!analysis.origins.mayHoldValues()) return {};
    const { sourceCode } = context;
    // TypeScript can't follow an assignment into the callback; plain JavaScript doesn't care.
    const typescript = /\.[cm]?tsx?$/.test(context.filename);

    function check(node: TSESTree.VariableDeclaration): void {
      const site = findManagedSite(node, analysis);
      if (!site) return;
      const plan = planManagedCall(site, analysis, { rule: 'prefer-pool-use', kind: 'managed-call', typescript });
      const data = {
        library: site.owner.library.displayName,
        acquire: site.acquireMethod,
        release: site.releaseMethod,
        owner: sourceCode.getText(site.ownerExpression),
        managed: site.managedMethod ?? '',
        name: site.binding.name,
        onReject: site.onReject ?? '',
      };
      if (site.kind === 'isolated-duplicate') {
        // The isolation pool lends at most `isolationPoolOptions.max` clients (1 by default): callers
        // that each had a connection would queue, so this is offered, never applied by a codemod.
        recordPlan({
          type: 'skip',
          rule: 'prefer-pool-use',
          kind: 'managed-call',
          ...node.loc.start,
          reason: `${data.managed}() would lend from the isolation pool (isolationPoolOptions.max, 1 by default) instead of this connection of its own, so concurrent callers would queue; size that pool and rewrite by hand`,
        });
        if (plan.type !== 'rewrite') return;
        context.report({ node, messageId: 'preferExecuteIsolated', data, suggest: [{ messageId: 'useManaged', data, fix: fixOf(plan.edits, sourceCode.text) }] });
        return;
      }
      recordPlan(plan);
      // Sites the rewrite can not move without changing meaning are left alone.
      if (plan.type !== 'rewrite') return;
      const fix = fixOf(plan.edits, sourceCode.text);
      if (site.onReject === undefined) {
        // The managed call does exactly what the code does: acquire, run, release in finally.
        context.report({ node, messageId: 'preferManaged', data, fix });
        return;
      }
      // The managed call treats failures differently: offer, don't apply.
      context.report({ node, messageId: 'preferManagedDestroys', data, suggest: [{ messageId: 'useManaged', data, fix }] });
    }

    return { VariableDeclaration: check };
  },
});
