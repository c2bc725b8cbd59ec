import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import type { BulkEditResult } from '../../core/crm/bulk.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { tempDir } from '../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

async function crm(): Promise<OpenCrmBackend> {
  const b = await createCrmBackend(tempDir('crm-bulk-'));
  open.push(b);
  return b;
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function error(r: BackendResult): { kind: string; code: string } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

type Row = { id: string; tags: string[]; owner: string | null; archived: boolean; trashed: boolean };
const rows = async (b: OpenCrmBackend, query = 'contact.list'): Promise<Map<string, Row>> =>
  new Map(
    value<{ rows: Row[] }>(
      await b.query({ query, params: { trash: 'include', archived: 'include', limit: 1000 } }),
    ).rows.map((r) => [r.id, r]),
  );

async function contacts(b: OpenCrmBackend, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      value(await b.execute({ command: 'CreateContact', input: { firstName: `P${i}`, tags: ['old'] } })).id,
    );
  }
  return ids;
}

const eventCount = async (b: OpenCrmBackend, ids: string[]): Promise<number> =>
  (await Promise.all(ids.map((id) => b.store.readEvents('contact', id)))).reduce((n, e) => n + e.length, 0);

describe('BulkEdit', () => {
  it('tags 50 contacts, reports the one that refuses, and a retry with the same command id changes nothing', async () => {
    const b = await crm();
    const ids = await contacts(b, 50);
    const trashed = ids[17]!;
    value(await b.execute({ command: 'TrashContact', input: { id: trashed } }));

    const request = {
      command: 'BulkEdit',
      input: { kind: 'contact', ids: [...ids, 'missing-1'], action: { type: 'addTag', tag: 'VIP' } },
      commandId: 'bulk-1',
    };
    const first = value<BulkEditResult>(await b.execute(request));
    expect(first.done).toBe(49);
    expect(first.changed).toBe(49);
    expect(first.failed.map((f) => [f.id, f.code])).toEqual([
      [trashed, 'IN_TRASH'],
      ['missing-1', 'NOT_FOUND'],
    ]);
    expect(first.failed[0]!.message).toMatch(/trash/);
    const listed = await rows(b);
    for (const id of ids) expect(listed.get(id)!.tags).toEqual(id === trashed ? ['old'] : ['old', 'VIP']);

    // One correlation id for the whole operation.
    const correlations = new Set<unknown>();
    for (const id of ids.filter((i) => i !== trashed)) {
      const events = await b.store.readEvents('contact', id);
      correlations.add(events.at(-1)!.meta?.correlation_id);
    }
    expect([...correlations]).toEqual(['bulk-1']);

    const before = await eventCount(b, ids);
    const retry = value<BulkEditResult>(await b.execute(request));
    expect(retry.changed).toBe(0);
    expect(retry.done).toBe(49);
    expect(await eventCount(b, ids)).toBe(before);

    // Even after the tag was removed by hand, the retried request does not add it a second time.
    value(await b.execute({ command: 'UpdateContact', input: { id: ids[0]!, fields: { tags: ['old'] } } }));
    value<BulkEditResult>(await b.execute(request));
    expect((await rows(b)).get(ids[0]!)!.tags).toEqual(['old']);
  });

  it('removes tags, assigns, archives, deletes and restores many at once', async () => {
    const b = await crm();
    const ids = await contacts(b, 5);
    const some = ids.slice(0, 3);
    const run = async (action: Record<string, unknown>, kind = 'contact', on = some) =>
      value<BulkEditResult>(await b.execute({ command: 'BulkEdit', input: { kind, ids: on, action } }));

    expect((await run({ type: 'removeTag', tag: 'OLD' })).changed).toBe(3);
    expect((await run({ type: 'assign', owner: 'ana' })).changed).toBe(3);
    expect((await run({ type: 'archive' })).changed).toBe(3);
    let listed = await rows(b);
    for (const id of ids) {
      const picked = some.includes(id);
      expect(listed.get(id)).toMatchObject({
        tags: picked ? [] : ['old'],
        owner: picked ? 'ana' : null,
        archived: picked,
      });
    }
    // Archived records refuse edits; lifecycle actions still work.
    expect((await run({ type: 'assign', owner: 'bo' })).failed.map((f) => f.code)).toEqual([
      'ARCHIVED',
      'ARCHIVED',
      'ARCHIVED',
    ]);
    expect((await run({ type: 'unarchive' })).changed).toBe(3);
    expect((await run({ type: 'delete' })).changed).toBe(3);
    const trash = value<{ total: number }>(
      await b.query({ query: 'trash.list', params: { kind: 'contact' } }),
    );
    expect(trash.total).toBe(3);
    expect((await run({ type: 'restore' })).changed).toBe(3);
    listed = await rows(b);
    for (const id of some) expect(listed.get(id)).toMatchObject({ archived: false, trashed: false });

    const deal = value(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'Big one', pipelineId: 'default', stageId: 'lead' },
      }),
    );
    expect((await run({ type: 'assign', owner: 'ana' }, 'deal', [deal.id])).changed).toBe(1);
    const board = await b.query({ query: 'record.get', params: { kind: 'deal', id: deal.id } });
    expect(value<{ state: { fields: { owner: string } } }>(board).state.fields.owner).toBe('ana');
  });

  it('refuses an action the kind does not have, and more than 1000 ids', async () => {
    const b = await crm();
    const tagDeals = error(
      await b.execute({
        command: 'BulkEdit',
        input: { kind: 'deal', ids: ['d-1'], action: { type: 'addTag', tag: 'x' } },
      }),
    );
    expect(tagDeals).toMatchObject({ kind: 'validation', code: 'INVALID_BULK_ACTION' });
    const tooMany = Array.from({ length: 1001 }, (_, i) => `c-${i}`);
    expect(
      error(
        await b.execute({
          command: 'BulkEdit',
          input: { kind: 'contact', ids: tooMany, action: { type: 'delete' } },
        }),
      ).kind,
    ).toBe('validation');
  });
});
