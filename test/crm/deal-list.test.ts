import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import type { DealListRow } from '../../core/crm/read/pipeline-board.js';
import type { Page } from '../../core/crm/read/list-query.js';
import { tempDir } from '../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('deal.list', () => {
  it('lists the deals of a company or a contact, with stage names, trash and status filters, sort and paging', async () => {
    // A clock that moves a minute per event, so "most recently changed" has no ties.
    let t = Date.parse('2026-03-01T09:00:00Z');
    const b = await createCrmBackend(tempDir('crm-deal-list-'), {
      store: { clock: () => new Date((t += 60_000)) },
    });
    open.push(b);
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Acme' } }));
    const other = value(await b.execute({ command: 'CreateCompany', input: { name: 'Other' } }));
    const ana = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Ana' } }));
    const bo = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Bo' } }));
    const deal = async (title: string, companyId: string | null, contactIds: string[]) =>
      value(
        await b.execute({
          command: 'CreateDeal',
          input: { title, pipelineId: 'default', stageId: 'lead', companyId, contactIds },
        }),
      ).id;
    const zeta = await deal('Zeta renewal', co.id, [ana.id]);
    const alpha = await deal('Álpha licence', co.id, [ana.id, bo.id]);
    const gone = await deal('Gamma', co.id, []);
    const elsewhere = await deal('Elsewhere', other.id, [bo.id]);
    value(await b.execute({ command: 'MarkDealWon', input: { id: zeta } }));
    value(await b.execute({ command: 'TrashDeal', input: { id: gone } }));

    const list = async (params: Record<string, unknown>) =>
      value<Page<DealListRow>>(await b.query({ query: 'deal.list', params }));
    const ids = async (params: Record<string, unknown>) => (await list(params)).rows.map((r) => r.id);

    // Most recently changed first by default; trashed deals hidden.
    expect(await ids({ companyId: co.id })).toEqual([zeta, alpha]);
    expect(await ids({ contactId: bo.id })).toEqual([elsewhere, alpha]);
    expect(await ids({ companyId: co.id, contactId: bo.id })).toEqual([alpha]);
    expect(await ids({ companyId: co.id, trash: 'only' })).toEqual([gone]);
    expect(await ids({ companyId: co.id, status: 'won' })).toEqual([zeta]);
    // Title sort folds case and diacritics (Álpha before Elsewhere).
    expect(await ids({ sort: 'title' })).toEqual([alpha, elsewhere, zeta]);
    const page = await list({ sort: 'title', offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3, rows: [{ id: elsewhere }] });

    const rows = (await list({ companyId: co.id })).rows;
    expect(rows.map((r) => [r.title, r.stageName, r.pipelineName, r.companyId])).toEqual([
      ['Zeta renewal', 'Won', expect.any(String), co.id],
      ['Álpha licence', expect.any(String), expect.any(String), co.id],
    ]);
    expect(rows[1]!.stageName).not.toBe('');
    expect(rows[1]!.pipelineName).not.toBe('');

    const bad = await b.query({ query: 'deal.list', params: { companyId: co.id, owner: 'x' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.kind).toBe('validation');
  });

  it('is named in the change notifications of deal commits', async () => {
    const b = await createCrmBackend(tempDir('crm-deal-list-'));
    open.push(b);
    const seen: string[][] = [];
    b.subscribe((n) => seen.push(n.changed));
    value(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'X', pipelineId: 'default', stageId: 'lead' },
      }),
    );
    await b.store.awaitProjections();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.some((c) => c.includes('deal.list'))).toBe(true);
  });
});
