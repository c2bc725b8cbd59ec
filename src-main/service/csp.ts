/**
 * The Content-Security-Policy of every renderer page: scripts, styles and everything else only from the app
 * itself; no inline scripts, no eval, no remote content, no plugins, no framing.
 * @module
 */

/**
 * Builds the policy; `connect` adds sources for `fetch`/WebSocket beyond `'self'` (browser mode's `ws://` URL).
 * `forMeta` leaves out `frame-ancestors`, which browsers ignore (with a warning) in a `<meta>` tag.
 */
export function contentSecurityPolicy(connect: readonly string[] = [], forMeta = false): string {
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (!forMeta) policy.push("frame-ancestors 'none'");
  return policy.join('; ');
}

/** Security headers sent with every renderer response (with the CSP). */
export function securityHeaders(connect: readonly string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(connect),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
