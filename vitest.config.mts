import { defineConfig } from 'vitest/config';

// Projects: the fast unit suite, the real-Redis end-to-end suite, the third-party corpus and the
// seeded fuzz test (FUZZ_RUNS=5000 for a long run). `npm test` runs all four; each can be run
// alone with `vitest run --project <name>`.
export default defineConfig({
  test: {
    setupFiles: ['./test/setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // The first typed case of a file builds a TypeScript program: seconds on a busy 2-core machine.
          testTimeout: 60_000,
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/corpus/**', 'test/fuzz/**', '**/node_modules/**', '**/__testfixtures__/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'corpus',
          include: ['test/corpus/**/*.test.ts'],
          testTimeout: 300_000,
        },
      },
    ],
  },
});
