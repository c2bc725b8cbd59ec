/**
 * Browser mode's server: serves the built renderer and bridges the backend contract over HTTP (commands and
 * queries as `POST /api/execute` and `POST /api/query`) and WebSocket (change notifications on `/api/live`).
 * Plain Node, no Electron. Every request needs the session token; other hosts and origins, oversized or
 * malformed bodies and unknown commands are refused with a clear JSON error, and nothing reaches the backend.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BackendResult, ChangeNotification, CrmBackend } from '../../core/crm/backend.js';
import { silentLogger, type Logger } from '../../core/log/index.js';
import { failure, httpStatusOf } from '../service/backend-errors.js';
import type { ShellContract } from '../service/contract.js';
import { securityHeaders } from '../service/csp.js';
import { MAX_REQUEST_BYTES } from '../service/limits.js';
import { PushHub } from '../service/push-hub.js';
import { createRouter, type Router } from '../service/router.js';
import { contentTypeOf, indexFile, resolveStaticFile } from '../service/static-files.js';
import { readBody } from './read-body.js';
import {
  isAllowedOrigin,
  isOwnHost,
  LOOPBACK,
  newSessionToken,
  readCookie,
  sessionCookie,
  sessionCookieName,
  TOKEN_HEADER,
  TOKEN_PARAM,
  tokenMatches,
} from './session.js';

/** The WebSocket path of change notifications. */
export const LIVE_PATH = '/api/live';

/** A message on the live socket. */
export type LiveMessage = { type: 'ready' } | { type: 'changed'; notification: ChangeNotification };

/** Options of {@link startWebHost}. */
export interface WebHostOptions {
  backend: CrmBackend;
  contract: ShellContract;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default: a new random token. */
  token?: string;
  /** Largest request body. Default {@link MAX_REQUEST_BYTES}. */
  maxBodyBytes?: number;
  logger?: Logger;
}

/** A running host. */
export interface WebHost {
  /** The URL to open: origin plus the token. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Number of open live sockets. */
  readonly liveConnections: number;
  /** Stops listening and closes every connection (the backend stays open: its owner closes it). */
  close(): Promise<void>;
}

type Refusal = { status: number; result: BackendResult<never> };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  sendJson(res, refusal.status, refusal.result);
}

const refusals = {
  host: (): Refusal => ({
    status: 421,
    result: failure('validation', 'BAD_HOST', 'This server answers only to 127.0.0.1 and localhost.'),
  }),
  origin: (origin: string): Refusal => ({
    status: 403,
    result: failure(
      'validation',
      'BAD_ORIGIN',
      `Requests from ${origin} are not allowed; open the app from the URL the host printed.`,
    ),
  }),
  token: (): Refusal => ({
    status: 401,
    result: failure(
      'validation',
      'TOKEN_REQUIRED',
      'The session token is missing or wrong; open the URL printed by `npm run web` (it carries the token).',
    ),
  }),
  tooLarge: (max: number): Refusal => ({
    status: 413,
    result: failure(
      'validation',
      'PAYLOAD_TOO_LARGE',
      `The request body is over ${max} bytes; send less data at once.`,
    ),
  }),
  mediaType: (): Refusal => ({
    status: 415,
    result: failure(
      'validation',
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the request as JSON (Content-Type: application/json).',
    ),
  }),
  malformed: (reason: string): Refusal => ({
    status: 400,
    result: failure('validation', 'MALFORMED_JSON', `The request body is not valid JSON: ${reason}`),
  }),
  method: (): Refusal => ({
    status: 405,
    result: failure('validation', 'METHOD_NOT_ALLOWED', 'This path does not accept that method.'),
  }),
  notFound: (): Refusal => ({
    status: 404,
    result: failure('not_found', 'NOT_FOUND', 'Nothing is served at this path.'),
  }),
};

/** Starts the host on 127.0.0.1; see the module comment. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const logger = options.logger ?? silentLogger;
  const token = options.token ?? newSessionToken();
  const maxBody = options.maxBodyBytes ?? MAX_REQUEST_BYTES;
  const router: Router = createRouter(options.backend, options.contract, { logger, maxBytes: maxBody });
  const hub = new PushHub(options.backend, logger);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.warn('browser-mode request failed', {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      if (!res.headersSent)
        sendJson(
          res,
          500,
          failure('internal', 'INTERNAL', 'The host failed to answer; details are in its log.'),
        );
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isOwnHost(req.headers.host, port)) return refuse(res, refusals.host());
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, port)) return refuse(res, refusals.origin(origin ?? ''));
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, refusals.method());
    return serveStatic(req, res, url);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = path === '/api/execute' ? router.execute : path === '/api/query' ? router.query : undefined;
    if (!route) return refuse(res, refusals.notFound());
    if (req.method !== 'POST') return refuse(res, refusals.method());
    const presented = req.headers[TOKEN_HEADER];
    if (!tokenMatches(Array.isArray(presented) ? undefined : presented, token))
      return refuse(res, refusals.token());
    // JSON only: a cross-site form cannot send this content type without a CORS preflight (which we never grant).
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
      return refuse(res, refusals.mediaType());
    const body = await readBody(req, maxBody);
    if (!body.ok) {
      if (body.reason === 'too_large') {
        res.setHeader('Connection', 'close');
        return refuse(res, refusals.tooLarge(maxBody));
      }
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.text);
    } catch (err) {
      return refuse(res, refusals.malformed(err instanceof Error ? err.message : String(err)));
    }
    const result = await route(payload);
    sendJson(res, httpStatusOf(result), result);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const fromQuery = url.searchParams.get(TOKEN_PARAM);
    const fromCookie = readCookie(req.headers.cookie, sessionCookieName(port));
    const viaQuery = tokenMatches(fromQuery, token);
    if (!viaQuery && !tokenMatches(fromCookie, token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(
        'Eventfold CRM: this address needs the session token. Open the full URL printed by `npm run web`.\n',
      );
      return;
    }
    const file = resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) return refuse(res, refusals.notFound());
    const headers: Record<string, string> = {
      ...securityHeaders([`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`]),
      'Content-Type': contentTypeOf(file),
      'Cache-Control': 'no-store',
    };
    if (viaQuery) headers['Set-Cookie'] = sessionCookie(port, token);
    let content = await readFile(file);
    if (file === indexFile(options.rendererDir)) {
      // The page holds the token from here on (reloads arrive with the cookie, not the query).
      const meta = `<meta name="eventfold-token" content="${token}" />`;
      content = Buffer.from(content.toString('utf8').replace('</head>', `    ${meta}\n  </head>`));
    }
    headers['Content-Length'] = String(content.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : content);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    const reject = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!isOwnHost(req.headers.host, port)) return reject('421 Misdirected Request');
    if (!isAllowedOrigin(req.headers.origin, port)) return reject('403 Forbidden');
    if (url.pathname !== LIVE_PATH) return reject('404 Not Found');
    const header = req.headers[TOKEN_HEADER];
    const presented = url.searchParams.get(TOKEN_PARAM) ?? (Array.isArray(header) ? undefined : header);
    if (!tokenMatches(presented, token)) return reject('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const detach = hub.attach({
      send(notification) {
        const message: LiveMessage = { type: 'changed', notification };
        ws.send(JSON.stringify(message));
      },
    });
    ws.on('close', detach);
    ws.on('error', (err) => {
      logger.warn('live socket error', { error: String(err) });
      detach();
    });
    // The client does not talk on this socket; anything it sends is ignored (maxPayload caps the size).
    const ready: LiveMessage = { type: 'ready' };
    ws.send(JSON.stringify(ready));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    origin,
    port,
    token,
    get liveConnections() {
      return wss.clients.size;
    },
    async close() {
      hub.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
