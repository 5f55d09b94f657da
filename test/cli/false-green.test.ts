/**
 * Never a false green: `redis-lint` over files its config lints none of exits 2 with one line
 * that says why and what to change; files it skipped (ignored, outside every config, unparsable)
 * are counted and named on stderr, in the JSON and in SARIF's tool notifications. Spawns the
 * built CLI (`npm run build` first).
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RULES_DETAIL } from '../../src/cli/check-lint';
import { assertBuilt, copyFixture, leakyModule, removeTemporaryDirs, runCli, writeFile, type CliResult } from './helpers';

const PLUGIN = JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'src', 'index.js'));
const PARSER = JSON.stringify(require.resolve('@typescript-eslint/parser'));

beforeAll(assertBuilt);
afterAll(removeTemporaryDirs);

function expectOneLine(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

function project(): string {
  const root = copyFixture('clean');
  writeFile(root, 'src/cache.ts', leakyModule('cache'));
  writeFile(root, 'src/queue.ts', leakyModule('queue'));
  return root;
}

describe('a config that lints none of the files', () => {
  it('[redis.configs.recommended, { rules }] without files for .ts: exit 2, one line with the fix, in every format', async () => {
    const root = project();
    writeFile(
      root,
      'rl.config.mjs',
      `import redis from ${PLUGIN};\nexport default [redis.configs.recommended, { rules: { 'redis/require-timeout': 'warn' } }];\n`,
    );
    for (const format of ['stylish', 'json', 'sarif']) {
      const result = await runCli(['src', '-c', 'rl.config.mjs', '-f', format], { cwd: root });
      expectOneLine(
        result,
        /^redis-lint: the config rl\.config\.mjs lints none of the \d+ files given: no config object that turns on a rule matches them \(src\/[a-z]+\.ts, .*\); give the config object that turns on the redis rules files: \['\*\*\/\*\.\{js,jsx,mjs,cjs,ts,tsx,mts,cts\}'\]/,
      );
    }
  });

  it('a config for .ts only over .js files: ESLint lints them with no rule, which is no lint either', async () => {
    const root = copyFixture('clean');
    writeFile(root, 'lib/a.js', "const redis = require('redis');\nmodule.exports = redis.createClient();\n");
    writeFile(root, 'ts.config.cjs', `const redis = require(${PLUGIN});\nmodule.exports = [{ files: ['**/*.ts'], ...redis.configs.recommended }];\n`);
    expectOneLine(await runCli(['lib', '-c', 'ts.config.cjs'], { cwd: root }), /^redis-lint: the config ts\.config\.cjs does not lint the one file given: no config object that turns on a rule matches it \(lib\/a\.js\)/);
  });

  it('a config whose ignores match every file: exit 2, names the ignores', async () => {
    const root = project();
    writeFile(
      root,
      'ignoring.config.cjs',
      `const redis = require(${PLUGIN});\nmodule.exports = [{ files: ['**/*.ts'], ...redis.configs.recommended, languageOptions: { parser: require(${PARSER}) } }, { ignores: ['src/**'] }];\n`,
    );
    expectOneLine(await runCli(['src', '-c', 'ignoring.config.cjs'], { cwd: root }), /its "ignores" match all of them \(src\/cache\.ts, src\/clean\.ts|its "ignores" match all of them/);
  });

  it('paths with no JavaScript or TypeScript file at all: exit 2', async () => {
    const root = copyFixture('clean');
    writeFile(root, 'docs/readme.md', '# nothing to lint\n');
    expectOneLine(await runCli(['docs'], { cwd: root }), /^redis-lint: no JavaScript or TypeScript files to lint in docs/);
  });
});

describe('some files skipped', () => {
  function partialProject(): string {
    const root = project();
    writeFile(root, 'src/broken.ts', 'import { createClient } from "redis";\nconst = ;\n');
    writeFile(root, 'src/legacy.js', "const redis = require('redis');\nmodule.exports = redis.createClient();\n");
    // TypeScript only: ESLint's default files take legacy.js, but no rule is on for it.
    writeFile(
      root,
      'ts-only.config.cjs',
      `const redis = require(${PLUGIN});\nmodule.exports = [{ files: ['**/*.ts'], ...redis.configs.recommended, languageOptions: { parser: require(${PARSER}) } }];\n`,
    );
    return root;
  }

  it('stylish: stderr counts and names them by reason', async () => {
    const result = await runCli(['src', '-c', 'ts-only.config.cjs'], { cwd: partialProject() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^redis-lint: 2 of \d+ files were not checked by any rule: 1 could not be parsed \(src\/broken\.ts\); 1 have no rule turned on \(src\/legacy\.js\)$|1 have no rule turned on \(src\/legacy\.js\); 1 could not be parsed \(src\/broken\.ts\)$/m,
    );
    expect(result.stdout).toContain('cache.ts');
  });

  it('JSON carries ignored files the way ESLint does (a result with the reason), parse errors as fatal results', async () => {
    const result = await runCli(['src', '-c', 'ts-only.config.cjs', '-f', 'json'], { cwd: partialProject() });
    const results = JSON.parse(result.stdout) as Array<{ filePath: string; messages: Array<{ message: string; fatal?: boolean }> }>;
    const byName = new Map(results.map((entry) => [path.basename(entry.filePath), entry]));
    expect(byName.get('legacy.js')?.messages).toEqual([expect.objectContaining({ message: NO_RULES_DETAIL, severity: 1 })]);
    expect(byName.get('broken.ts')?.messages[0]).toMatchObject({ fatal: true });
    expect(result.code).toBe(1);
  });

  it('SARIF: one tool execution notification per skipped file', async () => {
    const result = await runCli(['src', '-c', 'ts-only.config.cjs', '-f', 'sarif'], { cwd: partialProject() });
    const sarif = JSON.parse(result.stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
    const texts = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((notification) => notification.message.text);
    expect(texts).toContain(`src/legacy.js was not checked by any rule: ${NO_RULES_DETAIL}`);
    expect(texts.some((text) => text.startsWith('src/broken.ts was not checked by any rule: it could not be parsed'))).toBe(true);
  });

  it('ignored files do not count as warnings for --max-warnings', async () => {
    const root = partialProject();
    writeFile(root, 'src/broken.ts', 'export const fine = 1;\n');
    writeFile(root, 'src/cache.ts', 'export const alsoFine = 2;\n');
    writeFile(root, 'src/queue.ts', 'export const stillFine = 3;\n');
    const result = await runCli(['src', '-c', 'ts-only.config.cjs', '-f', 'json', '--max-warnings', '0'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 of');
  });
});

describe('--fix', () => {
  it('says so when nothing was fixable', async () => {
    const root = project();
    const result = await runCli(['src', '--fix'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^redis-lint: --fix changed nothing: none of the \d+ findings has an autofix/m);
  });

  it('says so when there was nothing to fix', async () => {
    const root = copyFixture('clean');
    const result = await runCli(['--fix'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('redis-lint: --fix changed nothing: there was nothing to fix\n');
  });
});
