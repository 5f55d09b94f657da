/**
 * eslint-plugin-redis: the plugin object. Flat configs (`recommended`, `all`) for ESLint 9/10
 * and eslintrc configs (`legacy-recommended`, `legacy-all`) for ESLint 8.57 and 9.
 * Presets come from each rule's `meta.docs.recommended`.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from '../rules';

import { packageInfo } from './package-info';

const { name, version } = packageInfo;

type RuleLevel = 'error' | 'warn' | 'off';
type RuleMap = Record<string, RuleLevel>;

function ruleLevels(filter: (recommended: boolean) => boolean): RuleMap {
  const levels: RuleMap = {};
  for (const [ruleName, rule] of Object.entries(rules)) {
    const docs = rule.meta.docs as { recommended?: boolean } | undefined;
    if (filter(docs?.recommended === true)) levels[`redis/${ruleName}`] = 'error';
  }
  return levels;
}

const recommendedRules = ruleLevels((recommended) => recommended);
const allRules = ruleLevels(() => true);

interface FlatConfig {
  name: string;
  plugins: Record<string, unknown>;
  rules: RuleMap;
}

interface LegacyConfig {
  plugins: string[];
  rules: RuleMap;
}

interface RedisPlugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: {
    recommended: FlatConfig;
    all: FlatConfig;
    'legacy-recommended': LegacyConfig;
    'legacy-all': LegacyConfig;
  };
}

const plugin: RedisPlugin = {
  meta: { name, version },
  rules,
  configs: {} as RedisPlugin['configs'],
};

function flat(configName: string, ruleLevelsForConfig: RuleMap): FlatConfig {
  return {
    name: `redis/${configName}`,
    plugins: {
      get redis() {
        return plugin;
      },
    },
    rules: ruleLevelsForConfig,
  };
}

plugin.configs.recommended = flat('recommended', recommendedRules);
plugin.configs.all = flat('all', allRules);
plugin.configs['legacy-recommended'] = { plugins: ['redis'], rules: recommendedRules };
plugin.configs['legacy-all'] = { plugins: ['redis'], rules: allRules };

export = plugin as RedisPlugin & { rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> };
