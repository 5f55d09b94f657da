/**
 * The ESLint plugin loads only catalog, analysis and rules: linting with every rule on pulls in
 * none of the codemod or report machinery. Checked on the built plugin in a fresh process, so
 * nothing the test runner loaded counts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..');
const BUILT = path.join(ROOT, 'dist', 'src', 'index.js');

const PROBE = `
const { Linter } = require('eslint');
const plugin = require(${JSON.stringify(BUILT)});
const parser = require('@typescript-eslint/parser');
const linter = new Linter({ configType: 'flat' });
const code = [
  "import { createPool } from 'generic-pool';",
  "import Redis from 'ioredis';",
  "const pool = createPool({ create: async () => new Redis(), destroy: async (c) => { await c.quit(); } }, { max: 5 });",
  "export async function get(key: string) {",
  "  const conn = await pool.acquire();",
  "  const value = await conn.get(key);",
  "  await pool.release(conn);",
  "  return value;",
  "}",
].join('\\n');
const messages = linter.verify(code, [{ files: ['**/*.ts'], plugins: { redis: plugin }, languageOptions: { parser }, rules: plugin.configs.all.rules }], { filename: 'file.ts' });
const loaded = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/](jscodeshift|@babel[\\\\/]parser|recast|ts-morph|@ts-morph|hermes-eslint)[\\\\/]/.test(file));
const ours = Object.keys(require.cache).filter((file) => file.includes(${JSON.stringify(path.join(ROOT, 'dist'))}) && /[\\\\/]dist[\\\\/](src[\\\\/](cli|transform|project)|codemods)[\\\\/]/.test(file));
process.stdout.write(JSON.stringify({ rules: messages.map((m) => m.ruleId), loaded, ours }));
`;

describe('the built ESLint plugin', () => {
  it('lints with every rule on without loading jscodeshift, Babel, recast, ts-morph or the CLI, codemod and report code', () => {
    if (!fs.existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` first');
    const run = spawnSync(process.execPath, ['-e', PROBE], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { rules: string[]; loaded: string[]; ours: string[] };
    // The probe's code has a leak on the error path, so the rules really ran.
    expect(result.rules).toContain('redis/no-unreleased-connection');
    expect(result.loaded).toEqual([]);
    expect(result.ours).toEqual([]);
  });
});
