import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { pipelineBoardProjection, type PipelineBoardState } from '../../core/crm/read/pipeline-board.js';
import type { EmptyTrashResult, TrashRow } from '../../core/crm/trash.js';
import { tempDir } from '../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

async function crm(dir = tempDir('crm-trash-')): Promise<{ b: OpenCrmBackend; dir: string }> {
  const b = await createCrmBackend(dir, { actor: 'user:ana' });
  open.push(b);
  return { b, dir };
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function error(r: BackendResult): { kind: string; code: string } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesContaining(path, needle));
    else if (readFileSync(path).includes(needle)) out.push(path);
  }
  return out;
}

type ContactRow = { id: string; companyId: string | null; companyName: string | null };
const contacts = async (b: OpenCrmBackend, params: Record<string, unknown> = {}) =>
  value<{ total: number; rows: ContactRow[] }>(
    await b.query({ query: 'contact.list', params: { trash: 'include', archived: 'include', ...params } }),
  );
const trash = async (b: OpenCrmBackend, params: Record<string, unknown> = {}) =>
  value<{ total: number; rows: TrashRow[] }>(await b.query({ query: 'trash.list', params }));

describe('the trash', () => {
  it('lists trashed records of every kind with name, time and actor, newest first, and filters by kind', async () => {
    const { b } = await crm();
    const c = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Olga', lastName: 'Berg' } }),
    );
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Fjord AS' } }));
    const t = value(await b.execute({ command: 'CreateTask', input: { title: 'Call Olga' } }));
    value(await b.execute({ command: 'CreateContact', input: { firstName: 'Kept' } }));
    for (const [command, id] of [
      ['TrashContact', c.id],
      ['TrashCompany', co.id],
      ['TrashTask', t.id],
    ] as const) {
      value(await b.execute({ command, input: { id } }));
    }
    const all = await trash(b);
    expect(all.total).toBe(3);
    expect(all.rows.map((r) => [r.kind, r.name]).sort()).toEqual([
      ['company', 'Fjord AS'],
      ['contact', 'Olga Berg'],
      ['task', 'Call Olga'],
    ]);
    for (const r of all.rows) {
      expect(r.trashedBy).toBe('user:ana');
      expect(Number.isNaN(Date.parse(r.trashedAt))).toBe(false);
    }
    const times = all.rows.map((r) => r.trashedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await trash(b, { kind: 'company' })).rows.map((r) => r.id)).toEqual([co.id]);
    expect(error(await b.query({ query: 'trash.list', params: { kind: 'planet' } })).kind).toBe('validation');
  });

  it('restores a record whole: fields, company link and notes as they were', async () => {
    const { b } = await crm();
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Lumen' } }));
    const c = value(
      await b.execute({
        command: 'CreateContact',
        input: { firstName: 'Rui', emails: ['rui@lumen.io'], tags: ['lead'], companyId: co.id },
      }),
    );
    value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'Met Rui', link: { kind: 'contact', id: c.id } },
      }),
    );
    const before = value<{ state: unknown }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: c.id } }),
    );
    value(await b.execute({ command: 'TrashContact', input: { id: c.id } }));
    expect((await contacts(b, { trash: 'hide' })).total).toBe(0);

    const restored = value<{ restored: boolean }>(
      await b.execute({ command: 'RestoreRecord', input: { kind: 'contact', id: c.id }, commandId: 'r-1' }),
    );
    expect(restored.restored).toBe(true);
    const after = value<{ state: unknown }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: c.id } }),
    );
    expect(after.state).toEqual(before.state);
    const rows = (await contacts(b, { trash: 'hide' })).rows;
    expect(rows.map((r) => [r.id, r.companyName])).toEqual([[c.id, 'Lumen']]);
    expect((await trash(b)).total).toBe(0);
    const timeline = value<{ items: { type: string }[] }>(
      await b.query({ query: 'timeline', params: { kind: 'contact', id: c.id } }),
    );
    expect(timeline.items.map((i) => i.type)).toContain('NoteCreated');
    // A retry changes nothing; a record that does not exist is reported as such.
    expect(
      value<{ restored: boolean }>(
        await b.execute({ command: 'RestoreRecord', input: { kind: 'contact', id: c.id }, commandId: 'r-2' }),
      ).restored,
    ).toBe(false);
    expect(
      error(await b.execute({ command: 'RestoreRecord', input: { kind: 'deal', id: 'nope' } })).code,
    ).toBe('NOT_FOUND');
  });

  it('empties the trash for good: no trace of the record or its notes in the data folder, the rest untouched', async () => {
    const { b, dir } = await crm();
    const keep = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Bruno' } }));
    const gone = value(
      await b.execute({
        command: 'CreateContact',
        input: { firstName: 'Yselda', lastName: 'Wurmbrand', emails: ['yselda@wurm.example'] },
      }),
    );
    value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'Yselda prefers tea', link: { kind: 'contact', id: gone.id } },
      }),
    );
    const trashedTask = value(await b.execute({ command: 'CreateTask', input: { title: 'Zebra errand' } }));
    value(await b.execute({ command: 'TrashContact', input: { id: gone.id } }));
    value(await b.execute({ command: 'TrashTask', input: { id: trashedTask.id } }));

    // Only what was asked for: the contact, not the trashed task.
    const result = value<EmptyTrashResult>(
      await b.execute({ command: 'EmptyTrash', input: { ids: [gone.id, keep.id] }, commandId: 'empty-1' }),
    );
    expect(result.purged).toEqual([{ kind: 'contact', id: gone.id, name: 'Yselda Wurmbrand' }]);
    expect(result.erased).toHaveLength(1);
    expect(result.erased[0]).toMatch(/^note\//);
    expect(result.notInTrash).toEqual([keep.id]);
    expect((await trash(b)).rows.map((r) => r.id)).toEqual([trashedTask.id]);
    expect(error(await b.query({ query: 'record.get', params: { kind: 'contact', id: gone.id } })).code).toBe(
      'NOT_FOUND',
    );
    // A retry finds nothing more to do.
    const again = value<EmptyTrashResult>(
      await b.execute({ command: 'EmptyTrash', input: { ids: [gone.id] }, commandId: 'empty-1' }),
    );
    expect(again.purged).toEqual([]);

    await b.close();
    for (const needle of ['Yselda', 'Wurmbrand', 'yselda@wurm.example', 'prefers tea'])
      expect(filesContaining(dir, needle)).toEqual([]);
    expect(filesContaining(dir, 'Bruno').length).toBeGreaterThan(0);
    expect(filesContaining(dir, 'Zebra errand').length).toBeGreaterThan(0);

    // Reopened: the read models agree, and emptying by kind takes the task.
    const { b: b2 } = await crm(dir);
    expect((await contacts(b2)).rows.map((r) => r.id)).toEqual([keep.id]);
    const byKind = value<EmptyTrashResult>(
      await b2.execute({ command: 'EmptyTrash', input: { kind: 'task' } }),
    );
    expect(byKind.purged.map((p) => p.id)).toEqual([trashedTask.id]);
    expect((await trash(b2)).total).toBe(0);
  });

  it('keeps a trashed company linked to its contacts; purging it unlinks them, by a system actor', async () => {
    const { b, dir } = await crm();
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Quuxtronics' } }));
    const other = value(await b.execute({ command: 'CreateCompany', input: { name: 'Other Co' } }));
    const a = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Ada', companyId: co.id } }),
    );
    const z = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Zed', companyId: co.id } }),
    );
    const o = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Oz', companyId: other.id } }),
    );
    value(await b.execute({ command: 'ArchiveContact', input: { id: z.id } }));

    value(await b.execute({ command: 'TrashCompany', input: { id: co.id } }));
    let rows = (await contacts(b)).rows;
    expect(rows.filter((r) => r.companyId === co.id).map((r) => r.companyName)).toEqual([
      'Quuxtronics',
      'Quuxtronics',
    ]);

    value(await b.execute({ command: 'EmptyTrash', input: { kind: 'company' }, commandId: 'empty-co' }));
    rows = (await contacts(b)).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.id)).toMatchObject({ companyId: null, companyName: null });
    expect(byId.get(z.id)).toMatchObject({ companyId: null, companyName: null });
    expect(byId.get(o.id)).toMatchObject({ companyId: other.id, companyName: 'Other Co' });

    const timeline = value<{ items: { type: string; actor: string | null; causedBy: string | null }[] }>(
      await b.query({ query: 'timeline', params: { kind: 'contact', id: a.id } }),
    );
    const unlink = timeline.items[0]!;
    expect(unlink.type).toBe('ContactUpdated');
    expect(unlink.actor).toBe('system:crm-company-purge-unlink');
    const tombstone = (await b.store.readEvents('trash', 'purges')).at(-1)!;
    expect(tombstone.type).toBe('TrashEmptied');
    expect(unlink.causedBy).toBe(tombstone.id);
    expect(b.store.deadLetters('crm-company-purge-unlink')).toEqual([]);

    await b.close();
    expect(filesContaining(dir, 'Quuxtronics')).toEqual([]);
  });

  it('purges a company together with one of its contacts: the others are unlinked, nothing is dead-lettered', async () => {
    const { b } = await crm();
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Both Ltd' } }));
    const gone = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Gone', companyId: co.id } }),
    );
    const kept = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Kept', companyId: co.id } }),
    );
    value(await b.execute({ command: 'TrashContact', input: { id: gone.id } }));
    value(await b.execute({ command: 'TrashCompany', input: { id: co.id } }));
    const result = value<EmptyTrashResult>(await b.execute({ command: 'EmptyTrash', input: {} }));
    expect(result.purged.map((p) => p.id).sort()).toEqual([co.id, gone.id].sort());
    expect((await contacts(b)).rows.map((r) => [r.id, r.companyId])).toEqual([[kept.id, null]]);
    expect(b.store.deadLetters('crm-company-purge-unlink')).toEqual([]);
  });

  it('purging a contact or a company unlinks every deal pointing at it (trashed and won ones too), by a system actor', async () => {
    const { b, dir } = await crm();
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Purgatorio SpA' } }));
    const gone = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Ghislaine' } }));
    const kept = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Kept' } }));
    const deal = async (title: string) =>
      value(
        await b.execute({
          command: 'CreateDeal',
          input: {
            title,
            pipelineId: 'default',
            stageId: 'lead',
            contactIds: [gone.id, kept.id],
            companyId: co.id,
          },
        }),
      );
    const open1 = await deal('Open one');
    const wonDeal = await deal('Won one');
    const trashedDeal = await deal('Trashed one');
    const purgedDeal = await deal('Purged with them');
    value(await b.execute({ command: 'MarkDealWon', input: { id: wonDeal.id } }));
    value(await b.execute({ command: 'TrashDeal', input: { id: trashedDeal.id } }));
    value(await b.execute({ command: 'TrashDeal', input: { id: purgedDeal.id } }));
    value(await b.execute({ command: 'TrashContact', input: { id: gone.id } }));
    value(await b.execute({ command: 'TrashCompany', input: { id: co.id } }));

    // Trashed only: the deals still point at them (a restore brings the links back).
    const state = async (id: string) =>
      value<{ state: { fields: { contactIds: string[]; companyId: string | null } } }>(
        await b.query({ query: 'record.get', params: { kind: 'deal', id } }),
      ).state.fields;
    expect(await state(open1.id)).toMatchObject({ contactIds: [gone.id, kept.id], companyId: co.id });

    value(
      await b.execute({
        command: 'EmptyTrash',
        input: { ids: [gone.id, co.id, purgedDeal.id] },
        commandId: 'empty-deals',
      }),
    );
    const cards = b.store.projection<PipelineBoardState>(pipelineBoardProjection).state.deals;
    expect(Object.keys(cards).sort()).toEqual([open1.id, wonDeal.id, trashedDeal.id].sort());
    for (const d of [open1, wonDeal, trashedDeal]) {
      expect(await state(d.id)).toMatchObject({ contactIds: [kept.id], companyId: null });
      expect(cards[d.id]).toMatchObject({ contactIds: [kept.id], companyId: null });
    }
    const tombstone = (await b.store.readEvents('trash', 'purges')).at(-1)!;
    const timeline = value<{ items: { type: string; actor: string | null; causedBy: string | null }[] }>(
      await b.query({ query: 'timeline', params: { kind: 'deal', id: open1.id } }),
    );
    const unlinks = timeline.items.filter((i) => i.actor === 'system:crm-deal-unlink');
    expect(unlinks).toHaveLength(2);
    for (const u of unlinks) expect(u).toMatchObject({ type: 'DealUpdated', causedBy: tombstone.id });
    expect(b.store.deadLetters('crm-deal-unlink')).toEqual([]);

    // No id of the purged contact or company in any deal's current state, on disk either (checkpoints included).
    await b.close();
    const { b: b2 } = await crm(dir);
    for (const d of [open1, wonDeal, trashedDeal]) {
      const f = value<{ state: { fields: unknown } }>(
        await b2.query({ query: 'record.get', params: { kind: 'deal', id: d.id } }),
      ).state.fields;
      expect(JSON.stringify(f)).not.toContain(gone.id);
      expect(JSON.stringify(f)).not.toContain(co.id);
    }
    const board = JSON.stringify(b2.store.projection<PipelineBoardState>(pipelineBoardProjection).state);
    expect(board).not.toContain(gone.id);
    expect(board).not.toContain(co.id);
  });

  it('refuses an EmptyTrash with more than 1000 ids', async () => {
    const { b } = await crm();
    const ids = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
    expect(error(await b.execute({ command: 'EmptyTrash', input: { ids } })).kind).toBe('validation');
  });
});
