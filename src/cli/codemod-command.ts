/**
 * `redis-lint codemod <name> [paths…]`: runs a codemod over a repository. `--dry` changes nothing
 * and prints a unified diff, `--print` prints the new text of each changed file, `--json` prints a
 * machine-readable summary, `--force` allows a git working tree with uncommitted changes under
 * the paths, `--list` describes the codemods. Exit codes: 0 done, 1 some files could not be
 * parsed or written, 2 usage error or refused.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODEMODS, codemodByName, transformPath, type CodemodEntry, type CodemodFlag } from '../../codemods';
import type { SiteReport } from '../transform/report';
import { runFiles, type FileResult } from '../transform/runner';
import { collectFiles } from './files';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CommandIO } from './usage-error';

export const CODEMOD_USAGE = `Usage: redis-lint codemod <name> [paths...] [options]
       redis-lint codemod --list

Rewrites Redis connection-pool faults across a repository. Paths default to "."; node_modules,
dist, build, coverage and .gitignore'd files are skipped.

Options:
      --dry          change nothing; print a unified diff of what would change
      --print        print the new text of each changed file
      --json         print a JSON summary (files changed, sites rewritten and skipped)
      --force        run even when the git working tree has uncommitted changes under the paths
      --workers <n>  transform on n worker threads (default: by repository size; 0: in-process)
      --list         describe each codemod and its own flags
  -h, --help         show this help

Exit codes: 0 done, 1 some files could not be parsed or written, 2 usage error or refused.`;

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
    return EXIT_OK;
  }
  if (parsed.list) {
    io.stdout.write(describeCodemods());
    return EXIT_OK;
  }
  const codemod = parsed.codemod!;
  const paths = parsed.paths.length > 0 ? parsed.paths : ['.'];
  const files = collectFiles(paths, io.cwd);
  if (!parsed.dry && !parsed.force) {
    const dirty = uncommittedChanges(paths, io.cwd);
    if (dirty.length > 0) {
      const more = dirty.length > 1 ? ` and ${dirty.length - 1} more` : '';
      io.stderr.write(
        `redis-lint: refusing to rewrite a git working tree with uncommitted changes (${dirty[0]}${more}); commit or stash them, or pass --force\n`,
      );
      return EXIT_USAGE;
    }
  }
  const results = await runFiles(
    files,
    {
      transform: transformPath(codemod),
      options: parsed.options,
      dry: parsed.dry,
      diff: parsed.dry,
      print: parsed.print,
      cwd: io.cwd,
    },
    parsed.workers,
  );
  const relative = (file: string) => path.relative(io.cwd, file).split(path.sep).join('/') || '.';
  if (parsed.json) {
    io.stdout.write(`${JSON.stringify(jsonSummary(codemod, parsed, results, relative), null, 2)}\n`);
  } else {
    for (const result of results) {
      if (result.diff) io.stdout.write(result.diff);
      if (result.output !== undefined) {
        if (results.filter((other) => other.output !== undefined).length > 1) io.stdout.write(`==> ${relative(result.file)} <==\n`);
        io.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
      }
    }
    // The summary stays off stdout when stdout carries a diff or file text.
    const summaryStream = parsed.dry || parsed.print ? io.stderr : io.stdout;
    summaryStream.write(textSummary(codemod, parsed, results, relative));
  }
  return results.some((result) => result.status === 'failed') ? EXIT_FINDINGS : EXIT_OK;
}

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
    switch (flag) {
      case '-h':
      case '--help':
        parsed.help = true;
        break;
      case '--list':
        parsed.list = true;
        break;
      case '--dry':
      case '--dry-run':
        parsed.dry = true;
        break;
      case '--print':
        parsed.print = true;
        break;
      case '--json':
        parsed.json = true;
        break;
      case '--force':
        parsed.force = true;
        break;
      case '--workers': {
        const raw = value();
        const count = Number(raw);
        if (!Number.isInteger(count) || count < 0) throw new UsageError(`--workers needs a whole number of threads, not "${raw}"`);
        parsed.workers = count;
        break;
      }
      default: {
        const own = codemod?.flags.find((candidate) => `--${candidate.name}` === flag);
        if (!own) throw new UsageError(`unknown option ${flag}${codemod ? ` for codemod ${codemod.name}` : ''}; run redis-lint codemod --list`);
        parsed.options[own.option] = flagValue(own, own.type === 'boolean' ? inline ?? 'true' : value());
      }
    }
  }
  if (parsed.help || parsed.list) return parsed;
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
      return number;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--${flag.name} is true or false, not "${raw}"`);
      return raw === 'true';
    default:
      return raw;
  }
}

function describeCodemods(): string {
  const lines: string[] = [];
  for (const codemod of CODEMODS) {
    lines.push(codemod.name);
    lines.push(...wrap(codemod.description, 76).map((line) => `    ${line}`));
    for (const flag of codemod.flags) {
      const usage = `--${flag.name}${flag.type === 'boolean' ? '' : ` <${flag.placeholder ?? flag.type}>`}`;
      lines.push(`    ${usage}`);
      lines.push(...wrap(flag.description, 72).map((line) => `        ${line}`));
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
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

/**
 * Files with uncommitted changes (modified, staged, untracked) under the paths, by git. Paths
 * outside a git repository, or without git installed, have none.
 */
export function uncommittedChanges(paths: readonly string[], cwd: string): string[] {
  const byRoot = new Map<string, string[]>();
  for (const input of paths) {
    const absolute = path.resolve(cwd, input);
    const dir = fs.statSync(absolute).isDirectory() ? absolute : path.dirname(absolute);
    const root = git(['rev-parse', '--show-toplevel'], dir)?.trim();
    if (!root) continue;
    const list = byRoot.get(root) ?? [];
    list.push(absolute);
    byRoot.set(root, list);
  }
  const dirty: string[] = [];
  for (const [root, targets] of byRoot) {
    const output = git(['status', '--porcelain', '-z', '--untracked-files=all', '--', ...targets], root);
    if (!output) continue;
    const entries = output.split('\0');
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.length < 4) continue;
      dirty.push(path.relative(cwd, path.join(root, entry.slice(3))).split(path.sep).join('/'));
      // `XY path`; a rename or copy is followed by its old path, with no status of its own.
      if (entry[0] === 'R' || entry[0] === 'C') i++;
    }
  }
  return dirty;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function textSummary(codemod: CodemodEntry, args: CodemodArgs, results: FileResult[], relative: (file: string) => string): string {
  const changed = results.filter((result) => result.status === 'changed').length;
  const failed = results.filter((result) => result.status === 'failed');
  const rewritten = results.reduce((sum, result) => sum + result.rewritten.length, 0);
  const skipped = sortedSites(results.flatMap((result) => result.skipped));
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const lines = [
    `${codemod.name}: ${plural(changed, 'file', 'files')} ${args.dry ? 'would change' : 'changed'}, ` +
      `${plural(rewritten, 'site', 'sites')} ${args.dry ? 'to rewrite' : 'rewritten'}, ${plural(skipped.length, 'site', 'sites')} skipped` +
      `${failed.length > 0 ? `, ${plural(failed.length, 'file', 'files')} failed` : ''} (${plural(results.length, 'file', 'files')} scanned)`,
  ];
  if (skipped.length > 0) {
    lines.push('Skipped:');
    for (const site of skipped) lines.push(`  ${relative(site.file)}:${site.line}:${site.column + 1}  ${site.reason}`);
  }
  if (failed.length > 0) {
    lines.push('Failed:');
    for (const result of failed) lines.push(`  ${relative(result.file)}  ${result.error}`);
  }
  return `${lines.join('\n')}\n`;
}

function jsonSummary(codemod: CodemodEntry, args: CodemodArgs, results: FileResult[], relative: (file: string) => string): object {
  const site = (report: SiteReport) => ({ file: relative(report.file), line: report.line, column: report.column + 1, reason: report.reason });
  return {
    codemod: codemod.name,
    dry: args.dry,
    filesScanned: results.length,
    filesChanged: results.filter((result) => result.status === 'changed').map((result) => relative(result.file)),
    sitesRewritten: sortedSites(results.flatMap((result) => result.rewritten)).map(site),
    sitesSkipped: sortedSites(results.flatMap((result) => result.skipped)).map(site),
    failures: results.filter((result) => result.status === 'failed').map((result) => ({ file: relative(result.file), message: result.error })),
    ...(args.dry ? { diffs: Object.fromEntries(results.filter((result) => result.diff).map((result) => [relative(result.file), result.diff])) } : {}),
  };
}

function sortedSites(sites: SiteReport[]): SiteReport[] {
  return [...sites].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
