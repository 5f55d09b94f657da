/**
 * One measured configuration, in a process of its own so that its peak memory is its own:
 *
 *     node bench/lib/measure.mjs <task.json>
 *
 * Loads everything, runs a warm-up on other (or fewer) files, then times one full run and prints
 * `{ ms, cpuMs, maxRssMb, count }` as JSON on the last line of stdout. `count` is what the run found
 * (lint messages, changed files, report connections): a sanity check that the run did its work.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './files.mjs';
import { lintConfig } from './lint-config.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const task = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const dist = (...parts) => path.join(REPO_ROOT, 'dist', ...parts);


// --- lint ------------------------------------------------------------------------------------

async function lint({ files, warmup, config, typedRoot, plugin, settings, concurrency }) {
  const { ESLint } = require('eslint');
  const overrideConfig = lintConfig(config, typedRoot, plugin);
  // `settings`: the plugin's `settings.redis` for this run (e.g. the module view turned off).
  if (settings) overrideConfig.at(-1).settings = { redis: settings };
  // Findings of the measured rules only: a file's inline `/* eslint … */` comments naming rules
  // that aren't loaded produce messages in every configuration.
  const measured = new Set(Object.keys(overrideConfig.at(-1).rules));
  const options = { cwd: REPO_ROOT, overrideConfigFile: true, overrideConfig, cache: false };
  // ESLint's own multithreaded linting (`--concurrency`), for the big-repository row: options with
  // plugin objects can't be sent to worker threads, so every thread loads them from a module.
  const eslint = concurrency
    ? await ESLint.fromOptionsModule(optionsModule({ config, typedRoot, plugin, settings, concurrency }))
    : new ESLint(options);
  if (warmup.length > 0) await eslint.lintFiles(warmup);
  const { ms, cpuMs, value: results } = await timed(() => eslint.lintFiles(files));
  // A file that was skipped or failed to parse would make the run cheaper than it should be.
  const notLinted = results.find((r) => r.messages.some((m) => m.ruleId === null));
  if (notLinted) throw new Error(`${notLinted.filePath}: ${notLinted.messages.find((m) => m.ruleId === null).message}`);
  const count = results.reduce((sum, r) => sum + r.messages.filter((m) => measured.has(m.ruleId)).length, 0);
  return { ms, cpuMs, count, files: results.length };
}

/** A module whose default export is the ESLint options of this task (see ESLint.fromOptionsModule). */
function optionsModule(task) {
  const file = path.join(REPO_ROOT, 'bench', '.work', 'tasks', `options-${process.pid}.mjs`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const config = new URL('./lint-config.mjs', import.meta.url).href;
  fs.writeFileSync(
    file,
    `import { lintConfig } from ${JSON.stringify(config)};
const task = ${JSON.stringify(task)};
const overrideConfig = lintConfig(task.config, task.typedRoot, task.plugin);
if (task.settings) overrideConfig.at(-1).settings = { redis: task.settings };
export default { cwd: ${JSON.stringify(REPO_ROOT)}, overrideConfigFile: true, overrideConfig, cache: false, concurrency: task.concurrency };
`,
  );
  return new URL(`file://${file}`);
}

// --- codemods --------------------------------------------------------------------------------

async function codemod({ files, warmup, transform }) {
  const jscodeshift = require('jscodeshift');
  // jscodeshift's own parser by extension (the codemods parse with the analysis's parsers).
  const parserFor = (file) => (/\.[cm]?ts$/.test(file) ? 'ts' : 'tsx');
  // The baseline: parse with jscodeshift's parser for that file, print it back.
  const identity = (file) => jscodeshift.withParser(parserFor(file.path))(file.source).toSource();
  const loaded = transform === 'identity' ? undefined : require(transform);
  const apply = loaded ? loaded.default ?? loaded : identity;
  const api = (file) => {
    const j = jscodeshift.withParser(loaded?.parser ?? parserFor(file.path));
    return { j, jscodeshift: j, stats: () => {}, report: () => {} };
  };
  const sources = new Map([...warmup, ...files].map((file) => [file, fs.readFileSync(file, 'utf8')]));
  const run = (list) => {
    let changed = 0;
    for (const file of list) {
      const info = { path: file, source: sources.get(file) };
      const out = apply(info, api(info), {});
      if (typeof out === 'string' && out !== info.source) changed++;
    }
    return changed;
  };
  run(warmup);
  const { ms, cpuMs, value: count } = await timed(() => run(files));
  return { ms, cpuMs, count, files: files.length };
}

// --- report and its baseline -----------------------------------------------------------------

async function report({ project, warmup }) {
  const { main } = require(dist('src', 'cli', 'main.js'));
  const once = async (dir) => {
    let out = '';
    const io = { cwd: REPO_ROOT, interactive: false, stdout: { write: (s) => ((out += s), true) }, stderr: { write: () => true } };
    const code = await main(['report', dir, '--format', 'json'], io);
    if (code === 2) throw new Error(`redis-lint report ${dir} exited 2`);
    return out;
  };
  if (warmup) await once(warmup);
  const { ms, cpuMs, value: out } = await timed(() => once(project));
  let count = 0;
  try {
    count = JSON.parse(out).connections?.length ?? 0;
  } catch {
    count = 0;
  }
  return { ms, cpuMs, count };
}

/** A full type-check of the same project with the TypeScript API (what `tsc --noEmit` does). */
async function typecheck({ project, warmup }) {
  const ts = require('typescript');
  const once = (dir) => {
    const configFile = path.join(dir, 'tsconfig.json');
    const config = ts.readConfigFile(configFile, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dir);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    return ts.getPreEmitDiagnostics(program).length;
  };
  if (warmup) once(warmup);
  const { ms, cpuMs, value: count } = await timed(() => once(project));
  return { ms, cpuMs, count };
}

/** Wall-clock and CPU time (user + system, all threads of this process) of one run. */
async function timed(work) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

// Last, so that every declaration above is initialised before the top-level await runs.
const runners = { lint, codemod, report, typecheck };
const result = await runners[task.kind](task);
// What outlives the run once its results are dropped: caches kept per process (run with --expose-gc).
if (typeof globalThis.gc === 'function') {
  globalThis.gc();
  result.retainedMb = process.memoryUsage().heapUsed / 1048576;
}
const usage = process.resourceUsage();
result.maxRssMb = usage.maxRSS / 1024;
// The whole process, loading and warm-up included: what the run costs the machine.
result.processCpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify(result)}\n`);
