/**
 * The rules must survive any syntax: a deterministic sample (sorted, every Nth file) of at least
 * 3,000 JS/TS files from this project's own node_modules tree, declarations included, is linted
 * with every rule. A file the parser rejects is not a rule's problem; a rule that throws is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_MODULES, nodeModulesSample } from '../../bench/lib/files.mjs';
import { lintFiles, type CorpusResult } from './lint';

// Linting the sample takes about a minute on an idle 2-core machine; a busy shared one needs far longer.
const LINT_TIMEOUT = 600_000;

describe('node_modules sample', () => {
  const sample = nodeModulesSample({ minimum: 3000 });
  let result: CorpusResult;

  beforeAll(() => {
    result = lintFiles(sample.files, NODE_MODULES);
  }, LINT_TIMEOUT);

  it('takes at least 3,000 files', () => {
    expect(sample.files.length).toBeGreaterThanOrEqual(3000);
  });

  it('lints every sampled file without a rule throwing', () => {
    expect(result.crashes).toEqual([]);
  });

  it('parses nearly every sampled file (a sanity check that the sample really reached the rules)', () => {
    expect(result.parseErrors.length).toBeLessThan(sample.files.length / 50);
  });
});
