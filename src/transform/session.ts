/**
 * Runs one codemod over one file. The file is parsed with the parser for its extension, the
 * codemod plans text edits for one site at a time from the tree, and the file is parsed again
 * after each edit (so the next site is planned on what the text now is). Edits never touch
 * code outside the site, so untouched code stays byte for byte; a file with nothing to do is
 * returned as `undefined`. Sites are reported at their line in the file as it was given.
 */
import type { API, FileInfo } from 'jscodeshift';
import { LIBRARIES } from '../catalog';
import { positionOf, type Node } from './ast';
import { lineMapper } from './diff';
import { FileContext, ModuleLoader } from './file-context';
import { parseSource } from './parsers';
import { reporterFor, type CodemodOptions, type CodemodReporter } from './report';
import { applyEdits, type TextEdit } from './text';

/** The file could not be parsed: reported by the runner, which goes on with the next file. */
export class CodemodParseError extends Error {
  override readonly name = 'CodemodParseError';
}

export class Session {
  readonly file: string;
  readonly original: string;
  text: string;
  context: FileContext;
  private readonly reporter: CodemodReporter;
  private readonly modules = new ModuleLoader();
  private mapLine: (line: number) => number = (line) => line;

  readonly options: CodemodOptions;

  constructor(file: FileInfo, api: Pick<API, 'report' | 'stats'>, options: CodemodOptions) {
    this.options = withCamelCaseFlags(options);
    this.file = file.path;
    this.original = file.source;
    this.text = file.source;
    this.reporter = reporterFor(api, options);
    try {
      this.context = this.parse(this.text);
    } catch (error) {
      throw new CodemodParseError(`could not parse: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  get changed(): boolean {
    return this.text !== this.original;
  }

  /** The line a node of the current tree had in the original file. */
  lineOf(node: Node): number {
    return this.mapLine(positionOf(node).line);
  }

  rewritten(at: Node, what: string): void {
    this.reporter.rewritten({ file: this.file, line: this.lineOf(at), column: positionOf(at).column, reason: what });
  }

  skipped(at: Node, reason: string): void {
    this.reporter.skipped({ file: this.file, line: this.lineOf(at), column: positionOf(at).column, reason });
  }

  /** Applies one site's edits and parses the result. */
  apply(edits: readonly TextEdit[]): void {
    const text = applyEdits(this.text, edits);
    let context: FileContext;
    try {
      context = this.parse(text);
    } catch (error) {
      // A rewrite that does not parse is a bug here, never something to write to disk.
      throw new Error(`a rewrite produced code that does not parse (${error instanceof Error ? error.message : String(error)})`);
    }
    this.text = text;
    this.context = context;
    this.mapLine = lineMapper(this.original, text);
  }

  private parse(text: string): FileContext {
    const context = new FileContext(this.file, parseSource(this.file, text), this.modules, text);
    this.modules.register(context);
    return context;
  }
}

/**
 * The jscodeshift CLI passes `--node-redis-major=4` as `options['node-redis-major']`; the
 * codemods read `options.nodeRedisMajor`, as `redis-lint codemod` sets it. Both spellings work.
 */
function withCamelCaseFlags(options: CodemodOptions): CodemodOptions {
  const normalized: CodemodOptions = { ...options };
  for (const [key, value] of Object.entries(options)) {
    if (!key.includes('-')) continue;
    const camel = key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (normalized[camel] === undefined) normalized[camel] = value;
  }
  return normalized;
}

/** Runs a codemod's site loop over a file; the new text, or undefined when nothing changed. */
export function runOnFile(file: FileInfo, api: Pick<API, 'report' | 'stats'>, options: CodemodOptions, rewrite: (session: Session) => void): string | undefined {
  if (!mightHaveSites(file.source)) return undefined;
  const session = new Session(file, api, options);
  rewrite(session);
  return session.changed ? session.text : undefined;
}

/** Parses text the way the codemods do (for tools that plan edits outside a codemod run). */
export function parseFile(filePath: string, text: string): FileContext {
  const modules = new ModuleLoader();
  const context = new FileContext(filePath, parseSource(filePath, text), modules, text);
  modules.register(context);
  return context;
}

// A site needs a catalog module, or a catalog factory, class or producing method named in the file.
const WORDS = catalogWords();

function catalogWords(): string[] {
  const words = new Set<string>();
  for (const library of LIBRARIES) {
    for (const moduleName of library.modules) words.add(moduleName);
    for (const [name, spec] of Object.entries(library.exports)) {
      words.add(name);
      if (spec.type === 'class') for (const member of Object.keys(spec.statics ?? {})) words.add(member);
    }
    for (const value of Object.values(library.values)) {
      for (const [method, spec] of Object.entries(value?.methods ?? {})) if (spec.type === 'produces') words.add(method);
    }
  }
  return [...words].filter((word) => word !== 'default');
}

/** A cheap pre-check: files that name nothing from the catalog are not parsed at all. */
export function mightHaveSites(source: string): boolean {
  return WORDS.some((word) => source.includes(word));
}
