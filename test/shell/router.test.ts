import { describe, expect, it } from 'vitest';
import type { CrmBackend } from '../../core/crm/backend.js';
import { crmContract } from '../../core/crm/crm-backend.js';
import type { Logger } from '../../core/log/index.js';
import { createRouter } from '../../src-main/service/router.js';
import { eventBytes, openTestBackend } from './helpers.js';

const contract = crmContract();

async function setup(maxBytes?: number) {
  const { backend, dataDir } = await openTestBackend();
  const router = createRouter(backend, contract, maxBytes === undefined ? {} : { maxBytes });
  return { router, backend, dataDir, before: eventBytes(dataDir) };
}

describe('router: untrusted requests are validated before they reach the backend', () => {
  it('forwards a valid command and query', async () => {
    const { router } = await setup();
    const created = await router.execute({
      command: 'CreateContact',
      input: { firstName: 'Ana' },
      commandId: 'c1',
    });
    expect(created.ok).toBe(true);
    const listed = await router.query({ query: 'contact.list', params: {} });
    expect(
      listed.ok && (listed.value as { rows: { displayName: string }[] }).rows.map((c) => c.displayName),
    ).toEqual(['Ana']);
  });

  it('treats missing query params as {}', async () => {
    const { router } = await setup();
    expect((await router.query({ query: 'app.info' })).ok).toBe(true);
  });

  it('refuses malformed envelopes with MALFORMED_REQUEST and writes nothing', async () => {
    const { router, dataDir, before } = await setup();
    const payloads: unknown[] = [
      null,
      undefined,
      42,
      'CreateContact',
      [],
      {},
      { command: 42, input: {} },
      { command: '', input: {} },
      { command: 'x'.repeat(101), input: {} },
      { command: 'CreateContact', input: { firstName: 'Ana' }, extra: 1 },
      { command: 'CreateContact', input: { firstName: 'Ana' }, commandId: '' },
      { command: 'CreateContact', input: { firstName: 'Ana' }, expectedVersion: -1 },
      { command: 'CreateContact', input: { firstName: 'Ana' }, expectedVersion: 1.5 },
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
    expect(eventBytes(dataDir)).toBe(before);
  });

  it('refuses payloads that are not plain JSON (cycles, BigInt)', async () => {
    const { router } = await setup();
    const cyclic: Record<string, unknown> = { command: 'CreateContact' };
    cyclic.input = cyclic;
    for (const payload of [cyclic, { command: 'CreateContact', input: { firstName: 10n } }]) {
      const result = await router.execute(payload);
      expect(!result.ok && result.error.code).toBe('MALFORMED_REQUEST');
    }
  });

  it('refuses unknown commands and queries, listing the known ones', async () => {
    const { router } = await setup();
    const cmd = await router.execute({ command: 'DropContact', input: {} });
    expect(!cmd.ok && cmd.error).toMatchObject({
      kind: 'validation',
      code: 'UNKNOWN_COMMAND',
      details: {
        known: expect.arrayContaining(['CreateContact', 'UpdateContact', 'MergeContacts']) as unknown,
      },
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
    const { router, dataDir, before } = await setup();
    const result = await router.execute({
      command: 'CreateContact',
      input: { firstName: '', emails: ['bad'] },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.details).toEqual([
        { path: 'firstName', message: 'Enter a first name.' },
        { path: 'emails.0', message: 'Enter a valid e-mail address, like ana@example.com.' },
      ]);
      expect(result.error.message).toContain('firstName: Enter a first name.');
    }
    const params = await router.query({ query: 'contact.list', params: { limit: 5000 } });
    expect(!params.ok && params.error.code).toBe('INVALID_PARAMS');
    expect(eventBytes(dataDir)).toBe(before);
  });

  it('refuses oversized payloads (a huge string) before validation, and writes nothing', async () => {
    const { router, dataDir, before } = await setup(10_000);
    const result = await router.execute({
      command: 'CreateContact',
      input: { firstName: 'x'.repeat(20_000) },
    });
    expect(!result.ok && result.error).toMatchObject({ kind: 'validation', code: 'PAYLOAD_TOO_LARGE' });
    expect(eventBytes(dataDir)).toBe(before);
    // A string over the schema's own limit but under the size limit is an INVALID_INPUT.
    const long = await router.execute({ command: 'CreateContact', input: { firstName: 'x'.repeat(300) } });
    expect(!long.ok && long.error.code).toBe('INVALID_INPUT');
  });

  it('passes the backend’s domain errors through unchanged', async () => {
    const { router } = await setup();
    await router.execute({
      command: 'CreateContact',
      input: { firstName: 'Ana', emails: ['a@example.com'] },
    });
    const dup = await router.execute({
      command: 'CreateContact',
      input: { firstName: 'B', emails: ['A@example.com'] },
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
    const router = createRouter(broken, contract, { logger });
    const cmd = await router.execute({ command: 'CreateContact', input: { firstName: 'Ana' } });
    expect(!cmd.ok && cmd.error.kind).toBe('internal');
    expect(JSON.stringify(cmd)).not.toContain('secret');
    const query = await router.query({ query: 'contact.list', params: {} });
    expect(!query.ok && query.error.code).toBe('INTERNAL');
    expect(warnings).toHaveLength(2);
  });
});
