/**
 * The pieces of `redis-lint check` that need no process: argument parsing, fingerprints and the
 * baseline, the SARIF builder and the progress line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ESLint, Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBaseline, buildBaseline, fingerprintResults, readBaseline, writeBaseline } from '../../src/cli/baseline';
import { parseCheckArgs } from '../../src/cli/check-args';
import { fixSummary, nothingLinted, skippedSummary } from '../../src/cli/check-command';
import { oneLine } from '../../src/cli/check-lint';
import { Progress } from '../../src/cli/progress';
import { toSarif } from '../../src/cli/sarif';
import { UsageError } from '../../src/cli/usage-error';

const RULE = 'redis/require-error-listener';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-units-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function message(line: number, extra: Partial<Linter.LintMessage> = {}): Linter.LintMessage {
  return { ruleId: RULE, severity: 2, message: 'no error listener', line, column: 16, endLine: line, endColumn: 30, ...extra };
}

function result(file: string, source: string, messages: Linter.LintMessage[]): ESLint.LintResult {
  return {
    filePath: path.join(tmp, file),
    source,
    messages,
    suppressedMessages: [],
    errorCount: messages.filter((m) => m.severity === 2).length,
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  };
}

const CLIENT_LINE = "const client = createClient({ url: process.env.REDIS_URL });";

describe('fingerprints', () => {
  it('depend on the flagged code, not on its line or indentation', () => {
    const before = result('a.ts', `import { createClient } from 'redis';\n${CLIENT_LINE}\n`, [message(2)]);
    const after = result('a.ts', `import { createClient } from 'redis';\n\n// moved\n\n  ${CLIENT_LINE.replace(' = ', '   =   ')}\n`, [message(5)]);
    const changed = result('a.ts', `import { createClient } from 'redis';\n${CLIENT_LINE.replace('client', 'cache')}\n`, [message(2)]);
    const id = (r: ESLint.LintResult) => fingerprintResults([r]).get(r.messages[0]!)!.id;
    expect(id(after)).toBe(id(before));
    expect(id(changed)).not.toBe(id(before));
    expect(id(before)).toMatch(/^[0-9a-f]{20}:0$/);
  });

  it('number identical findings in a file by position, counting disabled ones', () => {
    const source = `${CLIENT_LINE}\n${CLIENT_LINE}\n${CLIENT_LINE}\n`;
    const r = result('a.ts', source, [message(3), message(1)]);
    r.suppressedMessages = [{ ...message(2), suppressions: [{ kind: 'directive', justification: '' }] }];
    const fingerprints = fingerprintResults([r]);
    expect(fingerprints.get(r.messages[1]!)!.id).toMatch(/:0$/);
    expect(fingerprints.get(r.suppressedMessages[0]!)!.id).toMatch(/:1$/);
    expect(fingerprints.get(r.messages[0]!)!.id).toMatch(/:2$/);
  });

  it('use the fixed text after --fix, and the message when there is no position', () => {
    const fixed = { ...result('a.ts', '', [message(1)]), source: undefined, output: `${CLIENT_LINE}\n` };
    const plain = result('b.ts', `${CLIENT_LINE}\n`, [message(1)]);
    expect(fingerprintResults([fixed]).get(fixed.messages[0]!)!.id).toBe(fingerprintResults([plain]).get(plain.messages[0]!)!.id);
    const positionless = result('c.ts', 'x', [message(0, { message: 'File ignored' })]);
    expect(fingerprintResults([positionless]).get(positionless.messages[0]!)!.code).toBe('File ignored');
  });
});

describe('baseline', () => {
  const baselineFile = path.join(tmp, 'baseline.json');

  it('moves known findings to suppressedMessages and recomputes the counts', () => {
    const known = result('src/a.ts', `${CLIENT_LINE}\nconst other = createClient();\n`, [message(1), message(2, { severity: 1 })]);
    const baseline = buildBaseline([known], fingerprintResults([known]), baselineFile, undefined);
    expect(baseline.findings.map((entry) => [entry.file, entry.rule])).toEqual([
      ['src/a.ts', RULE],
      ['src/a.ts', RULE],
    ]);

    const now = result('src/a.ts', `// new header\n${CLIENT_LINE}\nconst other = createClient();\nconst third = createClient();\n`, [
      message(2),
      message(3, { severity: 1 }),
      message(4, { severity: 1 }),
    ]);
    const outcome = applyBaseline([now], fingerprintResults([now]), baselineFile, baseline);
    expect(outcome.matched).toBe(2);
    expect(outcome.stale).toBe(0);
    const [revised] = outcome.results;
    expect(revised!.messages.map((m) => m.line)).toEqual([4]);
    expect(revised!.suppressedMessages.map((m) => m.suppressions[0]!.kind)).toEqual(['baseline', 'baseline']);
    expect([revised!.errorCount, revised!.warningCount]).toEqual([0, 1]);
  });

  it('counts entries of linted files that no longer occur as stale, and ignores other files', () => {
    const gone = result('src/a.ts', `${CLIENT_LINE}\n`, [message(1)]);
    const elsewhere = result('src/b.ts', `${CLIENT_LINE}\n`, [message(1)]);
    const baseline = buildBaseline([gone, elsewhere], fingerprintResults([gone, elsewhere]), baselineFile, undefined);
    const fixed = result('src/a.ts', `${CLIENT_LINE}\nclient.on('error', console.error);\n`, []);
    expect(applyBaseline([fixed], fingerprintResults([fixed]), baselineFile, baseline).stale).toBe(1);
  });

  it('keeps entries of existing files that were not linted when updating', () => {
    fs.mkdirSync(path.join(tmp, 'src'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'src', 'kept.ts'), CLIENT_LINE);
    const previous = {
      version: 1 as const,
      tool: 'redis-lint' as const,
      findings: [
        { file: 'src/kept.ts', rule: RULE, fingerprint: 'aaaa:0', code: CLIENT_LINE },
        { file: 'src/deleted.ts', rule: RULE, fingerprint: 'bbbb:0', code: CLIENT_LINE },
        { file: 'src/a.ts', rule: RULE, fingerprint: 'cccc:0', code: CLIENT_LINE },
      ],
    };
    const now = result('src/a.ts', `${CLIENT_LINE}\n`, [message(1)]);
    const updated = buildBaseline([now], fingerprintResults([now]), baselineFile, previous);
    expect(updated.findings.map((entry) => entry.file)).toEqual(['src/a.ts', 'src/kept.ts']);
    expect(updated.findings[0]!.fingerprint).not.toBe('cccc:0');
    writeBaseline(baselineFile, updated);
    expect(readBaseline(baselineFile)).toEqual(updated);
  });

  it('rejects files that are not a baseline of this version', () => {
    const bad = path.join(tmp, 'bad.json');
    for (const text of ['{', '{"version":2,"findings":[]}', '{"version":1,"findings":[{"file":1}]}']) {
      fs.writeFileSync(bad, text);
      expect(() => readBaseline(bad)).toThrow(UsageError);
    }
  });
});

describe('arguments', () => {
  it('defaults to the current directory, stylish, no limits', () => {
    expect(parseCheckArgs([], '/repo')).toMatchObject({
      paths: ['.'],
      format: 'stylish',
      maxWarnings: -1,
      concurrency: 'off',
      cacheLocation: '/repo/.redis-lint-cache',
      rules: {},
    });
  });

  it('normalises rule ids and resolves file options against cwd', () => {
    const args = parseCheckArgs(
      ['src', '-f', 'sarif', '-o', 'out/r.sarif', '--rule', 'require-timeout=warn', '--rule', 'redis/require-error-listener=off', '--concurrency', 'auto', '--max-warnings', '0'],
      '/repo',
    );
    expect(args).toMatchObject({
      paths: ['src'],
      format: 'sarif',
      output: '/repo/out/r.sarif',
      rules: { 'redis/require-timeout': 'warn', 'redis/require-error-listener': 'off' },
      concurrency: 'auto',
      maxWarnings: 0,
    });
    expect(parseCheckArgs(['--concurrency', '4'], '/repo').concurrency).toBe(4);
  });

  it.each([
    [['--concurrency', '0'], /--concurrency/],
    [['--max-warnings=-1'], /--max-warnings/],
    [['--rule', 'other-plugin/rule=error'], /Unknown rule/],
    [['--fix=yes'], /--fix does not take a value/],
    [['-z'], /Unknown option -z/],
  ])('%j is a usage error', (args, pattern) => {
    expect(() => parseCheckArgs(args, '/repo')).toThrow(UsageError);
    expect(() => parseCheckArgs(args, '/repo')).toThrow(pattern);
  });
});

describe('SARIF regions', () => {
  it('give a message without an end one character, and one without a position the file start', () => {
    const r = result('src/a.ts', 'const = ;\n', [
      { ruleId: null, fatal: true, severity: 2, message: 'Parsing error', line: 1, column: 7 },
      { ruleId: null, severity: 1, message: 'Unused eslint-disable directive', line: 0, column: 0 },
    ]);
    const log = toSarif({ results: [r], fingerprints: fingerprintResults([r]), root: tmp, toolVersion: '1.0.0', rules: [], describeRule: () => undefined, notifications: [] }) as {
      runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: object } }> }>; tool: { driver: { rules: Array<{ id: string }> } } }>;
    };
    const [run] = log.runs;
    expect(run!.results.map((entry) => entry.ruleId)).toEqual(['redis-lint/parse-error', 'redis-lint/eslint-notice']);
    expect(run!.results.map((entry) => entry.locations[0]!.physicalLocation.region)).toEqual([
      { startLine: 1, startColumn: 7, endLine: 1, endColumn: 8 },
      { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    ]);
    expect(run!.tool.driver.rules.map((rule) => rule.id)).toEqual(['redis-lint/parse-error', 'redis-lint/eslint-notice']);
  });
});

describe('progress line', () => {
  function stream(): NodeJS.WritableStream & { text: string } {
    const sink = { text: '', write: (chunk: string) => ((sink.text += chunk), true) };
    return sink as unknown as NodeJS.WritableStream & { text: string };
  }

  it('stays silent off a terminal, and on a short run', () => {
    const offTerminal = stream();
    new Progress(offTerminal, false, 5000).update(10);
    const short = stream();
    const progress = new Progress(short, true, 20, () => 0);
    progress.update(10);
    progress.finish();
    expect(offTerminal.text + short.text).toBe('');
  });

  it('shows a count on a long run and clears it at the end', () => {
    let now = 0;
    const out = stream();
    const progress = new Progress(out, true, 50, () => now);
    progress.update(25);
    expect(out.text).toBe('');
    now = 1500;
    progress.update(40);
    expect(out.text).toBe('\r\x1b[2Kredis-lint: linting 40/50 files (2s)');
    progress.finish();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('skipped files and config errors, as one line', () => {
  const cwd = '/repo';
  const skip = (file: string, reason: 'unconfigured' | 'ignored' | 'no-rules' | 'unparsable') => ({ file: `/repo/${file}`, reason, detail: reason });

  it('keeps the cause ESLint puts on the lines after the first, and drops stack frames', () => {
    const error = new Error('Key "rules": Key "redis/no-oversized-pool":\n\tValue 2.5 should be integer.\n    at validate (/x/y.js:1:2)\n');
    expect(oneLine(error)).toBe('Key "rules": Key "redis/no-oversized-pool": Value 2.5 should be integer.');
  });

  it('counts and names skipped files by reason, at most five names each', () => {
    const files = Array.from({ length: 7 }, (_, index) => skip(`src/m${index}.ts`, 'ignored'));
    expect(skippedSummary([...files, skip('b.ts', 'unparsable')], 20, cwd)).toBe(
      '8 of 20 files were not checked by any rule: 7 are ignored by the config\'s "ignores" (src/m0.ts, src/m1.ts, src/m2.ts, src/m3.ts, src/m4.ts, and 2 more); 1 could not be parsed (b.ts)',
    );
  });

  it('says why nothing was linted and what to change', () => {
    expect(nothingLinted([skip('a.ts', 'unconfigured')], { config: '/repo/rl.config.mjs' }, cwd)).toMatch(
      /^the config rl\.config\.mjs does not lint the one file given: no config object that turns on a rule matches it \(a\.ts\); give the config object that turns on the redis rules files: /,
    );
    expect(nothingLinted([skip('a.ts', 'ignored'), skip('b.ts', 'ignored')], { config: '/repo/c.mjs' }, cwd)).toBe(
      'the config c.mjs lints none of the 2 files given: its "ignores" match all of them (a.ts, b.ts); change its ignores or the paths given',
    );
  });

  it('--fix: what was rewritten, or why nothing was', () => {
    const result = (file: string, errors: number, output?: string) => ({ filePath: `/repo/${file}`, errorCount: errors, warningCount: 0, output }) as unknown as ESLint.LintResult;
    expect(fixSummary([result('a.ts', 0, 'fixed'), result('b.ts', 1)], cwd)).toBe('--fix rewrote 1 file: a.ts');
    expect(fixSummary([result('b.ts', 2)], cwd)).toMatch(/^--fix changed nothing: none of the 2 findings has an autofix/);
    expect(fixSummary([result('b.ts', 0)], cwd)).toBe('--fix changed nothing: there was nothing to fix');
  });
});
