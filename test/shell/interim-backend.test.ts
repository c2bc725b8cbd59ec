import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChangeNotification } from '../../core/crm/backend.js';
import { createInterimBackend, type InterimContact } from '../../core/crm/interim-backend.js';
import { LockedError } from '../../core/log/index.js';
import { interimLogFile, openTestBackend, tempDir } from './helpers.js';

const logSize = (dataDir: string): number =>
  existsSync(interimLogFile(dataDir)) ? statSync(interimLogFile(dataDir)).size : 0;

describe('interim backend (the stand-in for createCrmBackend)', () => {
  it('creates a contact, lists it, and keeps it after a reopen (durable in the event log)', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await createInterimBackend(dataDir, { version: '1.2.3' });
    const created = await first.execute({
      command: 'contact.create',
      input: { name: '  Ana Lima ', email: 'ana@example.com' },
    });
    expect(created.ok).toBe(true);
    await first.close();

    const line = JSON.parse(readFileSync(interimLogFile(dataDir), 'utf8').trim()) as {
      type: string;
      data: unknown;
    };
    expect(line.type).toBe('contact_created');
    expect(line.data).toMatchObject({ name: 'Ana Lima', email: 'ana@example.com' });

    const second = await createInterimBackend(dataDir, { version: '1.2.3' });
    const listed = await second.query({ query: 'contact.list', params: {} });
    await second.close();
    expect(listed.ok && (listed.value as InterimContact[]).map((c) => [c.name, c.email])).toEqual([
      ['Ana Lima', 'ana@example.com'],
    ]);
  });

  it('lists contacts sorted by name and reports app.info', async () => {
    const { backend, dataDir } = await openTestBackend();
    for (const name of ['Zoe', 'Ana', 'Marc'])
      await backend.execute({ command: 'contact.create', input: { name } });
    const listed = await backend.query({ query: 'contact.list', params: {} });
    expect(listed.ok && (listed.value as InterimContact[]).map((c) => c.name)).toEqual([
      'Ana',
      'Marc',
      'Zoe',
    ]);
    expect(await backend.query({ query: 'app.info', params: {} })).toEqual({
      ok: true,
      value: { version: '9.9.9-test', dataDir },
    });
  });

  it('treats an empty e-mail field as no e-mail', async () => {
    const { backend } = await openTestBackend();
    expect(
      (await backend.execute({ command: 'contact.create', input: { name: 'Ana', email: '  ' } })).ok,
    ).toBe(true);
    const listed = await backend.query({ query: 'contact.list', params: {} });
    expect(listed.ok && (listed.value as InterimContact[])[0]).not.toHaveProperty('email');
  });

  it('refuses invalid input with a validation error and writes nothing', async () => {
    const { backend, dataDir } = await openTestBackend();
    const cases: unknown[] = [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(201) },
      { name: 'Ana', email: 'not-an-email' },
      { name: 'Ana', extra: true },
      { name: 42 },
      null,
      'Ana',
    ];
    for (const input of cases) {
      const result = await backend.execute({ command: 'contact.create', input });
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect([result.error.kind, result.error.code]).toEqual(['validation', 'INVALID_INPUT']);
    }
    const bad = await backend.execute({ command: 'contact.create', input: { name: 'Ana', email: 'nope' } });
    expect(!bad.ok && bad.error.message).toBe('Enter a valid e-mail address, like ana@example.com.');
    expect(logSize(dataDir)).toBe(0);
  });

  it('refuses a second contact with the same e-mail (any case) as a domain error', async () => {
    const { backend, dataDir } = await openTestBackend();
    await backend.execute({ command: 'contact.create', input: { name: 'Ana', email: 'ana@example.com' } });
    const size = logSize(dataDir);
    const dup = await backend.execute({
      command: 'contact.create',
      input: { name: 'Other', email: 'ANA@example.com' },
    });
    expect(dup.ok).toBe(false);
    if (!dup.ok) {
      expect([dup.error.kind, dup.error.code]).toEqual(['domain', 'DUPLICATE_EMAIL']);
      expect(dup.error.message).toContain('Ana already has');
    }
    expect(logSize(dataDir)).toBe(size);
  });

  it('runs concurrent commands one at a time, so a duplicate e-mail cannot slip in', async () => {
    const { backend } = await openTestBackend();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        backend.execute({ command: 'contact.create', input: { name: `N${i}`, email: 'same@example.com' } }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('returns the first result for a re-sent commandId and writes once', async () => {
    const { backend, dataDir } = await openTestBackend();
    const a = await backend.execute({
      command: 'contact.create',
      input: { name: 'Ana' },
      commandId: 'form-1',
    });
    const size = logSize(dataDir);
    const b = await backend.execute({
      command: 'contact.create',
      input: { name: 'Ana' },
      commandId: 'form-1',
    });
    expect(b).toEqual(a);
    expect(logSize(dataDir)).toBe(size);
  });

  it('refuses unknown commands and queries and bad query params', async () => {
    const { backend } = await openTestBackend();
    const cmd = await backend.execute({ command: 'contact.delete', input: {} });
    expect(!cmd.ok && cmd.error.code).toBe('UNKNOWN_COMMAND');
    const query = await backend.query({ query: 'deal.list', params: {} });
    expect(!query.ok && query.error.code).toBe('UNKNOWN_QUERY');
    const params = await backend.query({ query: 'contact.list', params: { limit: 5 } });
    expect(!params.ok && params.error.code).toBe('INVALID_INPUT');
  });

  it('pushes a change notification after each command, to every listener until it unsubscribes', async () => {
    const { backend } = await openTestBackend();
    const a: ChangeNotification[] = [];
    const b: ChangeNotification[] = [];
    const stopA = backend.subscribe((n) => a.push(n));
    backend.subscribe((n) => b.push(n));
    await backend.execute({ command: 'contact.create', input: { name: 'Ana' } });
    stopA();
    await backend.execute({ command: 'contact.create', input: { name: 'Bo' } });
    await backend.execute({ command: 'contact.create', input: { name: '' } }); // refused: no notification
    expect(a).toEqual([{ changed: ['contact.list'], position: 1 }]);
    expect(b).toEqual([
      { changed: ['contact.list'], position: 1 },
      { changed: ['contact.list'], position: 2 },
    ]);
  });

  it('holds the data folder lock: a second backend on the same folder fails with LockedError', async () => {
    const { dataDir } = await openTestBackend();
    await expect(createInterimBackend(dataDir, { version: '1' })).rejects.toBeInstanceOf(LockedError);
  });

  it('answers CLOSED after close() and releases the lock', async () => {
    const dataDir = join(tempDir(), 'data');
    const backend = await createInterimBackend(dataDir, { version: '1' });
    await backend.close();
    await backend.close();
    const result = await backend.execute({ command: 'contact.create', input: { name: 'Ana' } });
    expect(!result.ok && [result.error.kind, result.error.code]).toEqual(['internal', 'CLOSED']);
    const again = await createInterimBackend(dataDir, { version: '1' });
    await again.close();
  });
});
