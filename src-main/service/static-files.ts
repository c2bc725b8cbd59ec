/**
 * Serving the built renderer (`out/renderer`) safely: URL paths resolve only to files inside the root (no `..`,
 * no encoded traversal, no NUL), with a content type and security headers. Used by Electron's `app://`
 * protocol handler and by the browser-mode host.
 * @module
 */
import { realpathSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The `Content-Type` for a file name (binary fallback). */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The absolute path of the file `urlPath` names inside `root`, or `null` when it is outside `root`, malformed,
 * or not a regular file. `/` maps to `index.html`.
 */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const candidate = resolve(base, relativePath);
  if (!isInside(base, candidate)) return null;
  try {
    // Resolve symlinks too: a link inside the root must not lead out of it.
    const real = realpathSync(candidate);
    if (!isInside(realpathSync(base), real) || !statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

function isInside(base: string, candidate: string): boolean {
  const rel = relative(base, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** The renderer's entry page inside `root`. */
export function indexFile(root: string): string {
  return join(resolve(root), 'index.html');
}
