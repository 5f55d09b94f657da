#!/usr/bin/env node
/**
 * Builds one of the two published packages from the repository's top-level sources.
 *
 *   node packages/build.mjs plugin       eslint-plugin-redis (the repository root package):
 *                                        catalog, analysis, rules and the plugin entry, into dist/
 *   node packages/build.mjs redis-lint   redis-lint (packages/redis-lint): CLI, codemods and
 *                                        report, into packages/redis-lint/dist/
 *
 * Both check what they built, so a package that would fail at `require` time is never packed:
 * - plugin: every module the package ships imports only modules the package ships, Node
 *   built-ins, and its own dependencies and peers (so nothing from the redis-lint side);
 * - redis-lint: the plugin modules tsc compiled along (the CLI imports the analysis) are removed
 *   and their imports rewritten to `eslint-plugin-redis` (its `./internal/*` export), so one copy
 *   of catalog, analysis and rules is installed and loaded; every other import must resolve
 *   inside the package or name one of its dependencies.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REDIS_LINT = path.join(ROOT, 'packages', 'redis-lint');
const require = createRequire(path.join(ROOT, 'package.json'));
const ts = require('typescript');

/** Module paths (relative to a dist/ folder, without extension) that make up the plugin. */
const PLUGIN_MODULE_PREFIXES = ['src/analysis/', 'src/catalog/', 'rules/'];
const PLUGIN_MODULE_FILES = ['src/index', 'src/create-rule', 'src/package-info', 'src/test-code'];

function isPluginModule(relativeToDist) {
  const posix = relativeToDist.split(path.sep).join('/').replace(/\.(js|d\.ts)$/, '');
  return PLUGIN_MODULE_PREFIXES.some((prefix) => posix.startsWith(prefix)) || PLUGIN_MODULE_FILES.includes(posix);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function fail(problems) {
  for (const problem of problems) process.stderr.write(`build: ${problem}\n`);
  process.exit(1);
}

function runTsc(project) {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    // tsc still emits. Type errors are the test suite's to catch (`npm test` builds with tsc
    // too); what matters here is that every module is there and resolves, checked below.
    process.stderr.write(`build: warning: tsc -p ${path.relative(ROOT, project)} reported type errors (output emitted)\n`);
  }
}

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** `require('x')`, `import('x')` and `require.resolve('x')` with a literal, in emitted JavaScript. */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve =
        ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isResolve || isImport) {
        const literal = node.arguments[0];
        found.push({ specifier: literal.text, start: literal.getStart(source), end: literal.getEnd() });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { text, imports: found };
}

function resolveRelative(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Where `specifier`, required from `file` in `dist`, would be compiled, when its TypeScript source exists. */
function compiledPathOfSource(dist, file, specifier) {
  const relative = path.relative(dist, path.resolve(path.dirname(file), specifier));
  for (const [source, compiled] of [
    [`${relative}.ts`, `${relative}.js`],
    [path.join(relative, 'index.ts'), path.join(relative, 'index.js')],
  ]) {
    if (fs.existsSync(path.join(ROOT, source))) return path.join(dist, compiled);
  }
  return undefined;
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const BUILTINS = new Set(builtinModules);

function isBuiltin(specifier) {
  return specifier.startsWith('node:') || BUILTINS.has(packageNameOf(specifier));
}

function declaredNames(pkg) {
  return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
}

// Computed or placeholder specifiers in code that builds source text (e.g. a test template).
function isLiteralPackageName(specifier) {
  return /^(@[a-z0-9._-]+\/)?[a-z0-9._-]+(\/[A-Za-z0-9._\/-]*)?$/.test(specifier);
}

function buildPlugin() {
  const pkg = readJson(path.join(ROOT, 'package.json'));
  runTsc(path.join(ROOT, 'tsconfig.plugin.json'));
  const dist = path.join(ROOT, 'dist');
  const shipped = walk(dist).filter((file) => isPluginModule(path.relative(dist, file)));
  const shippedSet = new Set(shipped);
  const declared = declaredNames(pkg);
  const problems = [];
  for (const file of shipped.filter((candidate) => candidate.endsWith('.js'))) {
    const where = path.relative(ROOT, file);
    for (const { specifier } of importsOf(file).imports) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (!target) problems.push(`${where} imports ${specifier}, which was not built`);
        else if (!shippedSet.has(target)) {
          problems.push(`${where} imports ${path.relative(ROOT, target)}, which belongs to redis-lint, not to the plugin`);
        }
      } else if (!isBuiltin(specifier) && isLiteralPackageName(specifier) && !declared.has(packageNameOf(specifier))) {
        problems.push(`${where} imports ${specifier}, which is not a dependency or peer of ${pkg.name}`);
      }
    }
  }
  if (problems.length > 0) fail(problems);
  process.stdout.write(`build: eslint-plugin-redis ${pkg.version}: ${shipped.filter((file) => file.endsWith('.js')).length} modules checked\n`);
}

function buildRedisLint() {
  const plugin = readJson(path.join(ROOT, 'package.json'));
  const pkg = readJson(path.join(REDIS_LINT, 'package.json'));
  const problems = [];
  if (pkg.version !== plugin.version) problems.push(`packages/redis-lint is ${pkg.version}, the plugin ${plugin.version}: release them together`);
  if (pkg.dependencies?.[plugin.name] !== plugin.version) {
    problems.push(`packages/redis-lint must depend on ${plugin.name} ${plugin.version} exactly (it imports the plugin's internal modules)`);
  }
  if (problems.length > 0) fail(problems);

  const dist = path.join(REDIS_LINT, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  runTsc(path.join(REDIS_LINT, 'tsconfig.json'));

  const all = walk(dist);
  const own = all.filter((file) => !isPluginModule(path.relative(dist, file)) && file.endsWith('.js'));
  const declared = declaredNames(pkg);
  let rewritten = 0;
  for (const file of own) {
    const where = path.relative(ROOT, file);
    const { text, imports } = importsOf(file);
    let output = text;
    // From the end, so earlier offsets stay valid.
    for (const { specifier, start, end } of [...imports].reverse()) {
      if (specifier.startsWith('.')) {
        // tsc compiled the plugin modules along, so the target exists here until removed below.
        // A lazy `require('../index')` is no import to tsc, so its target may be missing: then
        // the source file says which module it is.
        const target = resolveRelative(file, specifier) ?? compiledPathOfSource(dist, file, specifier);
        if (!target) {
          problems.push(`${where} imports ${specifier}, which was not built`);
          continue;
        }
        const relative = path.relative(dist, target).split(path.sep).join('/');
        if (!isPluginModule(relative)) continue;
        const replacement = relative === 'src/index.js' ? plugin.name : `${plugin.name}/internal/${relative}`;
        output = `${output.slice(0, start)}'${replacement}'${output.slice(end)}`;
        rewritten += 1;
      } else if (!isBuiltin(specifier) && isLiteralPackageName(specifier) && !declared.has(packageNameOf(specifier))) {
        problems.push(`${where} imports ${specifier}, which is not a dependency or peer of redis-lint`);
      }
    }
    if (output !== text) fs.writeFileSync(file, output);
  }
  for (const file of all.filter((candidate) => isPluginModule(path.relative(dist, candidate)))) fs.rmSync(file);
  // Empty folders left by the removed plugin modules.
  for (const folder of ['src/analysis', 'src/catalog', 'rules']) fs.rmSync(path.join(dist, folder), { recursive: true, force: true });
  if (problems.length > 0) fail(problems);

  // npm packs a package's own LICENSE and CHANGELOG only: the repository's are copied in.
  for (const file of ['LICENSE', 'CHANGELOG.md']) fs.copyFileSync(path.join(ROOT, file), path.join(REDIS_LINT, file));
  fs.chmodSync(path.join(dist, 'src', 'cli', 'bin.js'), 0o755);
  process.stdout.write(`build: redis-lint ${pkg.version}: ${own.length} modules, ${rewritten} imports of the plugin\n`);
}

const target = process.argv[2];
if (target === 'plugin') buildPlugin();
else if (target === 'redis-lint') buildRedisLint();
else fail([`usage: node packages/build.mjs <plugin|redis-lint>, not ${target ?? 'nothing'}`]);
