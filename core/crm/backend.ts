/**
 * The backend facade: the only surface a shell (Electron main, the browser-mode host, the CLI) talks to.
 * Requests and results are plain JSON so they cross IPC, HTTP and WebSocket unchanged.
 * @module
 */

/** A command request: `command` names an entry of the contract; `input` is validated against its zod schema. */
export interface CommandRequest {
  command: string;
  input: unknown;
  /** Idempotency key: re-sending the same id returns the first result and changes nothing. */
  commandId?: string;
  /** Expected version of the target record, for edits made on a form that may be stale. */
  expectedVersion?: number;
}

/** A query request: `query` names an entry of the contract; `params` is validated against its zod schema. */
export interface QueryRequest {
  query: string;
  params: unknown;
}

/** The kinds of failure a caller must tell apart. */
export type BackendErrorKind =
  /** The input broke the contract's schema (malformed payload, unknown command or query). */
  | 'validation'
  /** A business rule refused the command (e.g. duplicate email). */
  | 'domain'
  /** The record changed since the caller read it (optimistic concurrency). */
  | 'conflict'
  /** The record does not exist. */
  | 'not_found'
  /** A bug or an I/O failure; details are logged, not leaked. */
  | 'internal';

/** A failure, serialisable across IPC/HTTP. */
export interface BackendError {
  kind: BackendErrorKind;
  /** Stable code, e.g. `'DUPLICATE_EMAIL'`, `'INVALID_INPUT'`. */
  code: string;
  /** A sentence for the user. */
  message: string;
  /** Structured extras (validation issues, the existing record's id, ...). */
  details?: unknown;
}

/** Every backend call resolves to this: never throws across the boundary. */
export type BackendResult<T = unknown> = { ok: true; value: T } | { ok: false; error: BackendError };

/** A push notification: which read models changed, so open windows can re-query. */
export interface ChangeNotification {
  /** Names of the read models (queries) whose results may have changed. */
  changed: string[];
  /** Global position of the last event reflected. */
  position: number;
}

/** What every shell needs from the backend; `createCrmBackend(dataDir)` returns one. */
export interface CrmBackend {
  execute(request: CommandRequest): Promise<BackendResult>;
  query(request: QueryRequest): Promise<BackendResult>;
  /** Registers a listener for change notifications; returns the unsubscribe function. */
  subscribe(listener: (notification: ChangeNotification) => void): () => void;
  /** Flushes and closes the store (releases the lock). */
  close(): Promise<void>;
}
