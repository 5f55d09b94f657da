/**
 * The `dedicated-blocking-client` codemod against its fixture pairs in
 * __testfixtures__/dedicated-blocking-client: expected output and reports, idempotence, a re-lint
 * of every output with `redis/no-blocking-on-shared-client`, tsc over the TypeScript outputs and
 * the examples in docs/codemods/dedicated-blocking-client.md. Then across modules: each
 * cross-file/<case>/input tree is run through the runner, in both orders (the declaring module
 * first, and its importers first, which must plan that module from disk), and must become
 * cross-file/<case>/output with the sites in report.txt.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codemodByName, transformPath } from '../../codemods';
import dedicatedBlockingClient from '../../codemods/dedicated-blocking-client';
import { runFiles, type FileResult } from '../../src/transform/runner';
import { fixtureCases, fixtureSuite, lint, typecheck } from './harness';

const CROSS = path.join(__dirname, '__testfixtures__', 'dedicated-blocking-client', 'cross-file');
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

describe('dedicated-blocking-client', () => {
  fixtureSuite('dedicated-blocking-client', dedicatedBlockingClient, 'no-blocking-on-shared-client');

  describe("the rule's suggestion is the codemod's rewrite", () => {
    const single = fixtureCases(path.join(__dirname, '__testfixtures__', 'dedicated-blocking-client')).filter(
      (fixture) => fixture.reports.filter((report) => report.startsWith('R ')).length === 1 && fixture.reports.length === 1,
    );
    it('has fixtures with one rewrite', () => expect(single.length).toBeGreaterThan(5));
    for (const fixture of single) {
      it(fixture.name, () => {
        const input = fs.readFileSync(fixture.input, 'utf8');
        const suggestion = lint(fixture.input, input, 'no-blocking-on-shared-client')
          .flatMap((message) => message.suggestions ?? [])
          .find((candidate) => candidate.messageId === 'moveToDedicated');
        expect(suggestion).toBeDefined();
        const applied = input.slice(0, suggestion!.fix.range[0]) + suggestion!.fix.text + input.slice(suggestion!.fix.range[1]);
        expect(applied).toBe(fs.readFileSync(fixture.output, 'utf8'));
      });
    }
  });

  describe('across modules', () => {
    const transform = transformPath(codemodByName('dedicated-blocking-client')!);
    const run = (files: string[], cwd: string, dry = false) => runFiles(files, { transform, options: {}, dry, diff: false, print: false, cwd }, 0);
    const sites = (results: FileResult[], cwd: string) =>
      results
        .flatMap((result) => [
          ...result.rewritten.map((site) => `R ${path.relative(cwd, site.file)}:${site.line}:${site.column + 1} ${site.reason}`),
          ...result.skipped.map((site) => `S ${path.relative(cwd, site.file)}:${site.line}:${site.column + 1} ${site.reason}`),
        ])
        .sort();
    const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

    for (const name of fs.readdirSync(CROSS).sort()) {
      describe(name, () => {
        const input = path.join(CROSS, name, 'input');
        const output = path.join(CROSS, name, 'output');
        const names = fs.readdirSync(input).sort();
        const declaring = (file: string) => file.startsWith('redis.');

        for (const order of ['the declaring module first', 'its importers first']) {
          it(`rewrites every module, ${order}`, async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dedicated-blocking-'));
            temporary.push(dir);
            fs.cpSync(input, dir, { recursive: true });
            const ordered = [...names].sort((a, b) => (Number(declaring(b)) - Number(declaring(a))) * (order.startsWith('the declaring') ? 1 : -1));
            const results = await run(ordered.map((file) => path.join(dir, file)), dir);
            expect(results.filter((result) => result.status === 'failed')).toEqual([]);
            for (const file of names) expect(fs.readFileSync(path.join(dir, file), 'utf8'), file).toBe(fs.readFileSync(path.join(output, file), 'utf8'));
            expect(sites(results, dir)).toEqual(lines(path.join(CROSS, name, 'report.txt')));

            const again = await run(names.map((file) => path.join(dir, file)), dir);
            expect(again.map((result) => result.status)).toEqual(names.map(() => 'unchanged'));
            expect(again.flatMap((result) => result.rewritten)).toEqual([]);
          });
        }

        it('a dry run of the importers alone writes nothing and plans the same edits, in every module they need', async () => {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dedicated-blocking-'));
          temporary.push(dir);
          fs.cpSync(input, dir, { recursive: true });
          const importers = names.filter((file) => !declaring(file));
          const results = await runFiles(importers.map((file) => path.join(dir, file)), { transform, options: {}, dry: true, diff: false, print: true, cwd: dir }, 0);
          const printed = new Map(results.flatMap((result) => [result, ...(result.others ?? [])]).map((result) => [path.basename(result.file), result.output]));
          for (const file of names) {
            expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(fs.readFileSync(path.join(input, file), 'utf8'));
            // The declaring module is shown when an importer's rewrite needs it changed (else its own run changes it).
            if (declaring(file) && !printed.get(file)) continue;
            expect(printed.get(file) ?? fs.readFileSync(path.join(input, file), 'utf8'), file).toBe(fs.readFileSync(path.join(output, file), 'utf8'));
          }
        });

        it('passes no-blocking-on-shared-client once rewritten (but for the listed leftovers)', () => {
          const findings = names.flatMap((file) =>
            lint(path.join(output, file), fs.readFileSync(path.join(output, file), 'utf8'), 'no-blocking-on-shared-client').map(
              (message) => `${file} ${message.line} ${message.messageId}`,
            ),
          );
          expect(findings).toEqual(lines(path.join(CROSS, name, 'relint.txt')));
        });
      });
    }

    it('under jscodeshift (one file at a time) an importer whose rewrite edits its module too is skipped, saying why', () => {
      const importer = path.join(CROSS, 'getter', 'input', 'worker.ts');
      const reports: string[] = [];
      const api = { report: (message: string) => reports.push(message), stats: (name: string) => reports.push(`stats: ${name}`) };
      expect(dedicatedBlockingClient({ path: importer, source: fs.readFileSync(importer, 'utf8') }, api as never, {})).toBeUndefined();
      const edits = `the rewrite also edits ${path.relative(process.cwd(), path.join(CROSS, 'getter', 'input', 'redis.ts'))}, ${path.relative(process.cwd(), path.join(CROSS, 'getter', 'input', 'index.ts'))}`;
      expect(reports).toEqual([
        'stats: sites skipped',
        `5:24 skipped: ${edits}; run it with \`redis-lint codemod\`, which writes every file it edits at once`,
        'stats: sites skipped',
        `11:24 skipped: ${edits}; run it with \`redis-lint codemod\`, which writes every file it edits at once`,
      ]);
    });

    it('leaves an importer whose binding of the module is reassigned (the import no longer says what it holds)', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dedicated-blocking-'));
      temporary.push(dir);
      fs.copyFileSync(path.join(CROSS, 'commonjs', 'input', 'redis.js'), path.join(dir, 'redis.js'));
      const drain = (binding: string, receiver: string) => `${binding}\nasync function drain() {\n  return ${receiver}.blpop('jobs', 1);\n}\nmodule.exports = { drain };\n`;
      for (const worker of [drain("let { redis } = require('./redis');\nif (process.env.X) redis = null;", 'redis'), drain("let db = require('./redis');\ndb = require('./redis');", 'db.redis')]) {
        fs.writeFileSync(path.join(dir, 'worker.js'), worker);
        const [result] = await run([path.join(dir, 'worker.js')], dir, true);
        expect(result?.status).toBe('unchanged');
      }
    });

    it('the rule reports the importers before the rewrite', () => {
      const importer = path.join(CROSS, 'importers', 'input', 'worker.ts');
      expect(lint(importer, fs.readFileSync(importer, 'utf8'), 'no-blocking-on-shared-client').map((message) => message.messageId)).toEqual(['blockingOnSharedClient']);
    });

    it('TypeScript outputs type-check (tsc --noEmit, strict)', () => {
      const files = fs
        .readdirSync(CROSS)
        .flatMap((name) => fs.readdirSync(path.join(CROSS, name, 'output')).map((file) => path.join(CROSS, name, 'output', file)))
        .filter((file) => file.endsWith('.ts'));
      expect(files.length).toBeGreaterThan(3);
      expect(typecheck(files, CROSS)).toEqual([]);
    });
  });
});
