import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostProcess } from './host-process.js';
import { contactList, createContact, openContacts } from './pages.js';
import { expect, onlyIn, shot, test } from './fixtures.js';

/** POSTs to the browser-mode API from Node (no browser, no Origin header). */
async function post(web: HostProcess, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${web.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-eventfold-token': web.token, ...headers },
    body,
  });
  return {
    status: res.status,
    json: (await res.json()) as { ok: boolean; error?: { kind: string; code: string } },
  };
}

test.describe('browser mode refuses what it must', () => {
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixtures from a destructuring pattern.
  test.beforeEach(({}, testInfo) => {
    onlyIn('browser', testInfo, 'browser mode only: under Electron there is no HTTP bridge');
  });

  test('requests without the token are refused, the app keeps working', async ({ app }, testInfo) => {
    const web = app.web!;
    const page = await app.openWindow();
    await openContacts(page);

    const doc = await fetch(`${web.origin}/`);
    expect(doc.status).toBe(401);
    expect(await doc.text()).toContain('session token');
    const api = await post(
      web,
      '/api/execute',
      JSON.stringify({ command: 'CreateContact', input: { firstName: 'X' } }),
      {
        'x-eventfold-token': '',
      },
    );
    expect([api.status, api.json.error?.code]).toEqual([401, 'TOKEN_REQUIRED']);
    const live = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `${web.origin.replace('http:', 'ws:')}/api/live`,
    );
    expect(live).toBe('refused');

    // A page opened without the token gets the explanation, not the app.
    const stranger = await page.context().browser()!.newPage();
    await stranger.goto(web.origin);
    await expect(stranger.getByText('needs the session token')).toBeVisible();
    await shot(stranger, testInfo, 'no-token');
    await stranger.close();

    await createContact(page, 'Still Works');
    await expect(contactList(page)).toHaveText([/Still Works/]);
  });

  test('pages of another origin cannot call the API or listen, even knowing the token', async ({
    app,
  }, testInfo) => {
    const web = app.web!;
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>evil</title><h1>Another site</h1>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const page = await app.openWindow();
      const evilPage = await page.context().newPage();
      await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const outcome = await evilPage.evaluate(
        async ({ origin, token }) => {
          const body = JSON.stringify({ command: 'CreateContact', input: { firstName: 'Mallory' } });
          const results: string[] = [];
          // A JSON request needs a CORS preflight, which the host refuses.
          try {
            await fetch(`${origin}/api/execute`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-eventfold-token': token },
              body,
            });
            results.push('json: sent');
          } catch {
            results.push('json: blocked');
          }
          // A "simple" request goes out without a preflight: the host must refuse it by its Origin.
          try {
            await fetch(`${origin}/api/execute`, { method: 'POST', mode: 'no-cors', body });
            results.push('simple: sent');
          } catch {
            results.push('simple: blocked');
          }
          results.push(
            await new Promise<string>((resolve) => {
              const ws = new WebSocket(`${origin.replace('http:', 'ws:')}/api/live?token=${token}`);
              ws.onopen = () => resolve('ws: open');
              ws.onerror = () => resolve('ws: refused');
            }),
          );
          return results;
        },
        { origin: web.origin, token: web.token },
      );
      // The simple request did reach the host (no-cors hides the answer): the empty list below shows it was refused.
      expect(outcome).toEqual(['json: blocked', 'simple: sent', 'ws: refused']);
      const withOrigin = await post(
        web,
        '/api/execute',
        JSON.stringify({ command: 'CreateContact', input: { firstName: 'M' } }),
        {
          origin: 'http://evil.example',
        },
      );
      expect([withOrigin.status, withOrigin.json.error?.code]).toEqual([403, 'BAD_ORIGIN']);

      await openContacts(page);
      await expect(page.getByText('No contacts yet.')).toBeVisible();
      await shot(page, testInfo, 'nothing-written');
    } finally {
      await new Promise((resolve) => evil.close(resolve));
    }
  });

  test('malformed, unknown and oversized requests get clear errors; nothing is written; the host stays up', async ({
    app,
  }, testInfo) => {
    const web = app.web!;
    const malformed = await post(web, '/api/execute', '{"command":"CreateContact","input":');
    expect([malformed.status, malformed.json.error?.code]).toEqual([400, 'MALFORMED_JSON']);
    const unknown = await post(
      web,
      '/api/execute',
      JSON.stringify({ command: 'ExplodeContacts', input: {} }),
    );
    expect([unknown.status, unknown.json.error?.code]).toEqual([400, 'UNKNOWN_COMMAND']);
    const shape = await post(
      web,
      '/api/execute',
      JSON.stringify({ command: 'CreateContact', input: { firstName: 7 } }),
    );
    expect([shape.status, shape.json.error?.kind]).toEqual([400, 'validation']);
    const longName = await post(
      web,
      '/api/execute',
      JSON.stringify({ command: 'CreateContact', input: { firstName: 'x'.repeat(5000) } }),
    );
    expect([longName.status, longName.json.error?.code]).toEqual([400, 'INVALID_INPUT']);
    const huge = await post(
      web,
      '/api/execute',
      JSON.stringify({ command: 'CreateContact', input: { firstName: 'x'.repeat(2_000_000) } }),
    );
    expect([huge.status, huge.json.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    const page = await app.openWindow();
    await openContacts(page);
    await expect(page.getByText('No contacts yet.')).toBeVisible();
    await createContact(page, 'After The Storm');
    await expect(contactList(page)).toHaveText([/After The Storm/]);
    await shot(page, testInfo, 'host-still-up');
  });
});

test.describe('Electron page isolation', () => {
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixtures from a destructuring pattern.
  test.beforeEach(({}, testInfo) => {
    onlyIn('electron', testInfo, 'Electron only: the preload bridge and IPC exist only in the desktop app');
  });

  test('the page sees only the four API functions, no Node, and malformed IPC payloads are refused', async ({
    app,
  }) => {
    const page = await app.openWindow();
    await openContacts(page);
    const probe = await page.evaluate(async () => {
      const api = (window as unknown as { eventfold: Record<string, (...a: unknown[]) => Promise<unknown>> })
        .eventfold;
      return {
        keys: Object.keys(api).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        malformed: await api.execute!({ command: 42 }),
        unknown: await api.execute!({ command: 'ExplodeContacts', input: {} }),
        opened: window.open('https://example.com') === null,
      };
    });
    expect(probe.keys).toEqual(['appInfo', 'execute', 'query', 'subscribe']);
    expect([probe.require, probe.process]).toEqual(['undefined', 'undefined']);
    expect(probe.malformed).toMatchObject({
      ok: false,
      error: { kind: 'validation', code: 'MALFORMED_REQUEST' },
    });
    expect(probe.unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(probe.opened).toBe(true);
    await expect(page.getByText('No contacts yet.')).toBeVisible();
  });
});
