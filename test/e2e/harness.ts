/**
 * What the end-to-end tests share: loading a module from its source text (the original or a
 * codemod's rewrite), running the codemods on it, driving it with concurrent calls, and watching
 * the server's client list while it runs.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type Redis from 'ioredis';
import * as parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { applyTransform } from 'jscodeshift/src/testUtils';
import plugin from '../../src/index';
import { TimeoutError as TarnTimeoutError } from 'tarn';
import * as ts from 'typescript';

export const projectRoot = path.resolve(__dirname, '..', '..');
export const fixturesDir = path.join(__dirname, 'fixtures');

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(fixturesDir, name), 'utf8');
}

/**
 * Evaluates a TypeScript module's source as CommonJS, resolving its imports from the project,
 * so the codemods' output runs exactly as written (after type erasure).
 */
export function loadModule<T>(source: string, filename: string): T {
  const output = ts.transpileModule(source, {
    fileName: filename,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  const syntaxErrors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntaxErrors.length > 0) {
    const text = syntaxErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
    throw new Error(`${filename} does not compile:\n${text}\n--- source ---\n${source}`);
  }
  const moduleRequire = createRequire(path.join(fixturesDir, filename));
  const module = { exports: {} as Record<string, unknown> };
  const evaluate = new Function('require', 'module', 'exports', '__filename', '__dirname', output.outputText);
  evaluate(moduleRequire, module, module.exports, path.join(fixturesDir, filename), fixturesDir);
  return module.exports as T;
}

export type CodemodName = 'release-in-finally' | 'managed-lifecycle';

/** The codemod's source next to the compiled one: `codemods/<name>.ts`. */
export function codemodPath(name: CodemodName): string {
  return path.join(projectRoot, 'codemods', `${name}.ts`);
}

/**
 * Runs the real transform (jscodeshift's applyTransform, with the parser the codemod picks for
 * the file) over a source text; the source itself when the codemod changes nothing.
 */
export async function transformWith(name: CodemodName, source: string, filePath: string): Promise<string> {
  const transform = (await import(codemodPath(name))) as Parameters<typeof applyTransform>[0];
  const output = await applyTransform(transform, {}, { source, path: filePath });
  return output === '' ? source : `${output}\n`;
}

/** The codemod's rewrite of a fixture module, which must change it. */
export async function runCodemod(name: CodemodName, source: string, filename: string): Promise<string> {
  const output = await transformWith(name, source, path.join(fixturesDir, filename));
  if (output.trim() === source.trim()) throw new Error(`${name} left ${filename} unchanged`);
  return output;
}

/**
 * The source after every fix and suggestion of `redis/prefer-pool-use` is applied, as a user
 * accepting each one would get it. Each pass applies the non-overlapping rewrites, last first.
 */
export function applyPreferPoolUse(source: string, filename: string, settings: Record<string, unknown> = {}): { output: string; rewrites: number } {
  const linter = new Linter({ configType: 'flat' });
  const config = [
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.cjs'],
      // TypeScript through its parser, JavaScript through ESLint's own (which reads sloppy-mode
      // scripts, legacy octals included); a .cjs file is a script.
      languageOptions: {
        ...(/\.[cm]?tsx?$/.test(filename) ? { parser } : {}),
        sourceType: filename.endsWith('.cjs') ? ('script' as const) : ('module' as const),
      },
      settings,
      plugins: { redis: plugin as never },
      rules: { 'redis/prefer-pool-use': 'error' as const },
    },
  ];
  let output = source;
  let rewrites = 0;
  for (let pass = 0; pass < 10; pass++) {
    const messages = linter.verify(output, config, path.resolve(fixturesDir, filename));
    const fatal = messages.find((message) => message.fatal);
    if (fatal) throw new Error(`${filename}: ${fatal.message}`);
    const fixes = messages
      .map((message) => message.fix ?? message.suggestions?.[0]?.fix)
      .filter((fix): fix is NonNullable<typeof fix> => fix !== undefined)
      .sort((a, b) => b.range[0] - a.range[0]);
    if (fixes.length === 0) return { output, rewrites };
    let lastStart = Infinity;
    for (const fix of fixes) {
      if (fix.range[1] > lastStart) continue;
      output = output.slice(0, fix.range[0]) + fix.text + output.slice(fix.range[1]);
      lastStart = fix.range[0];
      rewrites++;
    }
  }
  throw new Error(`${filename}: prefer-pool-use kept finding rewrites after 10 passes`);
}

export type Outcome = 'ok' | 'wrongtype' | 'not-integer' | 'corrupt-json' | 'acquire-timeout' | 'other';

export function classify(result: PromiseSettledResult<unknown>): Outcome {
  if (result.status === 'fulfilled') return 'ok';
  const error = result.reason as Error;
  if (/^WRONGTYPE/.test(error?.message ?? '')) return 'wrongtype';
  if (/not an integer or out of range/.test(error?.message ?? '')) return 'not-integer';
  if (error instanceof SyntaxError) return 'corrupt-json';
  // generic-pool names its TimeoutError; tarn's keeps the name 'Error'.
  if (error?.name === 'TimeoutError' || error instanceof TarnTimeoutError) return 'acquire-timeout';
  return 'other';
}

export type Tally = Record<Outcome, number>;

/** Fires every call at once and waits for all of them, failing if they outlast the deadline. */
export async function drive(calls: (() => Promise<unknown>)[], deadlineMs: number): Promise<{ tally: Tally; others: unknown[] }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`calls still pending after ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    const results = await Promise.race([Promise.allSettled(calls.map((call) => call())), deadline]);
    const tally: Tally = { ok: 0, wrongtype: 0, 'not-integer': 0, 'corrupt-json': 0, 'acquire-timeout': 0, other: 0 };
    const others: unknown[] = [];
    for (const result of results) {
      const outcome = classify(result);
      tally[outcome]++;
      if (outcome === 'other') others.push((result as PromiseRejectedResult).reason);
    }
    return { tally, others };
  } finally {
    clearTimeout(timer);
  }
}

interface ClientListSample {
  /** Every connection the server lists (the test's own included), by id. */
  ids: Set<string>;
  /** Those that have sent QUIT and wait for the server to close them (`cmd=quit`, `flags=c`). */
  closing: Set<string>;
}

/** The connections the server has open, from CLIENT LIST. */
export async function listClients(admin: Redis): Promise<ClientListSample> {
  const lines = ((await admin.client('LIST')) as string).split('\n').filter((line) => line.trim() !== '');
  const ids = new Set<string>();
  const closing = new Set<string>();
  for (const line of lines) {
    const id = /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? line;
    ids.add(id);
    if (/ cmd=quit\b/.test(line) || / flags=\S*c/.test(line)) closing.add(id);
  }
  return { ids, closing };
}

export interface ClientListPeaks {
  /** The most connections listed at once. */
  total: number;
  /** The most connections listed at once that were not closing. */
  live: number;
  /**
   * The most connections listed at once that were not closing then and were still open and not
   * closing one round trip later. A pool that destroys a connection opens its replacement at
   * once; the server may list the replacement before it has read the old one's QUIT, and the
   * next sample shows the old one closing or gone.
   */
  settled: number;
  samples: number;
}

/** Samples CLIENT LIST back to back until stopped; reports the most connections seen at once. */
export function sampleClients(admin: Redis): { stop(): Promise<ClientListPeaks> } {
  let running = true;
  const peaks: ClientListPeaks = { total: 0, live: 0, settled: 0, samples: 0 };
  let previous: ClientListSample | undefined;
  const record = (sample: ClientListSample) => {
    peaks.total = Math.max(peaks.total, sample.ids.size);
    peaks.live = Math.max(peaks.live, sample.ids.size - sample.closing.size);
    if (previous) {
      const before = previous;
      const settled = [...before.ids].filter((id) => !before.closing.has(id) && sample.ids.has(id) && !sample.closing.has(id)).length;
      peaks.settled = Math.max(peaks.settled, settled);
    }
    previous = sample;
    peaks.samples++;
  };
  const loop = (async () => {
    while (running) record(await listClients(admin));
    // One more, so the last sample of the run is judged too.
    record(await listClients(admin));
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peaks;
    },
  };
}

/** Connections the server has accepted since it started (INFO stats). */
export async function connectionsReceived(admin: Redis): Promise<number> {
  const info = await admin.info('stats');
  const match = /^total_connections_received:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO stats has no total_connections_received');
  return Number(match[1]);
}

/** Waits until the server lists `expected` connections (closes are asynchronous). */
export async function waitForClients(admin: Redis, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = (await listClients(admin)).ids.size;
  while (count !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    count = (await listClients(admin)).ids.size;
  }
  return count;
}
