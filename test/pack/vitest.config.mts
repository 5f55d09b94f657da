import { defineConfig } from 'vitest/config';

// `npm run test:pack`: packs both packages from a fresh clone and installs them from the npm
// registry into a throwaway project. It needs the network and several minutes, so it is not
// part of `npm test` (whose unit project only picks up *.test.ts files).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/pack/**/*.pack.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
