/**
 * Which files the corpus test and the benchmark lint. Shared by both so that "the corpus" means
 * the same files in `npm test` and in `npm run bench`. Every list is sorted by path with a
 * locale-independent comparison, so it is the same on every machine with the same install.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/** The corpus definition: package roots relative to node_modules. */
export function corpusPackages() {
  const file = path.join(REPO_ROOT, 'test', 'corpus', 'packages.json');
  const { thirdParty, clients } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { thirdParty, clients, all: [...thirdParty, ...clients] };
}

export function byPath(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The JS/TS a package ships: everything under its root except its own node_modules (those are
 * other packages) and declaration files (no code runs there, so no rule has anything to find).
 * Tests, examples and both builds of dual packages are kept: they are what the package ships,
 * and tests and examples are the closest thing to application code in a library.
 */
export function shippedSources(packageRoot) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) files.push(full);
    }
  };
  walk(packageRoot);
  return files.sort(byPath);
}

/** Every corpus file as an absolute path, with the packages that are not installed. */
export function corpusFiles(nodeModules = NODE_MODULES) {
  const { all } = corpusPackages();
  const files = [];
  const missing = [];
  for (const name of all) {
    const root = path.join(nodeModules, name);
    if (!fs.existsSync(path.join(root, 'package.json'))) {
      missing.push(name);
      continue;
    }
    files.push(...shippedSources(root));
  }
  return { files: files.sort(byPath), missing };
}

/**
 * A deterministic sample of the JS/TS (declarations included: they are TypeScript syntax too) in
 * the whole node_modules tree, nested node_modules included: sorted by path, then every Nth file,
 * with N chosen so that at least `minimum` files are taken. Dot-directories (.bin, caches that
 * tools write at run time) are skipped so the sample doesn't change between runs, and files
 * above `maxBytes` (bundles such as typescript.js) are left out because their parse time would
 * dominate without adding any syntax the others lack.
 */
export function nodeModulesSample({ minimum = 3000, maxBytes = 200 * 1024, nodeModules = NODE_MODULES } = {}) {
  const files = [];
  let oversized = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && SOURCE.test(entry.name)) {
        if (fs.statSync(full).size > maxBytes) oversized++;
        else files.push(full);
      }
    }
  };
  walk(nodeModules);
  files.sort(byPath);
  const stride = Math.max(1, Math.floor(files.length / minimum));
  const sample = files.filter((_, index) => index % stride === stride - 1);
  return { files: sample, population: files.length, stride, oversized };
}
