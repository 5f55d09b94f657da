/**
 * Runs a codemod over files, in-process or on worker threads for large repositories. A file is
 * read as bytes and written back the way it was (BOM, encoding, line endings), atomically and only
 * if unchanged on disk meanwhile; whatever can't be done so is a result with its reason.
 */
import { execFileSync } from 'node:child_process';
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
  /** Leave a file whose rewrite also edits another file with uncommitted changes (the command's dirty-tree check, for files outside the paths). */
  refuseDirty?: boolean;
}

/**
 * `skipped`: the file was left as it is on purpose (read-only, changed on disk meanwhile, not
 * decodable without loss, a symlink); `notReached`: the run was stopped before it.
 */
export type FileStatus = 'changed' | 'unchanged' | 'failed' | 'skipped' | 'notReached';

export interface FileResult {
  file: string;
  status: FileStatus;
  rewritten: SiteReport[];
  skipped: SiteReport[];
  /** Findings of the codemod's rule that no plan speaks of. */
  unplanned?: SiteReport[];
  /** Other files the rewrite edits (written with this one, as one), with their diff and new text as for this file. */
  others?: Array<{ file: string; diff?: string; output?: string }>;
  /** The unified diff of the bytes that would be written, in the file's own encoding (see `encoding`). */
  diff?: string;
  /** The new text, in the file's own encoding (see `encoding`). */
  output?: string;
  /** For `failed` and `skipped`: why. */
  error?: string;
  /**
   * How `diff` and `output` turn back into the file's bytes: `Buffer.from(text, encoding)`.
   * `latin1` for files that aren't UTF-8 (each byte is one character, so no byte is lost).
   */
  encoding?: BufferEncoding;
}

/** Files above this count go to worker threads. */
export const WORKER_THRESHOLD = 200;

export interface RunOptions {
  /** Threads (0: in-process; undefined: decide by the number of files). */
  workers?: number;
  /** Stops the run between files; files not reached get the status `notReached`. */
  signal?: AbortSignal;
}

/** Transforms every file; results come in the order of `files`. */
export async function runFiles(files: readonly string[], job: FileJob, options: RunOptions | number = {}): Promise<FileResult[]> {
  const { workers, signal } = typeof options === 'number' ? { workers: options, signal: undefined } : options;
  const count = workers ?? (files.length > WORKER_THRESHOLD ? defaultWorkers(files.length) : 0);
  if (count === 0 || !canUseWorkers()) {
    const transform = await importTransform(job.transform);
    const results: FileResult[] = [];
    for (const file of files) {
      if (signal?.aborted) {
        results.push(notReached(file));
        continue;
      }
      results.push(processFile(file, transform, job));
      // Let a pending signal handler run between files.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }
  return runOnWorkers(files, job, count, signal);
}

function notReached(file: string): FileResult {
  return { file, status: 'notReached', rewritten: [], skipped: [] };
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
export async function importTransform(modulePath: string): Promise<Transform> {
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

/** A file's text and how to turn text back into its bytes. */
export interface DecodedFile {
  /** The text the transform sees: without the byte-order mark. */
  text: string;
  encoding: 'utf8' | 'latin1';
  bom: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Decodes bytes so that `encodeText(decoded.text, decoded)` gives them back exactly: UTF-8
 * (with or without a BOM) when they are valid UTF-8, else one character per byte (Latin-1 and
 * the other single-byte encodings round-trip that way). UTF-16 is refused with the reason.
 */
export function decodeBytes(bytes: Buffer): DecodedFile | { reason: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { reason: 'UTF-16 text (it starts with a UTF-16 byte-order mark); codemods rewrite UTF-8 and single-byte encodings only' };
  }
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf8', bom };
  } catch {
    if (bom) return { reason: 'it starts with a UTF-8 byte-order mark but is not valid UTF-8' };
    if (body.includes(0)) return { reason: 'it holds NUL bytes (binary, or UTF-16 without a byte-order mark)' };
    return { text: body.toString('latin1'), encoding: 'latin1', bom: false };
  }
}

/** The bytes of `text` in the file's encoding, or the reason it can't be written that way. */
export function encodeText(text: string, decoded: DecodedFile): Buffer | { reason: string } {
  if (decoded.encoding === 'latin1') {
    const wide = /[^\u0000-\u00ff]/u.exec(text);
    if (wide) {
      return { reason: `the rewrite adds ${JSON.stringify(wide[0])}, which the file's single-byte encoding (not UTF-8) can't hold` };
    }
    return Buffer.from(text, 'latin1');
  }
  const body = Buffer.from(text, 'utf8');
  return decoded.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/**
 * `\n` the transform wrote becomes `\r\n` in a file whose every line ends so; a file with mixed
 * endings keeps what the transform wrote (there is no one convention to follow).
 */
export function matchLineEndings(original: string, output: string): string {
  if (!original.includes('\r\n') || /(^|[^\r])\n/.test(original)) return output;
  return output.replace(/\r?\n/g, '\r\n');
}

/** How the text of a file of this encoding is shown (diff, --print) so that its bytes come out: the BOM included. */
function shownText(text: string, decoded: DecodedFile): string {
  return decoded.bom ? `\ufeff${text}` : text;
}

let jscodeshift: API['jscodeshift'] | undefined;

/** Transforms one file and, unless dry, writes it. Never throws: failures are results. */
export function processFile(file: string, transform: Transform, job: FileJob): FileResult {
  const result: FileResult = { file, status: 'unchanged', rewritten: [], skipped: [] };
  const skip = (reason: string): FileResult => ({ ...result, status: 'skipped', error: reason, rewritten: [], skipped: [] });
  const read = readFile(file);
  if ('error' in read) return { ...result, status: 'failed', error: `could not read: ${messageOf(read.error)}` };
  if (!('decoded' in read)) return skip('a symbolic link; not followed (run the codemod on the file it points to)');
  const { bytes, before, decoded } = read;
  if ('reason' in decoded) return skip(`not rewritten: ${decoded.reason}`);
  const source = decoded.text;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jscodeshift ??= require('jscodeshift') as API['jscodeshift'];
  const elsewhere: Array<{ file: string; original: string; text: string }> = [];
  const options: CodemodOptions = {
    ...job.options,
    reporter: {
      rewritten: (site) => result.rewritten.push(site),
      skipped: (site) => result.skipped.push(site),
      unplanned: (site) => (result.unplanned ??= []).push(site),
      changedElsewhere: (other, original, text) => elsewhere.push({ file: other, original, text }),
    },
  };
  let output: string | null | undefined | void;
  try {
    output = transform({ path: file, source }, { jscodeshift, j: jscodeshift, stats: () => {}, report: () => {} }, options) as typeof output;
  } catch (error) {
    const message = error instanceof Error && error.name === 'CodemodParseError' ? error.message : `internal error: ${messageOf(error)}`;
    return { ...result, status: 'failed', error: message, rewritten: [], skipped: [] };
  }
  if (typeof output !== 'string') output = source;
  if (output === source && elsewhere.length === 0) return result;
  const relative = (target: string) => path.relative(job.cwd, target).split(path.sep).join('/');
  // This file and the others the rewrite edits: each encoded its own way, written together.
  const writes: Array<{ file: string; bytes: Buffer; expected: Buffer; before: fs.Stats }> = [];
  const shown: Array<{ file: string; diff?: string; output?: string }> = [];
  for (const entry of [{ file, original: source, text: output, decoded, bytes, before }, ...elsewhere.map((other) => ({ ...other, ...readFile(other.file) }))]) {
    if (!('decoded' in entry) || 'reason' in entry.decoded || entry.decoded.text !== entry.original) {
      return skip(`not rewritten: the rewrite also edits ${relative(entry.file)}, which changed on disk or can't be read as text; run the codemod again`);
    }
    const text = matchLineEndings(entry.original, entry.text);
    const encoded = encodeText(text, entry.decoded);
    if (!Buffer.isBuffer(encoded)) return skip(`not rewritten: ${entry.file === file ? '' : `in ${relative(entry.file)}, `}${encoded.reason}`);
    if (encoded.equals(entry.bytes)) continue;
    writes.push({ file: entry.file, bytes: encoded, expected: entry.bytes, before: entry.before });
    shown.push({
      file: entry.file,
      diff: job.diff ? unifiedDiff(shownText(entry.original, entry.decoded), shownText(text, entry.decoded), relative(entry.file)) : undefined,
      output: job.print ? shownText(text, entry.decoded) : undefined,
    });
  }
  if (writes.length === 0) return result;
  result.status = 'changed';
  result.encoding = decoded.encoding;
  const own = shown[0]?.file === file ? shown.shift() : undefined;
  if (own?.diff) result.diff = own.diff;
  if (own?.output !== undefined) result.output = own.output;
  if (shown.length > 0) result.others = shown;
  if (job.dry) return result;
  const readOnly = writes.find((entry) => isReadOnly(entry.file, entry.before));
  if (readOnly) return skip(`read-only${readOnly.file === file ? '' : ` (${relative(readOnly.file)}, which the rewrite also edits)`}; not rewritten (make it writable to let the codemod change it)`);
  const dirty = job.refuseDirty ? writes.find((entry) => entry.file !== file && uncommittedChanges([entry.file], job.cwd).length > 0) : undefined;
  if (dirty) return skip(`not rewritten: the rewrite also edits ${relative(dirty.file)}, which has uncommitted changes; commit or stash them, or pass --force`);
  try {
    writeIfUnchanged(writes);
  } catch (error) {
    if (error instanceof ChangedOnDiskError) return skip(error.message);
    return { ...result, status: 'failed', error: `could not write: ${messageOf(error)}` };
  }
  return result;
}

/** A file's bytes, decoded, and its stat before the rewrite (nothing for a symbolic link). */
function readFile(file: string): { decoded: DecodedFile | { reason: string }; bytes: Buffer; before: fs.Stats } | { symlink: true } | { error: unknown } {
  try {
    const before = fs.lstatSync(file);
    if (before.isSymbolicLink()) return { symlink: true };
    const bytes = fs.readFileSync(file);
    return { decoded: decodeBytes(bytes), bytes, before };
  } catch (error) {
    return { error };
  }
}

function isReadOnly(file: string, stat: fs.Stats): boolean {
  // Root may write anything: the mode bits are what the owner asked for.
  if ((stat.mode & 0o222) === 0) return true;
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

class ChangedOnDiskError extends Error {}

/**
 * Writes each file's new bytes through a temporary sibling and a rename, all or none: every
 * temporary is written and every file checked against what was read (`expected`, `before`)
 * before the first rename; a file changed meanwhile throws ChangedOnDiskError and nothing is
 * written. Should a later rename fail, the files already renamed get their old bytes back.
 */
function writeIfUnchanged(entries: ReadonlyArray<{ file: string; bytes: Buffer; expected: Buffer; before: fs.Stats }>): void {
  const temporaries = entries.map(({ file }) => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`));
  let renamed = 0;
  try {
    for (const [index, { bytes, before }] of entries.entries()) {
      fs.writeFileSync(temporaries[index]!, bytes, { mode: before.mode & 0o7777 });
      fs.chmodSync(temporaries[index]!, before.mode & 0o7777);
    }
    // The last look before the renames: an editor or another run may have saved a file meanwhile.
    for (const { file, expected, before } of entries) {
      const now = fs.lstatSync(file);
      if (!now.isFile() || now.mtimeMs !== before.mtimeMs || now.size !== before.size || !fs.readFileSync(file).equals(expected)) {
        const which = entries.length > 1 ? ` (${path.basename(file)}, which the rewrite edits)` : '';
        throw new ChangedOnDiskError(`changed on disk while the codemod ran${which}; not overwritten (run the codemod again)`);
      }
    }
    for (; renamed < entries.length; renamed++) fs.renameSync(temporaries[renamed]!, entries[renamed]!.file);
  } catch (error) {
    for (const temporary of temporaries) fs.rmSync(temporary, { force: true });
    for (const { file, expected } of entries.slice(0, renamed)) fs.writeFileSync(file, expected);
    throw error;
  }
}

/** Files with uncommitted changes under the paths, by git; none outside a repository or git. */
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
}

interface WorkerReply {
  results: Array<FileResult & { index: number }>;
}

/** What a worker is started with: the job, and a flag it reads before each file (1: stop). */
export interface WorkerStart {
  job: FileJob;
  stop: SharedArrayBuffer;
}

/** Hands files to a pool of workers in small batches; each worker transforms and writes its files. */
async function runOnWorkers(files: readonly string[], job: FileJob, count: number, signal: AbortSignal | undefined): Promise<FileResult[]> {
  const results: FileResult[] = new Array(files.length);
  const batch = Math.max(1, Math.min(10, Math.ceil(files.length / (count * 4))));
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  const onAbort = () => Atomics.store(stopFlag, 0, 1);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort);
  let next = 0;
  const take = () => {
    const indexes: number[] = [];
    while (!signal?.aborted && indexes.length < batch && next < files.length) indexes.push(next++);
    return indexes.map((index) => ({ index, file: files[index]! }));
  };
  const workerFile = path.join(__dirname, 'worker.js');
  const start: WorkerStart = { job, stop };
  try {
    await Promise.all(
      Array.from({ length: count }, () => new Promise<void>((resolve) => {
        const worker = new Worker(workerFile, { workerData: start });
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
          for (const { index, file } of pending) results[index] ??= { file, status: 'failed', rewritten: [], skipped: [], error: `internal error: ${message}` };
          finish();
        };
        worker.on('error', (error) => crash(messageOf(error)));
        worker.on('exit', (code) => crash(`the worker exited with code ${code}`));
        send();
      })),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return files.map((file, index) => results[index] ?? (signal?.aborted ? notReached(file) : { file, status: 'failed', rewritten: [], skipped: [], error: 'internal error: the worker stopped' }));
}
