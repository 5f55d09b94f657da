/**
 * Runs ESLint for `redis-lint check`: the flat-config ESLint class of the installed version (8.57,
 * 9 or 10), with progress, untyped linting outside every tsconfig, and one file's crash contained.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ESLint, Linter } from 'eslint';
import { compare, resultOf, withMessages } from './baseline';
import { buildESLintOptions, isRedisRule, type LintSettings } from './check-config';
import { listed } from './files';
import { Progress } from './progress';
import { UsageError, type CommandIO } from './usage-error';

type ESLintClass = typeof ESLint & {
  fromOptionsModule?: (url: URL) => Promise<ESLint>;
};

/** A file redis-lint was given that no rule checked, and why. */
export interface SkippedFile {
  file: string;
  /**
   * `unconfigured`: no config object's `files` matches it; `ignored`: an `ignores` pattern does;
   * `no-rules`: ESLint lints it (its default `files` take .js, .mjs, .cjs) but the config turns
   * on no rule for it; `unparsable`: it failed to parse.
   */
  reason: 'unconfigured' | 'ignored' | 'no-rules' | 'unparsable';
  /** ESLint's own words (the parse error, or why the file is ignored). */
  detail: string;
}

export interface LintRun {
  results: ESLint.LintResult[];
  /** Files given to ESLint that no rule checked. */
  skipped: SkippedFile[];
  /** The instance that linted (for rule metadata of rules from a user config). */
  eslint: ESLint;
  /** One-line notes for the user (stderr) and for SARIF's tool notifications. */
  notices: string[];
}

const NOT_IN_PROJECT = 'was not found by the project service';

export async function lintProject(files: readonly string[], settings: LintSettings, io: CommandIO): Promise<LintRun> {
  const ESLintImpl = await loadESLintClass();
  const eslint = await createESLint(ESLintImpl, settings);
  if (files.length > 0) await checkConfiguration(eslint, files[0]!);

  const progress = new Progress(io.stderr, io.interactive, files.length);
  let results: ESLint.LintResult[];
  try {
    results = await lintWithProgress(eslint, files, settings, progress);
  } finally {
    progress.finish();
  }

  const notices: string[] = [];
  if (settings.typeAwareRoot !== null) {
    results = await lintUntypedOutsideProjects(ESLintImpl, results, settings, notices, io.cwd);
  }
  if (settings.configFile === null) results = results.map(keepOwnFindings);
  if (settings.fix) await ESLintImpl.outputFixes(results);
  const skipped = await skippedFiles(eslint, files, results);
  if (settings.configFile !== null) {
    const unchecked = await filesWithoutRules(eslint, results);
    skipped.push(...unchecked);
    const left = new Set(unchecked.map((skip) => skip.file));
    results = results.filter((result) => !left.has(result.filePath));
  }
  return { results, skipped: skipped.sort((a, b) => compare(a.file, b.file)), eslint, notices };
}

function hasInlineRuleConfig(result: ESLint.LintResult): boolean {
  if (result.output !== undefined) return true;
  try {
    return /\/\*\s*eslint\s/.test(fs.readFileSync(result.filePath, 'utf8'));
  } catch {
    return false;
  }
}

export const NO_RULES_DETAIL = 'No rule is turned on for this file: the config objects that turn on rules do not match it.';

/** Files a user config lints with no rule on (ESLint's default `files` take .js even when the config's rules are for .ts only). */
async function filesWithoutRules(eslint: ESLint, results: readonly ESLint.LintResult[]): Promise<SkippedFile[]> {
  const skipped: SkippedFile[] = [];
  for (const result of results) {
    if (result.messages.length > 0 || result.suppressedMessages.length > 0) continue;
    let config: Linter.Config | undefined;
    try {
      config = (await eslint.calculateConfigForFile(result.filePath)) as Linter.Config | undefined;
    } catch {
      continue;
    }
    const on = Object.values(config?.rules ?? {}).some((setting) => {
      const level = Array.isArray(setting) ? setting[0] : setting;
      return level !== 0 && level !== 'off' && level !== undefined;
    });
    // An inline `/* eslint rule: … */` comment turns rules on for its own file.
    if (!on && !hasInlineRuleConfig(result)) skipped.push({ file: result.filePath, reason: 'no-rules', detail: NO_RULES_DETAIL });
  }
  return skipped;
}

/**
 * The files ESLint left out of its results (an `ignores` pattern, or no config object whose
 * `files` matches them: ESLint ignores both without a word when `warnIgnored` is off) and those
 * it could not parse.
 */
async function skippedFiles(eslint: ESLint, files: readonly string[], results: readonly ESLint.LintResult[]): Promise<SkippedFile[]> {
  const linted = new Set(results.map((result) => result.filePath));
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    if (linted.has(file)) continue;
    // With warnIgnored, lintText answers for an ignored file with ESLint's reason, without linting it.
    let detail = 'File ignored.';
    try {
      detail = (await eslint.lintText('', { filePath: file, warnIgnored: true }))[0]?.messages[0]?.message ?? detail;
    } catch {
      // The reason is a nicety; the file is skipped either way.
    }
    skipped.push({ file, reason: /no matching configuration/i.test(detail) ? 'unconfigured' : 'ignored', detail });
  }
  for (const result of results) {
    const fatal = result.messages.find((message) => message.fatal === true && message.ruleId === null);
    if (fatal) skipped.push({ file: result.filePath, reason: 'unparsable', detail: fatal.message });
  }
  return skipped;
}

async function loadESLintClass(): Promise<ESLintClass> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require('eslint') as { loadESLint?: (options: { useFlatConfig: boolean }) => Promise<ESLintClass>; ESLint?: { version?: string } };
  if (typeof api.loadESLint !== 'function') {
    throw new UsageError(`redis-lint needs ESLint 8.57 or later; the installed ESLint is ${api.ESLint?.version ?? 'older'}`);
  }
  return api.loadESLint({ useFlatConfig: true });
}

async function createESLint(ESLintImpl: ESLintClass, settings: LintSettings): Promise<ESLint> {
  try {
    if (settings.concurrency === 'off') return new ESLintImpl(buildESLintOptions(settings));
    // Multithreaded linting arrived together with options modules (ESLint 9.34).
    if (typeof ESLintImpl.fromOptionsModule !== 'function') {
      throw new UsageError(`--concurrency needs ESLint 9.34 or later; the installed ESLint is ${ESLintImpl.version}`);
    }
    return await ESLintImpl.fromOptionsModule(optionsModuleUrl(settings));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Invalid ESLint options: ${oneLine(error)}`);
  }
}

/** The module each worker thread imports to rebuild the options (see check-config.ts). */
function optionsModuleUrl(settings: LintSettings): URL {
  const configModule = require.resolve('./check-config');
  const source = [
    `import { createRequire } from 'node:module';`,
    `const require = createRequire(${JSON.stringify(configModule)});`,
    `export default require(${JSON.stringify(configModule)}).buildESLintOptions(${JSON.stringify(settings)});`,
  ].join('\n');
  return new URL(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
}

/** Loading the config for one file surfaces a broken config file before any linting. */
async function checkConfiguration(eslint: ESLint, file: string): Promise<void> {
  try {
    await eslint.calculateConfigForFile(file);
  } catch (error) {
    throw new UsageError(`Invalid configuration: ${oneLine(error)}`);
  }
}

async function lintWithProgress(
  eslint: ESLint,
  files: readonly string[],
  settings: LintSettings,
  progress: Progress,
): Promise<ESLint.LintResult[]> {
  if (!progress.enabled) return lintResilient(eslint, files, settings);
  // Batches give a real count between them. Worker threads and the cache want one call: the
  // workers are started per call, and the cache file is reconciled per call.
  if (settings.concurrency !== 'off' || settings.cache) {
    const timer = setInterval(() => progress.update(undefined), 250);
    timer.unref();
    try {
      return await lintResilient(eslint, files, settings);
    } finally {
      clearInterval(timer);
    }
  }
  const batch = Math.max(25, Math.ceil(files.length / 50));
  const results: ESLint.LintResult[] = [];
  for (let start = 0; start < files.length; start += batch) {
    results.push(...(await lintResilient(eslint, files.slice(start, start + batch), settings)));
    progress.update(Math.min(files.length, start + batch));
  }
  return results;
}

/**
 * ESLint abandons the whole call when a rule throws. Then each file is linted on its own, and a
 * file that still throws becomes a fatal finding, so the other files are still checked.
 */
async function lintResilient(eslint: ESLint, files: readonly string[], settings: LintSettings): Promise<ESLint.LintResult[]> {
  if (files.length === 0) return [];
  try {
    return await eslint.lintFiles([...files]);
  } catch (error) {
    if (isConfigurationError(error)) throw new UsageError(`Invalid configuration: ${oneLine(error)}`);
    const single = settings.concurrency === 'off' ? eslint : new (eslint.constructor as ESLintClass)(buildESLintOptions({ ...settings, concurrency: 'off' }));
    const results: ESLint.LintResult[] = [];
    for (const file of files) {
      try {
        results.push(...(await single.lintFiles([file])));
      } catch (fileError) {
        if (isConfigurationError(fileError)) throw new UsageError(`Invalid configuration: ${oneLine(fileError)}`);
        results.push(crashResult(file, fileError));
      }
    }
    return results;
  }
}

function isConfigurationError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /^(Key "|Config |ConfigError|Could not find plugin|Could not find "|Failed to load (parser|plugin))/.test(message);
}

function crashResult(filePath: string, error: unknown): ESLint.LintResult {
  const text = error instanceof Error ? error.message : '';
  const line = Number(/Occurred while linting .*:(\d+)/.exec(text)?.[1] ?? 1);
  const rule = /Rule: "([^"]+)"/.exec(text)?.[1];
  const message: Linter.LintMessage = {
    ruleId: null,
    fatal: true,
    severity: 2,
    message: `redis-lint could not lint this file: ${firstLine(error)}${rule ? ` (rule ${rule} failed)` : ''}`,
    line: line >= 1 ? line : 1,
    column: 1,
  };
  return resultOf(filePath, [message]);
}

/**
 * The project service can't type a file that no tsconfig.json includes (a script, a config
 * file, plain JS without allowJs). Those files are linted again without type information, and
 * the run says so, rather than failing them as parse errors.
 */
async function lintUntypedOutsideProjects(
  ESLintImpl: ESLintClass,
  results: ESLint.LintResult[],
  settings: LintSettings,
  notices: string[],
  cwd: string,
): Promise<ESLint.LintResult[]> {
  const outside = results.filter((result) => result.messages.some((message) => message.fatal && message.message.includes(NOT_IN_PROJECT)));
  if (outside.length === 0) return results;
  // No cache here: two instances reconciling one cache file would overwrite each other.
  const untypedSettings: LintSettings = { ...settings, typeAwareRoot: null, concurrency: 'off', cache: false };
  const untyped = new ESLintImpl(buildESLintOptions(untypedSettings));
  const relinted = new Map<string, ESLint.LintResult>();
  for (const result of await lintResilient(untyped, outside.map((result) => result.filePath), untypedSettings)) {
    relinted.set(result.filePath, result);
  }
  const shown = listed(outside.map((result) => result.filePath), cwd, 3);
  notices.push(
    `${outside.length} ${outside.length === 1 ? 'file is' : 'files are'} in no tsconfig.json under ${path.relative(cwd, settings.typeAwareRoot!) || '.'}; linted without type information: ${shown}`,
  );
  return results.map((result) => relinted.get(result.filePath) ?? result);
}

/**
 * With the embedded config, a file's inline `/* eslint … *\/` comments and disable directives may
 * name rules of plugins that aren't loaded, or turn on core rules: only this plugin's findings
 * and files that can't be parsed are redis-lint's to report.
 */
function keepOwnFindings(result: ESLint.LintResult): ESLint.LintResult {
  const keep = (message: Linter.LintMessage): boolean => isRedisRule(message.ruleId) || (message.ruleId === null && message.fatal === true);
  if (result.messages.every(keep) && result.suppressedMessages.every(keep)) return result;
  return withMessages(result, result.messages.filter(keep), result.suppressedMessages.filter(keep));
}

/**
 * The whole message on one line. ESLint puts the cause of a config error on the lines after the
 * first (`Key "rules": Key "redis/x":` / `Value 2.5 should be integer.`); stack frames are dropped.
 */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^at .+\(.*\)$|^at \S+:\d+:\d+$/.test(line));
  return lines.join(' ') || 'unknown error';
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'unknown error';
}
