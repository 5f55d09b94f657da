/**
 * The `prefer-pool-use` rule's fix and the managed-lifecycle codemod rewrite the same site to
 * the same text, and the rule offers no fix where the codemod skips a site. (The rule plans its
 * fix on ESLint's tree, the codemod through `rewriteManagedSite` on Babel's: this keeps them
 * from drifting apart.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import { rewriteManagedSite } from '../../src/transform/managed';
import { parseFile } from '../../src/transform/session';
import { findSites } from '../../src/transform/sites';

const dir = path.join(__dirname, '__testfixtures__', 'managed-lifecycle');
const linter = new Linter({ configType: 'flat' });

function ruleFixes(file: string, source: string): Array<{ line: number; output: string }> {
  const messages = linter.verify(
    source,
    [
      {
        files: ['**/*.{js,ts}'],
        languageOptions: { ...(file.endsWith('.ts') ? { parser } : {}), ecmaVersion: 'latest', sourceType: file.endsWith('.js') ? 'commonjs' : 'module' },
        plugins: { redis: plugin as never },
        rules: { 'redis/prefer-pool-use': 'error' },
      },
    ],
    { filename: file },
  );
  return messages.flatMap((message) => {
    const fix = message.fix ?? message.suggestions?.[0]?.fix;
    return fix ? [{ line: message.line, output: source.slice(0, fix.range[0]) + fix.text + source.slice(fix.range[1]) }] : [];
  });
}

describe('prefer-pool-use fixes match managed-lifecycle', () => {
  const inputs = fs.readdirSync(dir).filter((file) => /\.input\.(ts|js)$/.test(file));
  let compared = 0;

  for (const input of inputs) {
    it(input, () => {
      const file = path.join(dir, input);
      const source = fs.readFileSync(file, 'utf8');
      const sites = findSites(parseFile(file, source));
      for (const fix of ruleFixes(file, source)) {
        const site = sites.find((candidate) => candidate.declaration.loc!.start.line === fix.line);
        const mine = site && rewriteManagedSite(source, file, site.declaration.start);
        expect(mine?.kind, `line ${fix.line}`).toBe('rewritten');
        if (mine?.kind === 'rewritten') expect(mine.output).toBe(fix.output);
        compared++;
      }
      // Where the codemod skips a site in this shape, the rule offers nothing to apply.
      const report = file.replace(/\.input\.\w+$/, '.report.txt');
      const skipped = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').split('\n').filter((line) => line.startsWith('S ')) : [];
      const fixedLines = new Set(ruleFixes(file, source).map((fix) => fix.line));
      for (const line of skipped) expect(fixedLines.has(Number(line.slice(2).split(':')[0])), line).toBe(false);
    });
  }

  it('compared some fixes', () => {
    expect(compared).toBeGreaterThan(5);
  });
});
