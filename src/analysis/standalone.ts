/**
 * The analysis outside ESLint: lint one file from its path and text with the given rules, and
 * collect what they found and the fix plans they made. Codemods and the report use this; the
 * rules themselves run unchanged, on ESLint's own scopes and code paths, so a file gets the
 * same answers here as in an editor.
 *
 * Parsers by file: typescript-estree for `.ts/.mts/.cts/.tsx`; espree for JavaScript (as a
 * module, then as a CommonJS/sloppy script, with JSX), because the TypeScript grammar misreads
 * valid JavaScript (`a < b > (c)` as a generic call) and rejects sloppy mode (`with`, `010`);
 * typescript-estree as the last resort for JavaScript espree can't read (decorators). Flow type
 * annotations are read by `hermes-eslint` when the project has it installed, else the file is
 * reported as unparsable with that advice.
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import type { Linter as LinterType } from 'eslint';
import { getRedisAnalysis, type RedisAnalysis } from './context';
import { collectPlans, type AnyRule, type FixPlan } from './plans';
import type { RedisSettings } from './versions';

export interface FileAnalysisOptions {
  /** Rules to run, by name (registered under the `redis/` prefix), each with its options. */
  rules: Record<string, { rule: AnyRule; options?: readonly unknown[] }>;
  settings?: RedisSettings;
}

export interface FileFinding {
  /** The rule's name without the plugin prefix. */
  rule: string;
  messageId: string;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface FileAnalysis {
  findings: FileFinding[];
  plans: FixPlan[];
  /** The parser that read the file. */
  parser: ParserName;
}

export type ParserName = 'typescript' | 'espree-module' | 'espree-script' | 'typescript-js' | 'hermes';

/** The file can't be read by any parser that fits it. One line, for a report. */
export class UnparsableFileError extends Error {
  override readonly name = 'UnparsableFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`${detail} (${line}:${column})`);
  }
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);
const requireHere = createRequire(__filename);

let linter: LinterType | undefined;

function getLinter(): LinterType {
  if (!linter) {
    // eslint is the plugin's peer: present wherever the rules run.
    const { Linter } = requireHere('eslint') as typeof import('eslint');
    // Rooted at the file system's root, so that any absolute path is inside its base path.
    linter = new Linter({ configType: 'flat', cwd: path.parse(process.cwd()).root });
  }
  return linter;
}

/** Whether a file looks like Flow (a `@flow` pragma in its first comment). */
export function hasFlowPragma(text: string): boolean {
  return /^(\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*(\/\/|\/\*+)\s*@flow\b/.test(text);
}

interface Attempt {
  parser: ParserName;
  languageOptions: LinterType.LanguageOptions;
}

function attemptsFor(filePath: string, text: string): Attempt[] {
  const extension = path.extname(filePath).toLowerCase();
  const jsx = { ecmaFeatures: { jsx: extension !== '.ts' && extension !== '.mts' && extension !== '.cts' } };
  const typescript = (parser: ParserName): Attempt => ({
    parser,
    languageOptions: { parser: requireHere('@typescript-eslint/parser') as LinterType.Parser, parserOptions: { ...jsx, sourceType: 'module' } },
  });
  if (TS_EXTENSIONS.has(extension)) return [typescript('typescript')];
  const attempts: Attempt[] = [];
  if (hasFlowPragma(text)) {
    const hermes = optionalParser('hermes-eslint');
    if (hermes) attempts.push({ parser: 'hermes', languageOptions: { parser: withGlobalsHook(hermes), parserOptions: { sourceType: 'module' } } });
  }
  const module: Attempt = { parser: 'espree-module', languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: jsx } };
  const script: Attempt = { parser: 'espree-script', languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', parserOptions: jsx } };
  attempts.push(...(extension === '.cjs' ? [script, module] : [module, script]), typescript('typescript-js'));
  return attempts;
}

/**
 * ESLint 10 asks the scope manager to declare the configured globals (`addGlobals`), which
 * hermes-eslint's scope manager predates. Declaring them as global variables without
 * definitions is what eslint-scope does; references to them stay unresolved, which the
 * analysis reads as "not a local binding", as it should.
 */
interface GlobalScopeLike {
  set: Map<string, unknown>;
  variables: unknown[];
}

function withGlobalsHook(parser: LinterType.Parser): LinterType.Parser {
  type Parsed = { scopeManager?: { addGlobals?: unknown; scopes: GlobalScopeLike[] } };
  const parse = (parser as { parseForESLint?: (text: string, options?: unknown) => Parsed }).parseForESLint;
  if (!parse) return parser;
  return {
    meta: { name: 'hermes-eslint (with addGlobals)' },
    parseForESLint(text: string, options?: unknown) {
      const result = parse(text, options);
      const manager = result.scopeManager;
      if (manager && typeof manager.addGlobals !== 'function') {
        manager.addGlobals = (names: readonly string[]) => {
          const global = manager.scopes[0]!;
          for (const name of names) {
            if (global.set.has(name)) continue;
            const variable = { name, identifiers: [], references: [], defs: [], scope: global };
            global.set.set(name, variable);
            global.variables.push(variable);
          }
        };
      }
      return result;
    },
  } as unknown as LinterType.Parser;
}

/** A parser that redis-lint ships and a bare plugin install may not have: beside us, else in the project. */
function optionalParser(name: string): LinterType.Parser | undefined {
  for (const paths of [undefined, [process.cwd()]]) {
    try {
      return requireHere(requireHere.resolve(name, paths ? { paths } : undefined)) as LinterType.Parser;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/** A rule that reports nothing: it hands the file's analysis to `read` once the file is walked. */
export function analysisRule(read: (analysis: RedisAnalysis) => void): AnyRule {
  return {
    meta: { type: 'problem', schema: [], messages: {} },
    defaultOptions: [],
    create: (context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>) => ({ 'Program:exit': () => read(getRedisAnalysis(context)) }),
  } as unknown as AnyRule;
}

/**
 * Lints `text` as the file at `filePath` with the given rules. Throws `UnparsableFileError`
 * when no parser reads it; a rule that throws is a bug and propagates.
 */
export function analyzeFile(filePath: string, text: string, options: FileAnalysisOptions): FileAnalysis {
  const plugin = { rules: Object.fromEntries(Object.entries(options.rules).map(([name, entry]) => [name, entry.rule])) };
  const ruleLevels: LinterType.RulesRecord = {};
  for (const [name, entry] of Object.entries(options.rules)) ruleLevels[`redis/${name}`] = ['error', ...(entry.options ?? [])];
  const attempts = attemptsFor(filePath, text);
  let firstError: LinterType.LintMessage | undefined;
  for (const attempt of attempts) {
    const config: LinterType.Config[] = [
      {
        // ESLint lints only files that a non-universal pattern matches: name the file itself.
        files: [path.resolve(filePath).slice(path.parse(path.resolve(filePath)).root.length).replace(/[*?{}[\]()!+@]/g, '\\$&')],
        plugins: { redis: plugin as never },
        languageOptions: attempt.languageOptions,
        settings: options.settings ? { redis: options.settings } : {},
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        rules: ruleLevels,
      },
    ];
    const { result: messages, plans } = collectPlans(() => getLinter().verify(text, config, { filename: path.resolve(filePath), allowInlineConfig: false }));
    const fatal = messages.find((message) => message.fatal);
    if (fatal) {
      // A rule's crash is a fatal message too: that is not a parse error, and must not be hidden.
      if (!/^Parsing error/.test(fatal.message)) throw new Error(fatal.message);
      firstError ??= fatal;
      continue;
    }
    return {
      parser: attempt.parser,
      plans,
      findings: messages.map((message) => ({
        rule: (message.ruleId ?? '').replace(/^redis\//, ''),
        messageId: message.messageId ?? '',
        message: message.message,
        line: message.line,
        column: message.column - 1,
        endLine: message.endLine,
        endColumn: message.endColumn === undefined ? undefined : message.endColumn - 1,
      })),
    };
  }
  const flowAdvice = hasFlowPragma(text) && !optionalParser('hermes-eslint') ? '; this is a Flow file: install hermes-eslint to read it' : '';
  const detail = (firstError?.message ?? 'could not parse').replace(/^Parsing error:\s*/, '');
  throw new UnparsableFileError(filePath, firstError?.line ?? 1, (firstError?.column ?? 1) - 1, `could not parse: ${detail}${flowAdvice}`);
}
