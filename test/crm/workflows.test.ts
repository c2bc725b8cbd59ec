import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function crm(): Promise<{ b: OpenCrmBackend; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-wf-'));
  dirs.push(dir);
  const b = await createCrmBackend(dir);
  open.push(b);
  return { b, dir };
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('CRM workflows', () => {
  it('a won deal gets one follow-up task, linked to it, made by the system and caused by the win', async () => {
    const { b, dir } = await crm();
    const deal = value(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'Renewal', pipelineId: 'default', stageId: 'lead' },
      }),
    );
    value(await b.execute({ command: 'MarkDealWon', input: { id: deal.id, date: '2026-04-10' } }));
    value(await b.execute({ command: 'ReopenDeal', input: { id: deal.id } }));
    value(await b.execute({ command: 'MarkDealWon', input: { id: deal.id, date: '2026-04-12' } }));
    await b.store.runProcessManagers();
    const task = value<{
      version: number;
      state: { fields: { title: string; link: unknown }; due: unknown };
    }>(await b.query({ query: 'record.get', params: { kind: 'task', id: `follow-up-${deal.id}` } }));
    expect(task.version).toBe(1);
    expect(task.state.fields.title).toBe('Follow up on "Renewal"');
    expect(task.state.fields.link).toEqual({ kind: 'deal', id: deal.id });
    expect(task.state.due).toEqual({ date: '2026-04-17', time: null });
    const line = JSON.parse(
      readFileSync(join(dir, 'streams', 'task', `follow-up-${deal.id}`, 'app.jsonl'), 'utf8'),
    );
    expect(line.actor).toBe('system:crm-deal-follow-up');
    const won = readFileSync(join(dir, 'streams', 'deal', deal.id, 'app.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'DealWon');
    expect(line.meta.causation_id).toBe(won.id);
    // The second win made no second task, and no failed dispatch either.
    expect(b.store.deadLetters('crm-deal-follow-up')).toEqual([]);
  });

  it('removing a stage moves its deals to the named stage', async () => {
    const { b } = await crm();
    const d1 = value(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'A', pipelineId: 'default', stageId: 'qualified' },
      }),
    );
    const d2 = value(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'B', pipelineId: 'default', stageId: 'lead' },
      }),
    );
    value(
      await b.execute({
        command: 'RemovePipelineStage',
        input: { id: 'default', stageId: 'qualified', reassignTo: 'proposal' },
      }),
    );
    await b.store.runProcessManagers();
    const stage = async (id: string): Promise<string> =>
      value<{ state: { placement: { stageId: string } } }>(
        await b.query({ query: 'record.get', params: { kind: 'deal', id } }),
      ).state.placement.stageId;
    expect(await stage(d1.id)).toBe('proposal');
    expect(await stage(d2.id)).toBe('lead');
  });

  it("merging contacts re-points the duplicate's deals, tasks and notes to the kept contact", async () => {
    const { b } = await crm();
    const keep = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Ana' } }));
    const dup = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Ana (2)' } }));
    const deal = value(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'D', pipelineId: 'default', stageId: 'lead', contactIds: [dup.id] },
      }),
    );
    const note = value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'met at the fair', link: { kind: 'contact', id: dup.id } },
      }),
    );
    const task = value(
      await b.execute({
        command: 'CreateTask',
        input: { title: 'call', link: { kind: 'contact', id: dup.id } },
      }),
    );
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: dup.id, targetId: keep.id } }));
    await b.store.runProcessManagers();
    const get = async (kind: string, id: string) =>
      value<{ state: { fields: Record<string, unknown> } }>(
        await b.query({ query: 'record.get', params: { kind, id } }),
      ).state.fields;
    expect((await get('deal', deal.id)).contactIds).toEqual([keep.id]);
    expect((await get('note', note.id)).link).toEqual({ kind: 'contact', id: keep.id });
    expect((await get('task', task.id)).link).toEqual({ kind: 'contact', id: keep.id });
    expect(b.store.deadLetters('crm-merge-repoint')).toEqual([]);
  });
});
