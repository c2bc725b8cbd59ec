import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { crmContract } from '../../core/crm/crm-backend.js';
import { LIVE_PATH, startWebHost, type LiveMessage, type WebHost } from '../../src-main/web/server.js';
import { eventBytes, openTestBackend, tempDir } from './helpers.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (node:http, so Host and Origin can be anything). */
function send(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function setup(maxBodyBytes?: number) {
  const { backend, dataDir } = await openTestBackend();
  const rendererDir = join(tempDir(), 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  // A file next to the renderer folder: reachable only through a traversal bug.
  writeFileSync(join(rendererDir, '..', 'secret.txt'), 'secret');
  const host: WebHost = await startWebHost({
    backend,
    contract: crmContract(),
    rendererDir,
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
  });
  onTestFinished(() => host.close());
  const api = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    send(host.port, {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', 'x-eventfold-token': host.token, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  // Refused requests write nothing: the event logs keep the size they had when the host started.
  const initial = eventBytes(dataDir);
  const unchanged = (): boolean => eventBytes(dataDir) === initial;
  return { host, api, unchanged, backend };
}

const code = (reply: Reply): string => (JSON.parse(reply.body) as { error: { code: string } }).error.code;

describe('browser-mode host: HTTP bridge', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token', async () => {
    const { host } = await setup();
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('runs commands and queries with the token', async () => {
    const { api } = await setup();
    const created = await api('/api/execute', { command: 'CreateContact', input: { firstName: 'Ana' } });
    expect(created.status).toBe(200);
    expect(JSON.parse(created.body)).toMatchObject({ ok: true });
    const listed = await api('/api/query', { query: 'contact.list', params: {} });
    const rows = (JSON.parse(listed.body) as { value: { rows: { displayName: string }[] } }).value.rows;
    expect(rows.map((c) => c.displayName)).toEqual(['Ana']);
  });

  it('refuses requests without the token or with a wrong one, and writes nothing', async () => {
    const { api, unchanged } = await setup();
    const body = { command: 'CreateContact', input: { firstName: 'Mallory' } };
    const missing = await api('/api/execute', body, { 'x-eventfold-token': '' });
    const wrong = await api('/api/execute', body, { 'x-eventfold-token': 'a'.repeat(32) });
    for (const reply of [missing, wrong]) {
      expect(reply.status).toBe(401);
      expect(code(reply)).toBe('TOKEN_REQUIRED');
    }
    expect(unchanged()).toBe(true);
  });

  it('does not accept the session cookie in place of the token header on the API (no CSRF)', async () => {
    const { host, api, unchanged } = await setup();
    const reply = await api(
      '/api/execute',
      { command: 'CreateContact', input: { firstName: 'X' } },
      { 'x-eventfold-token': '', cookie: `eventfold_session_${host.port}=${host.token}` },
    );
    expect(reply.status).toBe(401);
    expect(unchanged()).toBe(true);
  });

  it('refuses other origins and other Host names (DNS rebinding), even with the token', async () => {
    const { host, api, unchanged } = await setup();
    const body = { command: 'CreateContact', input: { firstName: 'Mallory' } };
    const origin = await api('/api/execute', body, { origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
    expect(code(origin)).toBe('BAD_ORIGIN');
    const otherPort = await api('/api/execute', body, { origin: `http://127.0.0.1:${host.port + 1}` });
    expect(otherPort.status).toBe(403);
    const rebinding = await api('/api/execute', body, { host: `evil.example:${host.port}` });
    expect(rebinding.status).toBe(421);
    expect(code(rebinding)).toBe('BAD_HOST');
    expect(unchanged()).toBe(true);
    // The app's own origin is fine.
    const own = await api('/api/execute', body, { origin: `http://127.0.0.1:${host.port}` });
    expect(own.status).toBe(200);
  });

  it('refuses malformed JSON, non-JSON content types, wrong methods and unknown paths', async () => {
    const { api, host, unchanged } = await setup();
    const malformed = await api('/api/execute', '{"command": "CreateContact", "input": {');
    expect([malformed.status, code(malformed)]).toEqual([400, 'MALFORMED_JSON']);
    const form = await api('/api/execute', 'command=CreateContact', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([form.status, code(form)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const get = await send(host.port, { path: '/api/execute', headers: { 'x-eventfold-token': host.token } });
    expect([get.status, code(get)]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    const unknown = await api('/api/drop-database', {});
    expect([unknown.status, code(unknown)]).toEqual([404, 'NOT_FOUND']);
    expect(unchanged()).toBe(true);
  });

  it('maps validation, unknown command and domain errors to 400/400/422 with the error in the body', async () => {
    const { api } = await setup();
    const invalid = await api('/api/execute', { command: 'CreateContact', input: { firstName: '' } });
    expect([invalid.status, code(invalid)]).toEqual([400, 'INVALID_INPUT']);
    const unknown = await api('/api/execute', { command: 'NukeContacts', input: {} });
    expect([unknown.status, code(unknown)]).toEqual([400, 'UNKNOWN_COMMAND']);
    await api('/api/execute', {
      command: 'CreateContact',
      input: { firstName: 'A', emails: ['a@example.com'] },
    });
    const dup = await api('/api/execute', {
      command: 'CreateContact',
      input: { firstName: 'B', emails: ['a@example.com'] },
    });
    expect([dup.status, code(dup)]).toEqual([422, 'DUPLICATE_EMAIL']);
  });

  it('refuses oversized bodies (declared or streamed) with 413, writes nothing, and stays up', async () => {
    const { host, api, unchanged } = await setup(4096);
    const big = JSON.stringify({ command: 'CreateContact', input: { firstName: 'x'.repeat(10_000) } });
    const declared = await api('/api/execute', big);
    expect([declared.status, code(declared)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const streamed = await new Promise<Reply>((resolve, reject) => {
      // Chunked: no Content-Length, so the limit must be enforced while reading.
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/api/execute',
          headers: {
            'content-type': 'application/json',
            'x-eventfold-token': host.token,
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(unchanged()).toBe(true);
    const after = await api('/api/execute', { command: 'CreateContact', input: { firstName: 'Still up' } });
    expect(after.status).toBe(200);
  });
});

describe('browser-mode host: serving the renderer', () => {
  it('needs the token for pages and assets; the query token sets an HttpOnly cookie that works afterwards', async () => {
    const { host } = await setup();
    const none = await send(host.port, { path: '/' });
    expect(none.status).toBe(401);
    expect(none.body).toContain('npm run web');
    const asset = await send(host.port, { path: '/assets/app.js' });
    expect(asset.status).toBe(401);

    const first = await send(host.port, { path: `/?token=${host.token}` });
    expect(first.status).toBe(200);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain(`eventfold_session_${host.port}=${host.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(first.body).toContain(`<meta name="eventfold-token" content="${host.token}" />`);
    expect(first.headers['content-security-policy']).toContain("script-src 'self'");
    expect(first.headers['content-security-policy']).toContain(`ws://127.0.0.1:${host.port}`);

    const cookieHeader = { cookie: `eventfold_session_${host.port}=${host.token}` };
    const reload = await send(host.port, { path: '/', headers: cookieHeader });
    expect(reload.status).toBe(200);
    const js = await send(host.port, { path: '/assets/app.js', headers: cookieHeader });
    expect([js.status, js.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    const wrongCookie = await send(host.port, {
      path: '/',
      headers: { cookie: `eventfold_session_${host.port}=nope` },
    });
    expect(wrongCookie.status).toBe(401);
  });

  it('never serves files outside the renderer folder', async () => {
    const { host } = await setup();
    const headers = { cookie: `eventfold_session_${host.port}=${host.token}` };
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00',
    ]) {
      const reply = await send(host.port, { path, headers });
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('secret');
    }
  });
});

describe('browser-mode host: live notifications over WebSocket', () => {
  function connect(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<{ ws: WebSocket; messages: LiveMessage[] }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const messages: LiveMessage[] = [];
      ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as LiveMessage));
      ws.on('open', () => resolve({ ws, messages }));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  }

  it('pushes every change to every socket with the token; a closed socket is detached', async () => {
    const { host, api } = await setup();
    const url = `ws://127.0.0.1:${host.port}${LIVE_PATH}?token=${host.token}`;
    const a = await connect(url, { origin: host.origin });
    const b = await connect(url);
    await until(() => a.messages.length > 0 && b.messages.length > 0);
    expect(a.messages[0]).toEqual({ type: 'ready' });
    await api('/api/execute', { command: 'CreateContact', input: { firstName: 'Ana' } });
    await until(() => a.messages.length > 1 && b.messages.length > 1);
    expect(a.messages[1]).toMatchObject({
      type: 'changed',
      notification: { changed: expect.arrayContaining(['contact.list', 'search']) as unknown, position: 2 },
    });
    expect(b.messages[1]).toEqual(a.messages[1]);

    b.ws.close();
    await until(() => host.liveConnections === 1);
    expect(host.liveConnections).toBe(1);
    await api('/api/execute', { command: 'CreateContact', input: { firstName: 'Bo' } });
    await until(() => a.messages.length > 2);
    expect(a.messages).toHaveLength(3);
    expect(b.messages).toHaveLength(2);
    a.ws.close();
  });

  it('refuses sockets without the token, from other origins, or on other paths', async () => {
    const { host } = await setup();
    const base = `ws://127.0.0.1:${host.port}`;
    await expect(connect(`${base}${LIVE_PATH}`)).rejects.toThrow('HTTP 401');
    await expect(connect(`${base}${LIVE_PATH}?token=wrong`)).rejects.toThrow('HTTP 401');
    await expect(
      connect(`${base}${LIVE_PATH}?token=${host.token}`, { origin: 'http://evil.example' }),
    ).rejects.toThrow('HTTP 403');
    await expect(connect(`${base}/api/other?token=${host.token}`)).rejects.toThrow('HTTP 404');
    expect(host.liveConnections).toBe(0);
  });
});
