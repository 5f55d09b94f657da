import { ESLintUtils } from '@typescript-eslint/utils';
import { REPOSITORY_URL, ruleDocsUrl } from './package-info';

export interface RedisRuleDocs {
  description: string;
  /** In the `recommended` preset. Every rule is in `all`. */
  recommended?: boolean;
  /** Needs type information to work at all (none of ours does: they use it when present). */
  requiresTypeChecking?: boolean;
}

// Kept for modules that import it from here; the value lives in package-info.
export { REPOSITORY_URL };

const namedRule = ESLintUtils.RuleCreator<RedisRuleDocs>(ruleDocsUrl);

/**
 * typescript-eslint's RuleCreator deep-merges the default options into the configured ones for
 * every file linted, a visible share of a lint with every rule on. The result depends only on
 * the configuration, so it is merged once per distinct configuration and shared (read-only).
 */
export const createRule: typeof namedRule = (spec) => {
  const rule = namedRule(spec);
  const defaults = spec.meta.defaultOptions ?? spec.defaultOptions ?? [];
  const merged = new Map<string, unknown>();
  return {
    ...rule,
    create(context) {
      const key = JSON.stringify(context.options);
      let options = merged.get(key);
      if (options === undefined) {
        options = ESLintUtils.applyDefault(defaults as never, context.options as never);
        if (merged.size < 64) merged.set(key, options);
      }
      return spec.create(context, options as never);
    },
  };
};
