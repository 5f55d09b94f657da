/**
 * Rule docs are tested: every code block under a ❌ heading in docs/rules/<rule>.md must be
 * reported by that rule, and every block under a ✅ heading must not be.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as parser from '@typescript-eslint/parser';
import { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index';

const root = path.join(__dirname, '..');
const docsDir = path.join(root, 'docs', 'rules');

interface Example {
  kind: 'incorrect' | 'correct';
  code: string;
  language: string;
  line: number;
}

export function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  let kind: Example['kind'] | undefined;
  let headingLevel = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(#+)\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      if (heading[2]!.includes('❌')) [kind, headingLevel] = ['incorrect', level];
      else if (heading[2]!.includes('✅')) [kind, headingLevel] = ['correct', level];
      else if (level <= headingLevel) kind = undefined;
      continue;
    }
    const fence = /^```(\w+)/.exec(line);
    if (fence) {
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end]!.startsWith('```')) end++;
      if (kind && ['js', 'ts', 'javascript', 'typescript', 'jsx', 'tsx', 'mjs', 'cjs'].includes(fence[1]!)) {
        examples.push({ kind, code: lines.slice(start, end).join('\n'), language: fence[1]!, line: start });
      }
      i = end;
    }
  }
  return examples;
}

const ruleNames = Object.keys(plugin.rules);

describe('rule docs', () => {
  for (const name of ruleNames) {
    const file = path.join(docsDir, `${name}.md`);
    describe(name, () => {
      const markdown = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const examples = examplesOf(markdown);

      it('has ❌ and ✅ examples and a "When not to use it" section', () => {
        expect(examples.some((e) => e.kind === 'incorrect')).toBe(true);
        expect(examples.some((e) => e.kind === 'correct')).toBe(true);
        expect(markdown).toMatch(/^## When not to use it/im);
      });

      for (const example of examples) {
        it(`${example.kind === 'incorrect' ? '❌' : '✅'} example at line ${example.line}`, () => {
          const linter = new Linter({ configType: 'flat' });
          const extension = /^(ts|typescript|tsx)$/.test(example.language) ? 'ts' : 'js';
          const messages = linter.verify(
            example.code,
            [
              {
                files: ['**/*.ts', '**/*.js'],
                languageOptions: { parser, sourceType: 'module' },
                plugins: { redis: plugin as never },
                rules: { [`redis/${name}`]: 'error' },
              },
            ],
            path.join(root, 'docs', `example.${extension}`),
          );
          const fatal = messages.filter((m) => m.fatal || (m.ruleId === null && m.severity === 2));
          expect(fatal, 'example must parse and its inline config must be valid').toEqual([]);
          const findings = messages.filter((m) => m.ruleId === `redis/${name}`);
          if (example.kind === 'incorrect') expect(findings.length, example.code).toBeGreaterThan(0);
          else expect(findings, example.code).toEqual([]);
        });
      }
    });
  }
});

/**
 * The README's `eslint.config.js`, as written, in a project of its own: `eslint-plugin-redis`
 * is this repository's built package (`npm test` builds first), `typescript-eslint` the installed
 * one. It must lint TypeScript and JavaScript and report, and turn test-code findings into
 * warnings.
 */
describe('README flat config', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const heading = readme.search(/^###? .*eslint\.config\.js/m);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(Math.max(heading, 0)))?.[1];
  const leaky = (name: string, typed: boolean): string =>
    typed
      ? `import { createClient } from 'redis';\nconst ${name} = createClient();\nexport async function get(key: string) {\n  await ${name}.connect();\n  return ${name}.get(key);\n}\n`
      : `const { createClient } = require('redis');\nconst ${name} = createClient();\nmodule.exports = async (key) => {\n  await ${name}.connect();\n  return ${name}.get(key);\n};\n`;

  it('lints TypeScript and JavaScript files as written, with test code as warnings', async () => {
    expect(heading, 'README has an eslint.config.js section').toBeGreaterThanOrEqual(0);
    expect(block, 'a js block under it').toBeTruthy();
    const built = path.join(root, 'dist', 'src', 'index.js');
    expect(fs.existsSync(built), 'dist/src/index.js: run `npm run build` first').toBe(true);

    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-config-'));
    try {
      // The two imports of the block, resolved the way they are in a user's project.
      fs.mkdirSync(path.join(project, 'node_modules'));
      fs.symlinkSync(root, path.join(project, 'node_modules', 'eslint-plugin-redis'), 'dir');
      fs.symlinkSync(path.join(root, 'node_modules', 'typescript-eslint'), path.join(project, 'node_modules', 'typescript-eslint'), 'dir');
      fs.writeFileSync(path.join(project, 'eslint.config.mjs'), block!);
      const files = {
        'src/cache.ts': leaky('cache', true),
        'src/legacy.js': leaky('legacy', false),
        'src/worker.cjs': leaky('worker', false),
        'src/cache.test.ts': leaky('testClient', true),
        'scripts/seed.mjs': leaky('seed', false).replace("const { createClient } = require('redis');", "import { createClient } from 'redis';").replace('module.exports =', 'export default'),
      };
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
        fs.writeFileSync(path.join(project, file), text);
      }
      const eslint = new ESLint({ cwd: project, overrideConfigFile: path.join(project, 'eslint.config.mjs') });
      const results = await eslint.lintFiles(['.']);
      const seen = Object.fromEntries(
        results.map((result) => [
          path.relative(project, result.filePath).split(path.sep).join('/'),
          result.messages.filter((message) => message.ruleId === 'redis/require-error-listener').map((message) => message.severity),
        ]),
      );
      expect(seen).toEqual({
        'src/cache.ts': [2],
        'src/legacy.js': [2],
        'src/worker.cjs': [2],
        'src/cache.test.ts': [1],
        'scripts/seed.mjs': [1],
        // ESLint lints the config file too: it has no Redis in it.
        'eslint.config.mjs': [],
      });
      expect(results.flatMap((result) => result.messages.filter((message) => message.fatal))).toEqual([]);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
