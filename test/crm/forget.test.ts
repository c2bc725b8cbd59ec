import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { pipelineBoardProjection, type PipelineBoardState } from '../../core/crm/read/pipeline-board.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Every file under `dir` whose bytes contain `needle` (like `grep -rl`, also inside snapshots and checkpoints). */
function filesContaining(dir: string, needle: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesContaining(path, needle));
    else if (readFileSync(path).includes(needle)) out.push(path);
  }
  return out;
}

describe('ForgetContact (erasure)', () => {
  it("leaves no trace of the contact's name, e-mail, notes or activities anywhere in the data folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-forget-'));
    dirs.push(dir);
    const b = await createCrmBackend(dir);
    open.push(b);
    const other = value(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Bruno', emails: ['bruno@keep.io'] } }),
    );
    const c = value(
      await b.execute({
        command: 'CreateContact',
        input: {
          firstName: 'Xaviera',
          lastName: 'Quintanilla',
          emails: ['xaviera.q@private.example'],
          tags: ['vip'],
        },
      }),
    );
    value(
      await b.execute({
        command: 'UpdateContact',
        input: { id: c.id, fields: { title: 'Head of Xylophones' } },
      }),
    );
    value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'Xaviera likes jazz', link: { kind: 'contact', id: c.id } },
      }),
    );
    value(
      await b.execute({
        command: 'LogActivity',
        input: {
          kind: 'call',
          occurredAt: '2026-04-01T10:00:00Z',
          summary: 'Called Xaviera about the offer',
          link: { kind: 'contact', id: c.id },
        },
      }),
    );
    value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'Bruno note', link: { kind: 'contact', id: other.id } },
      }),
    );
    await b.store.flush();
    expect(filesContaining(dir, 'Xaviera').length).toBeGreaterThan(3);

    const result = value<{ erased: string[] }>(
      await b.execute({ command: 'ForgetContact', input: { id: c.id } }),
    );
    expect(result.erased).toHaveLength(2);
    expect(
      error(await b.execute({ command: 'UpdateContact', input: { id: c.id, fields: { title: 'x' } } })),
    ).toBe('FORGOTTEN');
    const list = value<{ total: number }>(await b.query({ query: 'contact.list', params: { q: 'xaviera' } }));
    expect(list.total).toBe(0);
    expect(value<{ total: number }>(await b.query({ query: 'search', params: { q: 'jazz' } })).total).toBe(0);
    await b.close();
    open.splice(0);

    for (const needle of ['Xaviera', 'Quintanilla', 'xaviera.q@private.example', 'jazz', 'Xylophones']) {
      expect(filesContaining(dir, needle), needle).toEqual([]);
    }
    // The same check the way a user would do it.
    expect(() => execFileSync('grep', ['-rl', 'Quintanilla', dir])).toThrow();
    // What is not the contact's is still there, and the tombstone holds no personal data.
    expect(filesContaining(dir, 'bruno@keep.io').length).toBeGreaterThan(0);
    expect(filesContaining(dir, 'Bruno note').length).toBeGreaterThan(0);
    const tomb = readFileSync(join(dir, 'streams', 'contact', c.id, 'app.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(tomb.map((l) => JSON.parse(l).type)).toEqual(['ContactForgotten']);

    const again = await createCrmBackend(dir);
    open.push(again);
    expect(value<{ total: number }>(await again.query({ query: 'contact.list', params: {} })).total).toBe(1);
  });

  it('unlinks the forgotten contact from every deal, by a system actor caused by the tombstone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-forget-'));
    dirs.push(dir);
    const b = await createCrmBackend(dir);
    open.push(b);
    const c = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Forgotten' } }));
    const k = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Kept' } }));
    const deals = [];
    for (const title of ['Open', 'Trashed']) {
      deals.push(
        value(
          await b.execute({
            command: 'CreateDeal',
            input: { title, pipelineId: 'default', stageId: 'lead', contactIds: [k.id, c.id] },
          }),
        ),
      );
    }
    value(await b.execute({ command: 'TrashDeal', input: { id: deals[1]!.id } }));
    value(await b.execute({ command: 'ForgetContact', input: { id: c.id } }));

    const cards = b.store.projection<PipelineBoardState>(pipelineBoardProjection).state.deals;
    const tombstone = (await b.store.readEvents('contact', c.id)).at(-1)!;
    expect(tombstone.type).toBe('ContactForgotten');
    for (const d of deals) {
      const got = value<{ state: { fields: { contactIds: string[] } } }>(
        await b.query({ query: 'record.get', params: { kind: 'deal', id: d.id } }),
      );
      expect(got.state.fields.contactIds).toEqual([k.id]);
      expect(cards[d.id]!.contactIds).toEqual([k.id]);
      const last = value<{ items: { actor: string | null; causedBy: string | null }[] }>(
        await b.query({ query: 'timeline', params: { kind: 'deal', id: d.id } }),
      ).items[0]!;
      expect(last).toMatchObject({ actor: 'system:crm-deal-unlink', causedBy: tombstone.id });
    }
    expect(b.store.deadLetters('crm-deal-unlink')).toEqual([]);
  });
});

function error(r: BackendResult): string {
  if (r.ok) throw new Error('expected an error');
  return r.error.code;
}
