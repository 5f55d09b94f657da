#!/usr/bin/env node
/**
 * redis-lint: `redis-lint [check] [paths…]` (default), `redis-lint codemod <name> [paths…]`,
 * `redis-lint report [path]`. Usage problems print one line and exit 2.
 */
import { main } from './main';

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
