/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the rules with their help (the rule docs as
 * Markdown) and help URIs, one result per finding with a physical location relative to
 * %SRCROOT%, and the baseline fingerprint as `partialFingerprints.primaryLocationLineHash`, the
 * one fingerprint code scanning reads (it computes its own only when a result has none).
 *
 * A file that can't be parsed is a result of the `redis-lint/parse-error` rule (so it shows up
 * as an alert on the file and fails the run, as it does in the other formats); other messages
 * ESLint itself emits with no rule id are results of `redis-lint/eslint-notice`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ESLint, Linter } from 'eslint';
import { DOCS_BASE_URL, docsUrl, packageInfo, REPOSITORY_URL } from '../package-info';
import { toPosixRelative, type FingerprintMap } from './baseline';

export const PARSE_ERROR_RULE = 'redis-lint/parse-error';
export const ESLINT_NOTICE_RULE = 'redis-lint/eslint-notice';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key GitHub code scanning tracks alerts by across commits; its value is the baseline's fingerprint. */
export const GITHUB_FINGERPRINT_KEY = 'primaryLocationLineHash';

/** GitHub's scale for how often a rule's findings are right. */
export type SarifPrecision = 'very-high' | 'high' | 'medium' | 'low';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface RuleInfo {
  id: string;
  description: string;
  fullDescription?: string;
  helpUri?: string;
  helpMarkdown?: string;
  level: SarifLevel;
  /** Shown as filters in code scanning. */
  tags?: readonly string[];
  precision?: SarifPrecision;
}

export interface SarifInput {
  results: readonly ESLint.LintResult[];
  fingerprints: FingerprintMap;
  /** The directory URIs are relative to: the directory redis-lint ran in. */
  root: string;
  toolVersion: string;
  /** The rules the run had turned on, listed whether or not they found anything. */
  rules: readonly RuleInfo[];
  /** Metadata of a rule that reported but wasn't listed (rules from a user config). */
  describeRule: (ruleId: string) => RuleInfo | undefined;
  /** Things the run wants the reader to know (e.g. files linted without type information). */
  notifications: readonly string[];
}

export function toSarif(input: SarifInput): object {
  const rules: object[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (info: RuleInfo): number => {
    const known = ruleIndex.get(info.id);
    if (known !== undefined) return known;
    ruleIndex.set(info.id, rules.length);
    rules.push(sarifRule(info));
    return rules.length - 1;
  };
  for (const info of input.rules) addRule(info);

  const results: object[] = [];
  for (const result of input.results) {
    const uri = toPosixRelative(input.root, result.filePath).split('/').map(encodeURIComponent).join('/');
    for (const message of result.messages) {
      const ruleId = sarifRuleId(message);
      const index = addRule(
        [...input.rules, ...BUILT_IN_RULES].find((info) => info.id === ruleId) ?? input.describeRule(ruleId) ?? unknownRule(ruleId, message),
      );
      const info = rules[index] as { properties?: { tags?: readonly string[]; precision?: SarifPrecision } };
      const fingerprint = input.fingerprints.get(message)?.id;
      results.push({
        ruleId,
        ruleIndex: index,
        level: message.severity === 2 ? 'error' : 'warning',
        message: { text: message.message },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: regionOf(message) } }],
        // Built from the flagged code, not its line: an alert follows its code when lines move.
        ...(fingerprint ? { partialFingerprints: { [GITHUB_FINGERPRINT_KEY]: fingerprint } } : {}),
        ...(info.properties ? { properties: info.properties } : {}),
      });
    }
  }

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'redis-lint',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            informationUri: REPOSITORY_URL,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(input.root) } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: input.notifications.map((text) => ({ level: 'note', message: { text } })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function sarifRuleId(message: Linter.LintMessage): string {
  if (message.ruleId) return message.ruleId;
  return message.fatal ? PARSE_ERROR_RULE : ESLINT_NOTICE_RULE;
}

function sarifRule(info: RuleInfo): object {
  const rule: Record<string, unknown> = {
    id: info.id,
    shortDescription: { text: info.description },
    fullDescription: { text: info.fullDescription ?? info.description },
    defaultConfiguration: { level: info.level },
  };
  if (info.helpUri) rule.helpUri = info.helpUri;
  const helpText = info.helpUri ? `${info.fullDescription ?? info.description}\n\nSee ${info.helpUri}` : info.fullDescription ?? info.description;
  rule.help = info.helpMarkdown ? { text: helpText, markdown: info.helpMarkdown } : { text: helpText };
  const properties = { ...(info.tags?.length ? { tags: [...info.tags] } : {}), ...(info.precision ? { precision: info.precision } : {}) };
  if (Object.keys(properties).length > 0) rule.properties = properties;
  return rule;
}

/**
 * ESLint columns are 1-based and its end column is exclusive, as SARIF's are. A message without
 * an end (a parse error) covers one character; one without a position sits at the file start.
 */
function regionOf(message: Linter.LintMessage): object {
  const startLine = message.line >= 1 ? message.line : 1;
  const startColumn = message.line >= 1 && message.column >= 1 ? message.column : 1;
  const hasEnd = typeof message.endLine === 'number' && message.endLine >= startLine && typeof message.endColumn === 'number';
  const endLine = hasEnd ? message.endLine! : startLine;
  let endColumn = hasEnd ? message.endColumn! : startColumn + 1;
  if (endLine === startLine && endColumn <= startColumn) endColumn = startColumn + 1;
  return { startLine, startColumn, endLine, endColumn };
}

/** The rules of what ESLint reports without a rule id. */
const BUILT_IN_RULES: readonly RuleInfo[] = [
  {
    id: PARSE_ERROR_RULE,
    description: 'The file could not be parsed or linted, so no rule checked it',
    fullDescription:
      'redis-lint could not parse this file (a syntax error, or syntax the TypeScript parser does not support), or a rule failed on it, so its rules did not check it. The other files were linted.',
    helpUri: docsUrl('docs/cli.md#parse-errors'),
    level: 'error',
    tags: ['redis-lint', 'parse-error'],
    precision: 'very-high',
  },
  {
    id: ESLINT_NOTICE_RULE,
    description: 'A message from ESLint itself, not from a rule',
    fullDescription: 'ESLint reported this without a rule, for example an unused eslint-disable directive from the configuration in use.',
    helpUri: docsUrl('docs/cli.md#sarif'),
    level: 'warning',
    tags: ['eslint'],
  },
];

function unknownRule(ruleId: string, message: Linter.LintMessage): RuleInfo {
  return { id: ruleId, description: ruleId, level: message.severity === 2 ? 'error' : 'warning' };
}

function directoryUri(dir: string): string {
  const posix = dir.split(path.sep).join('/');
  const withSlash = posix.endsWith('/') ? posix : `${posix}/`;
  return encodeURI(`file://${withSlash.startsWith('/') ? '' : '/'}${withSlash}`);
}

/**
 * SARIF metadata for one of this plugin's rules, with the rule's doc page as help. Every rule
 * is about a process that hangs, crashes or runs out of connections: `reliability`. Precision is
 * `high`: the rules report only values whose origin (or type) is known and stay silent otherwise;
 * what they can't see (a release in another module, a timeout set at run time) is the rest.
 */
export function redisRuleInfo(
  name: string,
  meta: { docs?: { description?: string; url?: string }; type?: string } | undefined,
  level: SarifLevel,
): RuleInfo {
  const description = meta?.docs?.description ?? name;
  const doc = readRuleDoc(name);
  return {
    id: `redis/${name}`,
    description,
    fullDescription: doc?.firstParagraph ?? description,
    helpUri: meta?.docs?.url,
    helpMarkdown: doc?.body,
    level,
    tags: ['redis', 'reliability', meta?.type === 'suggestion' ? 'maintainability' : 'correctness'],
    precision: 'high',
  };
}

const HEADER_END = '<!-- end auto-generated rule header -->';

/** The rule's doc as shipped in the plugin's package: its body, and the first paragraph of prose. */
function readRuleDoc(name: string): { body: string; firstParagraph: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(packageInfo.root, 'docs', 'rules', `${name}.md`), 'utf8');
  } catch {
    return undefined;
  }
  const marker = text.indexOf(HEADER_END);
  const body = absoluteLinks((marker >= 0 ? text.slice(marker + HEADER_END.length) : text).trim(), 'docs/rules');
  const firstParagraph = body
    .split(/\n\s*\n/)
    .find((block) => block.trim() && !block.trimStart().startsWith('#') && !block.trimStart().startsWith('```'));
  if (!firstParagraph) return undefined;
  return { body, firstParagraph: firstParagraph.replace(/\s+/g, ' ').trim() };
}

/** `[text](../cli.md#x)` in a doc under `dir` → a link to the repository's copy of that file. */
function absoluteLinks(markdown: string, dir: string): string {
  return markdown.replace(/\]\((?!https?:|mailto:|#)([^)\s]+)\)/g, (_whole, target: string) => {
    const resolved = path.posix.normalize(`${dir}/${target}`);
    return `](${DOCS_BASE_URL}/${resolved})`;
  });
}
