import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A problem with how the command was called or configured: one line, exit code 2, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  /** stderr is a terminal (progress lines are shown only then). */
  interactive: boolean;
}

/** A flag's value as a whole number of `min` or more, written in digits. */
export function wholeNumber(text: string, flag: string, min: number): number {
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number < min) throw new UsageError(`${flag} needs a whole number of ${min} or more, not "${text}"`);
  return number;
}

/** A command's flags and paths, parsed strictly; a bad flag is a usage error pointing at the command's help. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  command: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, command);
  }
}

/** A node:util `parseArgs` error as one usage line naming the option, pointing at the help. */
function usageErrorFromParseArgs(error: unknown, command: string): UsageError {
  const { code, message } = error as { code?: string; message?: string };
  const found = /'(?:-\w, )?(--?[\w-]+)/.exec(message ?? '')?.[1];
  const option = found ? `option ${found}` : 'option';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`Unknown ${option} (see redis-lint ${command} --help)`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(/argument missing/.test(message ?? '') ? `The ${option} needs a value` : `The ${option} does not take a value`);
    default:
      return new UsageError((message ?? String(error)).split('\n')[0]!);
  }
}

/** Writes a file the command was told to write, or fails with a usage error naming `what`. */
export function writeOutput(file: string, text: string, what: string): void {
  try {
    makeDirectories(path.dirname(file));
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`Cannot write ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** mkdir -p one level at a time (Node's recursive mkdir spins forever under /proc). */
function makeDirectories(dir: string): void {
  if (fs.existsSync(dir)) return;
  makeDirectories(path.dirname(dir));
  fs.mkdirSync(dir);
}
