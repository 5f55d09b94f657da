/**
 * Rule docs are tested: every code block under a ❌ heading in docs/rules/<rule>.md must be
 * reported by that rule, and every block under a ✅ heading must not be.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
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
