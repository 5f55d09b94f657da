/** `redis-lint codemod <name> [paths…]`: runs a codemod over a repository (flags and exit codes: CODEMOD_USAGE). */
import * as path from 'node:path';
import { CODEMODS, codemodByName, transformPath, type CodemodEntry, type CodemodFlag } from '../../codemods';
import type { SiteReport } from '../transform/report';
import { runFiles, uncommittedChanges, type FileResult } from '../transform/runner';
import { collectFiles, type LinkOutside } from './files';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, wholeNumber, type CommandIO } from './usage-error';

/** The exit code of a run stopped by a signal (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

export const CODEMOD_USAGE = `Usage: redis-lint codemod <name> [paths...] [options]
       redis-lint codemod --list
       redis-lint codemod <name> --help

Rewrites Redis connection-pool faults across a repository. Paths default to "."; node_modules,
dist, build, coverage and .gitignore'd files are skipped; symbolic links are not followed.

Options:
      --dry          change nothing; print a unified diff of what would change
      --print        change nothing; print the new text of each changed file
      --json         print a JSON summary (files changed, sites rewritten and skipped)
      --force        run even when the git working tree has uncommitted changes under the paths
      --workers <n>  transform on n worker threads (default: by repository size; 0: in-process)
      --list         describe each codemod and its own flags
  -h, --help         show this help (with a codemod name: that codemod's flags too)

Files are read and written as bytes: a UTF-8 BOM, line endings and non-UTF-8 text are kept
byte for byte outside the rewritten code. Each file is written atomically; a file that changed
on disk while the codemod ran, and a read-only file, are reported and left as they are.

Exit codes: 0 done, 1 some files could not be parsed, written or rewritten, 2 usage error or
refused, 130 interrupted (the summary lists the files already rewritten).`;

interface CodemodArgs {
  help: boolean;
  list: boolean;
  name: string | undefined;
  paths: string[];
  dry: boolean;
  print: boolean;
  json: boolean;
  force: boolean;
  workers: number | undefined;
  options: Record<string, unknown>;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed.help) {
    io.stdout.write(`${CODEMOD_USAGE}\n`);
    if (parsed.codemod) io.stdout.write(`\n${describeCodemod(parsed.codemod)}`);
    return EXIT_OK;
  }
  if (parsed.list) {
    io.stdout.write(CODEMODS.map(describeCodemod).join(''));
    return EXIT_OK;
  }
  const codemod = parsed.codemod!;
  const paths = parsed.paths.length > 0 ? parsed.paths : ['.'];
  const links: LinkOutside[] = [];
  const files = collectFiles(paths, io.cwd, undefined, links);
  const writes = !parsed.dry && !parsed.print;
  if (writes && !parsed.force) {
    const dirty = uncommittedChanges(paths, io.cwd);
    if (dirty.length > 0) {
      const more = dirty.length > 1 ? ` and ${dirty.length - 1} more` : '';
      io.stderr.write(
        `redis-lint: refusing to rewrite a git working tree with uncommitted changes (${dirty[0]}${more}); commit or stash them, or pass --force\n`,
      );
      return EXIT_USAGE;
    }
  }
  const stop = new AbortController();
  // The first signal stops the run between files; a second one ends the process at once (each
  // file is still whole: writes are atomic renames).
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(EXIT_INTERRUPTED);
    stop.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  let results: FileResult[];
  try {
    results = await runFiles(
      files,
      {
        transform: transformPath(codemod),
        options: parsed.options,
        dry: !writes,
        diff: parsed.dry,
        print: parsed.print,
        cwd: io.cwd,
        refuseDirty: writes && !parsed.force,
      },
      { workers: parsed.workers, signal: stop.signal },
    );
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
  for (const link of links) {
    const why = link.named ? 'not followed (name the file it points to)' : 'outside the given paths; not followed';
    results.push({ file: link.file, status: 'skipped', rewritten: [], skipped: [], error: `a symbolic link to ${link.target}, ${why}` });
  }
  const relative = (file: string) => path.relative(io.cwd, file).split(path.sep).join('/') || '.';
  const interrupted = stop.signal.aborted;
  const summary = summaryOf(codemod, parsed, results, relative, interrupted);
  if (parsed.json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const shown = results.flatMap((result) => [result, ...(result.others ?? []).map((other) => ({ ...other, encoding: undefined }))]);
    const printed = shown.filter((result) => result.output !== undefined);
    for (const result of shown) {
      // In the file's own encoding, so that `git apply` and a redirect get the bytes that would be written.
      if (result.diff) io.stdout.write(Buffer.from(result.diff, result.encoding ?? 'utf8'));
      if (result.output !== undefined) {
        if (printed.length > 1) io.stdout.write(`==> ${relative(result.file)} <==\n`);
        io.stdout.write(Buffer.from(result.output.endsWith('\n') ? result.output : `${result.output}\n`, result.encoding ?? 'utf8'));
      }
    }
    // The summary stays off stdout when stdout carries a diff or file text.
    const summaryStream = parsed.dry || parsed.print ? io.stderr : io.stdout;
    summaryStream.write(textSummary(summary));
  }
  if (interrupted) return EXIT_INTERRUPTED;
  return results.some((result) => result.status === 'failed' || result.status === 'skipped') ? EXIT_FINDINGS : EXIT_OK;
}

/** The command's own on/off flags (a value after `=` is ignored). */
const SWITCHES = new Map<string, 'help' | 'list' | 'dry' | 'print' | 'json' | 'force'>([
  ['-h', 'help'],
  ['--help', 'help'],
  ['--list', 'list'],
  ['--dry', 'dry'],
  ['--dry-run', 'dry'],
  ['--print', 'print'],
  ['--json', 'json'],
  ['--force', 'force'],
]);

function parseArgs(args: string[]): CodemodArgs & { codemod?: CodemodEntry } {
  const parsed: CodemodArgs = { help: false, list: false, name: undefined, paths: [], dry: false, print: false, json: false, force: false, workers: undefined, options: {} };
  // The codemod's own flags are known only once its name is: find the name first.
  const name = args.find((arg, index) => !arg.startsWith('-') && !takesValue(args[index - 1]));
  const codemod = name === undefined ? undefined : codemodByName(name);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === name && parsed.name === undefined) parsed.name = arg;
      else parsed.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      parsed.paths.push(...args.slice(i + 1));
      break;
    }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    const switchedOn = SWITCHES.get(flag);
    if (switchedOn) {
      parsed[switchedOn] = true;
      continue;
    }
    if (flag === '--workers') {
      parsed.workers = wholeNumber(value(), '--workers', 0);
      continue;
    }
    const own = codemod?.flags.find((candidate) => `--${candidate.name}` === flag);
    if (!own) throw new UsageError(`unknown option ${flag}${codemod ? ` for codemod ${codemod.name}` : ''}; run redis-lint codemod --list`);
    parsed.options[own.option] = flagValue(own, own.type === 'boolean' ? inline ?? 'true' : value());
  }
  if (parsed.help || parsed.list) return { ...parsed, codemod };
  if (parsed.name === undefined) throw new UsageError('which codemod? run redis-lint codemod --list');
  if (!codemod) throw new UsageError(`unknown codemod "${parsed.name}"; run redis-lint codemod --list`);
  return { ...parsed, codemod };

  function takesValue(previous: string | undefined): boolean {
    if (previous === undefined || previous.includes('=')) return false;
    if (previous === '--workers') return true;
    return CODEMODS.some((entry) => entry.flags.some((candidate) => candidate.type !== 'boolean' && `--${candidate.name}` === previous));
  }
}

function flagValue(flag: CodemodFlag, raw: string): unknown {
  switch (flag.type) {
    case 'number': {
      const number = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(number)) throw new UsageError(`--${flag.name} needs a number, not "${raw}"`);
      const choices = flag.choices?.();
      if (choices && !choices.includes(number)) {
        throw new UsageError(`--${flag.name} ${raw} is not a major redis-lint knows; use one of ${choices.join(', ')}`);
      }
      if (flag.integer && !Number.isInteger(number)) throw new UsageError(`--${flag.name} needs a whole number, not "${raw}"`);
      if (flag.min !== undefined && number < flag.min) throw new UsageError(`--${flag.name} needs a number of ${flag.min} or more, not "${raw}"`);
      return number;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--${flag.name} is true or false, not "${raw}"`);
      return raw === 'true';
    default:
      return raw;
  }
}

/** A codemod's name, what it does and its own flags (for --list and `codemod <name> --help`). */
function describeCodemod(codemod: CodemodEntry): string {
  const lines: string[] = [codemod.name];
  lines.push(...wrap(codemod.description, 76).map((line) => `    ${line}`));
  if (codemod.flags.length === 0) lines.push('    (no flags of its own)');
  for (const flag of codemod.flags) {
    const usage = `--${flag.name}${flag.type === 'boolean' ? '' : ` <${flag.valueName ?? flag.type}>`}`;
    const choices = flag.choices?.();
    const description = choices ? `${flag.description} (one of ${choices.join(', ')})` : flag.description;
    lines.push(`    ${usage}`);
    lines.push(...wrap(description, 72).map((line) => `        ${line}`));
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** What a run did, as `--json` prints it; the text summary is written from it too. */
function summaryOf(codemod: CodemodEntry, args: CodemodArgs, results: FileResult[], relative: (file: string) => string, interrupted: boolean) {
  const sites = (of: (result: FileResult) => SiteReport[]) =>
    sortedSites(results.flatMap(of)).map((report) => ({ file: relative(report.file), line: report.line, column: report.column + 1, reason: report.reason }));
  const withStatus = (status: FileResult['status']) => results.filter((result) => result.status === status);
  return {
    codemod: codemod.name,
    dry: args.dry || args.print,
    interrupted,
    filesScanned: results.length - withStatus('notReached').length,
    filesChanged: changedFiles(results).map(relative),
    sitesRewritten: sites((result) => result.rewritten),
    sitesSkipped: sites((result) => result.skipped),
    findingsUnplanned: sites((result) => result.unplanned ?? []),
    failures: withStatus('failed').map((result) => ({ file: relative(result.file), message: result.error })),
    filesLeft: withStatus('skipped').map((result) => ({ file: relative(result.file), reason: result.error })),
    ...(interrupted ? { filesNotReached: withStatus('notReached').map((result) => relative(result.file)) } : {}),
    ...(args.dry ? { diffs: Object.fromEntries(results.flatMap((result) => [result, ...(result.others ?? [])]).filter((result) => result.diff).map((result) => [relative(result.file), result.diff])) } : {}),
  };
}

function textSummary(summary: ReturnType<typeof summaryOf>): string {
  const { dry: preview, filesChanged: changed, sitesSkipped: skipped, findingsUnplanned: unplanned } = summary;
  const { failures: failed, filesLeft: left } = summary;
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const lines = [
    `${summary.codemod}: ${plural(changed.length, 'file', 'files')} ${preview ? 'would change' : 'changed'}, ` +
      `${plural(summary.sitesRewritten.length, 'site', 'sites')} ${preview ? 'to rewrite' : 'rewritten'}, ${plural(skipped.length, 'site', 'sites')} skipped` +
      `${unplanned.length > 0 ? `, ${plural(unplanned.length, 'finding', 'findings')} with no rewrite planned` : ''}` +
      `${failed.length > 0 ? `, ${plural(failed.length, 'file', 'files')} failed` : ''}` +
      `${left.length > 0 ? `, ${plural(left.length, 'file', 'files')} left as ${left.length === 1 ? 'it was' : 'they were'}` : ''} (${plural(summary.filesScanned, 'file', 'files')} scanned)`,
  ];
  const section = (title: string, rows: string[]) => rows.length > 0 && lines.push(title, ...rows.map((row) => `  ${row}`));
  if (summary.filesNotReached) {
    const notReached = summary.filesNotReached.length;
    const untouched = `${plural(notReached, 'file was', 'files were')} not reached and ${notReached === 1 ? 'is' : 'are'} untouched`;
    lines.push(`Interrupted: ${untouched}; every file reached is either as it was or fully rewritten.`);
    if (!preview) section('Rewritten before the interruption:', changed);
  }
  const at = (site: (typeof skipped)[number]) => `${site.file}:${site.line}:${site.column}  `;
  section('Skipped:', skipped.map((site) => at(site) + site.reason));
  section('Found, no rewrite planned:', unplanned.map((site) => at(site) + site.reason.replace(/^found, no rewrite planned: /, '')));
  section('Failed:', failed.map((failure) => `${failure.file}  ${failure.message}`));
  section('Left as they were:', left.map((file) => `${file.file}  ${file.reason}`));
  return `${lines.join('\n')}\n`;
}

/** Files changed, with the other files their rewrites edit, each once. */
function changedFiles(results: FileResult[]): string[] {
  return [...new Set(results.filter((result) => result.status === 'changed').flatMap((result) => [result.file, ...(result.others ?? []).map((other) => other.file)]))];
}

function sortedSites(sites: SiteReport[]): SiteReport[] {
  return [...sites].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
