/**
 * The API the preload exposes to the renderer as `window.eventfold`, and the IPC channel names behind it.
 * Types only plus three string constants: main, preload and renderer all import this one definition.
 * @module
 */
import type {
  BackendErrorKind,
  BackendResult,
  ChangeNotification,
  CommandRequest,
  QueryRequest,
} from '../core/crm/backend.js';

export type {
  BackendError,
  BackendResult,
  ChangeNotification,
  CommandRequest,
  QueryRequest,
} from '../core/crm/backend.js';

/** IPC channels: one `invoke` channel for commands, one for queries, one push channel for change notifications. */
export const IPC_CHANNELS = {
  execute: 'eventfold:execute',
  query: 'eventfold:query',
  changed: 'eventfold:changed',
} as const;

/** What `appInfo()` resolves to. */
export interface AppInfo {
  version: string;
  dataDir: string;
}

/** The renderer's whole view of the backend; implemented over IPC (preload) or HTTP + WebSocket (browser mode). */
export interface EventfoldApi {
  /** Runs a command; never rejects: failures come back as `{ ok: false, error }`. */
  execute(request: CommandRequest): Promise<BackendResult>;
  /** Runs a query; never rejects. */
  query(request: QueryRequest): Promise<BackendResult>;
  /** Calls `listener` on every change notification; returns the unsubscribe function. */
  subscribe(listener: (notification: ChangeNotification) => void): () => void;
  /** Version and data folder of the running app. */
  appInfo(): Promise<BackendResult<AppInfo>>;
}

/** The name the preload exposes the API under (`window.eventfold`). */
export const API_GLOBAL = 'eventfold';

const ERROR_KINDS: readonly BackendErrorKind[] = [
  'validation',
  'domain',
  'conflict',
  'not_found',
  'internal',
];

/** Whether `value` is a well-formed {@link BackendResult}: checks what arrives from a transport before trusting it. */
export function isBackendResult(value: unknown): value is BackendResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'value' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as { kind?: unknown; code?: unknown; message?: unknown };
  return (
    typeof e.kind === 'string' &&
    (ERROR_KINDS as readonly string[]).includes(e.kind) &&
    typeof e.code === 'string' &&
    typeof e.message === 'string'
  );
}
