#!/usr/bin/env node
/**
 * redis-lint: `redis-lint [check] [paths…]` (default), `redis-lint codemod <name> [paths…]`,
 * `redis-lint report [path]`. Usage problems print one line and exit 2.
 */
import { main } from './main';

// A reader that stops early (`redis-lint -f sarif | head -c 100`) closes the pipe: the rest of
// the output goes nowhere, quietly, and the run still ends with its own exit code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  interactive: Boolean(process.stderr.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`redis-lint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
