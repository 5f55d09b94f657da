/**
 * `redis-lint`'s test-code policy (src/test-code.ts). A file is classified by its path below the
 * directory it was found in, as given on the command line: `redis-lint examples/` lints the
 * example service as the thing under test, while `redis-lint .` sees the same files as examples.
 * A file named on the command line is classified by its name alone (`cache.test.ts` anywhere).
 */
import * as path from 'node:path';
import type { ESLint, Linter } from 'eslint';
import { minimatch } from 'minimatch';
import { withMessages } from './baseline';
import type { TestCodeLevel } from './check-args';
import { isInside } from './files';

export interface TestCodePolicy {
  level: TestCodeLevel;
  /** Globs relative to each linted root. */
  patterns: readonly string[];
  /** The paths given on the command line, absolute. */
  roots: readonly string[];
}

/** The root a file was found under (the deepest given directory holding it), or its own directory. */
function rootOf(file: string, roots: readonly string[]): string {
  let best: string | undefined;
  for (const root of roots) {
    if (root === file) return path.dirname(file);
    if (isInside(root, file) && (best === undefined || root.length > best.length)) best = root;
  }
  return best ?? path.dirname(file);
}

export function isTestCode(file: string, policy: Pick<TestCodePolicy, 'patterns' | 'roots'>): boolean {
  const relative = path.relative(rootOf(file, policy.roots), file).split(path.sep).join('/');
  return policy.patterns.some((pattern) => minimatch(relative, pattern, { dot: true }));
}

/** Findings of test code become warnings or are dropped; a parse error stays an error anywhere. */
export function applyTestCodePolicy(results: ESLint.LintResult[], policy: TestCodePolicy): ESLint.LintResult[] {
  if (policy.level === 'error') return results;
  return results.map((result) => {
    if (!isTestCode(result.filePath, policy)) return result;
    const change = <M extends Linter.LintMessage>(messages: M[]): M[] =>
      policy.level === 'off'
        ? messages.filter((message) => message.ruleId === null)
        : messages.map((message) => (message.ruleId !== null && message.severity === 2 ? { ...message, severity: 1 as const } : message));
    return withMessages(result, change(result.messages), change(result.suppressedMessages));
  });
}

