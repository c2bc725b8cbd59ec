/** `customField.list`: the definitions Settings shows, live after each change, with the version to edit at. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeNotification } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function open(dir = mkdtempSync(join(tmpdir(), 'crm-cf-'))): Promise<OpenCrmBackend> {
  const b = await createCrmBackend(dir);
  cleanup.push(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return b;
}

describe('customField.list', () => {
  it('lists the definitions of one kind in order, with removed ids, and is named in change notifications', async () => {
    const crm = await open();
    const empty = await crm.query({ query: 'customField.list', params: { kind: 'contact' } });
    expect(empty).toEqual({ ok: true, value: { kind: 'contact', fields: [], removed: [], version: 0 } });
    const seen: ChangeNotification[] = [];
    crm.subscribe((n) => seen.push(n));
    for (const [fieldId, label] of [
      ['tier', 'Tier'],
      ['birthday', 'Birthday'],
    ])
      expect(
        (
          await crm.execute({
            command: 'DefineCustomField',
            input: { id: 'contact', fieldId, label, fieldType: 'text' },
          })
        ).ok,
      ).toBe(true);
    await crm.execute({ command: 'RemoveCustomField', input: { id: 'contact', fieldId: 'tier' } });
    const list = await crm.query({ query: 'customField.list', params: { kind: 'contact' } });
    expect(list.ok && list.value).toMatchObject({
      fields: [{ fieldId: 'birthday', label: 'Birthday', fieldType: 'text' }],
      removed: ['tier'],
      version: 3,
    });
    const other = await crm.query({ query: 'customField.list', params: { kind: 'deal' } });
    expect(other.ok && (other.value as { fields: unknown[] }).fields).toEqual([]);
    await crm.store.awaitProjections();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.some((n) => n.changed.includes('customField.list'))).toBe(true);
    const bad = await crm.query({ query: 'customField.list', params: { kind: 'pipeline' } });
    expect(!bad.ok && bad.error.code).toBe('INVALID_INPUT');
  });
});
