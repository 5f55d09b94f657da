/**
 * Which major of each client library applies to a linted file. `settings.redis.versions`
 * overrides (by package name or library id, as '4.7.0', 4 or 'detect'); the default, 'detect',
 * reads the library's package.json as resolved from the linted file, as eslint-plugin-react's
 * `settings.react.version: 'detect'` does. When it is not installed (a checkout before `npm ci`,
 * a CI job that only lints), the nearest package.json listing it gives its range's major
 * (`"redis": "^3.1.2"` is node_redis 3). An installed version always wins over a range.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LibraryCatalog, VersionRange } from '../catalog';

export interface RedisSettings {
  versions?: Record<string, string | number>;
}

/** `<dir>/node_modules/<pkg>/package.json`'s version, in the nearest folder walking up from `fromDir` that has it. */
export function detectInstalledVersion(packageName: string, fromDir: string): string | undefined {
  return nearest(installedVersions, packageName, fromDir, (dir) => {
    const version = readJson(path.join(dir, 'node_modules', packageName, 'package.json'))?.version;
    return typeof version === 'string' && version ? version : undefined;
  });
}

/** The first answer `read` gives walking up from `fromDir`, each folder's own answer cached (null: none). */
function nearest(cache: Map<string, string | null>, packageName: string, fromDir: string, read: (dir: string) => string | undefined): string | undefined {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const key = `${dir}\0${packageName}`;
    let found = cache.get(key);
    if (found === undefined) {
      found = read(dir) ?? null;
      cache.set(key, found);
    }
    if (found !== null) return found;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const installedVersions = new Map<string, string | null>();
const declaredRanges = new Map<string, string | null>();

/** A JSON file's content; undefined when it is missing or unreadable (it then says nothing). */
function readJson(file: string): Record<string, unknown> | undefined {
  // Most directories on the way up have no such file: checking first is far cheaper than
  // letting the read throw.
  if (!fs.existsSync(file)) return undefined;
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> | null) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The dependency range the nearest package.json walking up from `fromDir` gives the package
 * (dependencies, devDependencies, peerDependencies or optionalDependencies). A package.json that
 * does not list it does not stop the walk: a workspace root may.
 */
export function declaredRange(packageName: string, fromDir: string): string | undefined {
  return nearest(declaredRanges, packageName, fromDir, (dir) => readRange(path.join(dir, 'package.json'), packageName));
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

function readRange(file: string, packageName: string): string | undefined {
  const json = readJson(file);
  for (const field of DEPENDENCY_FIELDS) {
    const deps = json?.[field];
    const range = deps && typeof deps === 'object' ? (deps as Record<string, unknown>)[packageName] : undefined;
    if (typeof range === 'string') return range;
  }
  return undefined;
}

/**
 * The one major a dependency range allows the lowest version of: `^3.1.2`, `~2.8`, `3.x`,
 * `>=3.0.0 <4`, `npm:redis@^3.1.1` give 3. Undefined when alternatives disagree (`^3 || ^4`) or
 * the range names no version (`*`, `latest`, `workspace:*`, a git or file URL).
 */
export function majorOfRange(range: string): number | undefined {
  const alias = /^npm:(?:@[^/]+\/)?[^@]+@(.*)$/.exec(range.trim());
  const majors = new Set<number>();
  for (const alternative of (alias ? alias[1]! : range).split('||')) {
    const match = /^\s*(?:[\^~]|>=|>|=|v)?\s*v?(\d+)(?:\.|\s|$)/.exec(alternative);
    if (!match) return undefined;
    majors.add(Number(match[1]));
  }
  return majors.size === 1 ? [...majors][0] : undefined;
}

export function majorOf(version: string | number | undefined): number | undefined {
  if (version === undefined) return undefined;
  if (typeof version === 'number') return Number.isFinite(version) ? Math.trunc(version) : undefined;
  const match = /^\s*[\^~>=v]*\s*(\d+)/.exec(version);
  return match ? Number(match[1]) : undefined;
}

export class VersionResolver {
  private readonly majors = new Map<string, number | undefined>();

  constructor(
    private readonly filename: string,
    private readonly settings: RedisSettings | undefined,
  ) {}

  /** The major of a library for this file, or undefined when it can't be known. */
  major(library: LibraryCatalog): number | undefined {
    if (this.majors.has(library.id)) return this.majors.get(library.id);
    const major = this.compute(library);
    this.majors.set(library.id, major);
    return major;
  }

  private compute(library: LibraryCatalog): number | undefined {
    const configured = this.settings?.versions;
    for (const key of [library.id, ...library.packages]) {
      const value = configured?.[key];
      if (value !== undefined && value !== 'detect') return majorOf(value);
    }
    const dir = this.filename && path.isAbsolute(this.filename) ? path.dirname(this.filename) : process.cwd();
    // Files of one folder share the answer: asked per file, the walk up the folders is a visible
    // share of linting (the caches below keep what was read, not the walk).
    const key = `${dir}\0${library.id}`;
    if (detectedMajors.has(key)) return detectedMajors.get(key);
    if (detectedMajors.size >= MAX_DETECTED_MAJORS) detectedMajors.clear();
    const major = detectMajor(library, dir);
    detectedMajors.set(key, major);
    return major;
  }
}

const MAX_DETECTED_MAJORS = 4096;
const detectedMajors = new Map<string, number | undefined>();

function detectMajor(library: LibraryCatalog, dir: string): number | undefined {
  for (const packageName of library.packages) {
    const version = detectInstalledVersion(packageName, dir);
    if (version) return majorOf(version);
  }
  for (const packageName of library.packages) {
    const range = declaredRange(packageName, dir);
    if (range !== undefined) return majorOfRange(range);
  }
  return undefined;
}

/**
 * Whether a version-scoped fact applies. An unknown major takes the newest major's facts, since
 * that is what a fresh install gets.
 */
export function appliesToMajor(range: VersionRange | undefined, major: number | undefined, newestMajor: number): boolean {
  if (!range) return true;
  return range.majors.includes(major ?? newestMajor);
}
