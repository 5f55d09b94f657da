/**
 * The line width a file is formatted at, so a fix that lengthens a line can break it where the
 * file's formatter would: Prettier's `printWidth`, else EditorConfig's `max_line_length` for the
 * file, else what the file's own lines show. Worked out once per parsed file, and the settings
 * files read once per directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Prettier's default, which a Prettier config without `printWidth` formats at. */
const PRETTIER_DEFAULT_WIDTH = 80;
/** A tab counts as Prettier's default tab width when lines are measured. */
const TAB_WIDTH = 2;
/** The widths a file is taken to be formatted at, when no setting says. */
const USUAL_WIDTHS = [80, 100, 120];
/** The share of a file's lines that must fit a width for the file to be taken as formatted at it. */
const FITTING_SHARE = 0.95;

export interface LineWidth {
  width: number;
  from: 'prettier' | 'editorconfig' | 'file';
}

/** The file's line width: its settings (read once per directory), else its lines. */
export function lineWidthOf(filename: string | undefined, text: string): LineWidth {
  return (filename && path.isAbsolute(filename) ? configuredWidth(filename) : undefined) ?? { width: inferredWidth(text), from: 'file' };
}

/** How wide a line is, a tab counted as Prettier counts it by default. */
export function displayWidth(line: string): number {
  let width = 0;
  for (const character of line) width += character === '\t' ? TAB_WIDTH : 1;
  return width;
}

/** The smallest usual width that ≥ 95% of the file's non-blank lines fit in (else the widest). */
export function inferredWidth(text: string): number {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
  if (lines.length === 0) return PRETTIER_DEFAULT_WIDTH;
  const widths = lines.map(displayWidth);
  return USUAL_WIDTHS.find((limit) => widths.filter((width) => width <= limit).length >= FITTING_SHARE * widths.length) ?? USUAL_WIDTHS[USUAL_WIDTHS.length - 1]!;
}

/** The width a Prettier or EditorConfig file above `filename` sets, nearest first. */
function configuredWidth(filename: string): LineWidth | undefined {
  const prettier = nearestPrettier(path.dirname(filename));
  if (prettier?.printWidth !== undefined) return { width: prettier.printWidth, from: 'prettier' };
  const editorconfig = editorconfigWidth(filename);
  if (editorconfig !== undefined) return { width: editorconfig, from: 'editorconfig' };
  // Prettier formats at its default width when its config leaves printWidth out.
  return prettier ? { width: PRETTIER_DEFAULT_WIDTH, from: 'prettier' } : undefined;
}

const prettierByDir = new Map<string, { printWidth?: number } | null>();

/** The nearest Prettier config (`.prettierrc`, `.prettierrc.json`, package.json `prettier`) from `dir` up. */
function nearestPrettier(dir: string): { printWidth?: number } | undefined {
  const cached = prettierByDir.get(dir);
  if (cached !== undefined) return cached ?? undefined;
  let found = prettierIn(dir);
  const parent = path.dirname(dir);
  if (found === undefined && parent !== dir && !isRepositoryRoot(dir)) found = nearestPrettier(parent);
  prettierByDir.set(dir, found ?? null);
  return found;
}

function prettierIn(dir: string): { printWidth?: number } | undefined {
  for (const name of ['.prettierrc', '.prettierrc.json', '.prettierrc.json5', '.prettierrc.yaml', '.prettierrc.yml']) {
    const text = readIfFile(path.join(dir, name));
    if (text !== undefined) return { printWidth: topLevelPrintWidth(text) };
  }
  const manifest = readIfFile(path.join(dir, 'package.json'));
  if (manifest === undefined) return undefined;
  try {
    const prettier = (JSON.parse(manifest) as { prettier?: unknown }).prettier;
    // Absent, or a shared config named by a string (its width can't be read without resolving it).
    if (typeof prettier !== 'object' || prettier === null) return undefined;
    return { printWidth: widthValue(String((prettier as { printWidth?: unknown }).printWidth ?? '')) };
  } catch {
    return undefined;
  }
}

/**
 * The top-level `printWidth` of a Prettier config in JSON, else in YAML (a key at the start of a
 * line); one inside `overrides` applies to some files only and is not read.
 */
function topLevelPrintWidth(text: string): number | undefined {
  try {
    const parsed = JSON.parse(text) as { printWidth?: unknown };
    return widthValue(String(parsed.printWidth ?? ''));
  } catch {
    return widthValue(/^["']?printWidth["']?\s*:\s*(\d+)/m.exec(text)?.[1]);
  }
}

/**
 * `max_line_length` for the file from the `.editorconfig` files above it, up to one marked
 * `root = true`: nearer files and later sections win.
 */
function editorconfigWidth(filename: string): number | undefined {
  const files: string[] = [];
  for (let dir = path.dirname(filename); ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.editorconfig');
    const text = readEditorconfig(file);
    if (text !== undefined) {
      files.push(file);
      if (/^\s*root\s*=\s*true\s*$/im.test(text.split(/^\s*\[/m)[0] ?? '')) break;
    }
    if (path.dirname(dir) === dir || isRepositoryRoot(dir)) break;
  }
  let width: number | undefined;
  let set = false;
  for (const file of files.reverse()) {
    const relative = path.relative(path.dirname(file), filename).split(path.sep).join('/');
    for (const section of editorconfigSections(readEditorconfig(file)!)) {
      if (section.maxLineLength === undefined || !globMatches(section.glob, relative)) continue;
      set = true;
      width = widthValue(section.maxLineLength);
    }
  }
  return set ? width : undefined;
}

const sectionsByText = new Map<string, Array<{ glob: string; maxLineLength?: string }>>();

function editorconfigSections(text: string): Array<{ glob: string; maxLineLength?: string }> {
  const cached = sectionsByText.get(text);
  if (cached) return cached;
  const sections: Array<{ glob: string; maxLineLength?: string }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      sections.push({ glob: header[1]! });
      continue;
    }
    const pair = /^max_line_length\s*=\s*(\S+)/i.exec(line);
    const current = sections[sections.length - 1];
    if (pair && current) current.maxLineLength = pair[1]!.toLowerCase();
  }
  sectionsByText.set(text, sections);
  return sections;
}

/** EditorConfig globs: `*`, `**`, `?`, `{a,b}`, `[…]`; a glob without `/` matches the name in any folder. */
export function globMatches(glob: string, relativePath: string): boolean {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const character = glob[i]!;
    if (character === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
    } else if (character === '*') pattern += '[^/]*';
    else if (character === '?') pattern += '[^/]';
    else if (character === '{') pattern += '(?:';
    else if (character === '}') pattern += ')';
    else if (character === ',') pattern += '|';
    else if (character === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) pattern += '\\[';
      else {
        pattern += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else pattern += character.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  const anchored = glob.includes('/') ? `^${pattern.replace(/^\\\//, '')}$` : `(?:^|/)${pattern}$`;
  return new RegExp(anchored).test(relativePath);
}

/** A width from a setting; `off` and anything that is not a positive number give none. */
function widthValue(value: string | undefined): number | undefined {
  const width = Number(value);
  return value && Number.isInteger(width) && width > 0 ? width : undefined;
}

function isRepositoryRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.git'));
}

const editorconfigs = new Map<string, string | undefined>();

/** An `.editorconfig`, read once. */
function readEditorconfig(file: string): string | undefined {
  if (!editorconfigs.has(file)) editorconfigs.set(file, readIfFile(file));
  return editorconfigs.get(file);
}

function readIfFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether replacing `source[start, end)` with `replacement` pushes a line that fits today past
 * the file's width (a line already past it is the file's choice, left as it is).
 */
export function overflows(source: string, start: number, end: number, replacement: string, width: number): boolean {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', end);
  const lineEnd = newline < 0 ? source.length : source[newline - 1] === '\r' ? newline - 1 : newline;
  const before = source.slice(lineStart, start);
  const after = source.slice(end, lineEnd);
  if (source.slice(start, end).includes('\n') || replacement.includes('\n')) return false;
  return displayWidth(source.slice(lineStart, lineEnd)) <= width && displayWidth(before + replacement + after) > width;
}

const widthBySource = new WeakMap<object, number>();

/** The width of the analysed file (its settings, else its lines), worked out once per parsed file. */
export function widthOfAnalysed(analysis: { filename?: string; sourceCode: { text: string } }): number {
  const cached = widthBySource.get(analysis.sourceCode);
  if (cached !== undefined) return cached;
  const width = lineWidthOf(analysis.filename, analysis.sourceCode.text).width;
  widthBySource.set(analysis.sourceCode, width);
  return width;
}
