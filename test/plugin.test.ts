/** The plugin's shape: registry, presets, docs and tests for every rule, configs in a real ESLint. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import * as parser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index';
import { rules } from '../rules';

const root = path.join(__dirname, '..');
const ruleFiles = fs
  .readdirSync(path.join(root, 'rules'))
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .map((file) => file.slice(0, -3));

describe('plugin', () => {
  it('registers every rule file, sorted, under its file name', () => {
    expect(Object.keys(rules)).toEqual([...ruleFiles].sort());
    for (const [name, rule] of Object.entries(rules)) expect(rule.name, name).toBe(name);
  });

  it('has a doc and a test for every rule', () => {
    for (const name of ruleFiles) {
      expect(fs.existsSync(path.join(root, 'docs', 'rules', `${name}.md`)), `docs/rules/${name}.md`).toBe(true);
      expect(fs.existsSync(path.join(root, 'test', 'rules', `${name}.test.ts`)), `test/rules/${name}.test.ts`).toBe(true);
    }
  });

  it('gives every rule a description, a docs URL, messages and an options schema with descriptions', () => {
    for (const [name, rule] of Object.entries(rules)) {
      const meta = rule.meta;
      expect(meta.docs?.description, name).toBeTruthy();
      expect(meta.docs?.url, name).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
      expect(Object.keys(meta.messages).length, name).toBeGreaterThan(0);
      const schema = Array.isArray(meta.schema) ? meta.schema : [meta.schema];
      for (const entry of schema) {
        if (!entry || typeof entry !== 'object') continue;
        const object = entry as { type?: string; additionalProperties?: boolean; properties?: Record<string, { description?: string }> };
        if (object.type === 'object') {
          expect(object.additionalProperties, `${name} schema`).toBe(false);
          for (const [key, property] of Object.entries(object.properties ?? {})) {
            expect(property.description, `${name}.${key}`).toBeTruthy();
          }
        }
      }
    }
  });

  it('derives presets from meta.docs.recommended', () => {
    const recommended = Object.entries(rules)
      .filter(([, rule]) => (rule.meta.docs as { recommended?: boolean }).recommended)
      .map(([name]) => `redis/${name}`);
    expect(Object.keys(plugin.configs.recommended.rules).sort()).toEqual(recommended.sort());
    expect(Object.keys(plugin.configs.all.rules).sort()).toEqual(Object.keys(rules).map((n) => `redis/${n}`).sort());
    expect(plugin.configs['legacy-recommended'].rules).toEqual(plugin.configs.recommended.rules);
    expect(plugin.configs['legacy-all'].plugins).toEqual(['redis']);
    expect(plugin.configs.recommended.rules['redis/prefer-pool-use']).toBeUndefined();
    expect(plugin.configs.all.rules['redis/prefer-pool-use']).toBe('error');
    expect(plugin.configs.recommended.name).toBe('redis/recommended');
    expect(plugin.configs.recommended.plugins.redis).toBe(plugin);
  });

  it('reports its package name and version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version });
  });

  for (const configName of ['recommended', 'all'] as const) {
    it(`loads the flat ${configName} config in a real ESLint and lints with it`, async () => {
      const eslint = new ESLint({
        cwd: root,
        overrideConfigFile: true,
        overrideConfig: [
          { files: ['**/*.ts'], languageOptions: { parser } },
          plugin.configs[configName] as never,
        ],
      });
      const [result] = await eslint.lintText(
        `import { createClient } from 'redis';\nconst client = createClient();\nawait client.connect();\n`,
        { filePath: path.join(root, 'virtual.ts') },
      );
      expect(result?.messages.map((m) => m.ruleId)).toContain('redis/require-error-listener');
      expect(result?.messages.filter((m) => m.fatal)).toEqual([]);
    });
  }
});

describe('configs.tests', () => {
  const LEAK = `import { createClient } from 'redis';\nconst client = createClient();\nawait client.connect();\n`;

  async function severities(configs: unknown[], file: string): Promise<number[]> {
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser } }, ...(configs as never[])],
    });
    const [result] = await eslint.lintText(LEAK, { filePath: path.join(root, file) });
    return result!.messages.filter((m) => m.ruleId === 'redis/require-error-listener').map((m) => m.severity);
  }

  it('turns the recommended findings in test code into warnings and leaves other files alone', async () => {
    const configs = [plugin.configs.recommended, plugin.configs.tests];
    expect(await severities(configs, 'src/cache.ts')).toEqual([2]);
    for (const file of ['src/cache.test.ts', 'src/__tests__/cache.ts', 'test/helpers.ts', 'packages/api/e2e/flow.ts', 'scripts/seed.ts', 'examples/app.ts', 'bench/run.ts']) {
      expect(await severities(configs, file), file).toEqual([1]);
    }
    // Without it, test code is held to the same standard.
    expect(await severities([plugin.configs.recommended], 'src/cache.test.ts')).toEqual([2]);
  });

  it('changes levels only: it turns on no rule and keeps options', () => {
    expect(plugin.configs.tests.files.length).toBeGreaterThan(0);
    expect(Object.keys(plugin.configs.tests.rules).sort()).toEqual(Object.keys(plugin.configs.recommended.rules).sort());
    expect(new Set(Object.values(plugin.configs.tests.rules))).toEqual(new Set(['warn']));
    expect(plugin.configs['legacy-tests'].overrides).toEqual([{ files: plugin.configs.tests.files, rules: plugin.configs.tests.rules }]);
  });
});

describe('generated docs', () => {
  it('README rules table and rule doc headers are up to date (eslint-doc-generator --check)', async () => {
    const { spawnSync } = await import('node:child_process');
    // eslint-doc-generator loads the plugin from package.json's main, i.e. dist/ (npm test builds first).
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint-doc-generator', 'dist', 'bin', 'eslint-doc-generator.js'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
