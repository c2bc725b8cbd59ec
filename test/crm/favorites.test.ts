import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import type { FavoriteRow } from '../../core/crm/favorites.js';
import { tempDir } from '../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

async function crm(dir = tempDir('crm-favorites-')): Promise<{ b: OpenCrmBackend; dir: string }> {
  const b = await createCrmBackend(dir);
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

const favorites = async (b: OpenCrmBackend): Promise<[string, string, string][]> =>
  value<{ rows: FavoriteRow[] }>(await b.query({ query: 'favorite.list', params: {} })).rows.map((r) => [
    r.kind,
    r.id,
    r.name,
  ]);

describe('favorites', () => {
  it('pins in order, ignores a second pin, reorders, unpins, and keeps the list across a reopen', async () => {
    const { b, dir } = await crm();
    const c = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Ida', lastName: 'Noor' } }),
    );
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Acme' } }));
    const t = value(await b.execute({ command: 'CreateTask', input: { title: 'Send offer' } }));
    for (const [kind, id] of [
      ['contact', c.id],
      ['company', co.id],
      ['task', t.id],
      ['contact', c.id],
    ])
      value(await b.execute({ command: 'PinRecord', input: { kind, id } }));
    expect(await favorites(b)).toEqual([
      ['contact', c.id, 'Ida Noor'],
      ['company', co.id, 'Acme'],
      ['task', t.id, 'Send offer'],
    ]);

    value(await b.execute({ command: 'MoveFavorite', input: { kind: 'task', id: t.id, index: 0 } }));
    value(await b.execute({ command: 'UnpinRecord', input: { kind: 'company', id: co.id } }));
    value(await b.execute({ command: 'UpdateCompany', input: { id: co.id, fields: { name: 'Acme 2' } } }));
    value(await b.execute({ command: 'PinRecord', input: { kind: 'company', id: co.id } }));
    value(await b.execute({ command: 'UpdateContact', input: { id: c.id, fields: { lastName: 'Nour' } } }));
    const expected = [
      ['task', t.id, 'Send offer'],
      ['contact', c.id, 'Ida Nour'],
      ['company', co.id, 'Acme 2'],
    ];
    expect(await favorites(b)).toEqual(expected);

    await b.close();
    const { b: b2 } = await crm(dir);
    expect(await favorites(b2)).toEqual(expected);
  });

  it('refuses to pin a record that does not exist, marks trashed ones, and leaves out forgotten and purged ones', async () => {
    const { b } = await crm();
    expect(error(await b.execute({ command: 'PinRecord', input: { kind: 'deal', id: 'nope' } })).code).toBe(
      'NOT_FOUND',
    );
    expect(error(await b.execute({ command: 'PinRecord', input: { kind: 'planet', id: 'x' } })).kind).toBe(
      'validation',
    );
    const forgotten = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Gone' } }));
    const purged = value(await b.execute({ command: 'CreateCompany', input: { name: 'Purged Inc' } }));
    const trashed = value(await b.execute({ command: 'CreateTask', input: { title: 'Later' } }));
    for (const [kind, id] of [
      ['contact', forgotten.id],
      ['company', purged.id],
      ['task', trashed.id],
    ])
      value(await b.execute({ command: 'PinRecord', input: { kind, id } }));
    value(await b.execute({ command: 'ForgetContact', input: { id: forgotten.id } }));
    value(await b.execute({ command: 'TrashCompany', input: { id: purged.id } }));
    value(await b.execute({ command: 'EmptyTrash', input: { kind: 'company' } }));
    value(await b.execute({ command: 'TrashTask', input: { id: trashed.id } }));

    const rows = value<{ rows: FavoriteRow[] }>(await b.query({ query: 'favorite.list', params: {} })).rows;
    expect(rows).toEqual([{ kind: 'task', id: trashed.id, name: 'Later', trashed: true }]);
    // A stale pin can still be removed.
    value(await b.execute({ command: 'UnpinRecord', input: { kind: 'company', id: purged.id } }));
    expect(
      error(await b.execute({ command: 'MoveFavorite', input: { kind: 'company', id: purged.id, index: 0 } }))
        .code,
    ).toBe('NOT_PINNED');
  });
});
