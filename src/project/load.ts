/**
 * Finds the files the report analyses: those a tsconfig.json (and its project references) or a
 * jsconfig.json includes, or, when there is neither, the JavaScript and TypeScript files under the
 * directory. A missing or broken config is a load error, never a guess.
 *
 * The config is read with the TypeScript compiler's own parser (`readConfigFile`,
 * `parseJsonConfigFileContent`: `extends`, `include`/`exclude`, references), nothing more: the
 * files themselves are read by the analysis (src/analysis/standalone.ts), as the rules read them.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as TS from 'typescript';

/** The target can't be loaded: a bad path, a missing or broken config. One line, for the user. */
export class ProjectLoadError extends Error {
  override readonly name = 'ProjectLoadError';
}

export interface LoadedProject {
  /** The directory paths in the report are relative to. */
  root: string;
  /** The config the files came from, absolute (undefined: files found under `root`). */
  config: string | undefined;
  mode: 'tsconfig' | 'jsconfig' | 'files';
  /** The project's own source files, absolute and sorted (no declaration files, nothing under node_modules). */
  files: string[];
}

export interface LoadOptions {
  cwd: string;
  /** An explicit config file (`--tsconfig`), relative to `cwd`. */
  tsconfig?: string;
  /** Lists the source files under a directory when there is no config. */
  listFiles: (directory: string) => string[];
  /** Keep test files (`*.test.*`, `*.spec.*`, `__tests__/`, `__mocks__/`): they don't run in production. */
  includeTests?: boolean;
}

// TS18003 "No inputs were found in config file": an empty project reports no connections.
const NO_INPUTS = 18003;
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$|\.d\.[^.]+\.ts$/;
// A test by the usual conventions: its connections never run in production.
const TEST_FILE = /(?:^|[\\/])(?:__tests__|__mocks__)[\\/]|\.(?:test|spec)\.[cm]?[jt]sx?$/;

const requireHere = createRequire(__filename);
let typescript: typeof TS | undefined;

/** The TypeScript compiler: a peer of the plugin (the TypeScript parser needs it), loaded only for a config. */
function ts(): typeof TS {
  typescript ??= requireHere('typescript') as typeof TS;
  return typescript;
}

export function loadProject(target: string, options: LoadOptions): LoadedProject {
  const absolute = path.resolve(options.cwd, target);
  const stat = statOf(absolute);
  if (!stat) throw new ProjectLoadError(`No such file or directory: ${target}`);

  let config: string | undefined;
  if (options.tsconfig !== undefined) {
    config = path.resolve(options.cwd, options.tsconfig);
    if (!statOf(config)?.isFile()) throw new ProjectLoadError(`tsconfig not found: ${options.tsconfig}`);
  } else if (stat.isFile()) {
    if (!absolute.endsWith('.json')) {
      throw new ProjectLoadError(`report takes a project directory or its tsconfig.json, not a source file: ${target}`);
    }
    config = absolute;
  } else {
    config = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(absolute, name)).find((file) => statOf(file)?.isFile());
  }
  const root = stat.isDirectory() ? absolute : path.dirname(absolute);

  if (!config) {
    return { root, config: undefined, mode: 'files', files: analysedFiles(options.listFiles(absolute), options) };
  }
  const mode = path.basename(config) === 'jsconfig.json' ? 'jsconfig' : 'tsconfig';
  const parsed = parseConfig(config, options.cwd, mode === 'jsconfig');
  const files = new Set(parsed.fileNames);
  // A solution-style tsconfig (`files: []` with references) lists its code in the references.
  for (const reference of referencedConfigs(parsed, options.cwd, new Set([config]))) {
    for (const file of parseConfig(reference, options.cwd, false).fileNames) files.add(file);
  }
  return { root, config, mode, files: analysedFiles([...files].map((file) => path.resolve(file)), options) };
}

function analysedFiles(files: readonly string[], options: LoadOptions): string[] {
  return [...new Set(files)]
    .filter(
      (file) =>
        SOURCE_FILE.test(file) &&
        !DECLARATION_FILE.test(file) &&
        !file.split(/[\\/]/).includes('node_modules') &&
        (options.includeTests || !TEST_FILE.test(file)),
    )
    .sort();
}

function parseConfig(config: string, cwd: string, javascript: boolean): TS.ParsedCommandLine {
  const compiler = ts();
  const shown = path.relative(cwd, config) || config;
  const read = compiler.readConfigFile(config, (file) => compiler.sys.readFile(file));
  if (read.error) throw new ProjectLoadError(`Cannot read ${shown}: ${messageOf(read.error)}`);
  // A jsconfig.json means JavaScript, whatever it says about allowJs.
  const existing = javascript ? { allowJs: true } : undefined;
  const parsed = compiler.parseJsonConfigFileContent(read.config, compiler.sys, path.dirname(config), existing, config);
  const error = parsed.errors.find((diagnostic) => diagnostic.code !== NO_INPUTS && diagnostic.category === compiler.DiagnosticCategory.Error);
  if (error) throw new ProjectLoadError(`Invalid ${shown}: ${messageOf(error)}`);
  return parsed;
}

function referencedConfigs(parsed: TS.ParsedCommandLine, cwd: string, seen: Set<string>): string[] {
  const configs: string[] = [];
  for (const reference of parsed.projectReferences ?? []) {
    let file = reference.path;
    if (statOf(file)?.isDirectory()) file = path.join(file, 'tsconfig.json');
    if (seen.has(file)) continue;
    seen.add(file);
    if (!statOf(file)?.isFile()) {
      throw new ProjectLoadError(`tsconfig not found: ${path.relative(cwd, file) || file} (a project reference)`);
    }
    configs.push(file, ...referencedConfigs(parseConfig(file, cwd, false), cwd, seen));
  }
  return configs;
}

function messageOf(diagnostic: TS.Diagnostic): string {
  return ts().flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\s+/g, ' ').trim();
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
