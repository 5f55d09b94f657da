/**
 * The ESLint options of a `redis-lint check` run, built from plain JSON settings. Worker threads
 * (`--concurrency`) rebuild the same options from the same settings through an options module,
 * because plugin and parser objects can't be cloned into a worker.
 */
import type { ESLint, Linter } from 'eslint';
import type { Concurrency, RuleLevel, RuleSetting } from './check-args';

export interface LintSettings {
  /** ESLint's cwd: the base path of the config, and of the cache keys. */
  cwd: string;
  /** A flat config file that replaces the embedded config, or null. */
  configFile: string | null;
  /** `--rule` overrides by full rule id (a level, or a level and options). */
  rules: Record<string, RuleSetting>;
  /** tsconfigRootDir for the project service, or null when linting without types. */
  typeAwareRoot: string | null;
  fix: boolean;
  cache: boolean;
  cacheLocation: string;
  concurrency: Concurrency;
}

/** Every extension redis-lint lints, as one glob for `files`. */
export const SOURCE_GLOB = '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}';

export function buildESLintOptions(settings: LintSettings): ESLint.Options {
  const embedded = settings.configFile === null;
  const options: ESLint.Options & { concurrency?: Concurrency } = {
    cwd: settings.cwd,
    overrideConfigFile: settings.configFile ?? true,
    overrideConfig: embedded ? embeddedConfig(settings) : userConfigOverrides(settings),
    // The files come from collectFiles, one explicit path each: `[id].ts` must not be a glob.
    globInputPaths: false,
    errorOnUnmatchedPattern: false,
    warnIgnored: false,
    // With the embedded config only our own rules may change files, even when a file's inline
    // `/* eslint … */` comment turns on a fixable core rule.
    fix: settings.fix ? (embedded ? (message: Linter.LintMessage) => isRedisRule(message.ruleId) : true) : false,
    cache: settings.cache,
    cacheLocation: settings.cacheLocation,
  };
  // Older ESLint rejects the key itself, so it is only present when asked for.
  if (settings.concurrency !== 'off') options.concurrency = settings.concurrency;
  return options;
}

export function isRedisRule(ruleId: string | null | undefined): boolean {
  return typeof ruleId === 'string' && ruleId.startsWith('redis/');
}

/** The rules the embedded config turns on: the recommended preset plus `--rule` overrides. */
export function embeddedRuleLevels(overrides: Record<string, RuleSetting>): Record<string, RuleSetting> {
  return { ...(loadPlugin().configs.recommended.rules as Record<string, RuleLevel>), ...overrides };
}

/** The level of a rule setting (`'warn'` or `['warn', {…}]`). */
export function levelOf(setting: RuleSetting): RuleLevel {
  return Array.isArray(setting) ? setting[0] : setting;
}

function embeddedConfig(settings: LintSettings): Linter.Config[] {
  return [
    {
      name: 'redis-lint/embedded',
      files: [SOURCE_GLOB],
      plugins: { redis: loadPlugin() as unknown as ESLint.Plugin },
      languageOptions: {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        parser: require('@typescript-eslint/parser') as Linter.Parser,
        parserOptions: { ecmaFeatures: { jsx: true }, ...typeAwareParserOptions(settings) },
      },
      // The target's own `eslint-disable` comments name rules this config doesn't run.
      linterOptions: { reportUnusedDisableDirectives: false },
      rules: embeddedRuleLevels(settings.rules),
    },
  ];
}

/** On top of the user's config file: only what was asked for on the command line. */
function userConfigOverrides(settings: LintSettings): Linter.Config[] {
  const overrides: Linter.Config[] = [];
  if (settings.typeAwareRoot !== null) {
    overrides.push({
      name: 'redis-lint/type-aware',
      files: [SOURCE_GLOB],
      languageOptions: { parserOptions: typeAwareParserOptions(settings) },
    });
  }
  if (Object.keys(settings.rules).length > 0) {
    overrides.push({ name: 'redis-lint/rule-overrides', files: [SOURCE_GLOB], rules: settings.rules });
  }
  return overrides;
}

function typeAwareParserOptions(settings: LintSettings): Linter.ParserOptions {
  if (settings.typeAwareRoot === null) return {};
  return { projectService: true, tsconfigRootDir: settings.typeAwareRoot };
}

interface PluginShape {
  configs: { recommended: { rules: Record<string, string> } };
  rules: Record<string, { meta?: { docs?: { description?: string; url?: string }; type?: string } }>;
  meta: { name: string; version: string };
}

// Loaded on first use so that `--help` and argument errors don't pay for the rules and parser.
export function loadPlugin(): PluginShape {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../index') as PluginShape;
}
