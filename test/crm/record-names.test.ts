import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import type { RecordNames } from '../../core/crm/record-names.js';
import { tempDir } from '../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function crm(dir = tempDir('crm-names-')): Promise<OpenCrmBackend> {
  const b = await createCrmBackend(dir);
  open.push(b);
  return b;
}

const names = async (b: OpenCrmBackend, params: Record<string, unknown>) =>
  value<RecordNames>(await b.query({ query: 'record.names', params })).items;

describe('record.names', () => {
  it('finds records of one kind by name prefix, folding case and diacritics, by name, archived flagged, trashed and merged left out', async () => {
    const b = await crm();
    const c = async (firstName: string, lastName?: string, emails?: string[]) =>
      value(
        await b.execute({
          command: 'CreateContact',
          input: { firstName, ...(lastName ? { lastName } : {}), ...(emails ? { emails } : {}) },
        }),
      ).id;
    const zoe = await c('Zoë', 'Łukasiewicz');
    const zora = await c('zora', 'Ames');
    const archived = await c('Zolt', 'Archived');
    const trashed = await c('Zorro', 'Trashed');
    const dup = await c('Zoe', 'Dup');
    const byMail = await c('Mailonly', undefined, ['zoeish@example.com']);
    value(await b.execute({ command: 'ArchiveContact', input: { id: archived } }));
    value(await b.execute({ command: 'TrashContact', input: { id: trashed } }));
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: dup, targetId: zoe } }));
    value(await b.execute({ command: 'CreateCompany', input: { name: 'Zoetic GmbH' } }));

    expect(await names(b, { kind: 'contact', q: 'ZO' })).toEqual([
      { id: zoe, name: 'Zoë Łukasiewicz' },
      { id: archived, name: 'Zolt Archived', archived: true },
      { id: zora, name: 'zora Ames' },
    ]);
    expect(await names(b, { kind: 'contact', q: 'zoe luk' })).toEqual([{ id: zoe, name: 'Zoë Łukasiewicz' }]);
    // The name only: an e-mail that matches does not make a picker hit.
    expect((await names(b, { kind: 'contact', q: 'zoeish' })).map((i) => i.id)).not.toContain(byMail);
    expect(await names(b, { kind: 'company', q: 'zoé' })).toEqual([
      { id: expect.any(String), name: 'Zoetic GmbH' },
    ]);
    // No q: the first ones by name; limit caps.
    const first = await names(b, { kind: 'contact', limit: 2 });
    expect(first.map((i) => i.name)).toEqual(['Mailonly', 'Zoë Łukasiewicz']);
  });

  it('resolves ids in the order given, trashed ones included, unknown ones left out; refuses bad params', async () => {
    const b = await crm();
    const d = async (title: string) =>
      value(
        await b.execute({ command: 'CreateDeal', input: { title, pipelineId: 'default', stageId: 'lead' } }),
      ).id;
    const a = await d('Alpha');
    const t = await d('Trashed deal');
    value(await b.execute({ command: 'TrashDeal', input: { id: t } }));
    expect(await names(b, { kind: 'deal', q: 'tra' })).toEqual([]);
    expect(await names(b, { kind: 'deal', ids: [t, 'missing', a, t] })).toEqual([
      { id: t, name: 'Trashed deal', trashed: true },
      { id: a, name: 'Alpha' },
    ]);
    // Another kind's id is not found under this kind.
    expect(await names(b, { kind: 'contact', ids: [a] })).toEqual([]);
    for (const params of [
      { kind: 'task' },
      { kind: 'deal', limit: 101 },
      { kind: 'deal', ids: Array.from({ length: 201 }, (_, i) => `d-${i}`) },
      { kind: 'deal', extra: 1 },
    ]) {
      const r = await b.query({ query: 'record.names', params });
      expect(r.ok ? 'ok' : r.error.kind, JSON.stringify(params).slice(0, 60)).toBe('validation');
    }
  });

  it('is named in change notifications and sees renames; survives a reopen from checkpoints', async () => {
    const dir = tempDir('crm-names-');
    const b = await crm(dir);
    const seen: string[][] = [];
    b.subscribe((n) => seen.push(n.changed));
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Oldname' } }));
    value(await b.execute({ command: 'UpdateCompany', input: { id: co.id, fields: { name: 'Newname' } } }));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.some((c) => c.includes('record.names'))).toBe(true);
    expect(await names(b, { kind: 'company', q: 'old' })).toEqual([]);
    expect(await names(b, { kind: 'company' })).toEqual([{ id: co.id, name: 'Newname' }]);
    await b.close();
    open.splice(0);
    const b2 = await crm(dir);
    expect(await names(b2, { kind: 'company', q: 'new' })).toEqual([{ id: co.id, name: 'Newname' }]);
  });
});
