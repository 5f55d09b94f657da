/**
 * Finds the JavaScript and TypeScript files under the paths a command was given. Skips
 * node_modules, dist, build and coverage, and whatever the .gitignore files on the way say.
 * Symbolic links inside directories are not followed; a caller that rewrites files asks for the
 * ones that point outside the given paths (`linksOutside`) to report them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { toPosixRelative } from './baseline';
import { UsageError } from './usage-error';

export const SOURCE_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts'];
const ALWAYS_SKIPPED = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);

interface IgnoreScope {
  dir: string;
  rules: Ignore;
}

/** A source file reached through a symbolic link whose target is outside the given paths. */
export interface LinkOutside {
  file: string;
  target: string;
  /** Named on the command line (not found in a directory). */
  named: boolean;
}

export function collectFiles(
  inputs: readonly string[],
  cwd: string,
  extensions: readonly string[] = SOURCE_EXTENSIONS,
  linksOutside?: LinkOutside[],
): string[] {
  const found = new Set<string>();
  const links: string[] = [];
  const named: string[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new UsageError(`No such file or directory: ${input}`);
    }
    if (stat.isFile()) {
      // A file named explicitly is linted even if an ignore rule would skip it.
      if (linksOutside && fs.lstatSync(absolute).isSymbolicLink()) named.push(absolute);
      else found.add(absolute);
      continue;
    }
    walkDirectory(absolute, ignoreScopesAbove(absolute), extensions, found, links);
  }
  if (linksOutside) {
    const roots = inputs.map((input) => path.resolve(cwd, input)).filter((input) => !named.includes(input)).map(realpathOrSelf);
    for (const link of links) {
      const target = realpathOrSelf(link);
      // A link to a file inside the given paths is reached there; the others are reported.
      if (!roots.some((root) => isInside(root, target))) linksOutside.push({ file: link, target, named: false });
    }
    for (const link of named) linksOutside.push({ file: link, target: realpathOrSelf(link), named: true });
  }
  return [...found].sort();
}

function realpathOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

export function listed(files: readonly string[], cwd: string, max = 5): string {
  const names = files.map((file) => toPosixRelative(cwd, file));
  return names.slice(0, max).join(', ') + (names.length > max ? `, and ${names.length - max} more` : '');
}

/** Whether `target` is `dir` or below it. */
export function isInside(dir: string, target: string): boolean {
  const relative = path.relative(dir, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function walkDirectory(dir: string, scopes: IgnoreScope[], extensions: readonly string[], found: Set<string>, links: string[]): void {
  const own = readIgnoreFile(dir);
  const active = own ? [...scopes, own] : scopes;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(full, true, active)) continue;
      walkDirectory(full, active, extensions, found, links);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && extensions.includes(path.extname(entry.name)) && !entry.name.endsWith('.d.ts')) {
      if (isIgnored(full, false, active)) continue;
      if (entry.isFile()) found.add(full);
      else links.push(full);
    }
  }
}

function isIgnored(full: string, isDirectory: boolean, scopes: IgnoreScope[]): boolean {
  for (const scope of scopes) {
    const relative = path.relative(scope.dir, full).split(path.sep).join('/');
    if (!relative || relative.startsWith('..')) continue;
    if (scope.rules.ignores(isDirectory ? `${relative}/` : relative)) return true;
  }
  return false;
}

function readIgnoreFile(dir: string): IgnoreScope | undefined {
  try {
    const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    return { dir, rules: ignore().add(text) };
  } catch {
    return undefined;
  }
}

/** .gitignore files in the directories above a target, up to the repository root. */
function ignoreScopesAbove(target: string): IgnoreScope[] {
  const scopes: IgnoreScope[] = [];
  let dir = path.dirname(target);
  for (;;) {
    const scope = readIgnoreFile(dir);
    if (scope) scopes.unshift(scope);
    if (fs.existsSync(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return scopes;
}
