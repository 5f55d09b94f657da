/**
 * Every codemod output passes `redis/no-unreleased-connection`: what the codemods write is
 * what the rule asks for. The only findings left are at sites the codemod reported and left
 * (skipped, or found with no rewrite planned; listed in the fixture's report). The leaky inputs are what the rule reports, which
 * shows this test can fail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';

const fixtures = path.join(__dirname, '__testfixtures__');
// The codemods whose outputs this file checks (each codemod's own tests may add theirs).
const CODEMODS = ['release-in-finally', 'managed-lifecycle'];
const linter = new Linter({ configType: 'flat' });

function lint(file: string): Linter.LintMessage[] {
  const typescript = /\.[cm]?tsx?$/.test(file);
  const commonjs = file.endsWith('.cjs') || (file.endsWith('.js') && /\brequire\(/.test(fs.readFileSync(file, 'utf8')));
  return linter.verify(
    fs.readFileSync(file, 'utf8'),
    [
      {
        files: ['**/*.{js,cjs,mjs,jsx,ts,tsx,mts,cts}'],
        // JavaScript goes through ESLint's own parser, which reads sloppy-mode scripts.
        languageOptions: { ...(typescript ? { parser } : {}), ecmaVersion: 'latest', sourceType: commonjs ? 'commonjs' : 'module' },
        plugins: { redis: plugin as never },
        rules: { 'redis/no-unreleased-connection': 'error' },
      },
    ],
    { filename: file },
  );
}

function fixtureFiles(kind: 'input' | 'output'): string[] {
  const files: string[] = [];
  for (const codemod of CODEMODS) {
    for (const file of fs.readdirSync(path.join(fixtures, codemod))) {
      if (new RegExp(`\\.${kind}\\.\\w+$`).test(file)) files.push(path.join(fixtures, codemod, file));
    }
  }
  return files.sort();
}

describe('codemod outputs re-linted with no-unreleased-connection', () => {
  for (const file of fixtureFiles('output')) {
    it(path.relative(fixtures, file), () => {
      const messages = lint(file);
      expect(messages.filter((message) => message.ruleId === null).map((message) => message.message)).toEqual([]);
      // What the rule still finds must be a site the codemod reported (skipped, or found with no rewrite planned), on the same line.
      const leftovers = messages.filter((message) => !skippedLines(file).has(message.line));
      expect(leftovers.map((message) => `${message.line}:${message.column} ${message.message}`)).toEqual([]);
    });
  }

  it('reports leaks in the inputs the codemods rewrite', () => {
    const reported = fixtureFiles('input').filter((file) => lint(file).some((message) => message.ruleId === 'redis/no-unreleased-connection'));
    expect(reported.length).toBeGreaterThan(0);
  });
});

/** Lines of the sites a fixture's codemod run reported and left (`S` skipped, `U` found with no rewrite planned). */
function skippedLines(output: string): Set<number> {
  const report = output.replace(/\.output\.\w+$/, '.report.txt');
  if (!fs.existsSync(report)) return new Set();
  const lines = fs.readFileSync(report, 'utf8').split('\n').filter((line) => /^[SU] /.test(line));
  return new Set(lines.map((line) => Number(line.slice(2).split(':')[0])));
}
