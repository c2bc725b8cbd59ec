/**
 * What the renderer talks to: the {@link EventfoldApi} plus the state of its live connection.
 * @module
 */
import type { EventfoldApi } from '../../../src-preload/api.js';

/** `live`: change notifications arrive; `connecting`: (re)connecting, data may be stale. */
export type ConnectionStatus = 'connecting' | 'live';

/** A transport to the backend, chosen at start-up. */
export interface Transport {
  /** `ipc` inside Electron (through the preload), `web` in browser mode. */
  kind: 'ipc' | 'web';
  api: EventfoldApi;
  /** Calls `listener` now with the current status and on every change; returns the unsubscribe function. */
  watchStatus(listener: (status: ConnectionStatus) => void): () => void;
}
