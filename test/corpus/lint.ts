/**
 * Lints third-party files in-process with every rule of the plugin, the way `redis-lint` reads
 * them (typescript-eslint's parser without type information, JSX on, ESLint's default source
 * types), and sorts what comes out into findings, parse failures and crashes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import plugin from '../../src/index';

export interface Finding {
  rule: string;
  /** Relative to node_modules, with forward slashes. */
  file: string;
  line: number;
  messageId: string;
}

export interface Crash {
  file: string;
  error: string;
}

export interface CorpusResult {
  findings: Finding[];
  /** Files the parser rejected (not a rule's fault, but worth knowing). */
  parseErrors: Crash[];
  /** A rule threw: always a bug. */
  crashes: Crash[];
  /** Full messages by finding key, for the review. */
  messages: Map<string, string>;
}

export function createCorpusLinter(): { linter: Linter; config: Linter.Config[] } {
  const config: Linter.Config[] = [
    // ESLint ignores node_modules by default; here it is the point.
    { ignores: ['!**/node_modules/'] },
    {
      files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'],
      languageOptions: { parser: parser as Linter.Parser, parserOptions: { ecmaFeatures: { jsx: true } } },
      plugins: { redis: plugin as never },
      // The packages' own directives name rules that are not loaded here.
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: plugin.configs.all.rules,
    },
  ];
  return { linter: new Linter({ configType: 'flat' }), config };
}

export function findingKey(finding: Finding): string {
  return `${finding.file}:${finding.line} ${finding.rule} ${finding.messageId}`;
}

export function compareFindings(a: Finding, b: Finding): number {
  const fa = a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
  if (fa !== 0) return fa;
  if (a.line !== b.line) return a.line - b.line;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0;
}

export function lintFiles(files: readonly string[], nodeModules: string): CorpusResult {
  const { linter, config } = createCorpusLinter();
  const result: CorpusResult = { findings: [], parseErrors: [], crashes: [], messages: new Map() };
  for (const file of files) {
    const relative = path.relative(nodeModules, file).split(path.sep).join('/');
    let messages: Linter.LintMessage[];
    try {
      messages = linter.verify(fs.readFileSync(file, 'utf8'), config, file);
    } catch (error) {
      result.crashes.push({ file: relative, error: describeCrash(error) });
      continue;
    }
    for (const message of messages) {
      if (message.fatal) {
        result.parseErrors.push({ file: relative, error: `${message.line}:${message.column} ${message.message}` });
      } else if (message.ruleId?.startsWith('redis/')) {
        const finding = { rule: message.ruleId.slice('redis/'.length), file: relative, line: message.line, messageId: message.messageId ?? '' };
        result.findings.push(finding);
        result.messages.set(findingKey(finding), message.message);
      }
    }
  }
  result.findings.sort(compareFindings);
  return result;
}

/** ESLint's "Occurred while linting <file>:<line>" and "Rule: <id>" lines, plus the error and its top frame. */
function describeCrash(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frame = error.stack?.split('\n').find((line) => /^\s+at /.test(line))?.trim() ?? '';
  return `${error.message.replace(/\n+/g, ' | ')}${frame ? ` (${frame})` : ''}`;
}
