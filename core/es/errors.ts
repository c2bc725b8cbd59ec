/**
 * Typed errors of the event-sourcing runtime. Every message says what happened and what to do.
 * @module
 */
import { EventfoldError, lockHolder, type LockOwner } from '../log/index.js';

/**
 * A business rule refused a command. Thrown by an aggregate's `decide`; returned to the caller as is (it is the
 * expected, user-facing failure, not a bug). `code` is stable (e.g. `'DUPLICATE_EMAIL'`), `details` is JSON.
 *
 * @example
 * if (state.archived) throw new DomainError('ARCHIVED', 'This contact is archived: restore it first.');
 */
export class DomainError extends EventfoldError {
  constructor(
    code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(code, message);
  }
}

/** An `execute` with an expected version found the stream at another version (a stale form, a concurrent edit). */
export class VersionConflictError extends EventfoldError {
  constructor(
    readonly stream: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      'VERSION_CONFLICT',
      `${stream} changed since it was read (expected version ${expected}, it is now at ${actual}). ` +
        'Reload it and apply your change again.',
    );
  }
}

/** A command, aggregate type, projection or process manager that the store was not given. */
export class UnknownNameError extends EventfoldError {
  constructor(
    readonly kind: 'aggregate type' | 'command' | 'projection' | 'process manager',
    readonly unknown: string,
    readonly known: readonly string[],
  ) {
    const list = known.length > 0 ? known.join(', ') : 'none';
    super(
      `UNKNOWN_${kind.toUpperCase().replace(/ /g, '_')}`,
      `Unknown ${kind} "${unknown}" (registered: ${list}). Register it on the store builder first.`,
    );
  }
}

/** A stream id or aggregate type that cannot be a folder name (empty, `..`, a slash, a control character). */
export class InvalidStreamIdError extends EventfoldError {
  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(
      'INVALID_STREAM_ID',
      `"${value}" cannot name a stream: ${reason}. Use letters, digits, '-', '_' or '.'.`,
    );
  }
}

/** A stream that does not exist (no folder on disk), where one was required. */
export class StreamNotFoundError extends EventfoldError {
  constructor(readonly stream: string) {
    super('STREAM_NOT_FOUND', `There is no stream ${stream} in this store.`);
  }
}

/** The store (or the part of it asked for) was closed. */
export class StoreClosedError extends EventfoldError {
  constructor(what = 'The store') {
    super('STORE_CLOSED', `${what} is closed. Open the store again to use it.`);
  }
}

/**
 * An event that the aggregate's reducer (or an upcaster) could not read. The stream is left untouched; the
 * actor refuses commands until the code can read it (fix the reducer or register an upcaster).
 */
export class UnreadableEventError extends EventfoldError {
  constructor(
    readonly stream: string,
    readonly eventType: string,
    readonly offset: number,
    cause: unknown,
  ) {
    super(
      'UNREADABLE_EVENT',
      `The event "${eventType}" at byte ${offset} of ${stream} cannot be applied (${String(
        (cause as Error)?.message ?? cause,
      )}). Nothing was written; fix the reducer or register an upcaster for this event type.`,
      { cause },
    );
  }
}

/**
 * A projection or process manager stopped at an event its code could not process. It keeps its last good state,
 * retries by itself, and reports the error in `store.metrics()`; writes are not affected.
 */
export class ConsumerStalledError extends EventfoldError {
  constructor(
    readonly consumer: string,
    cause: unknown,
  ) {
    super(
      'CONSUMER_STALLED',
      `"${consumer}" is behind: its code failed on an event (${String((cause as Error)?.message ?? cause)}). ` +
        'The data is safe; it retries by itself, and a fix of its code followed by a restart clears it.',
      { cause },
    );
  }
}

/** Another process (or another store in this one) has the data folder open. */
export class EventfoldStoreLockedError extends EventfoldError {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner | null,
  ) {
    const who = lockHolder(owner);
    super(
      'STORE_LOCKED',
      `The data folder ${dir} is already open${who}. Close the other Eventfold window or program using it, then try again.`,
    );
  }
}
