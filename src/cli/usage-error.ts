/**
 * A problem with how the command was called or configured: printed as one line, exit code 2,
 * never a stack trace.
 */
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
