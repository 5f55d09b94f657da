#!/usr/bin/env node
/**
 * `npm run bench` (after `npm run build`): lint, codemod and report speed of eslint-plugin-redis,
 * each as a ratio against a baseline measured in the same run.
 *
 *     node bench/run.mjs [--quick] [--write] [--runs <n>] [--only <rows>]
 *
 * Every configuration runs in a child process of its own (bench/lib/measure.mjs) that warms up
 * and then times one full run; its peak RSS is that configuration's memory. Configurations that
 * are compared alternate (the starting one rotates each round) and the figures are medians.
 * --write puts the results in bench/RESULTS.md. --only takes a comma-separated subset of
 * lint,loans,modules,bigrepo,typed,codemods,report,scaling.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, corpusFiles } from './lib/files.mjs';
import { generateCorpus } from './lib/generate.mjs';
import { classFile, generateMonorepo, loanFile, oneFunctionFile, sharedClientFile, writeSizedFiles } from './lib/scale.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const WORK = path.join(REPO_ROOT, 'bench', '.work');
const MEASURE = path.join(REPO_ROOT, 'bench', 'lib', 'measure.mjs');
const DIST = path.join(REPO_ROOT, 'dist');
const SECTIONS = ['lint', 'loans', 'modules', 'bigrepo', 'typed', 'codemods', 'report', 'scaling'];
/** The codemods issues 7 and 8 ask for; ones not built yet get a row that says so. */
const PLANNED_CODEMODS = ['release-in-finally', 'managed-lifecycle', 'add-timeouts', 'dedicated-blocking-client', 'shared-client'];
/** The cheapest rule there is: what enabling any rule at all costs ESLint. */
const FLOOR = 'core:no-debugger';
/** The modules of the client libraries (the catalog's `modules`), to tell files that use one. */
const CLIENT_MODULES = ['redis', '@redis/client', 'ioredis', 'iovalkey', '@valkey/valkey-glide', 'generic-pool', 'tarn', 'bullmq'];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  // The file's opening comment is the help text.
  const comment = /\/\*\*\n([\s\S]*?)\n \*\//.exec(fs.readFileSync(new URL(import.meta.url), 'utf8'))[1];
  process.stdout.write(`${comment.split('\n').map((line) => line.replace(/^ \*\s?/, '')).join('\n')}\n`);
  process.exit(0);
}

// Sizes: the full run takes about ten minutes on an idle 2-core machine, --quick about two.
// `runs`: alternating rounds per section (the syntactic rows, whose goal is tightest, get the most).
const PLAN = flags.quick
  ? { runs: { lint: 3, loans: 2, modules: 3, bigrepo: 1, typed: 2, codemods: 2, report: 2, scaling: 1 }, generated: 1000, scaling: [500, 1000, 2000], typed: 60, codemodFiles: 300, corpusShare: 4, loanUnit: 100, monorepo: { packages: 20, filesPerPackage: 100 } }
  : { runs: { lint: 5, loans: 3, modules: 5, bigrepo: 2, typed: 3, codemods: 3, report: 3, scaling: 2 }, generated: 2000, scaling: [500, 1000, 2000, 4000], typed: 150, codemodFiles: 600, corpusShare: 3, loanUnit: 300, monorepo: { packages: 50, filesPerPackage: 200 } };
if (flags.runs) for (const name of SECTIONS) PLAN.runs[name] = Math.max(1, Number(flags.runs));
const only = new Set(flags.only ? flags.only.split(',') : SECTIONS);
for (const name of only) if (!SECTIONS.includes(name)) fail(`unknown section ${name}; choose from ${SECTIONS.join(', ')}`);

if (!fs.existsSync(path.join(DIST, 'src', 'index.js'))) fail('dist/ is missing: run `npm run build` first (npm run bench does)');

const started = Date.now();
const machine = describeMachine();
log(`${machine.cpu}, ${machine.cores} cores, ${machine.memory}, Node ${machine.node}, load ${machine.load}`);
log(`${flags.quick ? 'quick' : 'full'} run: ${describeRuns()}`);

fs.mkdirSync(path.join(WORK, 'tasks'), { recursive: true });
const generated = generateCorpus(path.join(WORK, 'generated'), { count: Math.max(PLAN.generated, ...PLAN.scaling), seed: 1 });
const typedDir = path.join(WORK, 'typed');
const typedFiles = generateCorpus(typedDir, { count: PLAN.typed, seed: 2, typed: true });
const typedWarmupDir = path.join(WORK, 'typed-warmup');
const typedWarmup = generateCorpus(typedWarmupDir, { count: 8, seed: 3, typed: true });

let taskNumber = 0;
/** CPU time of every measuring process, whole (loading and warm-up included). */
let childCpuMs = 0;
const rows = [];
const details = [];
const notes = [];

const sections = { lint: lintRows, loans: loanRows, modules: moduleViewRows, bigrepo: bigRepositoryRows, typed: typedRows, codemods: codemodRows, report: reportRows, scaling: scalingRows };
for (const name of SECTIONS) {
  if (!only.has(name)) continue;
  try {
    sections[name]();
  } catch (error) {
    // One broken section (a codemod that throws, a report that exits 2) doesn't lose the others.
    process.exitCode = 1;
    notes.push(`Section ${name} failed: ${String(error.message ?? error).split('\n')[0]}`);
    log(`section ${name} failed: ${error.stack ?? error}`);
  }
}

machine.loadAfter = os.loadavg().map((n) => n.toFixed(1)).join(' ');
const minutes = ((Date.now() - started) / 60000).toFixed(1);
const markdown = render(minutes);
process.stdout.write(`\n${markdown}`);
if (flags.write) {
  fs.writeFileSync(path.join(REPO_ROOT, 'bench', 'RESULTS.md'), markdown);
  log('wrote bench/RESULTS.md');
}

// --- sections --------------------------------------------------------------------------------

/**
 * Besides the goal rows (our presets vs no rules), each corpus gets a floor row: ESLint with one
 * trivial core rule (`no-debugger`) vs no rules. With no rule on ESLint does less per file, so that
 * row is what turning on any rule at all costs, and "vs no-debugger" is what our rules add to it.
 */
function lintRows() {
  const { files: all, missing } = corpusFiles();
  if (missing.length > 0) notes.push(`Corpus packages not installed, left out of the corpus row: ${missing.join(', ')}.`);
  const corpus = all.filter((_, index) => index % PLAN.corpusShare === 0);
  if (corpus.length > 0) {
    const every = `every ${{ 2: 'second', 3: 'third' }[PLAN.corpusShare] ?? `${PLAN.corpusShare}th`} file`;
    const label = `corpus (${corpus.length} files${PLAN.corpusShare > 1 ? `, ${every}` : ''})`;
    const [none, floor, recommended, everything] = alternate(
      `lint ${label}`,
      [lintTask(corpus, 'none'), lintTask(corpus, FLOOR), lintTask(corpus, 'recommended'), lintTask(corpus, 'all')],
      PLAN.runs.lint,
    );
    addRow('Lint, syntactic: `recommended` vs no rules', label, none, recommended, 1.1);
    addRow('ESLint floor: one trivial core rule (`no-debugger`) vs no rules', label, none, floor, undefined);
    addRow('Lint, syntactic: `recommended` vs `no-debugger` alone', label, floor, recommended, undefined);
    addRow('Lint, syntactic: `all` vs `no-debugger` alone (the floor)', label, floor, everything, 1.05);
    addRow('Lint, syntactic: `all` vs no rules', label, none, everything, undefined);
  }
  const files = generated.slice(0, PLAN.generated);
  const label = `generated (${files.length} files)`;
  const [none, floor, recommended, everything] = alternate(
    `lint ${label}`,
    [lintTask(files, 'none'), lintTask(files, FLOOR), lintTask(files, 'recommended'), lintTask(files, 'all')],
    PLAN.runs.lint,
  );
  addRow('Lint, syntactic: `recommended` vs no rules', label, none, recommended, 1.1);
  addRow('ESLint floor: one trivial core rule (`no-debugger`) vs no rules', label, none, floor, undefined);
  addRow('Lint, syntactic: `recommended` vs `no-debugger` alone', label, floor, recommended, undefined);
  addRow('Lint, syntactic: `all` vs `no-debugger` alone (the floor)', label, floor, everything, 1.05);
  addRow('Lint, syntactic: `all` vs no rules', label, none, everything, undefined);
}

/**
 * One file with 1x, 2x, 4x and 8x the loans, one class with 1x to 8x the fields, one shared client
 * with 1x to 8x the blocking calls, and one function with 1x to 8x the loans in a row, every rule
 * on: the time must grow with them, no faster.
 */
function loanRows() {
  sizeRows('loans', loanFile, PLAN.loanUnit, (count) => `${count} functions`);
  sizeRows('class', classFile, PLAN.loanUnit, (count) => `${count} fields`, 'One class, every rule', 'fields');
  sizeRows('blocking', sharedClientFile, PLAN.loanUnit, (count) => `${count} findings with a fix`, 'One shared client, every rule', 'blocking calls');
  sizeRows('function', oneFunctionFile, PLAN.loanUnit, (count) => `${count} loans`, 'One function, every rule', 'loans in a row');
}

function sizeRows(name, make, unit, describe, subject = 'One file, every rule', what = name) {
  const multiples = [1, 2, 4, 8];
  const files = writeSizedFiles(path.join(WORK, name), name, make, unit, multiples);
  const warmup = writeSizedFiles(path.join(WORK, `${name}-warmup`), name, make, 10, [1]);
  const tasks = files.map((file) => ({ kind: 'lint', files: [file], warmup, config: 'all' }));
  const results = alternate(`${what} in one file`, tasks, PLAN.runs.loans);
  const base = results[0];
  multiples.forEach((multiple, index) => {
    if (index === 0) return;
    const result = results[index];
    const perUnit = result.cpuMs / base.cpuMs / multiple;
    rows.push({
      what: `${subject}: ${multiple}x the ${what} (${describe(unit * multiple)}) vs 1x (${unit})`,
      on: `generated (${path.basename(files[index])})`,
      time: result.cpuMs / base.cpuMs,
      wall: result.ms / base.ms,
      memory: result.maxRssMb / base.maxRssMb,
      extra: `${perUnit.toFixed(2)}x per unit`,
      goal: 1.1,
      goalOf: 'perFile',
      unit: 'per unit',
      perFile: perUnit,
    });
    details.push({ what: `${what} ${multiple}x`, baseline: base, ours: result });
  });
}

/** What following values across modules costs: `all` with the module view on vs off. */
function moduleViewRows() {
  const { files: all } = corpusFiles();
  const corpus = all.filter((_, index) => index % PLAN.corpusShare === 0);
  const generatedFiles = generated.slice(0, PLAN.generated);
  const monorepo = generateMonorepo(path.join(WORK, 'monorepo-small'), { packages: 10, filesPerPackage: 100 });
  for (const [label, files] of [
    [`corpus (${corpus.length} files)`, corpus],
    [`generated (${generatedFiles.length} files)`, generatedFiles],
    [`generated monorepo (${monorepo.length} files, cross-module imports)`, monorepo],
  ]) {
    if (files.length === 0) continue;
    const off = { ...lintTask(files, 'all'), settings: { modules: false } };
    const on = lintTask(files, 'all');
    const [without, withModules] = alternate(`module view ${label}`, [off, on], PLAN.runs.modules);
    addRow('Module view: `all` with it on vs off', label, without, withModules, 1.05);
  }
}

/** A monorepo-sized project: `all` against ESLint with the same parser and no rules, one thread and `--concurrency auto`. */
function bigRepositoryRows() {
  const { packages, filesPerPackage } = PLAN.monorepo;
  const files = generateMonorepo(path.join(WORK, 'monorepo'), { packages, filesPerPackage });
  const label = `generated monorepo (${files.length} files in ${packages} packages)`;
  const warmupCount = 200;
  // The floor (one trivial core rule) shows what any rule at all costs here over ESLint alone.
  const [none, floor, everything] = alternate(
    `big repository ${label}`,
    [lintTask(files, 'none', warmupCount), lintTask(files, FLOOR, warmupCount), lintTask(files, 'all', warmupCount)],
    PLAN.runs.bigrepo,
  );
  addRow('Big repository, one thread: `all` vs no rules', label, none, everything, 1.1);
  addRow('Big repository, one thread: ESLint floor (`no-debugger`) vs no rules', label, none, floor, undefined);
  addRow('Big repository, one thread: `all` vs `no-debugger` alone (the floor)', label, floor, everything, undefined);
  // Peak RSS follows V8's heap growth over parse garbage; what stays is the per-process caches.
  notes.push(
    `Big repository, one thread (${files.length} files): heap still in use after the run and a full GC, ${Math.round(none.retainedMb)} MB with no rules, ${Math.round(everything.retainedMb)} MB with \`all\` (the module view's LRUs and the version caches, which outlive the files; bounded by entry counts, not by project size).`,
  );
  const threaded = (config) => ({ ...lintTask(files, config, warmupCount), concurrency: 'auto' });
  const [noneThreaded, everythingThreaded] = alternate(`big repository, concurrency auto`, [threaded('none'), threaded('all')], PLAN.runs.bigrepo);
  // Worker threads' CPU time is the process's too, so the CPU ratio still compares like with like.
  addRow('Big repository, `--concurrency auto`: `all` vs no rules', label, noneThreaded, everythingThreaded, 1.1);
}

function typedRows() {
  const label = `typed project (${typedFiles.length} files)`;
  const warmup = typedWarmup;
  const task = (config) => ({ kind: 'lint', files: typedFiles, warmup, config, typedRoot: WORK });
  const [baseline, ours] = alternate(`type-aware lint ${label}`, [task('ts-baseline'), task('ts-ours')], PLAN.runs.typed);
  addRow('Lint, type-aware: no-floating-promises + `recommended` vs no-floating-promises alone', label, baseline, ours, 1.1);
}

function codemodRows() {
  // Only files that use a client library: the others a codemod may skip without parsing, which
  // would flatter it against an identity transform that parses and prints everything.
  const redisFiles = generated.filter((file) => usesClientLibrary(fs.readFileSync(file, 'utf8')));
  const files = redisFiles.slice(0, PLAN.codemodFiles);
  const warmup = redisFiles.slice(PLAN.codemodFiles, PLAN.codemodFiles + 50);
  const label = `generated, using a client library (${files.length} files)`;
  const available = availableCodemods();
  for (const name of PLANNED_CODEMODS) {
    if (!available.has(name)) notes.push(`Codemod \`${name}\` does not exist yet (no dist/codemods/${name}.js): no row.`);
  }
  const names = [...available.keys()].sort();
  if (names.length === 0) return;
  const tasks = [{ kind: 'codemod', files, warmup, transform: 'identity' }, ...names.map((name) => ({ kind: 'codemod', files, warmup, transform: available.get(name) }))];
  const [identity, ...measured] = alternate(`codemods ${label}`, tasks, PLAN.runs.codemods);
  names.forEach((name, index) => {
    addRow(`Codemod \`${name}\` vs jscodeshift identity transform`, label, identity, measured[index], 1.5);
    details.at(-1).note = `changed ${measured[index].count} of ${files.length} files`;
  });
}

function reportRows() {
  if (!fs.existsSync(path.join(DIST, 'src', 'cli', 'report-command.js'))) {
    notes.push('`redis-lint report` is not built yet (no dist/src/cli/report-command.js): no row.');
    return;
  }
  const label = `typed project (${typedFiles.length} files)`;
  const [typecheck, report] = alternate(`report ${label}`, [
    { kind: 'typecheck', project: typedDir, warmup: typedWarmupDir },
    { kind: 'report', project: typedDir, warmup: typedWarmupDir },
  ], PLAN.runs.report);
  addRow('`redis-lint report` vs a full type-check (`tsc --noEmit`) of the same project', label, typecheck, report, undefined);
  details.at(-1).note = `${report.count} connections inventoried`;
}

function scalingRows() {
  const tasks = PLAN.scaling.map((count) => lintTask(generated.slice(0, count), 'recommended', Math.min(200, count / 10)));
  const results = alternate('scaling', tasks, PLAN.runs.scaling);
  const base = results[0];
  PLAN.scaling.forEach((count, index) => {
    const result = results[index];
    const perFile = result.cpuMs / count / (base.cpuMs / PLAN.scaling[0]);
    rows.push({
      what: `Scaling: \`recommended\` on ${count} files vs ${PLAN.scaling[0]}`,
      on: 'generated',
      time: result.cpuMs / base.cpuMs,
      wall: result.ms / base.ms,
      memory: result.maxRssMb / base.maxRssMb,
      extra: `${perFile.toFixed(2)}x per file`,
      goal: index === 0 ? undefined : 1.25,
      goalOf: 'perFile',
      perFile,
    });
    details.push({ what: `scaling ${count}`, baseline: base, ours: result });
  });
}

function usesClientLibrary(source) {
  return CLIENT_MODULES.some((name) => source.includes(`'${name}'`));
}

// --- measuring -------------------------------------------------------------------------------

function lintTask(files, config, warmupCount = Math.min(200, Math.ceil(files.length / 10))) {
  return { kind: 'lint', files, warmup: files.slice(0, warmupCount), config };
}

/** Runs the tasks in rotating order, `runs` rounds; returns per task the medians. */
function alternate(label, tasks, runs) {
  const samples = tasks.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < tasks.length; k++) {
      const index = (round + k) % tasks.length;
      samples[index].push(measure(tasks[index]));
    }
    log(`${label}: round ${round + 1}/${runs} (CPU ${tasks.map((_, i) => `${Math.round(samples[i].at(-1).cpuMs)}`).join(', ')} ms)`);
  }
  return samples.map((list) => ({
    ms: median(list.map((s) => s.ms)),
    cpuMs: median(list.map((s) => s.cpuMs)),
    maxRssMb: median(list.map((s) => s.maxRssMb)),
    retainedMb: median(list.map((s) => s.retainedMb ?? Number.NaN)),
    count: list[0].count,
    spread: [Math.min(...list.map((s) => s.cpuMs)), Math.max(...list.map((s) => s.cpuMs))],
    runs: list.length,
  }));
}

function measure(task) {
  const file = path.join(WORK, 'tasks', `task-${process.pid}-${taskNumber++}.json`);
  fs.writeFileSync(file, JSON.stringify(task));
  try {
    // --expose-gc: the child reports the heap still in use after its run (what outlives the files).
    const out = execFileSync(process.execPath, ['--expose-gc', MEASURE, file], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = JSON.parse(out.trim().split('\n').at(-1));
    childCpuMs += result.processCpuMs ?? 0;
    return result;
  } catch (error) {
    const cause = String(error.stderr ?? '').split('\n').find((line) => /^\w*Error\b/.test(line)) ?? error.message;
    throw new Error(`${task.kind} ${task.config ?? path.basename(String(task.transform ?? task.project ?? ''))}: ${cause}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Every transform in dist/codemods (registered in its index or not yet), by name. */
function availableCodemods() {
  const found = new Map();
  const dir = path.join(DIST, 'codemods');
  if (!fs.existsSync(dir)) return found;
  for (const file of fs.readdirSync(dir)) {
    if (file.endsWith('.js') && file !== 'index.js') found.set(file.slice(0, -3), path.join(dir, file));
  }
  return found;
}

function addRow(what, on, baseline, ours, goal) {
  rows.push({ what, on, time: ours.cpuMs / baseline.cpuMs, wall: ours.ms / baseline.ms, memory: ours.maxRssMb / baseline.maxRssMb, goal, goalOf: 'time' });
  details.push({ what: `${what}, ${on}`, baseline, ours });
}

// --- output ----------------------------------------------------------------------------------

function render(minutes) {
  const lines = [];
  lines.push('# Benchmark results', '');
  lines.push(`Written by \`node bench/run.mjs${flags.quick ? ' --quick' : ''} --write\` (\`npm run bench -- --write\`); do not edit by hand.`, '');
  lines.push('## Machine', '');
  lines.push(`- CPU: ${machine.cpu}, ${machine.cores} cores`);
  lines.push(`- Memory: ${machine.memory}`);
  lines.push(`- OS: ${machine.os}`);
  lines.push(`- Node ${machine.node}, ESLint ${machine.eslint}, typescript-eslint ${machine.tseslint}, TypeScript ${machine.typescript}, jscodeshift ${machine.jscodeshift}`);
  lines.push(`- Load average (1, 5, 15 min) at the start: ${machine.load}; at the end: ${machine.loadAfter}`);
  lines.push(`- Date: ${machine.date}; ${flags.quick ? 'quick' : 'full'} run (${describeRuns()})`);
  lines.push(`- Took ${minutes} min; the measuring processes used ${(childCpuMs / 60000).toFixed(1)} min of CPU time, about what the run takes on an idle machine (they run one at a time)`, '');
  lines.push('## Results', '');
  lines.push(
    'Every figure is a ratio against the baseline named in its row, measured in the same run (medians). Goals are judged on CPU time (user + system of the measuring process): the machine is shared, and CPU time does not count the time a process waits for a core, which wall time does.',
    '',
  );
  lines.push('| Measurement | Files | CPU time | Wall time | Peak memory | Goal (CPU time) | Result |');
  lines.push('| --- | --- | ---: | ---: | ---: | --- | --- |');
  for (const row of rows) {
    const time = `${row.time.toFixed(2)}x${row.extra ? ` (${row.extra})` : ''}`;
    const value = row.goalOf === 'perFile' ? row.perFile : row.time;
    const goal = row.goal === undefined ? '' : row.goalOf === 'perFile' ? `≤ ${row.goal.toFixed(2)}x ${row.unit ?? 'per file'}` : `≤ ${row.goal.toFixed(2)}x`;
    const result = row.goal === undefined ? '' : value <= row.goal ? 'met' : `missed by ${(value - row.goal).toFixed(2)}x (${Math.round(((value - row.goal) / row.goal) * 100)}% over)`;
    lines.push(`| ${row.what} | ${row.on} | ${time} | ${row.wall.toFixed(2)}x | ${row.memory.toFixed(2)}x | ${goal} | ${result} |`);
  }
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note}`));
  lines.push('', '## Medians behind the ratios', '');
  lines.push('| Measurement | Baseline CPU ms | Ours CPU ms | Baseline wall ms | Ours wall ms | Baseline MB | Ours MB | Ours CPU min–max ms | Runs | Notes |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const d of details) {
    const spread = `${Math.round(d.ours.spread[0])}–${Math.round(d.ours.spread[1])}`;
    const cells = [d.baseline.cpuMs, d.ours.cpuMs, d.baseline.ms, d.ours.ms, d.baseline.maxRssMb, d.ours.maxRssMb].map((n) => Math.round(n));
    lines.push(`| ${d.what} | ${cells.join(' | ')} | ${spread} | ${d.ours.runs} | ${d.note ?? (d.ours.count !== undefined ? `${d.ours.count} findings` : '')} |`);
  }
  lines.push('', '## Method', '');
  lines.push(
    '- Each configuration runs in its own Node process (bench/lib/measure.mjs): it loads everything, warms up (lints or transforms up to 200 of the files, or for type-aware linting and `report` a separate 8-file project), then times one full run. Peak memory is that process\'s `maxRSS`.',
    '- Configurations compared with each other alternate, the first one rotating each round; the table shows medians.',
    '- Syntactic lint: ESLint\'s `ESLint` class with typescript-eslint\'s parser and the plugin loaded; the baseline has no rules on. The floor rows turn on one core rule that only listens for `debugger` statements: what any rule at all costs over no rules in the same setup. Corpus: the files test/corpus lints (the Redis-heavy packages and the clients), sorted, every third one in a full run and every fourth with --quick, to keep the run short. Generated: bench/lib/templates.mjs, about half Redis modules (clients, pools, loans, queues, pub/sub, blocking consumers, a few faults) and half ordinary modules, TypeScript and CommonJS JavaScript.',
    '- Type-aware lint: the project service on a generated TypeScript project that type-checks cleanly; both sides pay for the same program, so the difference is our rules.',
    '- Codemods: each transform against a jscodeshift identity transform (parse with the parser the codemods use for that file, print back) over the same files, in-process as jscodeshift\'s worker calls it.',
    '- `report`: `redis-lint report --format json` in-process against a full TypeScript type-check of the same project (program + pre-emit diagnostics), the least any type-resolved whole-program tool does.',
    '- Scaling: the `recommended` lint of the first 500, 1,000, 2,000 and 4,000 generated files; "per file" is the time per file against the 500-file run\'s, so 1.00x is linear.',
    '- Loans in one file: bench/lib/scale.mjs writes one TypeScript module with N loan functions (half released in a `finally`, half leaking on a throw); every rule on; "per unit" is the time over the 1x file\'s divided by the multiple, so 1.00x is linear. The same for one class with N fields read through `this`, for one module-level client that N functions each block on (N findings, each with a planned fix), and for one function with N loans in a row.',
    '- Module view: `all` with `settings.redis.modules: false` (each file alone) against the default (imports of the project\'s own modules followed), on the corpus, the generated files and a 1,000-file generated monorepo.',
    '- Big repository: a generated monorepo (bench/lib/scale.mjs: packages with a `lib/redis` getter, factory and pool, re-exporting index files, handlers importing across packages, the rest from the ordinary templates), `all` against the same ESLint setup with no rules, once on one thread and once with ESLint\'s `concurrency: \'auto\'`.',
  );
  return `${lines.join('\n')}\n`;
}

function describeMachine() {
  const cpus = os.cpus();
  const version = (pkg) => {
    try {
      return require(`${pkg}/package.json`).version;
    } catch {
      return 'not installed';
    }
  };
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism?.() ?? cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    eslint: version('eslint'),
    tseslint: version('typescript-eslint'),
    typescript: version('typescript'),
    jscodeshift: version('jscodeshift'),
    load: os.loadavg().map((n) => n.toFixed(1)).join(' '),
    date: new Date().toISOString().slice(0, 10),
  };
}

function describeRuns() {
  return `alternating runs per comparison: ${SECTIONS.filter((name) => only.has(name)).map((name) => `${name} ${PLAN.runs[name]}`).join(', ')}`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
