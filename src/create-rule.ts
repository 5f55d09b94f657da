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

export const createRule = ESLintUtils.RuleCreator<RedisRuleDocs>(ruleDocsUrl);
