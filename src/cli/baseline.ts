/**
 * Fingerprints of findings, and the baseline file built from them.
 *
 * A finding is identified by its rule, its file (relative, POSIX) and a fingerprint of the code it
 * flags: a hash of the reported lines with all whitespace collapsed, plus its occurrence index
 * among findings of the same rule with the same hash in the same file. Line numbers and per-file
 * counts play no part, so edits elsewhere in a file neither break nor hide the baseline.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ESLint, Linter } from 'eslint';
import { UsageError, writeOutput } from './usage-error';

export const BASELINE_VERSION = 1;

export interface Fingerprint {
  /** `<hash>:<occurrence>`: what the baseline stores and SARIF's partialFingerprints carry. */
  id: string;
  /** The normalised flagged code, shortened: for people reading a baseline diff. */
  code: string;
}

export interface BaselineEntry {
  file: string;
  rule: string | null;
  fingerprint: string;
  code: string;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: 'redis-lint';
  findings: BaselineEntry[];
}

export type FingerprintMap = Map<Linter.LintMessage, Fingerprint>;

// ESLint's own line terminators, so that `line` means the same line it counted.
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;
const CODE_PREVIEW_LENGTH = 160;

/** Fingerprints every message of every result; occurrences are numbered by position. */
export function fingerprintResults(results: readonly ESLint.LintResult[]): FingerprintMap {
  const fingerprints: FingerprintMap = new Map();
  for (const result of results) {
    if (result.messages.length === 0 && result.suppressedMessages.length === 0) continue;
    const lines = sourceOf(result)?.split(LINE_BREAK);
    const seen = new Map<string, number>();
    // Disabled findings take part too, so disabling one of two identical findings doesn't
    // renumber the other.
    const all = [...result.messages, ...result.suppressedMessages].sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
    );
    for (const message of all) {
      const code = flaggedCode(message, lines);
      const hash = createHash('sha256').update(code).digest('hex').slice(0, 20);
      const key = `${message.ruleId ?? ''}\0${hash}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      fingerprints.set(message, { id: `${hash}:${occurrence}`, code: code.slice(0, CODE_PREVIEW_LENGTH) });
    }
  }
  return fingerprints;
}

function sourceOf(result: ESLint.LintResult): string | undefined {
  // After --fix the messages refer to the fixed text; ESLint leaves `source` out then.
  if (typeof result.output === 'string') return result.output;
  if (typeof result.source === 'string') return result.source;
  try {
    return fs.readFileSync(result.filePath, 'utf8');
  } catch {
    return undefined;
  }
}

function flaggedCode(message: Linter.LintMessage, lines: string[] | undefined): string {
  if (!lines || !(message.line >= 1)) return normalise(message.message);
  const last = Math.max(message.line, message.endLine ?? message.line);
  return normalise(lines.slice(message.line - 1, last).join('\n'));
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function toPosixRelative(from: string, file: string): string {
  return path.relative(from, file).split(path.sep).join('/');
}

function entryKey(entry: Pick<BaselineEntry, 'file' | 'rule' | 'fingerprint'>): string {
  return `${entry.file}\0${entry.rule ?? ''}\0${entry.fingerprint}`;
}

export function readBaseline(file: string): BaselineFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read baseline file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`Baseline file ${file} is not valid JSON`);
  }
  const baseline = parsed as Partial<BaselineFile>;
  if (baseline?.version !== BASELINE_VERSION || !Array.isArray(baseline.findings)) {
    throw new UsageError(`Baseline file ${file} is not a redis-lint baseline of version ${BASELINE_VERSION}`);
  }
  for (const entry of baseline.findings) {
    if (typeof entry?.file !== 'string' || typeof entry.fingerprint !== 'string' || (entry.rule !== null && typeof entry.rule !== 'string')) {
      throw new UsageError(`Baseline file ${file} has a malformed finding: ${JSON.stringify(entry)}`);
    }
  }
  return baseline as BaselineFile;
}

/**
 * The baseline for the current findings. Entries for files that weren't linted in this run are
 * kept while the file exists, so updating from a subset of paths doesn't forget the rest.
 */
export function buildBaseline(
  results: readonly ESLint.LintResult[],
  fingerprints: FingerprintMap,
  baselineFile: string,
  previous: BaselineFile | undefined,
): BaselineFile {
  const root = path.dirname(baselineFile);
  const linted = new Set(results.map((result) => toPosixRelative(root, result.filePath)));
  const findings: BaselineEntry[] = (previous?.findings ?? []).filter(
    (entry) => !linted.has(entry.file) && fs.existsSync(path.resolve(root, entry.file)),
  );
  for (const result of results) {
    const file = toPosixRelative(root, result.filePath);
    for (const message of result.messages) {
      const fingerprint = fingerprints.get(message)!;
      findings.push({ file, rule: message.ruleId, fingerprint: fingerprint.id, code: fingerprint.code });
    }
  }
  findings.sort((a, b) => compare(a.file, b.file) || compare(a.rule ?? '', b.rule ?? '') || compare(a.fingerprint, b.fingerprint));
  return { version: BASELINE_VERSION, tool: 'redis-lint', findings };
}

export function writeBaseline(file: string, baseline: BaselineFile): void {
  writeOutput(file, `${JSON.stringify(baseline, null, 2)}\n`, 'baseline file');
}

export interface BaselineOutcome {
  results: ESLint.LintResult[];
  /** Findings that matched the baseline and no longer count. */
  matched: number;
  /** Baseline entries for linted files that no longer occur (fixed, or the code changed). */
  stale: number;
}

/** Moves baselined findings to `suppressedMessages`, as ESLint does for disable comments. */
export function applyBaseline(
  results: readonly ESLint.LintResult[],
  fingerprints: FingerprintMap,
  baselineFile: string,
  baseline: BaselineFile,
): BaselineOutcome {
  const root = path.dirname(baselineFile);
  const known = new Set(baseline.findings.map(entryKey));
  const used = new Set<string>();
  let matched = 0;
  const revised = results.map((result) => {
    const file = toPosixRelative(root, result.filePath);
    const fresh: Linter.LintMessage[] = [];
    const suppressed: Linter.SuppressedLintMessage[] = [...result.suppressedMessages];
    for (const message of result.messages) {
      const key = entryKey({ file, rule: message.ruleId, fingerprint: fingerprints.get(message)!.id });
      if (known.has(key)) {
        used.add(key);
        matched++;
        suppressed.push({ ...message, suppressions: [{ kind: 'baseline', justification: path.basename(baselineFile) }] } as Linter.SuppressedLintMessage);
      } else {
        fresh.push(message);
      }
    }
    return withMessages(result, fresh, suppressed);
  });
  const lintedFiles = new Set(results.map((result) => toPosixRelative(root, result.filePath)));
  const stale = baseline.findings.filter((entry) => lintedFiles.has(entry.file) && !used.has(entryKey(entry))).length;
  return { results: revised, matched, stale };
}

/** A result with other messages, its counts recomputed the way ESLint computes them. */
export function withMessages(
  result: ESLint.LintResult,
  messages: Linter.LintMessage[],
  suppressedMessages: Linter.SuppressedLintMessage[] = result.suppressedMessages,
): ESLint.LintResult {
  const count = (test: (message: Linter.LintMessage) => unknown) => messages.filter(test).length;
  const isError = (message: Linter.LintMessage) => message.fatal || message.severity === 2;
  return {
    ...result,
    messages,
    suppressedMessages,
    errorCount: count(isError),
    fatalErrorCount: count((message) => message.fatal),
    warningCount: count((message) => !isError(message)),
    fixableErrorCount: count((message) => isError(message) && message.fix),
    fixableWarningCount: count((message) => !isError(message) && message.fix),
  };
}

/** The result of a file with these messages alone. */
export function resultOf(filePath: string, messages: Linter.LintMessage[]): ESLint.LintResult {
  const empty = { filePath, messages: [], suppressedMessages: [], errorCount: 0, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, usedDeprecatedRules: [] };
  return withMessages(empty, messages, []);
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
