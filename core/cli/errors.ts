/**
 * Typed errors of the command-line tool. The exit code travels with the error so `main` maps any failure to
 * 1 (a problem was found or an operation was refused) or 2 (the command line itself is wrong).
 * @module
 */
import { EventfoldError } from '../log/index.js';

/** Exit code: success. */
export const EXIT_OK = 0;
/** Exit code: a problem was found (corruption, lock held, missing folder, refused operation). */
export const EXIT_PROBLEM = 1;
/** Exit code: the command line is wrong (unknown command or option, missing argument). */
export const EXIT_USAGE = 2;

/** Base of every error the CLI raises itself; `exitCode` is what the process exits with. */
export class CliError extends EventfoldError {
  constructor(
    code: string,
    message: string,
    readonly exitCode: number = EXIT_PROBLEM,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** The command line is wrong; the message says what to type instead. Exits with 2. */
export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command whose usage to point at, if any. */
    readonly command?: string,
  ) {
    super('USAGE', message, EXIT_USAGE);
  }
}

/** The folder is neither a log folder nor a store (or does not exist). Exits with 1. */
export class NotEventfoldDirError extends CliError {
  constructor(dir: string, reason: string) {
    super(
      'NOT_EVENTFOLD_DIR',
      `${dir} ${reason}. Point the command at a log folder (with app.jsonl or archive.jsonl.zst) or a store (with streams/).`,
    );
  }
}

/** A maintenance command was refused because the app (or another process) holds the folder. Exits with 1. */
export class FolderInUseError extends CliError {
  constructor(what: string, holders: string[]) {
    super(
      'IN_USE',
      `Refusing to ${what}: the folder is in use (${holders.join('; ')}). Close the app that uses it, then run the command again.`,
    );
  }
}
