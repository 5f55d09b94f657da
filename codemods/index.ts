/**
 * Every codemod `redis-lint codemod` runs: name, what it does, its own flags. A flag's value
 * reaches the transform as `options[flag.option]` (under the jscodeshift CLI `--<flag>=<value>`
 * arrives as given, and the session camel-cases it). Adding a codemod means adding its file and
 * one entry here.
 */
import * as path from 'node:path';

export interface CodemodFlag {
  /** On the command line: `--<name> <value>` (or `--<name>` for a boolean). */
  name: string;
  /** The transform option it sets. */
  option: string;
  type: 'number' | 'string' | 'boolean';
  /** Shown in the usage line: `--node-redis-major <major>`. */
  placeholder?: string;
  description: string;
}

export interface CodemodEntry {
  name: string;
  description: string;
  flags: CodemodFlag[];
  /** The module that default-exports the transform, relative to this folder (workers load it by path). */
  module: string;
}

export const CODEMODS: readonly CodemodEntry[] = [
  {
    name: 'release-in-finally',
    description:
      'Gives every pool loan and per-call connection back on every path: wraps the code from the acquire to its last use in try/finally with the release, removes the releases that would now run twice, hoists declarations read after the new try.',
    flags: [
      {
        name: 'node-redis-major',
        option: 'nodeRedisMajor',
        type: 'number',
        placeholder: 'major',
        description: "node-redis major to write releases for (close() on 5/6, quit() on 4) when the code has none and the installed version can't be found",
      },
    ],
    module: 'release-in-finally',
  },
  {
    name: 'managed-lifecycle',
    description:
      'Turns acquire + try/finally release into the pool\'s managed call (generic-pool `pool.use`, node-redis sentinel `sentinel.use`), fixing leaking loans first; carries return values through and reports sites where the move would change meaning.',
    flags: [],
    module: 'managed-lifecycle',
  },
  {
    name: 'add-timeouts',
    description:
      'Adds the bounds require-timeout asks for: commandTimeout on ioredis/iovalkey clients (longer than any finite blocking wait they serve; never on BullMQ Worker/QueueEvents connections), acquireTimeoutMillis on generic-pool pools of Redis clients, a finite value where node-redis options turn a bound off. Edits the options where they are written and reports imported or computed ones.',
    flags: [
      {
        name: 'command-timeout',
        option: 'commandTimeout',
        type: 'number',
        placeholder: 'ms',
        description: 'command timeout to write (default 5000); raised above the longest blocking wait a client serves',
      },
      {
        name: 'acquire-timeout',
        option: 'acquireTimeout',
        type: 'number',
        placeholder: 'ms',
        description: 'pool acquire timeout to write (default 5000)',
      },
      {
        name: 'node-redis-major',
        option: 'nodeRedisMajor',
        type: 'number',
        placeholder: 'major',
        description: "node-redis major whose defaults apply (5 has no command timeout, 6 bounds commands at 5000 ms) when the installed version can't be found",
      },
    ],
    module: 'add-timeouts',
  },
  {
    name: 'dedicated-blocking-client',
    description:
      'Moves blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK…) off a module-level client that serves other work onto `<name>Blocking = <name>.duplicate()`, exported when the client is, with its connect, error listener and closing repeated and timeouts that outlast its waits; modules that import the client move their blocking calls to that duplicate.',
    flags: [],
    module: 'dedicated-blocking-client',
  },
  {
    name: 'shared-client',
    description:
      'Replaces a client a function creates and closes on every call with one module-level client it reuses (node-redis connected on first use); skips clients that depend on the call, are handed on, or serve blocking or subscriber work.',
    flags: [],
    module: 'shared-client',
  },
];

export function codemodByName(name: string): CodemodEntry | undefined {
  return CODEMODS.find((codemod) => codemod.name === name);
}

/** The file of a codemod's transform (without extension: `.ts` in the sources, `.js` in dist). */
export function transformPath(entry: CodemodEntry): string {
  return path.join(__dirname, entry.module);
}

