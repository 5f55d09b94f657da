/**
 * RuleTesters for the module-view tests: each case lints its code as a handler of the fixture
 * service under test/fixtures/modules/service, whose other modules are on disk and are read by
 * the module view (untyped) or by TypeScript's project service (typed).
 */
import * as path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';

export const serviceDir = path.join(__dirname, '..', 'fixtures', 'modules', 'service');
/** The TypeScript handler cases lint as (on disk, included by the fixture's tsconfig). */
export const handlerTs = path.join(serviceDir, 'src', 'handlers', 'handler.ts');
/** The CommonJS handler cases lint as. */
export const handlerJs = path.join(serviceDir, 'src', 'handlers', 'handler.js');

/** Settings with the module view switched off: what the same code gave before it. */
export const modulesOff = { redis: { modules: false } };

export function untypedServiceTester(): RuleTester {
  return new RuleTester({
    languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    settings: { redis: {} },
  });
}

export function typedServiceTester(): RuleTester {
  return new RuleTester({
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: serviceDir } },
  });
}

export const commonjs = { languageOptions: { parserOptions: { sourceType: 'script' as const } } };
