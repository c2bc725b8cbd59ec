/**
 * The browser-mode transport: commands and queries as `fetch` POSTs carrying the session token, change
 * notifications on one WebSocket that reconnects by itself.
 * @module
 */
import {
  isBackendResult,
  type AppInfo,
  type BackendResult,
  type ChangeNotification,
  type EventfoldApi,
} from '../../../src-preload/api.js';
import type { ConnectionStatus, Transport } from './transport.js';

/** Options of {@link createWebTransport}. */
export interface WebTransportOptions {
  token: string;
  /** `http://host:port` of the browser-mode host; default: the page's origin. */
  origin?: string;
}

function networkFailure(message: string): BackendResult<never> {
  return { ok: false, error: { kind: 'internal', code: 'NETWORK', message } };
}

/** Creates the transport and opens its live socket. */
export function createWebTransport(options: WebTransportOptions): Transport {
  const origin = options.origin ?? window.location.origin;
  const listeners = new Set<(n: ChangeNotification) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let retryDelay = 250;

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return;
    status = next;
    for (const l of statusListeners) l(next);
  };

  async function post(path: string, body: unknown): Promise<BackendResult> {
    try {
      const res = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Eventfold-Token': options.token },
        body: JSON.stringify(body),
      });
      const json: unknown = await res.json().catch(() => null);
      return isBackendResult(json)
        ? json
        : networkFailure(`The app's host answered ${res.status} without a result; try again.`);
    } catch {
      return networkFailure('The app is not reachable. Is `npm run web` still running?');
    }
  }

  function connect(): void {
    const url = new URL('/api/live', origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', options.token);
    const socket = new WebSocket(url);
    socket.onmessage = (event: MessageEvent<string>) => {
      let message: { type?: string; notification?: ChangeNotification };
      try {
        message = JSON.parse(event.data) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'ready') {
        retryDelay = 250;
        setStatus('live');
      } else if (message.type === 'changed' && message.notification) {
        for (const l of listeners) l(message.notification);
      }
    };
    socket.onclose = () => {
      setStatus('connecting');
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5000);
    };
  }
  connect();

  const api: EventfoldApi = {
    execute: (request) => post('/api/execute', request),
    query: (request) => post('/api/query', request),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    appInfo: () => post('/api/query', { query: 'app.info', params: {} }) as Promise<BackendResult<AppInfo>>,
  };

  return {
    kind: 'web',
    api,
    watchStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => {
        statusListeners.delete(listener);
      };
    },
  };
}
