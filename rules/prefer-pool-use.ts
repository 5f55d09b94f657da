import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getRedisAnalysis } from '../src/analysis';
import { findManagedSite, managedRewrite, type ManagedSiteMatch } from '../src/analysis/pool-use';
import { createRule } from '../src/create-rule';
import { rewriteManagedSite } from '../src/transform/managed';

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
  defaultOptions: [],
  create(context) {
    const analysis = getRedisAnalysis(context);
    const { sourceCode } = context;
    // TypeScript can't follow an assignment into the callback; plain JavaScript doesn't care.
    const typescript = /\.[cm]?tsx?$/.test(context.filename);

    function check(node: TSESTree.VariableDeclaration): void {
      const match = findManagedSite(node, analysis, { typescript });
      if (!match) return;
      const rewrite = rewriteFor(match, node);
      // Sites the rewrite can not move without changing meaning are left alone.
      if (!rewrite) return;
      const { site } = match;
      const data = {
        library: site.owner.library.displayName,
        acquire: site.acquireMethod,
        release: site.releaseMethod,
        owner: sourceCode.getText(site.ownerExpression),
        managed: site.managedMethod,
        name: site.binding.name,
        onReject: site.onReject ?? '',
      };
      const fix = (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange(rewrite.range, rewrite.text);
      if (site.onReject === undefined && site.kind === 'loan') {
        // The managed call does exactly what the code does: acquire, run, release in finally.
        context.report({ node, messageId: 'preferManaged', data, fix });
        return;
      }
      // The managed call treats failures (or connection supply) differently: offer, don't apply.
      context.report({
        node,
        messageId: site.kind === 'isolated-duplicate' ? 'preferExecuteIsolated' : 'preferManagedDestroys',
        data,
        suggest: [{ messageId: 'useManaged', data, fix }],
      });
    }

    /**
     * The managed-lifecycle codemod's own rewrite of the site when the codemod recognises it, so
     * `--fix` and `redis-lint codemod managed-lifecycle` agree on what they rewrite, what they
     * skip and the text they write. Sites only this analysis sees (known from types, node-redis 4
     * duplicates) get the same text edit from `managedRewrite`.
     */
    function rewriteFor(match: ManagedSiteMatch, node: TSESTree.VariableDeclaration): { range: [number, number]; text: string } | undefined {
      if (match.site.kind === 'loan') {
        const shared = sharedRewrite(sourceCode.text, context.filename, node.range[0]);
        if (shared?.kind === 'rewritten') return { range: shared.range, text: shared.text };
        if (shared?.kind === 'skipped') return undefined;
      }
      return match.skip ? undefined : managedRewrite(match.site, sourceCode);
    }

    return { VariableDeclaration: check };
  },
});

/** The codemod's plan for the site at `offset`; undefined when its parser can't read the file. */
function sharedRewrite(text: string, filename: string, offset: number): ReturnType<typeof rewriteManagedSite> | undefined {
  try {
    return rewriteManagedSite(text, filename, offset);
  } catch {
    return undefined;
  }
}
