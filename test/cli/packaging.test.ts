/**
 * The two packages' manifests and the plugin's boundary, checked on the sources (the packed
 * packages themselves are checked by `npm run test:pack`, which needs the network).
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUGS_URL, DOCS_BASE_URL, HOMEPAGE_URL, REPOSITORY_URL } from '../../src/package-info';
import { rules } from '../../rules';

const ROOT = path.resolve(__dirname, '..', '..');
interface Manifest {
  name: string;
  version: string;
  license: string;
  homepage: string;
  repository: { type: string; url: string; directory?: string };
  bugs: { url: string };
  files: string[];
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  scripts: Record<string, string>;
  bin?: Record<string, string>;
}
const read = (relative: string): string => fs.readFileSync(path.join(ROOT, relative), 'utf8');
const plugin = JSON.parse(read('package.json')) as Manifest;
const redisLint = JSON.parse(read('packages/redis-lint/package.json')) as Manifest;

/** The plugin's own sources: what eslint-plugin-redis ships. */
const PLUGIN_SOURCES = ['src/index.ts', 'src/create-rule.ts', 'src/package-info.ts', 'src/test-code.ts', 'src/analysis', 'src/catalog', 'rules'];
const MACHINERY = /^(jscodeshift|recast|ts-morph|@babel\/|flow-parser|ignore$|minimatch$|levn$)/;

function sourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((dirent) => {
    const child = path.join(entry, dirent.name);
    if (dirent.isDirectory()) return sourceFiles(child);
    return dirent.name.endsWith('.ts') ? [path.join(ROOT, child)] : [];
  });
}

/** `import … from 'x'`, `export … from 'x'`, `require('x')`, `import('x')` outside comments. */
function importsOf(file: string): string[] {
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)(['"])([^'"`$]+)\1/g)) found.push(match[2]!);
  return found;
}

describe('packages', () => {
  it('say where the project lives, the same way everywhere', () => {
    for (const manifest of [plugin, redisLint]) {
      expect(manifest.homepage, manifest.name).toBe(HOMEPAGE_URL);
      expect(manifest.repository.url, manifest.name).toBe(`git+${REPOSITORY_URL}.git`);
      expect(manifest.bugs.url, manifest.name).toBe(BUGS_URL);
      expect(manifest.license, manifest.name).toBe('MIT');
    }
    expect(redisLint.repository.directory).toBe('packages/redis-lint');
    for (const [name, rule] of Object.entries(rules)) expect(rule.meta.docs?.url).toBe(`${DOCS_BASE_URL}/docs/rules/${name}.md`);
    // No other spelling of a repository address in code or docs.
    const addresses = new Set<string>();
    for (const file of ['README.md', 'CONTRIBUTING.md', 'docs/cli.md', ...sourceFiles('src').map((full) => path.relative(ROOT, full))]) {
      for (const match of read(file).matchAll(/https:\/\/github\.com\/[\w.-]+\/[\w.-]+/g)) {
        if (match[0].includes('eslint-plugin-redis')) addresses.add(match[0]);
      }
    }
    expect([...addresses]).toEqual([REPOSITORY_URL]);
    expect(read('LICENSE')).toMatch(/^Copyright \(c\) \d{4} eslint-plugin-redis contributors$/m);
    expect(read('CHANGELOG.md')).toMatch(/^# Changelog/);
  });

  it('release together: redis-lint depends on exactly this plugin version', () => {
    expect(redisLint.version).toBe(plugin.version);
    expect(redisLint.dependencies[plugin.name]).toBe(plugin.version);
    expect(redisLint.bin).toEqual({ 'redis-lint': 'dist/src/cli/bin.js' });
    expect(plugin.bin).toBeUndefined();
    expect(plugin.scripts.prepack).toBeTruthy();
    expect(redisLint.scripts.prepack).toBeTruthy();
  });

  it('keep the plugin free of codemod and report machinery, with typescript an optional peer', () => {
    expect(Object.keys(plugin.dependencies).filter((name) => MACHINERY.test(name))).toEqual([]);
    for (const name of ['@typescript-eslint/parser', '@typescript-eslint/utils', '@typescript-eslint/visitor-keys']) {
      expect(plugin.dependencies[name], name).toMatch(/^\^8\./);
    }
    expect(plugin.peerDependencies?.typescript).toBeTruthy();
    expect(plugin.peerDependenciesMeta?.typescript?.optional).toBe(true);
  });

  it("import, in the plugin's sources, only the plugin's own modules and its dependencies", () => {
    const pluginFiles = new Set(PLUGIN_SOURCES.flatMap(sourceFiles));
    const declared = new Set([...Object.keys(plugin.dependencies), ...Object.keys(plugin.peerDependencies ?? {})]);
    const outside: string[] = [];
    for (const file of pluginFiles) {
      for (const specifier of importsOf(file)) {
        const where = `${path.relative(ROOT, file)} → ${specifier}`;
        if (specifier.startsWith('.')) {
          const base = path.resolve(path.dirname(file), specifier);
          const target = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
          if (target && !pluginFiles.has(target)) outside.push(where);
        } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
          const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
          // Module names in catalog data and examples in comments are not imports of the plugin.
          if (/^[a-z@]/.test(name) && !declared.has(name) && MACHINERY.test(name)) outside.push(where);
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it("ship every plugin module: the plugin's `files` cover what tsconfig.plugin.json builds", () => {
    const tsconfig = read('tsconfig.plugin.json');
    for (const source of PLUGIN_SOURCES) {
      expect(tsconfig, source).toContain(`"${source}"`);
      const shipped = source.endsWith('.ts') ? `dist/${source.replace(/\.ts$/, '.js')}` : `dist/${source}/`;
      expect(plugin.files, source).toContain(shipped);
    }
  });

  it('point jscodeshift users at the redis-lint package', () => {
    const readme = read('README.md');
    expect(readme).toContain('npx jscodeshift -t node_modules/redis-lint/dist/codemods/<name>.js');
    const docs = (dir: string): string[] =>
      fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? docs(path.join(dir, entry.name)) : entry.name.endsWith('.md') ? [path.join(dir, entry.name)] : [],
      );
    for (const file of ['README.md', 'CONTRIBUTING.md', ...docs('docs')]) {
      expect(read(file), file).not.toMatch(/node_modules\/eslint-plugin-redis\/dist\/codemods/);
    }
  });
});
