/** `redis-lint check`'s arguments, parsed and validated: every problem is a one-line UsageError. */
import * as path from 'node:path';
import { rules } from '../../rules';
import { parseCommandArgs, UsageError, wholeNumber } from './usage-error';

// levn is the parser behind ESLint's own `--rule`; it has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const levn = require('levn') as { parse(type: string, text: string): unknown };

export type RuleLevel = 'off' | 'warn' | 'error';
/** A level, or a level and the rule's options, as in an ESLint config. */
export type RuleSetting = RuleLevel | [RuleLevel, ...unknown[]];
/** `sarif` (ours), or any ESLint formatter: a built-in name, a package, or a path. */
export type OutputFormat = string;
export type Concurrency = 'off' | 'auto' | number;
/** How findings in test code count: as configured (`error`), as warnings, or not at all. */
export type TestCodeLevel = 'error' | 'warn' | 'off';

export interface CheckArgs {
  help: boolean;
  paths: string[];
  format: OutputFormat;
  /** Absolute path of the report file, or undefined for stdout. */
  output: string | undefined;
  /** Absolute path of a flat config file that replaces the embedded config. */
  config: string | undefined;
  typeAware: boolean;
  /** -1: no limit (warnings never fail the run). */
  maxWarnings: number;
  fix: boolean;
  cache: boolean;
  cacheLocation: string;
  concurrency: Concurrency;
  /** Overrides by full rule id (`redis/<name>`), in the order given. */
  rules: Record<string, RuleSetting>;
  /** `--test-code`; undefined when not given (the default depends on the config in use). */
  testCode: TestCodeLevel | undefined;
  /** `--test-files` globs, replacing the conventional ones; undefined when not given. */
  testFiles: string[] | undefined;
  quiet: boolean;
  baseline: string | undefined;
  updateBaseline: boolean;
}

export const CHECK_USAGE = `Usage: redis-lint [check] [paths...] [options]

Lints JavaScript and TypeScript files (.js .jsx .mjs .cjs .ts .tsx .mts .cts) for Redis
connection-pool faults with the plugin's recommended rules. Paths default to "."; node_modules,
dist, build, coverage and .gitignore'd files are skipped. The project needs no ESLint config.

Options:
  -f, --format <name>                stylish (default), json, sarif, or any ESLint formatter
                                     (a built-in name, an installed eslint-formatter-<name>, a path)
  -o, --output <file>                write the report to a file instead of stdout
  -c, --config <file>                use this flat config file instead of the embedded config
      --type-aware                   use type information (the project service over tsconfig.json)
      --rule <rule>                  set a rule's level and options, as ESLint's --rule does:
                                     'redis/no-oversized-pool: [error, {maxPoolSize: 20}]',
                                     '{"redis/require-timeout": "warn"}' or require-timeout=off;
                                     repeatable; the redis/ prefix is optional
      --test-code <warn|error|off>   findings in tests, examples and scripts: warnings (default),
                                     errors like the rest, or not reported
      --test-files <glob>            what is test code, instead of the conventional locations
                                     (globs relative to each linted directory); repeatable
  -q, --quiet                        report errors only
      --max-warnings <n>             fail when there are more than n warnings
      --fix                          apply autofixes to the files
      --cache                        only lint files that changed since the last run
      --cache-location <path>        cache file or directory (default: .redis-lint-cache)
      --concurrency <n|auto|off>     lint on worker threads (ESLint 9.34 or later)
      --baseline <file>              fail only on findings missing from this baseline
      --update-baseline              write the current findings to the --baseline file, exit 0
  -h, --help                         show this help

Exit codes: 0 no findings (or warnings within --max-warnings), 1 findings, 2 usage or
configuration error.`;

const LEVELS: readonly RuleLevel[] = ['off', 'warn', 'error'];
const TEST_CODE_LEVELS: readonly TestCodeLevel[] = ['warn', 'error', 'off'];

export function parseCheckArgs(args: string[], cwd: string): CheckArgs {
  const { values, positionals } = parseCommandArgs(args, CHECK_OPTIONS, 'check');
  const resolve = (file: string | undefined): string | undefined => (file === undefined ? undefined : path.resolve(cwd, file));

  const format = values.format ?? 'stylish';
  if (format.trim() === '') throw new UsageError('--format needs a formatter name: stylish, json, sarif or an ESLint formatter');
  const testCode = values['test-code'];
  if (testCode !== undefined && !(TEST_CODE_LEVELS as readonly string[]).includes(testCode)) {
    throw new UsageError(`Unknown level "${testCode}" for --test-code: use warn, error or off`);
  }
  if (values['update-baseline'] && values.baseline === undefined) {
    throw new UsageError('--update-baseline needs --baseline <file> to know where to write');
  }
  return {
    help: values.help ?? false,
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    output: resolve(values.output),
    config: resolve(values.config),
    typeAware: values['type-aware'] ?? false,
    maxWarnings: values['max-warnings'] === undefined ? -1 : wholeNumber(values['max-warnings'], '--max-warnings', 0),
    fix: values.fix ?? false,
    cache: values.cache ?? false,
    cacheLocation: path.resolve(cwd, values['cache-location'] ?? '.redis-lint-cache'),
    concurrency: parseConcurrency(values.concurrency),
    rules: parseRuleOverrides(values.rule ?? []),
    testCode: testCode as TestCodeLevel | undefined,
    testFiles: values['test-files'],
    quiet: values.quiet ?? false,
    baseline: resolve(values.baseline),
    updateBaseline: values['update-baseline'] ?? false,
  };
}

const CHECK_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  'type-aware': { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  'test-code': { type: 'string' },
  'test-files': { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  'max-warnings': { type: 'string' },
  fix: { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  concurrency: { type: 'string' },
  baseline: { type: 'string' },
  'update-baseline': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseConcurrency(text: string | undefined): Concurrency {
  if (text === undefined || text === 'off') return 'off';
  if (text === 'auto') return 'auto';
  if (/^[1-9]\d*$/.test(text)) return Number(text);
  throw new UsageError(`--concurrency needs a positive number, "auto" or "off", not "${text}"`);
}

/**
 * `--rule` as ESLint takes it (a levn or JSON object: `id: level` or `id: [level, options…]`),
 * or the short `id=level`. Levels may be numbers (0, 1, 2) as in a config file.
 */
export function parseRuleOverrides(specs: string[]): Record<string, RuleSetting> {
  const overrides: Record<string, RuleSetting> = {};
  for (const spec of specs) {
    for (const [id, value] of Object.entries(parseRuleSpec(spec))) {
      const name = id.startsWith('redis/') ? id.slice('redis/'.length) : id;
      if (!Object.prototype.hasOwnProperty.call(rules, name)) {
        throw new UsageError(`Unknown rule "${id}" in --rule (known: ${Object.keys(rules).join(', ')})`);
      }
      overrides[`redis/${name}`] = ruleSetting(id, value);
    }
  }
  return overrides;
}

function parseRuleSpec(spec: string): Record<string, unknown> {
  const short = /^\s*([^\s=:{}[\]]+)\s*=\s*([^\s=]*)\s*$/.exec(spec);
  if (short) return { [short[1]!]: short[2]! };
  const wrong = (detail: string): UsageError =>
    new UsageError(`--rule needs <rule>=<off|warn|error> or '<rule>: [<level>, {options}]', not "${spec}"${detail ? ` (${detail})` : ''}`);
  let parsed: unknown;
  try {
    parsed = levn.parse('Object', spec);
  } catch (error) {
    throw wrong(error instanceof Error ? error.message : String(error));
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length === 0) throw wrong('');
  return parsed as Record<string, unknown>;
}

const NUMERIC_LEVELS: Record<string, RuleLevel> = { '0': 'off', '1': 'warn', '2': 'error' };

function ruleSetting(id: string, value: unknown): RuleSetting {
  const [level, ...options] = Array.isArray(value) ? value : [value];
  const named = typeof level === 'number' || typeof level === 'string' ? (NUMERIC_LEVELS[String(level)] ?? String(level)) : undefined;
  if (named === undefined || !(LEVELS as readonly string[]).includes(named)) {
    throw new UsageError(`Unknown level ${JSON.stringify(level)} for rule ${id} in --rule: use off, warn or error`);
  }
  return options.length > 0 ? [named as RuleLevel, ...options] : (named as RuleLevel);
}
