/**
 * Runs a codemod over files: in-process for ordinary repositories, on worker threads for large
 * ones. Each file is read, transformed, and (unless dry) written atomically: the new text goes to
 * a temporary file in the same directory, which is then renamed over the original, so a file is
 * never half-written. A file that fails to parse is reported and the run goes on.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { API, Transform } from 'jscodeshift';
import { unifiedDiff } from './diff';
import type { CodemodOptions, SiteReport } from './report';

export interface FileJob {
  /** Absolute path of the transform module. */
  transform: string;
  /** The transform's own options (flag values). */
  options: Record<string, unknown>;
  /** Change nothing on disk. */
  dry: boolean;
  /** Include a unified diff of each changed file. */
  diff: boolean;
  /** Include the new text of each changed file. */
  print: boolean;
  /** Paths in diffs and reports are relative to this directory. */
  cwd: string;
}

export interface FileResult {
  file: string;
  status: 'changed' | 'unchanged' | 'failed';
  rewritten: SiteReport[];
  skipped: SiteReport[];
  diff?: string;
  output?: string;
  error?: string;
}

/** Files above this count go to worker threads. */
export const WORKER_THRESHOLD = 200;

/**
 * Transforms every file; `workers` is the number of threads (0: in-process; undefined: decide
 * by the number of files). Results come back in the order of `files`.
 */
export async function runFiles(files: readonly string[], job: FileJob, workers?: number): Promise<FileResult[]> {
  const count = workers ?? (files.length > WORKER_THRESHOLD ? defaultWorkers(files.length) : 0);
  if (count === 0 || !canUseWorkers()) {
    const transform = await importTransform(job.transform);
    return files.map((file) => processFile(file, transform, job));
  }
  return runOnWorkers(files, job, count);
}

function defaultWorkers(fileCount: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, Math.ceil(fileCount / 50)));
}

/** Workers run the compiled JavaScript; from TypeScript sources (tests) everything stays in-process. */
export function canUseWorkers(): boolean {
  return __filename.endsWith('.js') && fs.existsSync(path.join(__dirname, 'worker.js'));
}

export function loadTransformModule(modulePath: string): Transform {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(modulePath) as { default?: Transform } & Transform;
  return typeof module.default === 'function' ? module.default : module;
}

/** Loads a transform by path, compiled (require) or from TypeScript sources run by a loader that handles `import()`. */
async function importTransform(modulePath: string): Promise<Transform> {
  try {
    return loadTransformModule(modulePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
  }
  const file = ['.ts', '.js'].map((extension) => `${modulePath}${extension}`).find((candidate) => fs.existsSync(candidate)) ?? modulePath;
  const module = (await import(pathToFileURL(file).href)) as { default?: Transform | { default?: Transform } };
  const outer = module.default;
  return (typeof outer === 'function' ? outer : outer?.default) as Transform;
}

let jscodeshift: API['jscodeshift'] | undefined;

/** Transforms one file and, unless dry, writes it. Never throws: failures are results. */
export function processFile(file: string, transform: Transform, job: FileJob): FileResult {
  const result: FileResult = { file, status: 'unchanged', rewritten: [], skipped: [] };
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ...result, status: 'failed', error: `could not read: ${messageOf(error)}` };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jscodeshift ??= require('jscodeshift') as API['jscodeshift'];
  const options: CodemodOptions = {
    ...job.options,
    reporter: {
      rewritten: (site) => result.rewritten.push(site),
      skipped: (site) => result.skipped.push(site),
    },
  };
  let output: string | null | undefined | void;
  try {
    output = transform({ path: file, source }, { jscodeshift, j: jscodeshift, stats: () => {}, report: () => {} }, options) as typeof output;
  } catch (error) {
    const message = error instanceof Error && error.name === 'CodemodParseError' ? error.message : `internal error: ${messageOf(error)}`;
    return { ...result, status: 'failed', error: message, rewritten: [], skipped: [] };
  }
  if (typeof output !== 'string' || output === source) return result;
  result.status = 'changed';
  const relative = path.relative(job.cwd, file).split(path.sep).join('/');
  if (job.diff) result.diff = unifiedDiff(source, output, relative);
  if (job.print) result.output = output;
  if (!job.dry) {
    try {
      writeAtomically(file, output);
    } catch (error) {
      return { ...result, status: 'failed', error: `could not write: ${messageOf(error)}` };
    }
  }
  return result;
}

/** Writes through a temporary sibling and a rename; keeps the file's mode and follows symlinks. */
export function writeAtomically(file: string, text: string): void {
  const target = fs.realpathSync(file);
  const mode = fs.statSync(target).mode & 0o7777;
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(temporary, text, { mode });
    fs.chmodSync(temporary, mode);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
}

interface WorkerReply {
  results: Array<FileResult & { index: number }>;
}

/** Hands files to a pool of workers in small batches; each worker transforms and writes its files. */
async function runOnWorkers(files: readonly string[], job: FileJob, count: number): Promise<FileResult[]> {
  const results: FileResult[] = new Array(files.length);
  const batch = Math.max(1, Math.min(25, Math.ceil(files.length / (count * 4))));
  let next = 0;
  const take = () => {
    const indexes: number[] = [];
    while (indexes.length < batch && next < files.length) indexes.push(next++);
    return indexes.map((index) => ({ index, file: files[index]! }));
  };
  const workerFile = path.join(__dirname, 'worker.js');
  await Promise.all(
    Array.from({ length: count }, () => new Promise<void>((resolve) => {
      const worker = new Worker(workerFile, { workerData: job });
      let pending: Array<{ index: number; file: string }> = [];
      let finished = false;
      const finish = () => {
        finished = true;
        resolve();
      };
      const send = () => {
        pending = take();
        if (pending.length === 0) {
          void worker.terminate().finally(finish);
          return;
        }
        worker.postMessage({ files: pending });
      };
      worker.on('message', (reply: WorkerReply) => {
        for (const { index, ...result } of reply.results) results[index] = result;
        send();
      });
      // A crashed worker fails only the batch it held; the other workers drain the queue.
      const crash = (message: string) => {
        if (finished) return;
        for (const { index, file } of pending) results[index] = { file, status: 'failed', rewritten: [], skipped: [], error: `internal error: ${message}` };
        finish();
      };
      worker.on('error', (error) => crash(messageOf(error)));
      worker.on('exit', (code) => crash(`the worker exited with code ${code}`));
      send();
    })),
  );
  return files.map((file, index) => results[index] ?? { file, status: 'failed', rewritten: [], skipped: [], error: 'internal error: the worker stopped' });
}
