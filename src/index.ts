/**
 * eslint-plugin-redis: the plugin object. Flat configs (`recommended`, `all`, and `tests`, which
 * turns the findings in test code into warnings) for ESLint 9/10 and eslintrc configs
 * (`legacy-recommended`, `legacy-all`, `legacy-tests`) for ESLint 8.57 and 9.
 * Presets come from each rule's `meta.docs.recommended`.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import { rules } from '../rules';

import { packageInfo } from './package-info';
import { TEST_CODE_FILES } from './test-code';

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
// Severity only: in a flat config that keeps the options an earlier config gave each rule. Only
// the recommended rules, so that `tests` after `recommended` turns on nothing new; after `all`,
// the opt-in rules keep their level (docs/test-code.md shows the override for them).
const testRules: RuleMap = Object.fromEntries(Object.keys(recommendedRules).map((id) => [id, 'warn']));

interface FlatConfig {
  name: string;
  files?: string[];
  plugins: Record<string, unknown>;
  rules: RuleMap;
}

interface LegacyConfig {
  plugins: string[];
  rules: RuleMap;
  overrides?: { files: string[]; rules: RuleMap }[];
}

interface RedisPlugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: {
    recommended: FlatConfig;
    all: FlatConfig;
    /** Findings of the recommended rules in tests, examples and scripts as warnings. */
    tests: FlatConfig & { files: string[] };
    'legacy-recommended': LegacyConfig;
    'legacy-all': LegacyConfig;
    'legacy-tests': LegacyConfig;
  };
}

const plugin: RedisPlugin = { meta: { name, version }, rules, configs: {} as RedisPlugin['configs'] };

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
plugin.configs.tests = { ...flat('tests', testRules), files: [...TEST_CODE_FILES] };
plugin.configs['legacy-recommended'] = { plugins: ['redis'], rules: recommendedRules };
plugin.configs['legacy-all'] = { plugins: ['redis'], rules: allRules };
plugin.configs['legacy-tests'] = { plugins: ['redis'], rules: {}, overrides: [{ files: [...TEST_CODE_FILES], rules: testRules }] };

export = plugin as RedisPlugin & { rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> };
