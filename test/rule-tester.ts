/**
 * RuleTesters for every rule test: untyped (the TypeScript parser with no program), and typed
 * (the project service over test/fixtures/typed, whose tsconfig includes file.ts).
 */
import * as path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';

export const typedFixturesDir = path.join(__dirname, 'fixtures', 'typed');

export function untypedTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    },
    settings: { redis: { versions: {} } },
  });
}

export function typedTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: typedFixturesDir,
      },
    },
  });
}

/** The filename typed cases lint as (it must exist on disk and be in the tsconfig). */
export const typedFile = path.join(typedFixturesDir, 'file.ts');

/** The filename CommonJS cases lint as. */
export const commonjsOptions = {
  languageOptions: { parserOptions: { sourceType: 'script' as const } },
};
