/**
 * The package's own name and version, found from this file whether it runs from src/ or
 * dist/src/, and the one place the project's public addresses are written: package.json files,
 * rule doc URLs, SARIF help links and the README all use these (a unit test holds them together).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PackageInfo {
  name: string;
  version: string;
  /** The plugin's package directory: its `docs/rules` are read from here (SARIF help). */
  root: string;
}

/** Where the source lives. Docs links point at its default branch. */
export const REPOSITORY_URL = 'https://github.com/eslint-plugin-redis/eslint-plugin-redis';
export const BUGS_URL = `${REPOSITORY_URL}/issues`;
export const HOMEPAGE_URL = `${REPOSITORY_URL}#readme`;
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main`;

/** A repository file's page, e.g. `docsUrl('docs/cli.md#sarif')`. */
export function docsUrl(relativePath: string): string {
  return `${DOCS_BASE_URL}/${relativePath}`;
}

export function ruleDocsUrl(ruleName: string): string {
  return docsUrl(`docs/rules/${ruleName}.md`);
}

function find(): PackageInfo {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'eslint-plugin-redis') return { name: json.name, version: json.version ?? '0.0.0', root: dir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('eslint-plugin-redis: cannot find its own package.json');
    dir = parent;
  }
}

export const packageInfo: PackageInfo = find();
