/**
 * Browser mode's access rules: a random session token, and which Host and Origin headers count as ours.
 * The host listens on 127.0.0.1 only; the token keeps other local users and processes out, the Host check
 * defeats DNS rebinding, the Origin check keeps other web pages out.
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The interface browser mode listens on (never a public one). */
export const LOOPBACK = '127.0.0.1';

/** The request header that carries the token on API calls. */
export const TOKEN_HEADER = 'x-eventfold-token';

/** The query parameter that carries the token in the printed URL and on the WebSocket URL. */
export const TOKEN_PARAM = 'token';

/** A new random session token (URL-safe, 192 bits). */
export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares a presented token with the session's in constant time. */
export function tokenMatches(presented: string | null | undefined, token: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The cookie that keeps a tab authenticated for page reloads and assets (one per port: cookies ignore ports). */
export function sessionCookieName(port: number): string {
  return `eventfold_session_${port}`;
}

/** The `Set-Cookie` value for the session: HttpOnly (scripts cannot read it), SameSite=Strict, whole site. */
export function sessionCookie(port: number, token: string): string {
  return `${sessionCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Reads cookie `name` from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The origins of the app's own pages at `port`. */
export function ownOrigins(port: number): string[] {
  return [`http://${LOOPBACK}:${port}`, `http://localhost:${port}`];
}

/** Whether a `Host` header names this server (a DNS-rebinding attack arrives with the attacker's host name). */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

/** Whether an `Origin` header is acceptable: absent (not a cross-site browser request) or one of ours. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || ownOrigins(port).includes(origin);
}
