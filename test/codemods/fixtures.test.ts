/**
 * Fixture pairs for every codemod: `<case>.input.<ext>` must become `<case>.output.<ext>`
 * (no-change cases have both the same), the sites reported must be the ones listed in
 * `<case>.report.txt` (`R line:column what` for rewritten, `S line:column reason` for skipped,
 * `U line:column found, no rewrite planned: …` for a finding no plan speaks of; no file: none), and running the codemod on its own output must change nothing.
 *
 * After a deliberate change, `UPDATE_CODEMOD_FIXTURES=1 npx vitest run --project unit
 * test/codemods/fixtures.test.ts` rewrites the outputs and reports from what the codemods now
 * do; review them with `git diff` before committing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyTransform } from 'jscodeshift/src/testUtils';
import { describe, expect, it } from 'vitest';
import * as managedLifecycle from '../../codemods/managed-lifecycle';
import * as releaseInFinally from '../../codemods/release-in-finally';
import type { SiteReport } from '../../src/transform/report';

const CODEMODS: Record<string, Parameters<typeof applyTransform>[0]> = {
  'release-in-finally': releaseInFinally,
  'managed-lifecycle': managedLifecycle,
};

const fixtures = path.join(__dirname, '__testfixtures__');

/** Runs a transform like jscodeshift does, collecting what it reports. */
function run(name: string, file: string, source: string): { output: string; reports: string[] } {
  const reports: Array<[SiteReport, string]> = [];
  const reporter = {
    rewritten: (site: SiteReport) => reports.push([site, `R ${site.line}:${site.column + 1} ${site.reason}`]),
    skipped: (site: SiteReport) => reports.push([site, `S ${site.line}:${site.column + 1} ${site.reason}`]),
    unplanned: (site: SiteReport) => reports.push([site, `U ${site.line}:${site.column + 1} ${site.reason}`]),
  };
  const output = applyTransform(CODEMODS[name]!, { reporter }, { path: file, source });
  const sorted = reports.sort(([a, textA], [b, textB]) => a.line - b.line || textA.localeCompare(textB)).map(([, text]) => text);
  // applyTransform trims, and gives '' for "no change".
  return { output: output === '' ? source : `${output}\n`, reports: sorted };
}

for (const name of Object.keys(CODEMODS)) {
  describe(name, () => {
    const dir = path.join(fixtures, name);
    const inputs = fs.readdirSync(dir).filter((file) => /\.input\.\w+$/.test(file)).sort();

    it('has fixtures, including no-change ones', () => {
      expect(inputs.length).toBeGreaterThan(5);
      const unchanged = inputs.filter((input) => fs.readFileSync(path.join(dir, input), 'utf8') === fs.readFileSync(path.join(dir, input.replace('.input.', '.output.')), 'utf8'));
      expect(unchanged.length).toBeGreaterThan(0);
    });

    for (const input of inputs) {
      const inputPath = path.join(dir, input);
      const outputPath = inputPath.replace('.input.', '.output.');
      const reportPath = inputPath.replace(/\.input\.\w+$/, '.report.txt');

      describe(input.replace(/\.input\.\w+$/, ''), () => {
        it('produces the expected output and reports', () => {
          const { output, reports } = run(name, inputPath, fs.readFileSync(inputPath, 'utf8'));
          if (process.env.UPDATE_CODEMOD_FIXTURES) {
            fs.writeFileSync(outputPath, output);
            if (reports.length > 0) fs.writeFileSync(reportPath, `${reports.join('\n')}\n`);
            else fs.rmSync(reportPath, { force: true });
          }
          expect(output).toBe(fs.readFileSync(outputPath, 'utf8'));
          const expected = fs.existsSync(reportPath) ? fs.readFileSync(reportPath, 'utf8').trim().split('\n') : [];
          expect(reports).toEqual(expected);
        });

        it('is idempotent: its own output changes nothing', () => {
          const expected = fs.readFileSync(outputPath, 'utf8');
          const { output, reports } = run(name, outputPath, expected);
          expect(output).toBe(expected);
          expect(reports.filter((report) => report.startsWith('R '))).toEqual([]);
        });
      });
    }
  });
}
