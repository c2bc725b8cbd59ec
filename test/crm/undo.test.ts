import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import type { TimelineItem } from '../../core/crm/read/timeline.js';
import type { UndoResult, UndoTarget } from '../../core/crm/undo.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// A fixed clock: timestamps (updatedAt, completion dates) do not move, so "restored" can mean "equal".
const NOW = new Date('2026-03-02T09:00:00Z');

async function backend(dir?: string): Promise<{ b: OpenCrmBackend; dir: string }> {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'crm-undo-'));
  if (!dir) dirs.push(d);
  const b = await createCrmBackend(d, { store: { clock: () => NOW } });
  open.push(b);
  return { b, dir: d };
}

async function close(b: OpenCrmBackend): Promise<void> {
  await b.close();
  open.splice(open.indexOf(b), 1);
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function error(r: BackendResult): { kind: string; code: string; message: string; details?: unknown } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

async function run(b: OpenCrmBackend, command: string, input: unknown, commandId?: string) {
  return value<{ id: string }>(
    await b.execute({ command, input, ...(commandId !== undefined ? { commandId } : {}) }),
  );
}

async function timeline(b: OpenCrmBackend, kind: string, id: string): Promise<TimelineItem[]> {
  return value<{ items: TimelineItem[] }>(await b.query({ query: 'timeline', params: { kind, id } })).items;
}

interface Seed {
  ana: string;
  bo: string;
  acme: string;
  deal: string;
  task: string;
  note: string;
  activity: string;
}

async function seed(b: OpenCrmBackend): Promise<Seed> {
  value(
    await b.execute({
      command: 'DefineCustomField',
      input: { id: 'contact', fieldId: 'tier', label: 'Tier', fieldType: 'text' },
    }),
  );
  const acme = (await run(b, 'CreateCompany', { name: 'Acme', domain: 'acme.io' })).id;
  const ana = (
    await run(b, 'CreateContact', {
      firstName: 'Ana',
      lastName: 'Lima',
      emails: ['ana@acme.io'],
      title: 'CTO',
      companyId: acme,
      customFields: { tier: 'gold' },
    })
  ).id;
  const bo = (await run(b, 'CreateContact', { firstName: 'Bo', emails: ['bo@other.io'] })).id;
  const deal = (
    await run(b, 'CreateDeal', {
      title: 'Acme renewal',
      amount: { minor: 500000, currency: 'EUR' },
      pipelineId: 'default',
      stageId: 'lead',
      contactIds: [ana],
      companyId: acme,
    })
  ).id;
  const task = (
    await run(b, 'CreateTask', {
      title: 'Call Ana',
      link: { kind: 'contact', id: ana },
      due: { date: '2026-03-05' },
    })
  ).id;
  const note = (await run(b, 'CreateNote', { body: 'Likes jazz', link: { kind: 'contact', id: ana } })).id;
  const activity = (
    await run(b, 'LogActivity', {
      kind: 'call',
      occurredAt: '2026-03-01T10:00:00Z',
      summary: 'Intro call',
      link: { kind: 'deal', id: deal },
    })
  ).id;
  return { ana, bo, acme, deal, task, note, activity };
}

/** Every read model the UI shows for the seeded records (the lists, the board, the tasks, each record). */
async function readModels(b: OpenCrmBackend, s: Seed, list: Record<string, unknown> = {}): Promise<unknown> {
  const q = async (query: string, params: unknown) => value<unknown>(await b.query({ query, params }));
  const get = async (kind: string, id: string) => {
    const r = await b.query({ query: 'record.get', params: { kind, id } });
    return r.ok ? (r.value as { state: unknown }).state : null;
  };
  return {
    contacts: await q('contact.list', { includeMerged: true, ...list }),
    companies: await q('company.list', list),
    board: await q('deal.board', { pipelineId: 'default' }),
    pipelines: await q('pipeline.list', {}),
    tasks: await q('task.list', { now: NOW.toISOString() }),
    records: {
      ana: await get('contact', s.ana),
      bo: await get('contact', s.bo),
      acme: await get('company', s.acme),
      deal: await get('deal', s.deal),
      task: await get('task', s.task),
      note: await get('note', s.note),
      activity: await get('activity', s.activity),
      pipeline: await get('pipeline', 'default'),
    },
  };
}

describe('UndoChange / UndoLast', () => {
  it('restores the previous read model after every kind of change', async () => {
    const { b } = await backend();
    const s = await seed(b);
    // Each case: the change, and (when the default list hides what an undo leaves, e.g. a created record now in
    // the trash) the list params the comparison uses.
    const cases: [string, () => Promise<unknown>][] = [
      [
        'contact update (fields and custom field)',
        () =>
          run(b, 'UpdateContact', {
            id: s.ana,
            fields: { title: 'CEO', emails: ['ana@lima.dev', 'ana@acme.io'], tags: ['vip'] },
            customFields: { tier: 'platinum' },
          }),
      ],
      ['contact archive', () => run(b, 'ArchiveContact', { id: s.ana })],
      ['contact trash', () => run(b, 'TrashContact', { id: s.bo })],
      ['contact merge', () => run(b, 'MergeContacts', { sourceId: s.bo, targetId: s.ana })],
      ['company update', () => run(b, 'UpdateCompany', { id: s.acme, fields: { industry: 'Software' } })],
      ['company archive', () => run(b, 'ArchiveCompany', { id: s.acme })],
      [
        'deal update',
        () => run(b, 'UpdateDeal', { id: s.deal, fields: { amount: { minor: 900000, currency: 'EUR' } } }),
      ],
      ['deal stage move', () => run(b, 'MoveDealStage', { id: s.deal, stageId: 'proposal' })],
      ['deal lost', () => run(b, 'MarkDealLost', { id: s.deal, reason: 'Budget' })],
      ['deal trash', () => run(b, 'TrashDeal', { id: s.deal })],
      ['task update', () => run(b, 'UpdateTask', { id: s.task, fields: { priority: 'high' } })],
      ['task complete', () => run(b, 'CompleteTask', { id: s.task })],
      ['task reschedule', () => run(b, 'RescheduleTask', { id: s.task, due: { date: '2026-04-01' } })],
      ['note edit', () => run(b, 'EditNote', { id: s.note, fields: { body: 'Loves jazz and tea' } })],
      ['note trash', () => run(b, 'TrashNote', { id: s.note })],
      ['activity edit', () => run(b, 'EditActivity', { id: s.activity, fields: { kind: 'meeting' } })],
      ['pipeline rename', () => run(b, 'RenamePipeline', { id: 'default', name: 'Renewals' })],
      [
        'stage rename',
        () => run(b, 'RenamePipelineStage', { id: 'default', stageId: 'lead', name: 'New lead' }),
      ],
      [
        'stage reorder',
        () =>
          run(b, 'ReorderPipelineStages', {
            id: 'default',
            stageIds: ['qualified', 'lead', 'proposal', 'negotiation'],
          }),
      ],
      ['contact create', () => run(b, 'CreateContact', { firstName: 'Cy', emails: ['cy@x.io'] })],
      ['task create', () => run(b, 'CreateTask', { title: 'Write to Bo' })],
    ];
    for (const [name, change] of cases) {
      const before = await readModels(b, s);
      await change();
      expect(await readModels(b, s), name).not.toEqual(before);
      const undone = value<UndoResult>(await b.execute({ command: 'UndoLast', input: {} }));
      expect(undone.duplicate, name).toBe(false);
      expect(await readModels(b, s), name).toEqual(before);
    }

    // Closing a deal and reopening it: undo of the win reopens, undo of a reopen closes it again as it was.
    value(await b.execute({ command: 'MarkDealLost', input: { id: s.deal, reason: 'Timing' } }));
    const lost = await readModels(b, s);
    value(await b.execute({ command: 'ReopenDeal', input: { id: s.deal } }));
    value(await b.execute({ command: 'UndoChange', input: { kind: 'deal', id: s.deal } }));
    expect(await readModels(b, s)).toEqual(lost);
    // A completed task reopened, and the reopen undone: completed again at the same time.
    value(await b.execute({ command: 'CompleteTask', input: { id: s.task, at: '2026-03-01T12:00:00Z' } }));
    const completed = await readModels(b, s);
    value(await b.execute({ command: 'ReopenTask', input: { id: s.task } }));
    value(await b.execute({ command: 'UndoChange', input: { kind: 'task', id: s.task } }));
    expect(await readModels(b, s)).toEqual(completed);
  });

  it('appends compensating events and shows the undo in the timeline; undo of the undo redoes', async () => {
    const { b, dir } = await backend();
    const s = await seed(b);
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'CEO' } });
    const [edit] = await timeline(b, 'contact', s.ana);
    expect(edit).toMatchObject({ type: 'ContactUpdated', undoable: true, lines: ['Title: CTO -> CEO'] });

    const undone = value<UndoResult>(
      await b.execute({
        command: 'UndoChange',
        input: { kind: 'contact', id: s.ana, eventId: edit!.eventId! },
      }),
    );
    expect(undone).toMatchObject({
      kind: 'contact',
      id: s.ana,
      eventId: edit!.eventId,
      description: 'Edited contact “Ana Lima”',
    });
    const [undo, original] = await timeline(b, 'contact', s.ana);
    expect(undo).toMatchObject({
      summary: 'Undid: Edited contact “Ana Lima”',
      lines: ['Title: CEO -> CTO'],
      undoOf: edit!.eventId,
      causedBy: edit!.eventId,
      undoable: true,
    });
    expect(original).toMatchObject({ eventId: edit!.eventId, undoneBy: undo!.eventId, undoable: false });
    expect(
      error(
        await b.execute({
          command: 'UndoChange',
          input: { kind: 'contact', id: s.ana, eventId: edit!.eventId! },
        }),
      ).code,
    ).toBe('ALREADY_UNDONE');

    // Nothing erased: the log holds the edit and its compensation, which names what it undid.
    const lines = readFileSync(join(dir, 'streams', 'contact', s.ana, 'app.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const events = lines.map(
      (l) => JSON.parse(l) as { type: string; id: string; meta: Record<string, unknown> },
    );
    expect(events.map((e) => e.type)).toEqual(['ContactCreated', 'ContactUpdated', 'ContactUpdated']);
    expect(events[2]!.meta).toMatchObject({ undo_of: [edit!.eventId], causation_id: edit!.eventId });

    // Undo the undo: a redo.
    value(
      await b.execute({
        command: 'UndoChange',
        input: { kind: 'contact', id: s.ana, eventId: undo!.eventId! },
      }),
    );
    const [redo, undo2, original2] = await timeline(b, 'contact', s.ana);
    expect(redo).toMatchObject({ summary: 'Redid: Edited contact “Ana Lima”', lines: ['Title: CTO -> CEO'] });
    expect(undo2).toMatchObject({ undoneBy: redo!.eventId, undoable: false });
    expect(original2!.undoneBy).toBeUndefined();
    expect(original2!.undoable).toBe(true);
    const state = value<{ state: { fields: { title: string } } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: s.ana } }),
    );
    expect(state.state.fields.title).toBe('CEO');
    // After a redo, "undo" takes the change out again.
    expect(value<UndoTarget>(await b.query({ query: 'undo.last', params: {} })).eventId).toBe(redo!.eventId);
    value(await b.execute({ command: 'UndoLast', input: {} }));
    const again = value<{ state: { fields: { title: string } } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: s.ana } }),
    );
    expect(again.state.fields.title).toBe('CTO');
  });

  it('undoes a creation by moving the record to the trash, and redoes it by restoring it', async () => {
    const { b } = await backend();
    const s = await seed(b);
    const before = await readModels(b, s);
    const cy = (await run(b, 'CreateContact', { firstName: 'Cy', emails: ['cy@x.io'] })).id;
    const created = await readModels(b, s);
    const undo = value<UndoResult>(
      await b.execute({ command: 'UndoChange', input: { kind: 'contact', id: cy } }),
    );
    expect(undo.description).toBe('Created contact “Cy”');
    expect(await readModels(b, s)).toEqual(before);
    const [trashed] = await timeline(b, 'contact', cy);
    expect(trashed).toMatchObject({ type: 'ContactTrashed', summary: 'Undid: Created contact “Cy”' });
    value(
      await b.execute({
        command: 'UndoChange',
        input: { kind: 'contact', id: cy, eventId: trashed!.eventId! },
      }),
    );
    expect(await readModels(b, s)).toEqual(created);
    expect((await timeline(b, 'contact', cy))[0]).toMatchObject({
      type: 'ContactRestored',
      summary: 'Redid: Created contact “Cy”',
    });
  });

  it('runs quick successive UndoLasts one after the other: each takes back one more change', async () => {
    const { b } = await backend();
    const s = await seed(b);
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'CEO' } });
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'Founder' } });
    const results = await Promise.all([
      b.execute({ command: 'UndoLast', input: {} }),
      b.execute({ command: 'UndoLast', input: {} }),
    ]);
    const ids = results.map((r) => value<UndoResult>(r).eventId);
    expect(new Set(ids).size).toBe(2);
    const ana = value<{ state: { fields: { title: string } } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: s.ana } }),
    );
    expect(ana.state.fields.title).toBe('CTO');
  });

  it('undoes a merge on both contacts (UnmergeContacts) and marks both halves undone', async () => {
    const { b } = await backend();
    const s = await seed(b);
    await run(b, 'MergeContacts', { sourceId: s.bo, targetId: s.ana });
    const last = value<UndoTarget>(await b.query({ query: 'undo.last', params: {} }));
    expect(last).toMatchObject({
      kind: 'contact',
      id: s.bo,
      description: 'Merged contact “Bo” into “Ana Lima”',
    });
    value(await b.execute({ command: 'UndoLast', input: {} }));
    for (const id of [s.ana, s.bo]) {
      const items = await timeline(b, 'contact', id);
      const merges = items.filter((i) => i.type === 'ContactMergedFrom' || i.type === 'ContactMergedInto');
      expect(merges).toHaveLength(2);
      for (const m of merges) expect(m.undoneBy, id).toBeDefined();
      const undos = items.filter((i) => i.summary.startsWith('Undid: Merged'));
      expect(undos.map((u) => u.type).sort()).toEqual(['ContactUnmerged', 'ContactUnmergedFrom']);
    }
    // Redo from the timeline: merged again, preferring what the first merge took from the duplicate.
    const undo = (await timeline(b, 'contact', s.bo)).find((i) => i.type === 'ContactUnmerged')!;
    value(
      await b.execute({
        command: 'UndoChange',
        input: { kind: 'contact', id: s.bo, eventId: undo.eventId! },
      }),
    );
    const bo = value<{ state: { mergedInto: string | null } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: s.bo } }),
    );
    expect(bo.state.mergedInto).toBe(s.ana);
  });

  it('refuses to clobber a later change of the same field, unless the value is still what the change wrote', async () => {
    const { b } = await backend();
    const s = await seed(b);
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'CEO' } });
    const [first] = await timeline(b, 'contact', s.ana);
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'Founder', lastName: 'Lima-Souza' } });
    const refused = error(
      await b.execute({
        command: 'UndoChange',
        input: { kind: 'contact', id: s.ana, eventId: first!.eventId! },
      }),
    );
    expect(refused).toMatchObject({ kind: 'domain', code: 'UNDO_CONFLICT' });
    expect(refused.message).toBe(
      'The field “Title” was changed again later (by you); undo that change first.',
    );
    const title = async () =>
      value<{ state: { fields: { title: string; lastName: string } } }>(
        await b.query({ query: 'record.get', params: { kind: 'contact', id: s.ana } }),
      ).state.fields;
    expect((await title()).title).toBe('Founder');
    // Another field changed later is no conflict; and once the title is back to what the first change wrote, the
    // first change can be undone.
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'CEO' } });
    value(
      await b.execute({
        command: 'UndoChange',
        input: { kind: 'contact', id: s.ana, eventId: first!.eventId! },
      }),
    );
    expect(await title()).toMatchObject({ title: 'CTO', lastName: 'Lima-Souza' });

    // Lifecycle: an archive that was already taken back by hand has nothing left to undo.
    await run(b, 'ArchiveCompany', { id: s.acme });
    const [archived] = await timeline(b, 'company', s.acme);
    await run(b, 'UnarchiveCompany', { id: s.acme });
    expect(
      error(
        await b.execute({
          command: 'UndoChange',
          input: { kind: 'company', id: s.acme, eventId: archived!.eventId! },
        }),
      ).code,
    ).toBe('UNDO_CONFLICT');
    // Automations' changes and erasures are not undoable; an unknown event is not found.
    const [setup] = await timeline(b, 'pipeline', 'default');
    expect(setup!.undoable).toBe(false);
    expect(
      error(
        await b.execute({
          command: 'UndoChange',
          input: { kind: 'pipeline', id: 'default', eventId: setup!.eventId! },
        }),
      ).code,
    ).toBe('NOT_UNDOABLE');
    expect(
      error(
        await b.execute({ command: 'UndoChange', input: { kind: 'contact', id: s.ana, eventId: 'nope' } }),
      ).kind,
    ).toBe('not_found');
  });

  it('UndoLast walks back through the local user’s changes across records, skipping automations, across a restart', async () => {
    const { b, dir } = await backend();
    const s = await seed(b);
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'CEO' } });
    await run(b, 'MarkDealWon', { id: s.deal });
    await b.store.runProcessManagers(); // the follow-up task (system:crm-deal-follow-up) comes after the win
    await b.store.awaitProjections();
    await run(b, 'EditNote', { id: s.note, fields: { body: 'Loves jazz' } });
    await close(b);

    const { b: again } = await backend(dir);
    const last = async () => value<UndoTarget | null>(await again.query({ query: 'undo.last', params: {} }));
    expect(await last()).toMatchObject({ kind: 'note', id: s.note, description: 'Edited note “Loves jazz”' });
    expect(value<UndoResult>(await again.execute({ command: 'UndoLast', input: {} })).kind).toBe('note');
    expect(await last()).toMatchObject({ kind: 'deal', id: s.deal, description: 'Won deal “Acme renewal”' });
    expect(value<UndoResult>(await again.execute({ command: 'UndoLast', input: {} })).kind).toBe('deal');
    expect(await last()).toMatchObject({ kind: 'contact', id: s.ana });
    value(await again.execute({ command: 'UndoLast', input: {} }));
    const get = async (kind: string, id: string) =>
      value<{ state: Record<string, unknown> }>(
        await again.query({ query: 'record.get', params: { kind, id } }),
      ).state;
    expect(((await get('contact', s.ana)).fields as { title: string }).title).toBe('CTO');
    expect((await get('deal', s.deal)).status).toBe('open');
    expect(((await get('note', s.note)).fields as { body: string }).body).toBe('Likes jazz');
    // Then the seed itself, newest first (the activity logged last goes to the trash).
    expect(await last()).toMatchObject({ kind: 'activity', id: s.activity });
  });

  it('is idempotent by commandId, also after a restart', async () => {
    const { b, dir } = await backend();
    const s = await seed(b);
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'CEO' } });
    await run(b, 'UpdateContact', { id: s.ana, fields: { title: 'Founder' } });
    const first = value<UndoResult>(await b.execute({ command: 'UndoLast', input: {}, commandId: 'undo-1' }));
    const retry = value<UndoResult>(await b.execute({ command: 'UndoLast', input: {}, commandId: 'undo-1' }));
    expect(retry).toEqual({ ...first, duplicate: true });
    const title = async (x: OpenCrmBackend) =>
      value<{ state: { fields: { title: string } } }>(
        await x.query({ query: 'record.get', params: { kind: 'contact', id: s.ana } }),
      ).state.fields.title;
    expect(await title(b)).toBe('CEO');
    const change = value<UndoResult>(
      await b.execute({ command: 'UndoChange', input: { kind: 'contact', id: s.ana }, commandId: 'undo-2' }),
    );
    expect(await title(b)).toBe('CTO');
    await close(b);
    const { b: again } = await backend(dir);
    const retry2 = value<UndoResult>(
      await again.execute({
        command: 'UndoChange',
        input: { kind: 'contact', id: s.ana },
        commandId: 'undo-2',
      }),
    );
    expect(retry2).toEqual({ ...change, duplicate: true });
    expect(await title(again)).toBe('CTO');
    expect(
      (await timeline(again, 'contact', s.ana)).filter((i) => i.summary.startsWith('Undid')),
    ).toHaveLength(2);
  });
});
