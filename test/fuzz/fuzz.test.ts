/**
 * Property test over generated programs (test/fuzz/programs.ts): for each program,
 * - every rule runs on it (`analyzeFile` with all rules) without throwing;
 * - every codemod (each default export in codemods/) either leaves it, or rewrites it into a
 *   program that parses, that a second run leaves as it is, and in which every sentinel comment
 *   line is still there, unchanged;
 * - the runner keeps the bytes: the same program as Latin-1, or as UTF-8 with a BOM and CRLF,
 *   comes out as the plain output in that same encoding.
 * Seeded and bounded: FUZZ_RUNS programs (default 12, well under a minute here) from FUZZ_SEED
 * (default 17); `FUZZ_RUNS=5000 npx vitest run --project fuzz` is the long run. Failures are
 * collected and reported together, each with its program, codemod and error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Transform } from 'jscodeshift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules';
import { analyzeFile, UnparsableFileError, type FileAnalysisOptions } from '../../src/analysis/standalone';
import { importTransform, processFile, type FileJob, type FileResult } from '../../src/transform/runner';
import { generateProgram, loadTemplates, type Program } from './programs';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 17);
const CODEMOD_DIR = path.resolve(__dirname, '..', '..', 'codemods');

interface Failure {
  program: string;
  mutations: string[];
  check: string;
  codemod?: string;
  error: string;
  /** Where the program was saved, to reproduce it. */
  saved?: string;
}

const counts = { programs: 0, unparsable: 0, ruleRuns: 0, codemodRuns: 0, rewrites: 0, secondRuns: 0, encodingRuns: 0 };
const failures: Failure[] = [];
const allRules: FileAnalysisOptions['rules'] = Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, { rule: rule as never }]));
const codemods: Array<{ name: string; transform: Transform }> = [];
let workDir = '';
let keepDir = '';

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-fuzz-'));
  keepDir = process.env.FUZZ_KEEP ?? path.join(os.tmpdir(), 'redis-lint-fuzz-failures');
  for (const file of fs.readdirSync(CODEMOD_DIR).sort()) {
    if (!file.endsWith('.ts') || file === 'index.ts' || file.endsWith('.d.ts')) continue;
    const name = file.slice(0, -'.ts'.length);
    codemods.push({ name, transform: await importTransform(path.join(CODEMOD_DIR, name)) });
  }
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
  const summary = `fuzz: seed ${SEED}, ${counts.programs} programs (${counts.unparsable} unparsable), ${counts.ruleRuns} rule × program runs, ${counts.codemodRuns} codemod runs (${counts.rewrites} rewrites, ${counts.secondRuns} second runs, ${counts.encodingRuns} encoding runs), ${failures.length} failures`;
  console.log(summary);
  if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ seed: SEED, counts, failures }, null, 2)}\n`);
});

let sink: Failure[] = failures;

function fail(program: Program, failure: Omit<Failure, 'program' | 'mutations' | 'saved'>): void {
  fs.mkdirSync(keepDir, { recursive: true });
  const saved = path.join(keepDir, program.name);
  fs.writeFileSync(saved, program.text);
  sink.push({ program: program.name, mutations: program.mutations, ...failure, saved });
}

function job(dry: boolean): FileJob {
  return { transform: '', options: {}, dry, diff: false, print: true, cwd: workDir };
}

/** Runs one codemod on bytes through the runner (dry): the result and the bytes it would write. */
function runOn(transform: Transform, name: string, bytes: Buffer): { result: FileResult; written: Buffer | undefined } {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, bytes);
  const result = processFile(file, transform, job(true));
  const written = result.output === undefined ? undefined : Buffer.from(result.output, result.encoding ?? 'utf8');
  return { result, written };
}

function isCrash(result: FileResult): boolean {
  return result.status === 'failed' && !/^could not parse/.test(result.error ?? '');
}

function checkProgram(program: Program, transforms: ReadonlyArray<{ name: string; transform: Transform }> = codemods): void {
  counts.programs++;
  // 1. The rules: all at once; on a throw, one by one to name the rule.
  try {
    analyzeFile(path.join(workDir, program.name), program.text, { rules: allRules });
  } catch (error) {
    if (error instanceof UnparsableFileError) {
      counts.unparsable++;
      return;
    }
    for (const [name, entry] of Object.entries(allRules)) {
      try {
        analyzeFile(path.join(workDir, program.name), program.text, { rules: { [name]: entry } });
      } catch (single) {
        fail(program, { check: 'rule throws', codemod: `rule ${name}`, error: (single as Error).message.split('\n')[0]! });
      }
    }
  }
  counts.ruleRuns += Object.keys(allRules).length;

  // 2. The codemods.
  for (const { name, transform } of transforms) {
    counts.codemodRuns++;
    const plain = Buffer.from(program.text, 'utf8');
    const first = runOn(transform, program.name, plain);
    if (isCrash(first.result)) {
      fail(program, { check: 'codemod throws', codemod: name, error: first.result.error! });
      continue;
    }
    if (first.result.status !== 'changed' || first.written === undefined) continue;
    counts.rewrites++;
    const output = first.written.toString('utf8');
    try {
      analyzeFile(path.join(workDir, program.name), output, { rules: {} });
    } catch (error) {
      fail(program, { check: 'output does not parse', codemod: name, error: (error as Error).message });
      continue;
    }
    const outputLines = output.split('\n').map((line) => line.trim());
    for (const sentinel of program.sentinels) {
      const found = outputLines.filter((line) => line === sentinel).length;
      if (found !== 1) fail(program, { check: 'sentinel line changed', codemod: name, error: `${JSON.stringify(sentinel)} found ${found} times in the output` });
    }
    counts.secondRuns++;
    const second = runOn(transform, program.name, first.written);
    if (second.result.status !== 'unchanged') {
      fail(program, { check: 'second run changes the output', codemod: name, error: second.result.error ?? `status ${second.result.status}` });
    }
    // 3. The same program in other encodings: the same rewrite, every other byte kept.
    const variants: Array<{ label: string; encode: (text: string) => Buffer }> = [
      { label: 'Latin-1', encode: (text) => Buffer.from(text, 'latin1') },
      { label: 'UTF-8 BOM CRLF', encode: (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8')]) },
    ];
    for (const variant of variants) {
      counts.encodingRuns++;
      const run = runOn(transform, program.name, variant.encode(program.text));
      const expected = variant.encode(output);
      if (!run.written || !run.written.equals(expected)) {
        const got = run.written ? firstDifference(run.written, expected) : `status ${run.result.status}${run.result.error ? `: ${run.result.error}` : ''}`;
        fail(program, { check: `${variant.label} bytes differ from the plain rewrite`, codemod: name, error: got });
      }
    }
  }
}

function firstDifference(actual: Buffer, expected: Buffer): string {
  let index = 0;
  while (index < actual.length && index < expected.length && actual[index] === expected[index]) index++;
  const around = (bytes: Buffer) => JSON.stringify(bytes.subarray(Math.max(0, index - 20), index + 20).toString('latin1'));
  return `first difference at byte ${index}: got ${around(actual)}, expected ${around(expected)}`;
}

describe(`fuzz (seed ${SEED}, ${RUNS} programs)`, () => {
  it('no rule throws; codemod outputs parse, are idempotent and keep every other byte', async () => {
    const templates = await loadTemplates();
    for (let index = 0; index < RUNS; index++) {
      checkProgram(generateProgram(templates, SEED, index));
      // A long run leaves its counts behind as it goes.
      if (process.env.FUZZ_REPORT && index % 50 === 49) fs.writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ seed: SEED, counts, failures }, null, 2)}\n`);
    }
    expect(codemods.length).toBeGreaterThan(0);
    expect(counts.programs).toBe(RUNS);
    expect(failures.map((failure) => `${failure.program} [${failure.mutations.join(',')}] ${failure.codemod ?? ''}: ${failure.check}: ${failure.error} (saved: ${failure.saved})`)).toEqual([]);
  }, 600_000_000);

  it('the checks catch what they look for (a codemod that throws, corrupts a byte, or never settles)', async () => {
    const templates = await loadTemplates();
    const program = generateProgram(templates, SEED, 0);
    const bad: Array<{ name: string; transform: Transform }> = [
      { name: 'throws', transform: () => { throw new TypeError('boom'); } },
      { name: 'corrupts', transform: (file) => file.source.replace('café', 'cafe') },
      { name: 'grows', transform: (file) => `${file.source}// again\n` },
      { name: 'breaks-syntax', transform: (file) => `${file.source}\nconst = ;\n` },
    ];
    const caught: Failure[] = [];
    sink = caught;
    const before = { ...counts };
    try {
      checkProgram(program, bad);
    } finally {
      sink = failures;
      Object.assign(counts, before);
    }
    const checks = caught.map((failure) => `${failure.codemod}: ${failure.check}`);
    expect(checks).toContain('throws: codemod throws');
    expect(checks).toContain('corrupts: sentinel line changed');
    expect(checks).toContain('grows: second run changes the output');
    expect(checks).toContain('breaks-syntax: output does not parse');
  });

  it('the generator makes varied programs: every mutation, TS and JS, on and off Redis', async () => {
    const templates = await loadTemplates();
    const programs = Array.from({ length: 60 }, (_, index) => generateProgram(templates, SEED, index));
    const mutations = new Set(programs.flatMap((program) => program.mutations));
    expect([...mutations].sort()).toEqual(['callback', 'class', 'commonjs', 'decorators', 'faults', 'flow', 'jsx', 'reorder', 'then', 'try', 'using']);
    expect(new Set(programs.map((program) => path.extname(program.name)))).toEqual(new Set(['.ts', '.js', '.tsx', '.jsx']));
    expect(programs.every((program) => program.sentinels.length > 0)).toBe(true);
    expect(programs.some((program) => /from 'redis'|require\('redis'\)|ioredis/.test(program.text))).toBe(true);
    expect(programs.some((program) => !/redis/i.test(program.text))).toBe(true);
  });
});
