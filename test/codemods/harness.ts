/**
 * Shared by the codemod tests of add-timeouts, dedicated-blocking-client and shared-client:
 * running a transform as jscodeshift does (collecting what it reports), reading fixture pairs,
 * re-linting an output with one rule, type-checking outputs, and reading the before/after
 * examples of a codemod's docs page.
 *
 * A fixture is `<case>.input.<ext>` → `<case>.output.<ext>` (no-change cases have both the
 * same), with optional `<case>.report.txt` (the sites reported: `R line:column what` rewritten,
 * `S line:column reason` skipped, `U line:column found, no rewrite planned: …` a finding of the
 * rule no plan speaks of), `<case>.options.json` (the transform's flag values) and
 * `<case>.relint.txt` (findings the rule still makes on the output, `line messageId`, each for a
 * site the codemod reports and leaves alone, or a fault that is not the codemod's to fix).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as parser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import jscodeshift, { type Transform } from 'jscodeshift';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import type { SiteReport } from '../../src/transform/report';

export interface Run {
  /** The new text, or the input when nothing changed. */
  output: string;
  changed: boolean;
  /** `R line:column what` / `S line:column reason`, by line. */
  reports: string[];
  /** Other files the run changed (a plan that edits the module it imports from), by path. */
  others: Record<string, string>;
}

/** Runs a transform on one file the way the runner does (`single`: as jscodeshift does, one file only). */
export function runCodemod(transform: Transform, file: string, source: string, options: Record<string, unknown> = {}, single = false): Run {
  const reports: Array<[SiteReport, string]> = [];
  const others: Record<string, string> = {};
  const reporter = {
    changedElsewhere: single ? undefined : (other: string, _original: string, text: string) => void (others[other] = text),
    rewritten: (site: SiteReport) => reports.push([site, `R ${site.line}:${site.column + 1} ${site.reason}`]),
    skipped: (site: SiteReport) => reports.push([site, `S ${site.line}:${site.column + 1} ${site.reason}`]),
    unplanned: (site: SiteReport) => reports.push([site, `U ${site.line}:${site.column + 1} ${site.reason}`]),
  };
  const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: () => {} };
  const result = transform({ path: file, source }, api as never, { ...options, reporter });
  if (result !== undefined && typeof result !== 'string') throw new Error('transforms here are synchronous');
  const sorted = reports.sort(([a, textA], [b, textB]) => a.line - b.line || a.column - b.column || textA.localeCompare(textB)).map(([, text]) => text);
  return { output: result ?? source, changed: result !== undefined && result !== source, reports: sorted, others };
}

export interface FixtureCase {
  name: string;
  input: string;
  output: string;
  /** Expected reports (empty when the file is absent). */
  reports: string[];
  options: Record<string, unknown>;
  /** Findings the rule may still make on the output, as `line messageId`. */
  leftovers: string[];
}

export function fixtureCases(dir: string): FixtureCase[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /\.input\.\w+$/.test(file))
    .sort()
    .map((file) => {
      const input = path.join(dir, file);
      const base = input.replace(/\.input\.\w+$/, '');
      const lines = (suffix: string) => (fs.existsSync(base + suffix) ? fs.readFileSync(base + suffix, 'utf8').trim().split('\n').filter(Boolean) : []);
      const options = fs.existsSync(`${base}.options.json`) ? (JSON.parse(fs.readFileSync(`${base}.options.json`, 'utf8')) as Record<string, unknown>) : {};
      return { name: path.basename(base), input, output: input.replace('.input.', '.output.'), reports: lines('.report.txt'), options, leftovers: lines('.relint.txt') };
    });
}

/** The lines of `S` reports. */
export function skippedLines(reports: readonly string[]): number[] {
  return reports.filter((report) => report.startsWith('S ')).map((report) => Number(/^S (\d+):/.exec(report)![1]));
}

const linter = new Linter({ configType: 'flat' });

/** Lints text as `file` with one rule of the plugin (and `settings.redis`, e.g. versions). */
export function lint(file: string, text: string, rule: string, settings: Record<string, unknown> = {}): Linter.LintMessage[] {
  const commonjs = file.endsWith('.cjs') || (/\.js$/.test(file) && /\brequire\(/.test(text));
  const messages = linter.verify(
    text,
    [
      {
        files: ['**/*.{js,cjs,mjs,jsx,ts,tsx,mts,cts}'],
        languageOptions: { parser, ecmaVersion: 'latest', sourceType: commonjs ? 'commonjs' : 'module' },
        plugins: { redis: plugin as never },
        settings: { redis: settings },
        rules: { [`redis/${rule}`]: 'error' },
      },
    ],
    { filename: file },
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${file} does not parse: ${fatal.message}`);
  return messages;
}

/** Type-checks files with strict settings against the packages in node_modules; the diagnostics. */
export function typecheck(files: readonly string[], relativeTo: string): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(__dirname, '..', '..', 'node_modules', '@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${path.relative(relativeTo, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : '';
    return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

export interface DocExample {
  title: string;
  language: string;
  before: string;
  after: string;
  /** Modules the example imports: a code block under a `#### \`name\`` heading before its Before. */
  files: Record<string, string>;
}

/**
 * `### title`, `#### Before` + code block, `#### After` + code block, as docs/codemods pages
 * write them; a `#### \`redis.ts\`` heading and code block first gives a module the example imports.
 */
export function docExamples(markdown: string): DocExample[] {
  const examples: DocExample[] = [];
  const lines = markdown.split('\n');
  let title = '';
  let role: 'before' | 'after' | { file: string } | undefined;
  let pending: { language: string; code: string } | undefined;
  let files: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#+)\s+(.*)$/.exec(lines[i]!);
    if (heading) {
      const file = /^`([\w./-]+)`$/.exec(heading[2]!);
      if (heading[2] === 'Before') role = 'before';
      else if (heading[2] === 'After') role = 'after';
      else if (file && heading[1] === '####') role = { file: file[1]! };
      else {
        title = heading[2]!;
        role = undefined;
        files = {};
      }
      continue;
    }
    const fence = /^```(\w+)/.exec(lines[i]!);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    const code = `${lines.slice(i + 1, end).join('\n')}\n`;
    if (role === 'before') pending = { language: fence[1]!, code };
    else if (typeof role === 'object') files[role.file] = code;
    else if (role === 'after' && pending) {
      examples.push({ title, language: pending.language, before: pending.code, after: code, files });
      pending = undefined;
    }
    i = end;
  }
  return examples;
}

/**
 * The tests every codemod here gets from its fixture folder: expected output and reports,
 * idempotence, a re-lint of each output with the rule the codemod fixes (only the listed
 * leftovers may remain), the rule reporting the inputs (so the re-lint can fail), strict
 * type-checking of the TypeScript outputs, and the examples of its docs page.
 */
export function fixtureSuite(name: string, transform: Transform, rule: string, { allInputsReported = true } = {}): void {
  const dir = path.join(__dirname, '__testfixtures__', name);
  const cases = fixtureCases(dir);
  const settingsOf = (options: Record<string, unknown>) => (options.nodeRedisMajor !== undefined ? { versions: { redis: options.nodeRedisMajor } } : {});

  it('has fixtures, including no-change ones', () => {
    expect(cases.length).toBeGreaterThan(5);
    const unchanged = cases.filter((fixture) => fs.readFileSync(fixture.input, 'utf8') === fs.readFileSync(fixture.output, 'utf8'));
    expect(unchanged.length).toBeGreaterThan(0);
  });

  for (const fixture of cases) {
    describe(fixture.name, () => {
      it('produces the expected output and reports', () => {
        const { output, reports } = runCodemod(transform, fixture.input, fs.readFileSync(fixture.input, 'utf8'), fixture.options);
        // See test/codemods/fixtures.test.ts: reports recorded from real runs, reviewed with `git diff`.
        if (process.env.UPDATE_CODEMOD_FIXTURES && reports.length > 0) fs.writeFileSync(fixture.input.replace(/\.input\.\w+$/, '.report.txt'), `${reports.join('\n')}\n`);
        expect(output).toBe(fs.readFileSync(fixture.output, 'utf8'));
        expect(reports).toEqual(fixture.reports);
      });

      it('is idempotent: its own output changes nothing', () => {
        const expected = fs.readFileSync(fixture.output, 'utf8');
        const { output, reports } = runCodemod(transform, fixture.output, expected, fixture.options);
        expect(output).toBe(expected);
        expect(reports.filter((report) => report.startsWith('R '))).toEqual([]);
      });

      it(`passes ${rule} once rewritten (but for the listed leftovers)`, () => {
        const findings = lint(fixture.output, fs.readFileSync(fixture.output, 'utf8'), rule, settingsOf(fixture.options));
        expect(findings.map((message) => `${message.line} ${message.messageId}`)).toEqual(fixture.leftovers);
      });
    });
  }

  it('keeps CRLF line endings: every fixture gives the same output with \\r\\n', () => {
    const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
    for (const fixture of cases) {
      const { output } = runCodemod(transform, fixture.input, crlf(fs.readFileSync(fixture.input, 'utf8')), fixture.options);
      expect(output, fixture.name).toBe(crlf(fs.readFileSync(fixture.output, 'utf8')));
    }
  });

  it(`${rule} reports the inputs this codemod rewrites`, () => {
    const rewritten = cases.filter((fixture) => fixture.reports.some((report) => report.startsWith('R ')));
    const reported = rewritten.filter((fixture) => lint(fixture.input, fs.readFileSync(fixture.input, 'utf8'), rule, settingsOf(fixture.options)).length > 0);
    // Where the rule finds only some of what the codemod rewrites (per-call clients that are
    // closed correctly), it must still find some, or the re-lint above could not fail.
    if (allInputsReported) expect(reported.map((fixture) => fixture.name)).toEqual(rewritten.map((fixture) => fixture.name));
    else expect(reported.length).toBeGreaterThan(0);
  });

  it('TypeScript outputs type-check (tsc --noEmit, strict)', () => {
    const outputs = cases.map((fixture) => fixture.output).filter((file) => /\.tsx?$/.test(file));
    expect(outputs.length).toBeGreaterThan(3);
    expect(typecheck(outputs, dir)).toEqual([]);
  });

  describe('docs examples', () => {
    const page = path.join(__dirname, '..', '..', 'docs', 'codemods', `${name}.md`);
    const examples = docExamples(fs.readFileSync(page, 'utf8'));

    it('has a page with before/after examples, listed in the codemods README', () => {
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(fs.readFileSync(path.join(path.dirname(page), 'README.md'), 'utf8')).toContain(`[\`${name}\`](${name}.md)`);
    });

    for (const example of examples) {
      it(example.title, () => {
        // A path in this repository, so node_modules (and the installed versions) are found from
        // it; beside the modules it imports, when it has any.
        let dir = path.dirname(page);
        if (Object.keys(example.files).length > 0) {
          dir = fs.mkdtempSync(path.join(path.dirname(page), '.example-'));
          for (const [name, code] of Object.entries(example.files)) fs.writeFileSync(path.join(dir, name), code);
        }
        try {
          const file = path.join(dir, `example.${example.language}`);
          expect(runCodemod(transform, file, example.before).output).toBe(example.after);
          expect(runCodemod(transform, file, example.after).changed).toBe(false);
        } finally {
          if (dir !== path.dirname(page)) fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
