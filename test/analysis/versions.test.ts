import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryById, libraryForModule } from '../../src/catalog';
import { appliesToMajor, declaredRange, detectInstalledVersion, majorOf, majorOfRange, VersionResolver } from '../../src/analysis/versions';

const nodeRedis = libraryById('node-redis');
const ioredis = libraryById('ioredis');

function projectWith(packages: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-versions-'));
  for (const [name, version] of Object.entries(packages)) {
    const dir = path.join(root, 'node_modules', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version }));
  }
  fs.mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
  return root;
}

describe('version detection', () => {
  it('reads the installed package as resolved from the linted file, walking up', () => {
    const root = projectWith({ redis: '4.7.0', ioredis: '5.11.1' });
    const file = path.join(root, 'src', 'deep', 'a.ts');
    const versions = new VersionResolver(file, undefined);
    expect(versions.major(nodeRedis)).toBe(4);
    expect(versions.major(ioredis)).toBe(5);
    expect(detectInstalledVersion('redis', path.dirname(file))).toBe('4.7.0');
  });

  it('falls back to @redis/client when redis itself is not installed', () => {
    const root = projectWith({ '@redis/client': '5.12.1' });
    expect(new VersionResolver(path.join(root, 'src', 'a.ts'), undefined).major(nodeRedis)).toBe(5);
  });

  it('lets settings.redis.versions override, by package name or library id, and honours detect', () => {
    const root = projectWith({ redis: '6.3.1' });
    const file = path.join(root, 'src', 'a.ts');
    expect(new VersionResolver(file, { versions: { redis: '4.7.0' } }).major(nodeRedis)).toBe(4);
    expect(new VersionResolver(file, { versions: { 'node-redis': 5 } }).major(nodeRedis)).toBe(5);
    expect(new VersionResolver(file, { versions: { redis: 'detect' } }).major(nodeRedis)).toBe(6);
  });

  it('is undefined when nothing is installed, and version-scoped facts then take the newest major', () => {
    const root = projectWith({});
    const versions = new VersionResolver(path.join(root, 'src', 'a.ts'), undefined);
    expect(versions.major(libraryById('tarn'))).toBeUndefined();
    expect(appliesToMajor({ majors: [6] }, undefined, 6)).toBe(true);
    expect(appliesToMajor({ majors: [4, 5] }, undefined, 6)).toBe(false);
    expect(appliesToMajor({ majors: [4, 5] }, 5, 6)).toBe(true);
  });

  it('parses majors from versions and ranges', () => {
    expect(majorOf('4.7.0')).toBe(4);
    expect(majorOf('^5.1')).toBe(5);
    expect(majorOf('>=6')).toBe(6);
    expect(majorOf(4)).toBe(4);
    expect(majorOf('latest')).toBeUndefined();
  });

  it('falls back to the nearest package.json dependency range when nothing is installed', () => {
    const root = projectWith({});
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { redis: '^3.1.2' } }));
    // A nested package.json that does not list redis does not stop the walk.
    fs.writeFileSync(path.join(root, 'src', 'package.json'), JSON.stringify({ name: 'inner', devDependencies: { tarn: '~3.0.2' } }));
    const file = path.join(root, 'src', 'deep', 'a.ts');
    expect(declaredRange('redis', path.dirname(file))).toBe('^3.1.2');
    const versions = new VersionResolver(file, undefined);
    expect(versions.major(nodeRedis)).toBe(3);
    expect(versions.major(libraryById('tarn'))).toBe(3);
    expect(versions.major(ioredis)).toBeUndefined();
  });

  it('lets an installed version win over the declared range', () => {
    const root = projectWith({ redis: '4.7.0' });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ dependencies: { redis: '^3.1.2' } }));
    expect(new VersionResolver(path.join(root, 'src', 'a.ts'), undefined).major(nodeRedis)).toBe(4);
  });

  it('tells node_redis 3 from node-redis 4+ by the major, installed or declared', () => {
    const declared3 = projectWith({});
    fs.writeFileSync(path.join(declared3, 'package.json'), JSON.stringify({ dependencies: { redis: '~3.0.0' } }));
    const declared4 = projectWith({});
    fs.writeFileSync(path.join(declared4, 'package.json'), JSON.stringify({ dependencies: { redis: '^4.6.0' } }));
    const installed2 = projectWith({ redis: '2.8.0' });
    const pick = (root: string) => {
      const versions = new VersionResolver(path.join(root, 'src', 'a.ts'), undefined);
      return libraryForModule('redis', (library) => versions.major(library))?.id;
    };
    const declared0 = projectWith({});
    fs.writeFileSync(path.join(declared0, 'package.json'), JSON.stringify({ dependencies: { redis: '~0.10.0' } }));
    expect(pick(declared3)).toBe('node-redis-legacy');
    expect(pick(declared0)).toBe('node-redis-legacy');
    expect(pick(declared4)).toBe('node-redis');
    expect(pick(installed2)).toBe('node-redis-legacy');
    // Unknown: what a fresh install gets.
    expect(pick(projectWith({}))).toBe('node-redis');
    expect(libraryForModule('redis')?.id).toBe('node-redis');
    const pool2 = projectWith({ 'generic-pool': '2.5.4' });
    const versions = new VersionResolver(path.join(pool2, 'src', 'a.ts'), undefined);
    expect(libraryForModule('generic-pool', (library) => versions.major(library))?.id).toBe('generic-pool-legacy');
  });

  it('reads the major of dependency ranges', () => {
    expect(majorOfRange('^3.1.2')).toBe(3);
    expect(majorOfRange('~2.8.0')).toBe(2);
    expect(majorOfRange('3.x')).toBe(3);
    expect(majorOfRange('3')).toBe(3);
    expect(majorOfRange('>=3.0.0 <4')).toBe(3);
    expect(majorOfRange('npm:redis@^3.1.1')).toBe(3);
    expect(majorOfRange('^3.1.0 || ^3.2.0')).toBe(3);
    expect(majorOfRange('^3 || ^4')).toBeUndefined();
    expect(majorOfRange('*')).toBeUndefined();
    expect(majorOfRange('latest')).toBeUndefined();
    expect(majorOfRange('workspace:*')).toBeUndefined();
    expect(majorOfRange('github:redis/node-redis#v3.1.2')).toBeUndefined();
  });
});
