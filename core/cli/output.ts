/**
 * Where a command's results go: stdout for results (one JSON document with `--json`, text otherwise, JSONL for
 * event streams), stderr for warnings and errors, so `eventfold ... --json | jq` always sees clean JSON.
 * @module
 */
import type { Writable } from 'node:stream';

/** The streams a command writes to (process.stdout/stderr in the real program). */
export interface OutputStreams {
  stdout: Writable;
  stderr: Writable;
}

/** A command's output channel. */
export class Output {
  constructor(
    /** Whether `--json` was given. */
    readonly json: boolean,
    private readonly streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  /** The error stream (for a progress bar). */
  get stderr(): Writable {
    return this.streams.stderr;
  }

  /** Writes to stdout, waiting for the pipe to drain when its buffer is full (so `tail` of a huge log stays bounded). */
  write(text: string | Uint8Array): Promise<void> | void {
    if (this.streams.stdout.write(text)) return;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.streams.stdout.off('drain', done);
        this.streams.stdout.off('close', done);
        resolve();
      };
      this.streams.stdout.once('drain', done);
      this.streams.stdout.once('close', done);
    });
  }

  /** Writes one line to stdout. */
  line(text = ''): Promise<void> | void {
    return this.write(`${text}\n`);
  }

  /** Prints a command's result: `value` as pretty JSON with `--json`, else the text `human()` returns. */
  async result(value: unknown, human: () => string): Promise<void> {
    if (this.json) await this.line(JSON.stringify(value, null, 2));
    else {
      const text = human();
      if (text.length > 0) await this.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  /** A warning on stderr (never mixed into the results). */
  warn(message: string): void {
    this.streams.stderr.write(`eventfold: warning: ${message}\n`);
  }

  /** An informational note on stderr (progress messages of long commands). */
  note(message: string): void {
    this.streams.stderr.write(`${message}\n`);
  }
}
