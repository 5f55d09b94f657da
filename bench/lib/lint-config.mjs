/**
 * The lint configurations the benchmark compares, shared by measure.mjs and the options modules
 * that ESLint's worker threads load for the `--concurrency` rows.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { REPO_ROOT } from './files.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const dist = (...parts) => path.join(REPO_ROOT, 'dist', ...parts);
// The corpus lives in node_modules, which flat config ignores by default (`ignore: false` would not
// change that: it turns off the config's ignore patterns, this un-ignoring one included).
const UNIGNORE = { ignores: ['!**/node_modules/'] };

/**
 * none: the parser and the plugin loaded, no rules (the syntactic baseline). recommended / all:
 * the plugin's presets. ts-baseline: typescript-eslint's no-floating-promises alone with type
 * information; ts-ours: the same plus the plugin's recommended rules.
 */
export function lintConfig(name, typedRoot, pluginEntry = dist('src', 'index.js')) {
  const plugin = require(pluginEntry);
  const parser = require('@typescript-eslint/parser');
  const base = {
    files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'],
    plugins: { redis: plugin },
    languageOptions: { parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  };
  switch (name) {
    case 'none':
      return [UNIGNORE, { ...base, rules: {} }];
    case 'recommended':
    case 'all':
      return [UNIGNORE, { ...base, rules: plugin.configs[name].rules }];
    case 'ts-baseline':
    case 'ts-ours': {
      const tseslint = require('typescript-eslint');
      const rules = { '@typescript-eslint/no-floating-promises': 'error' };
      if (name === 'ts-ours') Object.assign(rules, plugin.configs.recommended.rules);
      return [
        UNIGNORE,
        {
          ...base,
          plugins: { ...base.plugins, '@typescript-eslint': tseslint.plugin },
          languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: typedRoot } },
          rules,
        },
      ];
    }
    default:
      // `rule:<name>`: one rule alone, to find which rule a cost comes from.
      if (name.startsWith('rule:')) return [UNIGNORE, { ...base, rules: { [`redis/${name.slice(5)}`]: 'error' } }];
      // `core:<name>`: one of ESLint's own rules, for what enabling any rule at all costs.
      if (name.startsWith('core:')) return [UNIGNORE, { ...base, rules: { [name.slice(5)]: 'error' } }];
      throw new Error(`unknown lint config ${name}`);
  }
}

