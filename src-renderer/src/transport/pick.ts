/**
 * Chooses the transport at start-up: the preload's API when present (Electron), otherwise the browser-mode
 * bridge with the session token the host put in the page (or the URL that opened it).
 * @module
 */
import { API_GLOBAL, type EventfoldApi } from '../../../src-preload/api.js';
import { createIpcTransport } from './ipc.js';
import type { Transport } from './transport.js';
import { createWebTransport } from './web.js';

/** Reads the session token from the page's meta tag or `?token=`, then removes it from the address bar. */
export function takeSessionToken(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="eventfold-token"]')?.content;
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    // Keep the token out of the history and of anything copied from the address bar; reloads use the cookie.
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return meta || fromUrl || null;
}

/** The transport, or `null` when neither the preload API nor a session token is available. */
export function pickTransport(): Transport | null {
  const preloaded = (window as unknown as Record<string, EventfoldApi | undefined>)[API_GLOBAL];
  if (preloaded) return createIpcTransport(preloaded);
  const token = takeSessionToken();
  return token ? createWebTransport({ token }) : null;
}
