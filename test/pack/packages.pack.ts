/**
 * The two packages as a user gets them (`npm run test:pack`, needs the npm registry):
 * clone the committed repository into a temporary directory, `npm ci`, `npm pack` both
 * packages there (their prepack builds them; nothing is built by hand), install them into a new
 * project beside eslint 10, typescript-eslint and typescript, and use them the documented ways:
 * the README's `eslint.config.js`, `npx redis-lint`, `npx jscodeshift -t` with every packed
 * codemod. Measures what the plugin adds to that project (goal: at most 5 MB, and none of the
 * codemod or report machinery) and prints the numbers.
 *
 * PACK_TEST_SOURCE=<git dir or URL> clones something else than this repository (default: its
 * root, the committed HEAD; uncommitted changes are not part of what is packed).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = process.env.PACK_TEST_SOURCE ?? REPO_ROOT;
// What a TypeScript project on ESLint 10 has today; typescript within typescript-eslint's range.
const BASE_PACKAGES = ['eslint@10', 'typescript-eslint@8', 'typescript@~6.0.0'];
const MACHINERY = ['jscodeshift', 'recast', 'ts-morph', '@ts-morph/common', 'flow-parser', '@babel/core', '@babel/parser'];
const MAX_PLUGIN_BYTES = 5 * 1024 * 1024;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 15 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      NO_COLOR: '1',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      npm_config_update_notifier: 'false',
      ...env,
    },
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function mustRun(command: string, args: readonly string[], cwd: string): Run {
  const result = run(command, args, cwd);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.code}:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

/** Bytes on disk under node_modules, and the installed package names. */
function inventory(project: string): { bytes: number; packages: Set<string> } {
  let bytes = 0;
  const packages = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) walk(full);
      else {
        bytes += fs.statSync(full).size;
        if (entry.name === 'package.json') {
          const relative = path.relative(path.join(project, 'node_modules'), path.dirname(full)).split(path.sep);
          // …/node_modules/<name> or …/node_modules/@scope/<name>, at any depth
          const at = relative.lastIndexOf('node_modules');
          const rest = relative.slice(at + 1);
          const name = rest[0]?.startsWith('@') ? rest.slice(0, 2).join('/') : rest[0];
          if (name && rest.length === (name.startsWith('@') ? 2 : 1)) packages.add(name);
        }
      }
    }
  };
  walk(path.join(project, 'node_modules'));
  return { bytes, packages };
}

interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/** `npm pack --json` prints the prepack script's output first, then the JSON array. */
function packInfo(stdout: string): PackInfo {
  const start = stdout.search(/^\[\s*$/m);
  if (start < 0) throw new Error(`no JSON in npm pack's output:\n${stdout}`);
  return (JSON.parse(stdout.slice(start)) as PackInfo[])[0]!;
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The first ```js block after the README's `eslint.config.js` heading: the documented config. */
export function readmeFlatConfig(readme: string): string {
  const heading = readme.search(/^###? .*eslint\.config\.js/m);
  if (heading < 0) throw new Error('README has no eslint.config.js section');
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(heading));
  if (!block) throw new Error('README has no js block under its eslint.config.js heading');
  return block[1]!;
}

const LEAKY_TS = `import { createClient } from 'redis';

const client = createClient({ url: process.env.REDIS_URL });

export async function read(key: string): Promise<string | null> {
  await client.connect();
  return client.get(key);
}
`;
const LEAKY_JS = `const { createClient } = require('redis');

const client = createClient();

module.exports = async function read(key) {
  await client.connect();
  return client.get(key);
};
`;

describe('packed packages in a new project', () => {
  let work: string;
  let clone: string;
  let project: string;
  const numbers: Record<string, string | number> = {};

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-pack-'));
    clone = path.join(work, 'clone');
    project = path.join(work, 'project');
    mustRun('git', ['clone', '--quiet', '--no-hardlinks', SOURCE, clone], work);
    mustRun('npm', ['ci', '--prefer-offline'], clone);
  });

  afterAll(() => {
    console.log(`pack test numbers:\n${Object.entries(numbers).map(([key, value]) => `  ${key}: ${value}`).join('\n')}\n`);
    if (work && !process.env.PACK_TEST_KEEP) fs.rmSync(work, { recursive: true, force: true });
    else if (work) process.stdout.write(`kept ${work}\n`);
  });

  let pluginTarball: string;
  let redisLintTarball: string;

  it('packs both packages from the fresh clone, each built by its prepack', () => {
    expect(fs.existsSync(path.join(clone, 'dist')), 'a fresh clone has no dist/').toBe(false);
    const tarballs = path.join(work, 'tarballs');
    fs.mkdirSync(tarballs);
    const plugin = mustRun('npm', ['pack', '--json', '--pack-destination', tarballs], clone);
    const redisLint = mustRun('npm', ['pack', '--json', '--pack-destination', tarballs], path.join(clone, 'packages', 'redis-lint'));
    const pluginInfo = packInfo(plugin.stdout);
    const redisLintInfo = packInfo(redisLint.stdout);
    pluginTarball = path.join(tarballs, pluginInfo.filename);
    redisLintTarball = path.join(tarballs, redisLintInfo.filename);
    numbers['eslint-plugin-redis tarball'] = `${pluginInfo.files.length} files, ${(pluginInfo.size / 1024).toFixed(0)} kB packed, ${(pluginInfo.unpackedSize / 1024).toFixed(0)} kB unpacked`;
    numbers['redis-lint tarball'] = `${redisLintInfo.files.length} files, ${(redisLintInfo.size / 1024).toFixed(0)} kB packed, ${(redisLintInfo.unpackedSize / 1024).toFixed(0)} kB unpacked`;

    const pluginFiles = pluginInfo.files.map((file) => file.path);
    expect(pluginFiles).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/src/index.js', 'docs/rules/require-error-listener.md']));
    expect(pluginFiles.filter((file) => /^dist\/(codemods|src\/(cli|transform|project))\//.test(file))).toEqual([]);
    const redisLintFiles = redisLintInfo.files.map((file) => file.path);
    expect(redisLintFiles).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/src/cli/bin.js']));
    expect(redisLintFiles.some((file) => /^dist\/codemods\/[^/]+\.js$/.test(file))).toBe(true);
    expect(redisLintFiles.filter((file) => /^dist\/(rules|src\/(analysis|catalog))\//.test(file))).toEqual([]);
  });

  it('adds at most 5 MB and no codemod or report machinery beside eslint, typescript-eslint and typescript', () => {
    expect(pluginTarball && redisLintTarball, 'both packages were packed').toBeTruthy();
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'pack-test-project', private: true, type: 'module' }, null, 2)}\n`);
    mustRun('npm', ['install', '--save-dev', ...BASE_PACKAGES], project);
    const base = inventory(project);
    mustRun('npm', ['install', '--save-dev', pluginTarball], project);
    const withPlugin = inventory(project);
    const added = [...withPlugin.packages].filter((name) => !base.packages.has(name)).sort();
    numbers['base (eslint 10 + typescript-eslint + typescript)'] = `${base.packages.size} packages, ${megabytes(base.bytes)}`;
    numbers['+ eslint-plugin-redis'] = `+${added.length} packages (${added.join(', ')}), +${megabytes(withPlugin.bytes - base.bytes)}`;
    expect(added.filter((name) => MACHINERY.includes(name) || name.startsWith('@babel/'))).toEqual([]);
    expect(withPlugin.bytes - base.bytes).toBeLessThanOrEqual(MAX_PLUGIN_BYTES);
    // One typescript-eslint: the plugin's ranges were satisfied by the project's own copies.
    const nested = fs.existsSync(path.join(project, 'node_modules', 'eslint-plugin-redis', 'node_modules'));
    expect(nested, 'eslint-plugin-redis brought its own nested dependencies').toBe(false);

    mustRun('npm', ['install', '--save-dev', redisLintTarball], project);
    const withRedisLint = inventory(project);
    numbers['+ redis-lint'] = `+${withRedisLint.packages.size - withPlugin.packages.size} packages, +${megabytes(withRedisLint.bytes - withPlugin.bytes)}`;
    // redis-lint uses the installed plugin rather than a copy of it.
    expect(fs.existsSync(path.join(project, 'node_modules', 'redis-lint', 'node_modules', 'eslint-plugin-redis'))).toBe(false);
  });

  it('in a JavaScript project with eslint alone, adds no codemod or report machinery either', () => {
    // typescript comes along even so: @typescript-eslint/utils and parser have it as a required
    // peer (the plugin's own peer on it is optional). The number is reported, not bounded.
    const jsProject = path.join(work, 'js-project');
    fs.mkdirSync(jsProject);
    fs.writeFileSync(path.join(jsProject, 'package.json'), `${JSON.stringify({ name: 'pack-test-js', private: true }, null, 2)}\n`);
    mustRun('npm', ['install', '--save-dev', 'eslint@10'], jsProject);
    const base = inventory(jsProject);
    mustRun('npm', ['install', '--save-dev', pluginTarball], jsProject);
    const withPlugin = inventory(jsProject);
    const added = [...withPlugin.packages].filter((name) => !base.packages.has(name)).sort();
    numbers['JS-only base (eslint 10)'] = `${base.packages.size} packages, ${megabytes(base.bytes)}`;
    numbers['JS-only + eslint-plugin-redis'] = `+${added.length} packages, +${megabytes(withPlugin.bytes - base.bytes)} (typescript: ${added.includes('typescript') ? 'yes' : 'no'})`;
    expect(added.filter((name) => MACHINERY.includes(name) || name.startsWith('@babel/'))).toEqual([]);
  });

  it("runs the rules from the README's eslint.config.js on TypeScript and JavaScript", () => {
    expect(fs.existsSync(path.join(project, 'node_modules', 'eslint-plugin-redis')), 'the plugin is installed').toBe(true);
    const readme = fs.readFileSync(path.join(clone, 'README.md'), 'utf8');
    fs.writeFileSync(path.join(project, 'eslint.config.js'), readmeFlatConfig(readme));
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'src', 'cache.ts'), LEAKY_TS);
    fs.writeFileSync(path.join(project, 'src', 'legacy.cjs'), LEAKY_JS);
    const result = run('npx', ['--no-install', 'eslint', '--format', 'json', 'src'], project);
    expect(result.code, result.stderr).toBe(1);
    const findings = (JSON.parse(result.stdout) as { filePath: string; messages: { ruleId: string | null }[] }[]).map((file) => ({
      file: path.basename(file.filePath),
      rules: file.messages.map((message) => message.ruleId),
    }));
    expect(findings).toEqual(
      expect.arrayContaining([
        { file: 'cache.ts', rules: expect.arrayContaining(['redis/require-error-listener']) },
        { file: 'legacy.cjs', rules: expect.arrayContaining(['redis/require-error-listener']) },
      ]),
    );
  });

  it('npx redis-lint finds the fault with no ESLint config of its own', () => {
    const result = run('npx', ['--no-install', 'redis-lint', 'src', '--format', 'json'], project);
    expect(result.code, result.stderr).toBe(1);
    const messages = (JSON.parse(result.stdout) as { messages: { ruleId: string | null }[] }[]).flatMap((file) => file.messages);
    expect(messages.map((message) => message.ruleId)).toContain('redis/require-error-listener');
    expect(run('npx', ['--no-install', 'redis-lint', '--version'], project).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("the README's annotations recipe: --format with an installed formatter package", () => {
    mustRun('npm', ['install', '--no-save', 'eslint-formatter-gha'], project);
    // The formatter prints workflow commands only inside GitHub Actions (stylish elsewhere).
    const result = run('npx', ['--no-install', 'redis-lint', 'src', '--format', 'gha'], project, { GITHUB_ACTIONS: 'true' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^::error .*file=.*src\/cache\.ts/m);
  });

  it('runs every packed codemod under jscodeshift -t', () => {
    const codemods = path.join(project, 'node_modules', 'redis-lint', 'dist', 'codemods');
    const names = fs
      .readdirSync(codemods)
      .filter((file) => file.endsWith('.js') && file !== 'index.js')
      .map((file) => file.slice(0, -3));
    expect(names.length).toBeGreaterThan(0);
    numbers.codemods = names.join(', ');
    // The example service has a fault for every rule, so each codemod has something to do.
    const target = path.join(project, 'service');
    fs.cpSync(path.join(clone, 'examples', 'src'), target, { recursive: true });
    let modified = 0;
    for (const name of names) {
      const result = run(
        'npx',
        ['--no-install', 'jscodeshift', '--dry', '--extensions=ts', '--parser=ts', '-t', `node_modules/redis-lint/dist/codemods/${name}.js`, 'service'],
        project,
      );
      expect(result.code, `${name}: ${result.stderr}${result.stdout}`).toBe(0);
      expect(result.stdout, name).toMatch(/\b0 errors\b/);
      modified += Number(/(\d+) ok\b/.exec(result.stdout)?.[1] ?? 0);
    }
    numbers['codemod files that would change (jscodeshift --dry)'] = modified;
    expect(modified).toBeGreaterThan(0);
  });
});
