/** The package's own name and version, found from this file whether it runs from src/ or dist/src/. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PackageInfo {
  name: string;
  version: string;
  root: string;
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
