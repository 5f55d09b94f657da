import { ESLintUtils } from '@typescript-eslint/utils';
import { ruleDocsUrl } from './package-info';

export interface RedisRuleDocs {
  description: string;
  /** In the `recommended` preset. Every rule is in `all`. */
  recommended?: boolean;
  /** Needs type information to work at all (none of ours does: they use it when present). */
  requiresTypeChecking?: boolean;
}

const namedRule = ESLintUtils.RuleCreator<RedisRuleDocs>(ruleDocsUrl);

/**
 * typescript-eslint's RuleCreator deep-merges the default options into the configured ones for
 * every file linted, a visible share of a lint with every rule on. The result depends only on
 * the configuration, so it is merged once per distinct configuration and shared (read-only).
 * ESLint hands every file a new options array but the same option objects from the config, so
 * those objects are the key; serialising the options for a key cost as much as the merge.
 */
export const createRule: typeof namedRule = (spec) => {
  const rule = namedRule(spec);
  const defaults = spec.meta.defaultOptions ?? spec.defaultOptions ?? [];
  const byObject = new WeakMap<object, unknown>();
  const byText = new Map<string, unknown>();
  const merge = (options: readonly unknown[]): unknown => ESLintUtils.applyDefault(defaults as never, options as never);
  function optionsFor(options: readonly unknown[]): unknown {
    const [first] = options;
    if (options.length === 1 && typeof first === 'object' && first !== null) {
      let merged = byObject.get(first);
      if (merged === undefined) byObject.set(first, (merged = merge(options)));
      return merged;
    }
    const key = JSON.stringify(options);
    let merged = byText.get(key);
    if (merged === undefined) {
      merged = merge(options);
      if (byText.size < 64) byText.set(key, merged);
    }
    return merged;
  }
  return {
    ...rule,
    // Rules write their defaults once, in meta; the rule object keeps the deprecated top-level copy.
    defaultOptions: defaults as typeof rule.defaultOptions,
    create(context) {
      return spec.create(context, optionsFor(context.options) as never);
    },
  };
};
