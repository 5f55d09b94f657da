/**
 * The SARIF of the example service, from the built binary, against the SARIF 2.1.0 JSON schema
 * (vendored: test/fixtures/sarif/README.md says from where), and the fields code scanning reads.
 * `npm run build` must have run first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { rules } from '../../rules';
import { assertBuilt, REPO_ROOT, runCli } from './helpers';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const SCHEMA = path.join(REPO_ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json');

function compileSchema() {
  // The schema's `language` pattern has a stray `]` that only a non-unicode RegExp accepts.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as object);
}

interface SarifRule {
  id: string;
  helpUri?: string;
  help?: { text: string; markdown?: string };
  properties?: { tags?: string[]; precision?: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  partialFingerprints?: Record<string, string>;
  properties?: { tags?: string[]; precision?: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}
interface SarifLog {
  runs: { tool: { driver: { rules: SarifRule[] } }; results: SarifResult[] }[];
}

describe('SARIF of the example service', () => {
  let log: SarifLog;
  let exitCode: number | null;

  beforeAll(async () => {
    assertBuilt();
    const result = await runCli(['examples', '--format', 'sarif'], { cwd: REPO_ROOT, timeoutMs: 80_000 });
    exitCode = result.code;
    log = JSON.parse(result.stdout) as SarifLog;
  });

  it('has findings and fails the run', () => {
    expect(exitCode).toBe(1);
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
  });

  it('is valid against the SARIF 2.1.0 JSON schema', () => {
    const validate = compileSchema();
    const valid = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const validate = compileSchema();
    const broken = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0]!.results[0]!.message;
    expect(validate(broken)).toBe(false);
  });

  it('gives every result the fingerprint code scanning tracks, tags and a precision', () => {
    const fingerprints = new Set<string>();
    for (const result of log.runs[0]!.results) {
      const fingerprint = result.partialFingerprints?.primaryLocationLineHash;
      expect(fingerprint, result.ruleId).toMatch(/^[0-9a-f]{8,}:\d+$/);
      fingerprints.add(`${result.ruleId} ${fingerprint}`);
      expect(result.properties?.tags).toEqual(expect.arrayContaining(['redis', 'reliability']));
      expect(result.properties?.precision).toBe('high');
    }
    // Two findings never share one alert.
    expect(fingerprints.size).toBe(log.runs[0]!.results.length);
  });

  it("gives every rule its doc as help.markdown, with links that work outside the repository", () => {
    const driverRules = log.runs[0]!.tool.driver.rules;
    for (const name of Object.keys(rules)) {
      const rule = driverRules.find((candidate) => candidate.id === `redis/${name}`);
      if (!rule) continue; // a rule the embedded config leaves off
      const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${name}.md`), 'utf8');
      const firstHeading = /^## .+$/m.exec(doc.split('<!-- end auto-generated rule header -->')[1] ?? '')?.[0];
      expect(rule.help?.markdown, name).toContain(firstHeading);
      expect(rule.help?.markdown, name).not.toMatch(/\]\((?!https?:|mailto:|#)[^)]+\)/);
      expect(rule.properties?.precision).toBe('high');
    }
    expect(driverRules.filter((rule) => rule.id.startsWith('redis/')).length).toBeGreaterThan(0);
  });
});
