/**
 * Test code: tests, examples, scripts and benchmarks. Their findings are real, but a team adopting
 * the rules in CI wants production code to fail the build and the rest to be visible apart, so
 * `configs.tests` (and `redis-lint`, by default) reports them as warnings.
 *
 * Conventional locations only, as flat-config globs (relative to the config's base directory, or
 * for redis-lint to the directory being linted).
 */
export const TEST_CODE_FILES: readonly string[] = [
  '**/*.{test,spec,e2e,bench}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}',
  '**/{__tests__,__mocks__,__fixtures__}/**',
  '**/{test,tests,spec,e2e,fixtures,examples,example,scripts,bench,benchmark,benchmarks}/**',
];
