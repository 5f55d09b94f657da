/**
 * Every codemod `redis-lint codemod` runs: name, what it does, its own flags. A flag's value
 * reaches the transform as `options[flag.option]` (under the jscodeshift CLI `--<flag>=<value>`
 * arrives as given, and the session camel-cases it). Adding a codemod means adding its file and
 * one entry here.
 */
import * as path from 'node:path';
import { LIBRARIES } from '../src/catalog';

export interface CodemodFlag {
  /** On the command line: `--<name> <value>` (or `--<name>` for a boolean). */
  name: string;
  /** The transform option it sets. */
  option: string;
  type: 'number' | 'string' | 'boolean';
  /** Shown in the usage line: `--node-redis-major <major>`. */
  valueName?: string;
  description: string;
  /** Numbers: only whole numbers. */
  integer?: boolean;
  /** Numbers: the smallest value allowed. */
  min?: number;
  /** Numbers: the values allowed, when they are a known list. */
  choices?: () => readonly number[];
}

/**
 * The majors of a package the catalog has facts for (node-redis: 2 and 3 in the legacy entry,
 * 4 to 6 in the current one): every major an entry for the package names, up to its latest.
 */
export function knownMajors(packageName: string): number[] {
  const majors = new Set<number>();
  const seen = new Set<object>();
  const collect = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const range = (value as { majors?: unknown }).majors;
    if (Array.isArray(range)) for (const major of range) if (typeof major === 'number') majors.add(major);
    for (const child of Object.values(value)) collect(child);
  };
  for (const library of LIBRARIES) {
    if (!library.packages.includes(packageName)) continue;
    majors.add(library.latestMajor);
    collect(library);
  }
  return [...majors].sort((a, b) => a - b);
}

/** `--<name> <ms>`: a timeout to write, a whole number of milliseconds. */
function millisecondsFlag(name: string, option: string, description: string): CodemodFlag {
  return { name, option, type: 'number', valueName: 'ms', integer: true, min: 1, description };
}

/** `--node-redis-major <major>`: the node-redis major to assume. */
function nodeRedisMajorFlag(description: string): CodemodFlag {
  return { name: 'node-redis-major', option: 'nodeRedisMajor', type: 'number', valueName: 'major', choices: () => knownMajors('redis'), description };
}

export interface CodemodEntry {
  name: string;
  description: string;
  flags: CodemodFlag[];
}

export const CODEMODS: readonly CodemodEntry[] = [
  {
    name: 'release-in-finally',
    description:
      'Gives every pool loan and per-call connection back on every path: wraps the code from the acquire to its last use in try/finally with the release, removes the releases that would now run twice, hoists declarations read after the new try.',
    flags: [nodeRedisMajorFlag("node-redis major to write releases for (close() on 5/6, quit() on 4) when the code has none and the installed version can't be found")],
  },
  {
    name: 'managed-lifecycle',
    description:
      'Turns acquire + try/finally release into the pool\'s managed call (generic-pool `pool.use`, node-redis sentinel `sentinel.use`), fixing leaking loans first; carries return values through and reports sites where the move would change meaning.',
    flags: [],
  },
  {
    name: 'add-timeouts',
    description:
      'Adds the bounds require-timeout asks for: commandTimeout on ioredis/iovalkey clients (longer than any finite blocking wait they serve; never on BullMQ Worker/QueueEvents connections), acquireTimeoutMillis on generic-pool pools of Redis clients, a finite value where node-redis options turn a bound off. Edits the options where they are written and reports imported or computed ones.',
    flags: [
      millisecondsFlag('command-timeout', 'commandTimeout', 'command timeout to write (default 5000); raised above the longest blocking wait a client serves'),
      millisecondsFlag('acquire-timeout', 'acquireTimeout', 'pool acquire timeout to write (default 5000)'),
      nodeRedisMajorFlag("node-redis major whose defaults apply (5 has no command timeout, 6 bounds commands at 5000 ms) when the installed version can't be found"),
    ],
  },
  {
    name: 'dedicated-blocking-client',
    description:
      'Moves blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK…) off a module-level client that serves other work onto `<name>Blocking = <name>.duplicate()`, exported when the client is, with its connect, error listener and closing repeated and timeouts that outlast its waits; modules that import the client move their blocking calls to that duplicate.',
    flags: [],
  },
  {
    name: 'shared-client',
    description:
      'Replaces a client a function creates and closes on every call with one module-level client it reuses (node-redis connected on first use); skips clients that depend on the call, are handed on, or serve blocking or subscriber work.',
    flags: [],
  },
];

export function codemodByName(name: string): CodemodEntry | undefined {
  return CODEMODS.find((codemod) => codemod.name === name);
}

/** The file of a codemod's transform, named for it (without extension: `.ts` in the sources, `.js` in dist; workers load it by path). */
export function transformPath(entry: CodemodEntry): string {
  return path.join(__dirname, entry.name);
}

