/**
 * The real-world corpus: every JS/TS file that the Redis-heavy packages in test/corpus/packages.json
 * ship (queues, session stores, rate limiters, adapters, locks, and the clients themselves) is
 * linted with every rule. No rule may throw, and the findings must equal expected-findings.json,
 * so any change in what the rules report on real code shows up in review. Every expected finding
 * is reviewed in docs/corpus-review.md, and that review must list exactly these findings.
 *
 * UPDATE_CORPUS=1 rewrites expected-findings.json (and bench/.work/corpus-messages.txt with the
 * full messages, for reviewing them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_MODULES, REPO_ROOT, corpusFiles } from '../../bench/lib/files.mjs';
import { findingKey, lintFiles, type CorpusResult, type Finding } from './lint';

const EXPECTED_FILE = path.join(__dirname, 'expected-findings.json');
const REVIEW_FILE = path.join(REPO_ROOT, 'docs', 'corpus-review.md');
const UPDATE = process.env.UPDATE_CORPUS === '1';
// Linting takes about a minute on an idle 2-core machine; a busy shared one needs far longer.
const LINT_TIMEOUT = 600_000;

describe('real-world corpus', () => {
  const { files, missing } = corpusFiles();
  let result: CorpusResult;

  beforeAll(() => {
    result = lintFiles(files, NODE_MODULES);
    if (UPDATE) writeExpectations(result);
  }, LINT_TIMEOUT);

  it('has every corpus package installed', () => {
    expect(missing, 'corpus packages missing from node_modules: run `npm ci`').toEqual([]);
    expect(files.length).toBeGreaterThan(1000);
  });

  it('lints every file without a rule throwing', () => {
    expect(result.crashes).toEqual([]);
  });

  it('parses every file', () => {
    expect(result.parseErrors).toEqual([]);
  });

  it('reports exactly the reviewed findings of expected-findings.json', () => {
    const expected = JSON.parse(fs.readFileSync(EXPECTED_FILE, 'utf8')) as Finding[];
    expect(result.findings).toEqual(expected);
  });

  it('has a review of every expected finding in docs/corpus-review.md, and of nothing else', () => {
    const expected = JSON.parse(fs.readFileSync(EXPECTED_FILE, 'utf8')) as Finding[];
    const reviewed = reviewedKeys(fs.readFileSync(REVIEW_FILE, 'utf8'));
    const keys = new Set(expected.map(findingKey));
    expect([...keys].filter((key) => !reviewed.has(key)), 'findings without a review').toEqual([]);
    expect([...reviewed].filter((key) => !keys.has(key)), 'reviews of findings that no longer occur').toEqual([]);
  });
});

/**
 * Review rows look like
 * `| \`bull/lib/queue.js\` | 12, 40 | require-timeout | missingCommandTimeout | true positive | why |`.
 */
function reviewedKeys(markdown: string): Set<string> {
  const keys = new Set<string>();
  const row = /^\|\s*`([^`]+)`\s*\|\s*([\d,\s]+?)\s*\|\s*([a-z-]+)\s*\|\s*(\w+)\s*\|\s*(true positive|false positive)\s*\|/;
  for (const line of markdown.split('\n')) {
    const match = row.exec(line);
    if (!match) continue;
    const [, file, lines, rule, messageId] = match;
    for (const lineNumber of lines!.split(',')) {
      keys.add(findingKey({ file: file!, line: Number(lineNumber.trim()), rule: rule!, messageId: messageId! }));
    }
  }
  return keys;
}

function writeExpectations(current: CorpusResult): void {
  fs.writeFileSync(EXPECTED_FILE, `${JSON.stringify(current.findings, null, 2)}\n`);
  const work = path.join(REPO_ROOT, 'bench', '.work');
  fs.mkdirSync(work, { recursive: true });
  const lines = current.findings.map((finding) => `${findingKey(finding)}\n    ${current.messages.get(findingKey(finding)) ?? ''}`);
  fs.writeFileSync(path.join(work, 'corpus-messages.txt'), `${lines.join('\n')}\n`);
}
