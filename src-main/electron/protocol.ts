/**
 * The `app://eventfold/` scheme that serves the built renderer (instead of `file://`, which would give the page
 * access to the whole disk's URL space). Paths are confined to the renderer folder; responses carry the CSP.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { securityHeaders } from '../service/csp.js';
import { contentTypeOf, resolveStaticFile } from '../service/static-files.js';
import { APP_HOST, APP_SCHEME } from '../service/trusted-url.js';

/** Declares the scheme as standard and secure; must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves files of `rendererDir` on the scheme; call after `app` is ready. */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD'))
      return new Response('Not found', { status: 404 });
    const file = resolveStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404 });
    const body = new Uint8Array(await readFile(file));
    return new Response(body, { headers: { ...securityHeaders(), 'Content-Type': contentTypeOf(file) } });
  });
}
