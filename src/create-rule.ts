import { ESLintUtils } from '@typescript-eslint/utils';

export interface RedisRuleDocs {
  description: string;
  /** In the `recommended` preset. Every rule is in `all`. */
  recommended?: boolean;
  /** Needs type information to work at all (none of ours does: they use it when present). */
  requiresTypeChecking?: boolean;
}

export const REPOSITORY_URL = 'https://github.com/eslint-plugin-redis/eslint-plugin-redis';

export const createRule = ESLintUtils.RuleCreator<RedisRuleDocs>(
  (name) => `${REPOSITORY_URL}/blob/main/docs/rules/${name}.md`,
);
