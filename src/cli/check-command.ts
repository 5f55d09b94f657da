/** `redis-lint [check] [paths…]`: lints, applies the baseline and reports (options and exit codes: CHECK_USAGE). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ESLint } from 'eslint';
import {
  applyBaseline,
  buildBaseline,
  fingerprintResults,
  readBaseline,
  resultOf,
  toPosixRelative,
  withMessages,
  writeBaseline,
  type BaselineFile,
  type FingerprintMap,
} from './baseline';
import { CHECK_USAGE, parseCheckArgs, type CheckArgs } from './check-args';
import { embeddedRuleLevels, levelOf, loadPlugin, SOURCE_GLOB, type LintSettings } from './check-config';
import { firstLine, lintProject, type LintRun, type SkippedFile } from './check-lint';
import { collectFiles, isInside, listed, SOURCE_EXTENSIONS } from './files';
import { redisRuleInfo, toSarif, type RuleInfo } from './sarif';
import { TEST_CODE_FILES } from '../test-code';
import { applyTestCodePolicy } from './test-code';
import { EXIT_FINDINGS, EXIT_OK, UsageError, writeOutput, type CommandIO } from './usage-error';

export async function run(args: string[], io: CommandIO): Promise<number> {
  const options = parseCheckArgs(args, io.cwd);
  if (options.help) {
    io.stdout.write(`${CHECK_USAGE}\n`);
    return EXIT_OK;
  }
  if (options.config !== undefined) assertReadableFile(options.config, 'config file');
  const baseline = options.baseline !== undefined && !options.updateBaseline ? readBaseline(options.baseline) : undefined;

  if (options.output !== undefined) assertWritableOutput(options.output, io.cwd);

  const files = collectFiles(options.paths, io.cwd);
  // Nothing linted is not a pass.
  if (files.length === 0) throw new UsageError(`no JavaScript or TypeScript files to lint in ${options.paths.join(', ')} (${SOURCE_EXTENSIONS.join(' ')}; node_modules, dist, build, coverage and .gitignore'd files are skipped)`);
  const settings: LintSettings = {
    cwd: commonAncestor([io.cwd, ...files]),
    configFile: options.config ?? null,
    rules: options.rules,
    typeAwareRoot: options.typeAware ? typeAwareRoot(options.paths, io.cwd) : null,
    fix: options.fix,
    cache: options.cache,
    cacheLocation: options.cacheLocation,
    concurrency: options.concurrency,
  };
  const lint = await lintProject(files, settings, io);
  // Test code's findings are warnings by default; with --config the config decides unless asked.
  lint.results = applyTestCodePolicy(lint.results, {
    level: options.testCode ?? (options.config === undefined ? 'warn' : 'error'),
    patterns: options.testFiles ?? TEST_CODE_FILES,
    roots: options.paths.map((target) => path.resolve(io.cwd, target)),
  });
  if (lint.results.length === 0) throw new UsageError(nothingLinted(lint.skipped, options, io.cwd));
  for (const notice of lint.notices) io.stderr.write(`redis-lint: ${notice}\n`);
  if (lint.skipped.length > 0) io.stderr.write(`redis-lint: ${skippedSummary(lint.skipped, files.length, io.cwd)}\n`);
  if (options.fix) io.stderr.write(`redis-lint: ${fixSummary(lint.results, io.cwd)}\n`);
  const fingerprints = fingerprintResults(lint.results);

  if (options.updateBaseline) return updateBaseline(lint.results, fingerprints, options.baseline!, io);

  let results = lint.results;
  if (baseline) {
    const outcome = applyBaseline(results, fingerprints, options.baseline!, baseline);
    results = outcome.results;
    if (outcome.stale > 0) {
      io.stderr.write(
        `redis-lint: ${outcome.stale} baseline ${outcome.stale === 1 ? 'entry no longer occurs' : 'entries no longer occur'}; run with --update-baseline to drop ${outcome.stale === 1 ? 'it' : 'them'}\n`,
      );
    }
  }
  if (options.quiet) results = results.map((result) => withMessages(result, result.messages.filter((message) => message.severity === 2)));

  writeReport(await formatReport(results, fingerprints, lint, options, io), options, io);

  const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
  const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
  const tooManyWarnings = options.maxWarnings >= 0 && warnings > options.maxWarnings;
  if (tooManyWarnings && errors === 0) {
    io.stderr.write(`redis-lint: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}\n`);
  }
  return errors > 0 || tooManyWarnings ? EXIT_FINDINGS : EXIT_OK;
}

function updateBaseline(results: ESLint.LintResult[], fingerprints: FingerprintMap, file: string, io: CommandIO): number {
  let previous: BaselineFile | undefined;
  try {
    previous = readBaseline(file);
  } catch {
    // A missing or unreadable old baseline is simply replaced.
  }
  const baseline = buildBaseline(results, fingerprints, file, previous);
  writeBaseline(file, baseline);
  const fileCount = new Set(baseline.findings.map((entry) => entry.file)).size;
  io.stdout.write(
    `redis-lint: wrote ${baseline.findings.length} ${baseline.findings.length === 1 ? 'finding' : 'findings'} in ${fileCount} ${fileCount === 1 ? 'file' : 'files'} to ${path.relative(io.cwd, file) || file}\n`,
  );
  return EXIT_OK;
}

async function formatReport(
  results: ESLint.LintResult[],
  fingerprints: FingerprintMap,
  lint: LintRun,
  options: CheckArgs,
  io: CommandIO,
): Promise<string> {
  if (options.format === 'sarif') {
    return `${JSON.stringify(sarifFor(results, fingerprints, lint, options, io), null, 2)}\n`;
  }
  let formatter: ESLint.LoadedFormatter;
  try {
    formatter = await lint.eslint.loadFormatter(options.format);
  } catch (error) {
    throw new UsageError(`Unknown format "${options.format}" for --format: not sarif, a built-in ESLint formatter or an installed one (${firstLine(error)})`);
  }
  // ESLint's JSON carries ignored files the way ESLint reports them with warnIgnored (a result
  // with one warning saying why); they count for nothing in the exit code.
  const reported = options.format === 'json' ? [...results, ...lint.skipped.filter((skip) => skip.reason !== 'unparsable').map(ignoredResult)] : results;
  // A report written to a file gets no colour codes, whatever stdout is.
  const text = await formatter.format(reported, options.output === undefined ? {} : { color: false });
  return options.format === 'json' ? `${text}\n` : text;
}

function sarifFor(results: ESLint.LintResult[], fingerprints: FingerprintMap, lint: LintRun, options: CheckArgs, io: CommandIO): object {
  const plugin = loadPlugin();
  const rules: RuleInfo[] = [];
  if (options.config === undefined) {
    for (const [id, setting] of Object.entries(embeddedRuleLevels(options.rules))) {
      const level = levelOf(setting);
      if (level === 'off') continue;
      const name = id.slice('redis/'.length);
      rules.push(redisRuleInfo(name, plugin.rules[name]?.meta, level === 'error' ? 'error' : 'warning'));
    }
  }
  const meta = rulesMetaFor(lint.eslint, results);
  const levels = new Map<string, 'error' | 'warning'>();
  for (const result of results) {
    for (const message of result.messages) {
      if (message.ruleId && !levels.has(message.ruleId)) levels.set(message.ruleId, message.severity === 2 ? 'error' : 'warning');
    }
  }
  return toSarif({
    results,
    fingerprints,
    root: io.cwd,
    toolVersion: plugin.meta.version,
    rules,
    notifications: [...lint.notices, ...lint.skipped.map((skip) => `${toPosixRelative(io.cwd, skip.file)} was not checked by any rule: ${skipReason(skip)}`)],
    describeRule: (ruleId) => {
      const level = levels.get(ruleId) ?? 'warning';
      const name = ruleId.slice('redis/'.length);
      if (ruleId.startsWith('redis/') && plugin.rules[name]) return redisRuleInfo(name, plugin.rules[name].meta, level);
      const docs = meta[ruleId]?.docs;
      if (!docs) return undefined;
      return { id: ruleId, description: docs.description ?? ruleId, helpUri: docs.url, level };
    },
  });
}

function rulesMetaFor(eslint: ESLint, results: ESLint.LintResult[]): Record<string, { docs?: { description?: string; url?: string } }> {
  try {
    return eslint.getRulesMetaForResults(results) as Record<string, { docs?: { description?: string; url?: string } }>;
  } catch {
    // Results relinted by a second instance (untyped fallback) may be unknown to this one.
    return {};
  }
}

const SKIP_WORDS: Record<SkippedFile['reason'], string> = {
  unconfigured: 'match no config object\'s "files"',
  ignored: 'are ignored by the config\'s "ignores"',
  'no-rules': 'have no rule turned on',
  unparsable: 'could not be parsed',
};

function skipReason(skip: SkippedFile): string {
  return skip.reason === 'unparsable' ? `it could not be parsed (${skip.detail})` : skip.detail;
}

/** One line: how many files no rule checked, why, and which. */
export function skippedSummary(skipped: readonly SkippedFile[], total: number, cwd: string): string {
  const parts = (Object.keys(SKIP_WORDS) as SkippedFile['reason'][]).flatMap((reason) => {
    const files = skipped.filter((skip) => skip.reason === reason).map((skip) => skip.file);
    return files.length === 0 ? [] : [`${files.length} ${SKIP_WORDS[reason]} (${listed(files, cwd)})`];
  });
  return `${skipped.length} of ${total} ${total === 1 ? 'file was' : 'files were'} not checked by any rule: ${parts.join('; ')}`;
}

/** The one line for a run in which ESLint linted none of the files: why, and what to change. */
export function nothingLinted(skipped: readonly SkippedFile[], options: Pick<CheckArgs, 'config'>, cwd: string): string {
  const subject = options.config === undefined ? 'redis-lint' : `the config ${toPosixRelative(cwd, options.config)}`;
  const unconfigured = skipped.filter((skip) => skip.reason === 'unconfigured' || skip.reason === 'no-rules').map((skip) => skip.file);
  const ignored = skipped.filter((skip) => skip.reason === 'ignored').map((skip) => skip.file);
  const none = skipped.length === 1 ? 'does not lint the one file given' : `lints none of the ${skipped.length} files given`;
  if (ignored.length === 0) {
    const fix =
      options.config === undefined
        ? 'name JavaScript or TypeScript files'
        : `give the config object that turns on the redis rules files: ['${SOURCE_GLOB}'] (and, for TypeScript, languageOptions.parser from typescript-eslint), or run without --config`;
    return `${subject} ${none}: no config object that turns on a rule matches ${skipped.length === 1 ? 'it' : 'them'} (${listed(unconfigured, cwd, 3)}); ${fix}`;
  }
  if (unconfigured.length === 0) {
    return `${subject} ${none}: its "ignores" match all of them (${listed(ignored, cwd, 3)}); change its ignores or the paths given`;
  }
  return `${subject} ${none}: ${unconfigured.length} match no config object that turns on a rule (${listed(unconfigured, cwd, 2)}) and ${ignored.length} are ignored by its "ignores" (${listed(ignored, cwd, 2)}); add files: ['${SOURCE_GLOB}'] to the object that turns on the redis rules, or change its ignores`;
}

/** What --fix did: a run that fixed nothing says so, rather than nothing at all. */
export function fixSummary(results: readonly ESLint.LintResult[], cwd: string): string {
  const fixed = results.filter((result) => typeof result.output === 'string').map((result) => result.filePath);
  if (fixed.length > 0) return `--fix rewrote ${fixed.length} ${fixed.length === 1 ? 'file' : 'files'}: ${listed(fixed, cwd)}`;
  const remaining = results.reduce((sum, result) => sum + result.errorCount + result.warningCount, 0);
  if (remaining === 0) return '--fix changed nothing: there was nothing to fix';
  return `--fix changed nothing: ${remaining === 1 ? 'the one finding has no autofix' : `none of the ${remaining} findings has an autofix`} (the rules offer suggestions in the editor; redis-lint codemod --list shows the rewrites)`;
}

function ignoredResult(skip: SkippedFile): ESLint.LintResult {
  return resultOf(skip.file, [{ ruleId: null, severity: 1, message: skip.detail, line: 0, column: 0 }]);
}

/** Fails before a long lint, not after it, when `-o` can't be written. */
function assertWritableOutput(file: string, cwd: string): void {
  const shown = (target: string) => path.relative(cwd, target) || target;
  const fail = (why: string): never => {
    throw new UsageError(`Cannot write the report to ${shown(file)}: ${why}`);
  };
  try {
    if (fs.statSync(file).isDirectory()) fail('it is a directory');
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') fail(`${shown(dir)} is not accessible (${code})`);
      if (path.dirname(dir) === dir) return;
      continue;
    }
    if (!stat.isDirectory()) fail(`${shown(dir)} is not a directory`);
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      fail(`${shown(dir)} is not writable`);
    }
    return;
  }
}

function writeReport(text: string, options: CheckArgs, io: CommandIO): void {
  if (options.output === undefined) {
    if (text) io.stdout.write(text);
    return;
  }
  writeOutput(options.output, text, 'the report to');
}

function assertReadableFile(file: string, what: string): void {
  try {
    if (!fs.statSync(file).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    throw new UsageError(`Cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/**
 * tsconfigRootDir bounds the project service's upward search for tsconfig.json. It starts at the
 * directory redis-lint runs in when every target is inside it (otherwise the directory the
 * targets share) and widens to the nearest directory above with a tsconfig.json, so that
 * `cd src && redis-lint --type-aware` still finds the project's tsconfig.
 */
function typeAwareRoot(paths: readonly string[], cwd: string): string {
  const targets = paths.map((target) => path.resolve(cwd, target));
  const base = targets.every((target) => isInside(cwd, target))
    ? cwd
    : commonAncestor(targets.map((target) => (fs.statSync(target).isFile() ? path.dirname(target) : target)));
  for (let dir = base; ; ) {
    if (fs.existsSync(path.join(dir, 'tsconfig.json'))) return dir;
    // Not past the repository root: a tsconfig.json above it belongs to something else.
    if (fs.existsSync(path.join(dir, '.git'))) return base;
    const parent = path.dirname(dir);
    if (parent === dir) return base;
    dir = parent;
  }
}

/** ESLint ignores files outside its cwd, so its cwd is the directory all of them share. */
function commonAncestor(paths: readonly string[]): string {
  let common = paths[0]!;
  for (const candidate of paths.slice(1)) {
    while (!isInside(common, candidate)) {
      const parent = path.dirname(common);
      if (parent === common) return common;
      common = parent;
    }
  }
  return common;
}
