/**
 * Loads the program the report analyses: from a tsconfig.json (its project references too),
 * from a jsconfig.json, or, when there is neither, from the JavaScript and TypeScript files under
 * the directory with `allowJs`. A missing or broken config is a load error, never a guess.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, ts, type CompilerOptions, type SourceFile } from 'ts-morph';
import { isProjectSource } from './syntax';

/** The target can't be loaded: a bad path, a missing or broken config. One line, for the user. */
export class ProjectLoadError extends Error {
  override readonly name = 'ProjectLoadError';
}

export interface LoadedProject {
  project: Project;
  /** The directory paths in the report are relative to. */
  root: string;
  /** The config the program came from, absolute (undefined: files found under `root`). */
  config: string | undefined;
  mode: 'tsconfig' | 'jsconfig' | 'files';
  /** The project's own source files (no declaration files, nothing under node_modules). */
  files: SourceFile[];
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

/** Options for a project without a config: every JS/TS flavour, resolved as a bundler would. */
const FILES_MODE_OPTIONS: CompilerOptions = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.Preserve,
};

// TS18003 "No inputs were found in config file": an empty project reports no connections.
const NO_INPUTS = 18003;

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
    const project = new Project({ compilerOptions: FILES_MODE_OPTIONS, skipAddingFilesFromTsConfig: true });
    for (const file of options.listFiles(absolute)) project.addSourceFileAtPath(file);
    return { project, root, config: undefined, mode: 'files', files: analysedFiles(project, options) };
  }

  const mode = path.basename(config) === 'jsconfig.json' ? 'jsconfig' : 'tsconfig';
  const parsed = parseConfig(config, options.cwd);
  const project = new Project({
    tsConfigFilePath: config,
    // A jsconfig.json means JavaScript, whatever it says about allowJs.
    compilerOptions: mode === 'jsconfig' ? { allowJs: true, noEmit: true } : { noEmit: true },
  });
  // A solution-style tsconfig (`files: []` with references) lists its code in the references.
  for (const reference of referencedConfigs(parsed, options.cwd, new Set([config]))) {
    project.addSourceFilesFromTsConfig(reference);
  }
  return { project, root, config, mode, files: analysedFiles(project, options) };
}

const TEST_FILE = /(?:^|[\\/])(?:__tests__|__mocks__)[\\/]|\.(?:test|spec)\.[cm]?[jt]sx?$/;

/** Whether a file is a test by the usual conventions; its connections never run in production. */
export function isTestFile(filePath: string): boolean {
  return TEST_FILE.test(filePath);
}

function analysedFiles(project: Project, options: LoadOptions): SourceFile[] {
  return project
    .getSourceFiles()
    .filter((file) => isProjectSource(file) && (options.includeTests || !isTestFile(file.getFilePath())));
}

function parseConfig(config: string, cwd: string): ts.ParsedCommandLine {
  const shown = path.relative(cwd, config) || config;
  const read = ts.readConfigFile(config, (file) => ts.sys.readFile(file));
  if (read.error) throw new ProjectLoadError(`Cannot read ${shown}: ${messageOf(read.error)}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(config), undefined, config);
  const error = parsed.errors.find((diagnostic) => diagnostic.code !== NO_INPUTS && diagnostic.category === ts.DiagnosticCategory.Error);
  if (error) throw new ProjectLoadError(`Invalid ${shown}: ${messageOf(error)}`);
  return parsed;
}

function referencedConfigs(parsed: ts.ParsedCommandLine, cwd: string, seen: Set<string>): string[] {
  const configs: string[] = [];
  for (const reference of parsed.projectReferences ?? []) {
    let file = reference.path;
    if (statOf(file)?.isDirectory()) file = path.join(file, 'tsconfig.json');
    if (seen.has(file)) continue;
    seen.add(file);
    if (!statOf(file)?.isFile()) {
      throw new ProjectLoadError(`tsconfig not found: ${path.relative(cwd, file) || file} (a project reference)`);
    }
    configs.push(file, ...referencedConfigs(parseConfig(file, cwd), cwd, seen));
  }
  return configs;
}

function messageOf(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\s+/g, ' ').trim();
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
