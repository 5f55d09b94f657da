/**
 * One progress line on stderr, only on a terminal and only for a long run (many files, or more
 * than a second), rewritten in place and cleared at the end so the report starts clean.
 */
const LONG_RUN_FILES = 200;
const LONG_RUN_MS = 1000;

export class Progress {
  private shown = false;
  private readonly started: number;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** stderr is a terminal: without one nothing is ever shown. */
    readonly enabled: boolean,
    private readonly total: number,
    private readonly now: () => number = Date.now,
    private readonly doing = 'linting',
  ) {
    this.started = now();
  }

  /** Files done so far, or undefined when only the elapsed time is known (worker threads). */
  update(done: number | undefined): void {
    if (!this.enabled) return;
    const elapsed = this.now() - this.started;
    if (this.total <= LONG_RUN_FILES && elapsed <= LONG_RUN_MS) return;
    const count = done === undefined ? `${this.total} files` : `${done}/${this.total} files`;
    this.stream.write(`\r\x1b[2Kredis-lint: ${this.doing} ${count} (${(elapsed / 1000).toFixed(0)}s)`);
    this.shown = true;
  }

  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
