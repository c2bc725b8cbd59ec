/**
 * Typed errors of the event log. Every message says what happened and what to do about it.
 * @module
 */

/** Base class of every error thrown by `core/log`; `code` is stable for programmatic checks. */
export class EventfoldError extends Error {
  /** A stable machine-readable code, e.g. `'LOCKED'`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Who holds a log directory's writer lock, as recorded in the lock's owner file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Unix milliseconds when the lock was taken. */
  since: number;
}

/** `" by process <pid> on <host> since <ISO time>"`, or `''` when the holder is unknown: for lock messages. */
export function lockHolder(owner: LockOwner | null): string {
  return owner
    ? ` by process ${owner.pid} on ${owner.hostname} since ${new Date(owner.since).toISOString()}`
    : '';
}

/** Another writer (this process or another one) holds the lock on a log directory. */
export class LockedError extends EventfoldError {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner | null,
  ) {
    const who = lockHolder(owner);
    super(
      'LOCKED',
      `The event log in ${dir} is locked${who}. Close the other program (or app window) that uses this folder and try again.`,
    );
  }
}

/** `appendIf` found the log somewhere other than where the caller expected; nothing was written. */
export class AppendConflict extends EventfoldError {
  constructor(
    readonly expectedOffset: number,
    readonly expectedHash: string,
    readonly actualOffset: number,
    /** The hash of the line ending at `expectedOffset`, when the offsets matched but the hashes did not. */
    readonly actualHash: string | null,
  ) {
    super(
      'APPEND_CONFLICT',
      actualHash === null
        ? `Conditional append refused: expected the log to end at byte ${expectedOffset}, but it ends at ${actualOffset}. Re-read and retry.`
        : `Conditional append refused: the line ending at byte ${expectedOffset} has hash ${actualHash}, not ${expectedHash}. Re-read and retry.`,
    );
  }
}

/** A complete line in the log (not a torn last write) is not a valid event. */
export class CorruptLogError extends EventfoldError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      'CORRUPT_LOG',
      `Corrupt event at byte ${offset} of ${file}: ${reason}. Committed events are never skipped silently; run \`eventfold verify --repair\` or open with { onCorrupt: 'skip' } to skip it.`,
    );
  }
}

/** A value could not be read as an event (missing `type`, `data` or `ts`, or not JSON). */
export class InvalidEventError extends EventfoldError {
  constructor(reason: string) {
    super('INVALID_EVENT', `Invalid event: ${reason}`);
  }
}

/** A read position lies beyond the end of the active log: the log was rotated (or truncated) since. */
export class StaleOffsetError extends EventfoldError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly size: number,
  ) {
    super(
      'STALE_OFFSET',
      `Offset ${offset} is beyond the end of ${file} (${size} bytes): the log was rotated or truncated. Restart from the archive with readFull().`,
    );
  }
}

/** A write or sync failed (disk full, I/O error); the log was rolled back to its last durable end. */
export class WriteFailedError extends EventfoldError {
  constructor(file: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    const hint =
      errno === 'ENOSPC' ? 'The disk is full: free some space and retry.' : 'Check the disk and retry.';
    super(
      'WRITE_FAILED',
      `Could not write to ${file} (${errno ?? String(cause)}). Nothing was appended. ${hint}`,
      {
        cause,
      },
    );
  }
}

/** The writer was used after `close()`. */
export class ClosedError extends EventfoldError {
  constructor(what: string) {
    super('CLOSED', `${what} is closed; open it again to continue.`);
  }
}
