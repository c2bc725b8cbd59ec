import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CrmBackend } from '../../core/crm/backend.js';
import { interimContract } from '../../core/crm/interim-backend.js';
import type { Logger } from '../../core/log/index.js';
import { createRouter } from '../../src-main/service/router.js';
import { interimLogFile, openTestBackend } from './helpers.js';

const logSize = (dataDir: string): number =>
  existsSync(interimLogFile(dataDir)) ? statSync(interimLogFile(dataDir)).size : 0;

async function setup(maxBytes?: number) {
  const { backend, dataDir } = await openTestBackend();
  const router = createRouter(backend, interimContract, maxBytes === undefined ? {} : { maxBytes });
  return { router, backend, dataDir };
}

describe('router: untrusted requests are validated before they reach the backend', () => {
  it('forwards a valid command and query', async () => {
    const { router } = await setup();
    const created = await router.execute({
      command: 'contact.create',
      input: { name: 'Ana' },
      commandId: 'c1',
    });
    expect(created.ok).toBe(true);
    const listed = await router.query({ query: 'contact.list', params: {} });
    expect(listed.ok && (listed.value as { name: string }[]).map((c) => c.name)).toEqual(['Ana']);
  });

  it('treats missing query params as {}', async () => {
    const { router } = await setup();
    expect((await router.query({ query: 'app.info' })).ok).toBe(true);
  });

  it('refuses malformed envelopes with MALFORMED_REQUEST and writes nothing', async () => {
    const { router, dataDir } = await setup();
    const payloads: unknown[] = [
      null,
      undefined,
      42,
      'contact.create',
      [],
      {},
      { command: 42, input: {} },
      { command: '', input: {} },
      { command: 'x'.repeat(101), input: {} },
      { command: 'contact.create', input: { name: 'Ana' }, extra: 1 },
      { command: 'contact.create', input: { name: 'Ana' }, commandId: '' },
      { command: 'contact.create', input: { name: 'Ana' }, expectedVersion: -1 },
      { command: 'contact.create', input: { name: 'Ana' }, expectedVersion: 1.5 },
    ];
    for (const payload of payloads) {
      const result = await router.execute(payload);
      expect(result.ok, JSON.stringify(payload)).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe('validation');
        expect(result.error.code).toBe('MALFORMED_REQUEST');
      }
    }
    const query = await router.query({ query: 'contact.list', params: {}, command: 'x' });
    expect(!query.ok && query.error.code).toBe('MALFORMED_REQUEST');
    expect(logSize(dataDir)).toBe(0);
  });

  it('refuses payloads that are not plain JSON (cycles, BigInt)', async () => {
    const { router } = await setup();
    const cyclic: Record<string, unknown> = { command: 'contact.create' };
    cyclic.input = cyclic;
    for (const payload of [cyclic, { command: 'contact.create', input: { name: 10n } }]) {
      const result = await router.execute(payload);
      expect(!result.ok && result.error.code).toBe('MALFORMED_REQUEST');
    }
  });

  it('refuses unknown commands and queries, listing the known ones', async () => {
    const { router } = await setup();
    const cmd = await router.execute({ command: 'contact.drop', input: {} });
    expect(!cmd.ok && cmd.error).toMatchObject({
      kind: 'validation',
      code: 'UNKNOWN_COMMAND',
      details: { known: ['contact.create'] },
    });
    // Names of Object.prototype members are not commands.
    for (const command of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const r = await router.execute({ command, input: {} });
      expect(!r.ok && r.error.code, command).toBe('UNKNOWN_COMMAND');
    }
    const query = await router.query({ query: 'contact.search', params: {} });
    expect(!query.ok && query.error.code).toBe('UNKNOWN_QUERY');
  });

  it('refuses input that breaks the contract schema, with each issue in the details', async () => {
    const { router, dataDir } = await setup();
    const result = await router.execute({ command: 'contact.create', input: { name: '', email: 'bad' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.details).toEqual([
        { path: 'name', message: 'Enter a name.' },
        { path: 'email', message: 'Enter a valid e-mail address, like ana@example.com.' },
      ]);
      expect(result.error.message).toContain('name: Enter a name.');
    }
    const params = await router.query({ query: 'contact.list', params: { limit: 1 } });
    expect(!params.ok && params.error.code).toBe('INVALID_PARAMS');
    expect(logSize(dataDir)).toBe(0);
  });

  it('refuses oversized payloads (a huge string) before validation, and writes nothing', async () => {
    const { router, dataDir } = await setup(10_000);
    const result = await router.execute({ command: 'contact.create', input: { name: 'x'.repeat(20_000) } });
    expect(!result.ok && result.error).toMatchObject({ kind: 'validation', code: 'PAYLOAD_TOO_LARGE' });
    expect(logSize(dataDir)).toBe(0);
    // A string over the schema's own limit but under the size limit is an INVALID_INPUT.
    const long = await router.execute({ command: 'contact.create', input: { name: 'x'.repeat(300) } });
    expect(!long.ok && long.error.code).toBe('INVALID_INPUT');
  });

  it('passes the backend’s domain errors through unchanged', async () => {
    const { router } = await setup();
    await router.execute({ command: 'contact.create', input: { name: 'Ana', email: 'a@example.com' } });
    const dup = await router.execute({
      command: 'contact.create',
      input: { name: 'B', email: 'a@example.com' },
    });
    expect(!dup.ok && [dup.error.kind, dup.error.code]).toEqual(['domain', 'DUPLICATE_EMAIL']);
  });

  it('turns a backend that breaks the never-throw rule into an internal error without leaking details', async () => {
    // A backend that violates the CrmBackend contract (throws, or returns junk): the router must contain it.
    const warnings: string[] = [];
    const logger: Logger = { warn: (m) => warnings.push(m) };
    const broken: CrmBackend = {
      execute: () => Promise.reject(new Error('secret path /home/ana/data exploded')),
      query: () => Promise.resolve({ rows: [] } as never),
      subscribe: () => () => {},
      close: () => Promise.resolve(),
    };
    const router = createRouter(broken, interimContract, { logger });
    const cmd = await router.execute({ command: 'contact.create', input: { name: 'Ana' } });
    expect(!cmd.ok && cmd.error.kind).toBe('internal');
    expect(JSON.stringify(cmd)).not.toContain('secret');
    const query = await router.query({ query: 'contact.list', params: {} });
    expect(!query.ok && query.error.code).toBe('INTERNAL');
    expect(warnings).toHaveLength(2);
  });
});
