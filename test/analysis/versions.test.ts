import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryById } from '../../src/catalog';
import { appliesToMajor, detectInstalledVersion, majorOf, VersionResolver } from '../../src/analysis/versions';

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
});
