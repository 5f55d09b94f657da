// The project lints itself: typescript-eslint for the code, eslint-plugin-eslint-plugin for the rules.
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'packages/*/dist/**',
      'node_modules/**',
      'coverage/**',
      'examples/**',
      'bench/.work/**',
      'test/**/__testfixtures__/**',
      'test/**/fixtures/**',
      '.eslint-doc-generatorrc.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['rules/**/*.ts'],
    ...eslintPlugin.configs.recommended,
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The package re-exports the enum through getters; src/analysis/ast.ts exports a plain alias.
    files: ['src/**/*.ts', 'rules/**/*.ts', 'codemods/**/*.ts'],
    ignores: ['src/analysis/ast.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@typescript-eslint/utils',
              importNames: ['AST_NODE_TYPES'],
              allowTypeImports: true,
              message: 'Import AST_NODE_TYPES from src/analysis/ast.ts (a plain binding, not two getters per use).',
            },
          ],
        },
      ],
    },
  },
);
