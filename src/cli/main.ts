/** Dispatches to the subcommand; each lives in its own module with `run(args, io)`. */
import { packageInfo } from '../package-info';
import { EXIT_USAGE, UsageError, type CommandIO } from './usage-error';

type Command = (args: string[], io: CommandIO) => Promise<number>;

// Loaded lazily: `report` reads every file of a project and `codemod` pulls in jscodeshift, which `check` never needs.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  check: () => (require('./check-command') as { run: Command }).run,
  codemod: () => (require('./codemod-command') as { run: Command }).run,
  report: () => (require('./report-command') as { run: Command }).run,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const USAGE = `Usage:
  redis-lint [check] [paths...] [options]     lint for Redis connection-pool faults (default)
  redis-lint codemod <name> [paths...]         rewrite faults away (redis-lint codemod --list)
  redis-lint report [path]                     project-wide inventory of connections and budget
  redis-lint help [command]                    this text, or a command's options
Run a command with --help for its options.`;

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // `help <command>` is `<command> --help`. A file or directory named `help` is still linted
  // with `redis-lint check help` or `redis-lint ./help`.
  if (first === 'help') {
    const [topic] = rest;
    if (!Object.prototype.hasOwnProperty.call(COMMANDS, topic)) {
      io.stderr.write(`redis-lint: no command "${topic}" (commands: ${Object.keys(COMMANDS).join(', ')}, help)\n`);
      return EXIT_USAGE;
    }
    return runCommand(COMMANDS[topic!]!(), ['--help'], io);
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${packageInfo.version}\n`);
    return 0;
  }
  const named = first !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, first);
  return runCommand(COMMANDS[named ? first : 'check']!(), named ? rest : argv, io);
}

async function runCommand(command: Command, args: string[], io: CommandIO): Promise<number> {
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`redis-lint: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
