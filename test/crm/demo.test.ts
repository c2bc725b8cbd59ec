import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { benchShape, DEMO_SIZES, demoBatches, demoCommands } from '../../core/crm/demo/index.js';
import type { Board } from '../../core/crm/read/pipeline-board.js';
import type { TaskGroups } from '../../core/crm/read/tasks.js';
import { tempDir } from '../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

async function crm(): Promise<OpenCrmBackend> {
  const b = await createCrmBackend(tempDir('crm-demo-'));
  open.push(b);
  return b;
}

function value<T = Record<string, unknown>>(r: BackendResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const TODAY = '2026-03-15';
const small = { seed: 4, shape: DEMO_SIZES.small, today: TODAY };

describe('the demo data generator', () => {
  it('is deterministic: the same seed gives the same commands, another seed other ones', () => {
    const a = [...demoCommands(small)];
    expect([...demoCommands(small)]).toEqual(a);
    const b = [...demoCommands({ ...small, seed: 5 })];
    expect(b.map((c) => c.input)).not.toEqual(a.map((c) => c.input));
    expect(new Set(a.map((c) => c.commandId)).size).toBe(a.length);
  });

  it('makes about 100 linked records: names with diacritics from several cultures, companies with domains', () => {
    const cmds = [...demoCommands(small)];
    const creates = cmds.filter((c) => /^(Create|Log)/.test(c.command));
    expect(creates.length).toBeGreaterThanOrEqual(80);
    expect(creates.length).toBeLessThanOrEqual(130);
    const contacts = cmds.filter((c) => c.command === 'CreateContact').map((c) => c.input);
    const names = contacts.map((c) => `${String(c.firstName)} ${String(c.lastName)}`);
    expect(names.filter((n) => /[^ -~]/.test(n)).length).toBeGreaterThan(contacts.length / 2);
    const emails = contacts.flatMap((c) => c.emails as string[]);
    expect(new Set(emails).size).toBe(emails.length);
    for (const e of emails) expect(e).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.[a-z]+$/);
    const companies = cmds.filter((c) => c.command === 'CreateCompany');
    for (const c of companies) expect(c.input.domain).toMatch(/^[a-z0-9-]+\.[a-z.]+$/);
    // Every link points to a record created in an earlier batch.
    const created = new Set<string>();
    for (const batch of demoBatches(small)) {
      for (const c of batch) {
        const refs = [
          c.input.companyId,
          ...((c.input.contactIds as string[] | undefined) ?? []),
          (c.input.link as { id: string } | undefined)?.id,
        ].filter((r): r is string => typeof r === 'string');
        for (const r of refs) expect(created, `${c.command} ${String(c.input.id)} -> ${r}`).toContain(r);
        if (!/^(Create|Log)/.test(c.command))
          expect(created, `${c.command} before its record`).toContain(c.input.id);
      }
      for (const c of batch) if (/^(Create|Log)/.test(c.command)) created.add(c.input.id as string);
    }
  });

  it('the bench shape makes about 10 events per contact over few streams per contact', () => {
    const cmds = [...demoCommands({ seed: 1, shape: benchShape(500), today: TODAY })];
    expect(cmds.filter((c) => c.command === 'CreateContact')).toHaveLength(500);
    expect(cmds.length / 500).toBeGreaterThan(8);
    expect(cmds.length / 500).toBeLessThan(13);
    const streams = new Set(cmds.map((c) => c.input.id)).size;
    expect(streams / 500).toBeLessThan(2.5);
  });
});

describe('LoadDemoData', () => {
  it('fills an empty CRM: contacts, a board across stages, tasks overdue / today / done; a second load adds nothing', async () => {
    const b = await crm();
    const first = value<{ created: number; events: number; duplicates: number }>(
      await b.execute({ command: 'LoadDemoData', input: {} }),
    );
    expect(first.created).toBeGreaterThanOrEqual(80);
    expect(first.duplicates).toBe(0);
    expect(value<{ total: number }>(await b.query({ query: 'contact.list', params: {} })).total).toBe(
      DEMO_SIZES.small.contacts,
    );
    expect(
      value<{ total: number }>(await b.query({ query: 'company.list', params: {} })).total,
    ).toBeGreaterThan(0);
    const board = value<Board>(await b.query({ query: 'deal.board', params: { pipelineId: 'default' } }));
    const open = board.columns.filter((c) => c.count > 0);
    expect(open.length + (board.won.count > 0 ? 1 : 0) + (board.lost.count > 0 ? 1 : 0)).toBeGreaterThan(1);
    const today = new Date().toISOString().slice(0, 10);
    const tasks = value<TaskGroups>(
      await b.query({ query: 'task.list', params: { now: `${today}T00:00:00Z` } }),
    );
    expect(tasks.overdue.length).toBeGreaterThan(0);
    expect(tasks.today.length).toBeGreaterThan(0);
    expect(tasks.completed.length).toBeGreaterThan(0);

    const again = value<{ created: number; events: number; duplicates: number }>(
      await b.execute({ command: 'LoadDemoData', input: {} }),
    );
    expect(again.created).toBe(0);
    expect(again.events).toBe(0);
    expect(again.duplicates).toBeGreaterThan(0);
  });

  it("refuses a CRM that has the user's own contacts, unless forced", async () => {
    const b = await crm();
    value(await b.execute({ command: 'CreateContact', input: { firstName: 'Mine' } }));
    const refused = await b.execute({ command: 'LoadDemoData', input: {} });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('CRM_NOT_EMPTY');
      expect(refused.error.message).toMatch(/force/);
    }
    expect(value<{ total: number }>(await b.query({ query: 'contact.list', params: {} })).total).toBe(1);
    value(await b.execute({ command: 'LoadDemoData', input: { force: true } }));
    expect(value<{ total: number }>(await b.query({ query: 'contact.list', params: {} })).total).toBe(
      DEMO_SIZES.small.contacts + 1,
    );
  });
});
