/**
 * The Electron transport: the API the preload exposed. IPC to the main process is always connected.
 * @module
 */
import type { EventfoldApi } from '../../../src-preload/api.js';
import type { Transport } from './transport.js';

/** Wraps the preload's API. */
export function createIpcTransport(api: EventfoldApi): Transport {
  return {
    kind: 'ipc',
    api,
    watchStatus(listener) {
      listener('live');
      return () => {};
    },
  };
}
