/**
 * Parses and validates the arguments of `redis-lint check`. Every problem becomes a one-line
 * UsageError (exit 2); nothing here touches ESLint or the file system beyond path resolution.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { rules } from '../../rules';
import { UsageError, usageErrorFromParseArgs } from './usage-error';

export type RuleLevel = 'off' | 'warn' | 'error';
export type OutputFormat = 'stylish' | 'json' | 'sarif';
export type Concurrency = 'off' | 'auto' | number;

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
  rules: Record<string, RuleLevel>;
  quiet: boolean;
  baseline: string | undefined;
  updateBaseline: boolean;
}

export const CHECK_USAGE = `Usage: redis-lint [check] [paths...] [options]

Lints JavaScript and TypeScript files (.js .jsx .mjs .cjs .ts .tsx .mts .cts) for Redis
connection-pool faults with the plugin's recommended rules. Paths default to "."; node_modules,
dist, build, coverage and .gitignore'd files are skipped. The project needs no ESLint config.

Options:
  -f, --format <stylish|json|sarif>  report format (default: stylish)
  -o, --output <file>                write the report to a file instead of stdout
  -c, --config <file>                use this flat config file instead of the embedded config
      --type-aware                   use type information (the project service over tsconfig.json)
      --rule <id=off|warn|error>     set a rule's level; repeatable; the redis/ prefix is optional
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

const FORMATS: readonly OutputFormat[] = ['stylish', 'json', 'sarif'];
const LEVELS: readonly RuleLevel[] = ['off', 'warn', 'error'];

export function parseCheckArgs(args: string[], cwd: string): CheckArgs {
  const { values, positionals } = parseStrict(args);
  const resolve = (file: string | undefined): string | undefined => (file === undefined ? undefined : path.resolve(cwd, file));

  const format = values.format ?? 'stylish';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format "${format}" for --format: use stylish, json or sarif`);
  }
  if (values['update-baseline'] && values.baseline === undefined) {
    throw new UsageError('--update-baseline needs --baseline <file> to know where to write');
  }
  return {
    help: values.help ?? false,
    paths: positionals.length > 0 ? positionals : ['.'],
    format: format as OutputFormat,
    output: resolve(values.output),
    config: resolve(values.config),
    typeAware: values['type-aware'] ?? false,
    maxWarnings: values['max-warnings'] === undefined ? -1 : parseCount(values['max-warnings'], '--max-warnings'),
    fix: values.fix ?? false,
    cache: values.cache ?? false,
    cacheLocation: path.resolve(cwd, values['cache-location'] ?? '.redis-lint-cache'),
    concurrency: parseConcurrency(values.concurrency),
    rules: parseRuleOverrides(values.rule ?? []),
    quiet: values.quiet ?? false,
    baseline: resolve(values.baseline),
    updateBaseline: values['update-baseline'] ?? false,
  };
}

function parseStrict(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        'type-aware': { type: 'boolean' },
        rule: { type: 'string', multiple: true },
        quiet: { type: 'boolean', short: 'q' },
        'max-warnings': { type: 'string' },
        fix: { type: 'boolean' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        concurrency: { type: 'string' },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw usageErrorFromParseArgs(error, 'check');
  }
}


function parseCount(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number of 0 or more, not "${text}"`);
  return Number(text);
}

function parseConcurrency(text: string | undefined): Concurrency {
  if (text === undefined || text === 'off') return 'off';
  if (text === 'auto') return 'auto';
  if (/^[1-9]\d*$/.test(text)) return Number(text);
  throw new UsageError(`--concurrency needs a positive number, "auto" or "off", not "${text}"`);
}

function parseRuleOverrides(specs: string[]): Record<string, RuleLevel> {
  const overrides: Record<string, RuleLevel> = {};
  for (const spec of specs) {
    const separator = spec.lastIndexOf('=');
    if (separator <= 0) throw new UsageError(`--rule needs <rule>=<off|warn|error>, not "${spec}"`);
    const id = spec.slice(0, separator).trim();
    const level = spec.slice(separator + 1).trim();
    const name = id.startsWith('redis/') ? id.slice('redis/'.length) : id;
    if (!Object.prototype.hasOwnProperty.call(rules, name)) {
      throw new UsageError(`Unknown rule "${id}" in --rule (known: ${Object.keys(rules).join(', ')})`);
    }
    if (!(LEVELS as readonly string[]).includes(level)) {
      throw new UsageError(`Unknown level "${level}" for rule ${id} in --rule: use off, warn or error`);
    }
    overrides[`redis/${name}`] = level as RuleLevel;
  }
  return overrides;
}
