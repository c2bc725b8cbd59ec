/**
 * Which URLs belong to the app and which may be handed to the OS browser. Parsed with `URL`, never compared
 * by prefix (a prefix check accepts `app://eventfold.evil.com` or `http://localhost:5173@evil.com`).
 * @module
 */

/** The privileged scheme the packaged renderer is served from. */
export const APP_SCHEME = 'app';

/** The host of {@link APP_SCHEME} URLs: `app://eventfold/index.html`. */
export const APP_HOST = 'eventfold';

/** The renderer's start URL when not in development. */
export const APP_START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * Whether `value` is a page of the app itself: `app://eventfold/...`, or, in development only, a page of the
 * dev server at `devServerUrl` (same scheme, host and port). URLs with user info are refused.
 */
export function isAppUrl(value: string, devServerUrl?: string): boolean {
  const url = parse(value);
  if (!url || url.username !== '' || url.password !== '') return false;
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (devServerUrl === undefined) return false;
  const dev = parse(devServerUrl);
  return dev !== null && (dev.protocol === 'http:' || dev.protocol === 'https:') && url.origin === dev.origin;
}

/**
 * The URL to open in the OS browser when a page tries to leave the app, or `null` to just refuse: only
 * `https:`, `http:` and `mailto:` links qualify (a CRM has web and e-mail links; never `file:`, `javascript:`,
 * or custom schemes that launch programs).
 */
export function externalUrlToOpen(value: string): string | null {
  const url = parse(value);
  if (!url || url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:' || url.protocol === 'http:') return url.hostname ? url.href : null;
  if (url.protocol === 'mailto:') return url.href;
  return null;
}
