import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { importAllData, type DataExportResult } from '../../core/crm/data-export.js';
import {
  FORGET_PENDING_FILE,
  planForget,
  savePendingForget,
  type ForgetResult,
} from '../../core/crm/forget.js';
import { readArchiveFrames } from '../../core/log/archive.js';
import { EventWriter } from '../../core/log/writer.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Snapshots after every other event, so that they are in the data folder too. */
async function crm(dir: string): Promise<OpenCrmBackend> {
  const b = await createCrmBackend(dir, { store: { snapshotEvery: 2, snapshotMinEvents: 0 } });
  open.push(b);
  return b;
}

async function closeAll(): Promise<void> {
  for (const b of open.splice(0)) await b.close();
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function failure(r: BackendResult): { kind: string; code: string; message: string; details?: unknown } {
  if (r.ok) throw new Error('expected an error');
  return r.error as { kind: string; code: string; message: string; details?: unknown };
}

/**
 * Every file under `dir` whose bytes contain `needle` (like `grep -rl`: logs, snapshots, checkpoints, meta/,
 * exports), zstd archives (`*.zst`) decompressed first.
 */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...(await filesContaining(path, needle)));
    else if (readFileSync(path).includes(needle)) out.push(path);
    else if (name.endsWith('.zst')) {
      for await (const frame of readArchiveFrames(path)) {
        if (frame.includes(needle)) {
          out.push(path);
          break;
        }
      }
    }
  }
  return out;
}

/** Moves the active log of every contact stream into its zstd archive (the backend must be closed). */
async function rotateContacts(dir: string): Promise<void> {
  const root = join(dir, 'streams', 'contact');
  for (const id of readdirSync(root)) {
    const w = await EventWriter.open(join(root, id));
    await w.rotate();
    await w.close();
  }
}

function allFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path, suffix) : name.endsWith(suffix) ? [path] : [];
  });
}

function streamTypes(dir: string, id: string): string[] {
  return readFileSync(join(dir, 'streams', 'contact', id, 'app.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { type: string }).type);
}

interface Person {
  first: string;
  last: string;
  email: string;
  phone: string;
  title: string;
  note: string;
  activity: string;
  task: string;
}

function person(tag: string): Person {
  return {
    first: `Firstname${tag}`,
    last: `Lastname${tag}`,
    email: `mail.${tag.toLowerCase()}@private.example`,
    phone: `+49 30 555 ${tag.length}${tag.charCodeAt(0)}`,
    title: `Title${tag}`,
    note: `note about ${tag} marmalade`,
    activity: `called ${tag} about the offer`,
    task: `send ${tag} the contract`,
  };
}

function needles(p: Person, withTitle = true): string[] {
  return [p.first, p.last, p.email, p.phone, ...(withTitle ? [p.title] : []), p.note, p.activity, p.task];
}

async function create(b: OpenCrmBackend, p: Person, withTitle = true): Promise<string> {
  return value(
    await b.execute({
      command: 'CreateContact',
      input: {
        firstName: p.first,
        lastName: p.last,
        emails: [p.email],
        phones: [p.phone],
        ...(withTitle ? { title: p.title } : {}),
      },
    }),
  ).id;
}

/** A note, an activity and a task linked to contact `id`. */
async function addRecords(b: OpenCrmBackend, id: string, p: Person): Promise<void> {
  const link = { kind: 'contact', id };
  value(await b.execute({ command: 'CreateNote', input: { body: p.note, link } }));
  value(
    await b.execute({
      command: 'LogActivity',
      input: { kind: 'call', occurredAt: '2026-04-01T10:00:00Z', summary: p.activity, link },
    }),
  );
  value(await b.execute({ command: 'CreateTask', input: { title: p.task, link } }));
}

describe('ForgetContact and merged contacts', () => {
  it('forgetting the kept contact erases every contact merged into it, their records and every copy', async () => {
    const dir = tempDir('crm-forget-merge-');
    let b = await crm(dir);
    const [pa, pb, pc, other] = [
      person('Alvarez'),
      person('Brightwater'),
      person('Cuthbertson'),
      person('Keep'),
    ];
    const a = await create(b, pa, false);
    const bb = await create(b, pb);
    const c = await create(b, pc);
    const kept = await create(b, other);
    await addRecords(b, bb, pb);
    await addRecords(b, c, pc);
    await addRecords(b, kept, other);
    // C is a duplicate of B, B one of A: B's fields (and C's, through B) are copied into A's log.
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: c, targetId: bb } }));
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: bb, targetId: a } }));
    await addRecords(b, a, pa);
    const deal = value(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'Deal', pipelineId: 'default', stageId: 'lead', contactIds: [a, kept] },
      }),
    );
    value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    await b.store.flush();
    const aLog = (await b.store.readEvents('contact', a)).map((e) => JSON.stringify(e)).join('\n');
    for (const n of [pb.email, pb.phone, pb.title, pc.email, pc.phone]) expect(aLog, n).toContain(n);
    await closeAll();
    await rotateContacts(dir);
    expect(allFiles(dir, '.zst').length).toBeGreaterThan(3);
    for (const n of [...needles(pa, false), ...needles(pb), ...needles(pc)])
      expect((await filesContaining(dir, n)).length, n).toBeGreaterThan(0);

    b = await crm(dir);
    const result = value<ForgetResult>(await b.execute({ command: 'ForgetContact', input: { id: a } }));
    expect(result.erased).toEqual(expect.arrayContaining([`contact/${bb}`, `contact/${c}`]));
    expect(result.erased).toHaveLength(2 + 9);
    expect(result.rewritten).toEqual([]);
    for (const id of [a, bb, c]) {
      const got = value<{ state: { forgotten: boolean } }>(
        await b.query({ query: 'record.get', params: { kind: 'contact', id } }),
      );
      expect(got.state.forgotten).toBe(true);
    }
    const dealNow = value<{ state: { fields: { contactIds: string[] } } }>(
      await b.query({ query: 'record.get', params: { kind: 'deal', id: deal.id } }),
    );
    expect(dealNow.state.fields.contactIds).toEqual([kept]);
    await closeAll();

    for (const n of [...needles(pa), ...needles(pb), ...needles(pc)])
      expect(await filesContaining(dir, n), n).toEqual([]);
    expect(() => execFileSync('grep', ['-rl', pb.email, dir])).toThrow();
    for (const id of [a, bb, c]) {
      expect(streamTypes(dir, id)).toEqual(['ContactForgotten']);
      expect(existsSync(join(dir, 'streams', 'contact', id, 'archive.jsonl.zst'))).toBe(false);
    }
    // The other person is untouched.
    for (const n of needles(other)) expect((await filesContaining(dir, n)).length, n).toBeGreaterThan(0);

    b = await crm(dir);
    const list = value<{ total: number }>(await b.query({ query: 'contact.list', params: {} }));
    expect(list.total).toBe(1);
  });

  it('refuses to forget a duplicate still merged into another contact, and says to forget that one', async () => {
    const dir = tempDir('crm-forget-merge-');
    const b = await crm(dir);
    const [pa, pb] = [person('Abernathy'), person('Bolingbroke')];
    const a = await create(b, pa);
    const bb = await create(b, pb);
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: bb, targetId: a } }));

    const err = failure(await b.execute({ command: 'ForgetContact', input: { id: bb } }));
    expect(err).toMatchObject({
      kind: 'domain',
      code: 'FORGET_MERGED_CONTACT',
      details: { id: bb, targetId: a },
    });
    expect(err.message).toContain(`Forget contact ${a} instead`);
    expect(err.message).toContain('unmerge them first');
    // Nothing was erased: the user decides.
    const got = value<{ state: { forgotten: boolean; mergedInto: string } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: bb } }),
    );
    expect(got.state).toMatchObject({ forgotten: false, mergedInto: a });

    // What the message says works: forgetting the kept contact erases both.
    const result = value<ForgetResult>(await b.execute({ command: 'ForgetContact', input: { id: a } }));
    expect(result.erased).toEqual([`contact/${bb}`]);
    await closeAll();
    for (const n of [pa.first, pa.email, pb.first, pb.last, pb.email, pb.phone, pb.title])
      expect(await filesContaining(dir, n), n).toEqual([]);
  });

  it("forgetting a contact unmerged since takes its data out of the other contact's history", async () => {
    const dir = tempDir('crm-forget-merge-');
    let b = await crm(dir);
    const [pa, pb] = [person('Ashcombe'), person('Blennerhassett')];
    const a = await create(b, pa, false);
    const bb = await create(b, pb);
    await addRecords(b, bb, pb);
    // A note written on B and moved to another contact by hand is that contact's: it stays.
    const k = await create(b, person('Kestrel'));
    const moved = value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'moved note', link: { kind: 'contact', id: bb } },
      }),
    );
    value(
      await b.execute({
        command: 'EditNote',
        input: { id: moved.id, fields: { link: { kind: 'contact', id: k } } },
      }),
    );
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: bb, targetId: a } }));
    // Edited after the merge: the unmerge keeps the e-mail list, with B's address in it.
    value(
      await b.execute({
        command: 'UpdateContact',
        input: { id: a, fields: { emails: [pa.email, pb.email, 'ashcombe.second@own.example'] } },
      }),
    );
    value(await b.execute({ command: 'UnmergeContacts', input: { sourceId: bb } }));
    await addRecords(b, a, pa);
    value(await b.execute({ command: 'UpdateContact', input: { id: a, fields: { title: 'Own title' } } }));
    const ex = value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    const before = await b.store.readEvents('contact', a);
    await closeAll();
    await rotateContacts(dir);

    b = await crm(dir);
    const result = value<ForgetResult>(await b.execute({ command: 'ForgetContact', input: { id: bb } }));
    expect(result.rewritten).toEqual([`contact/${a}`]);
    // B's note, activity and task were moved to A by the merge and left there by the unmerge: B's, so erased.
    expect(result.erased).toHaveLength(3);
    const aNow = value<{ state: { fields: { emails: string[]; phones: string[]; title: string | null } } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id: a } }),
    );
    expect(aNow.state.fields).toMatchObject({
      firstName: pa.first,
      lastName: pa.last,
      emails: [pa.email, 'ashcombe.second@own.example'],
      phones: [pa.phone],
      title: 'Own title',
    });
    const after = await b.store.readEvents('contact', a);
    // The same events, minus the merge and the unmerge (ids kept).
    expect(after.map((e) => e.id)).toEqual(
      before.filter((e) => !['ContactMergedFrom', 'ContactUnmergedFrom'].includes(e.type)).map((e) => e.id),
    );
    // A is still usable, and its own notes are still there.
    value(await b.execute({ command: 'UpdateContact', input: { id: a, fields: { title: 'Newer title' } } }));
    const search = value<{ total: number }>(await b.query({ query: 'search', params: { q: 'Ashcombe' } }));
    expect(search.total).toBeGreaterThan(0);
    await closeAll();

    for (const n of needles(pb)) expect(await filesContaining(dir, n), n).toEqual([]);
    for (const n of [...needles(pa, false), 'ashcombe.second@own.example', 'moved note', 'FirstnameKestrel'])
      expect((await filesContaining(dir, n)).length, n).toBeGreaterThan(0);
    expect(streamTypes(dir, bb)).toEqual(['ContactForgotten']);

    // The export written before still re-imports, with A as it is now (less the last edit) and B forgotten.
    const into = join(tempDir('crm-import-'), 'restored');
    await importAllData(ex.path, into);
    const restored = await crm(into);
    const got = value<{ state: { fields: { emails: string[]; title: string | null } } }>(
      await restored.query({ query: 'record.get', params: { kind: 'contact', id: a } }),
    );
    expect(got.state.fields.emails).toEqual([pa.email, 'ashcombe.second@own.example']);
    expect(got.state.fields.title).toBe('Own title');
    const tomb = value<{ state: { forgotten: boolean } }>(
      await restored.query({ query: 'record.get', params: { kind: 'contact', id: bb } }),
    );
    expect(tomb.state.forgotten).toBe(true);
  });
  it('also scrubs a contact that absorbed the other one later, which stays mergeable and unmergeable', async () => {
    const dir = tempDir('crm-forget-merge-');
    let b = await crm(dir);
    const [pa, pb, pz] = [person('Applegarth'), person('Brackenbury'), person('Zouch')];
    const a = await create(b, pa, false);
    const bb = await create(b, pb);
    const z = await create(b, pz);
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: bb, targetId: a } }));
    value(
      await b.execute({
        command: 'UpdateContact',
        input: { id: a, fields: { phones: [pa.phone, pb.phone, '+1 555 0100'] } },
      }),
    );
    value(await b.execute({ command: 'UnmergeContacts', input: { sourceId: bb } }));
    // A still has B's phone (kept by the unmerge) when it is merged into Z: Z's log gets a copy.
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: a, targetId: z } }));
    const zLog = JSON.stringify(await b.store.readEvents('contact', z));
    expect(zLog).toContain(pb.phone);

    const result = value<ForgetResult>(await b.execute({ command: 'ForgetContact', input: { id: bb } }));
    expect(result.rewritten.sort()).toEqual([`contact/${a}`, `contact/${z}`].sort());
    const phones = async (id: string): Promise<string[]> =>
      value<{ state: { fields: { phones: string[] } } }>(
        await b.query({ query: 'record.get', params: { kind: 'contact', id } }),
      ).state.fields.phones;
    expect(await phones(z)).toEqual([pz.phone, pa.phone, '+1 555 0100']);
    value(await b.execute({ command: 'UnmergeContacts', input: { sourceId: a } }));
    expect(await phones(z)).toEqual([pz.phone]);
    expect(await phones(a)).toEqual([pa.phone, '+1 555 0100']);
    await closeAll();

    for (const n of [pb.first, pb.last, pb.email, pb.phone, pb.title])
      expect(await filesContaining(dir, n), n).toEqual([]);
    for (const n of [pa.first, pa.email, pz.first, pz.email])
      expect((await filesContaining(dir, n)).length, n).toBeGreaterThan(0);
    b = await crm(dir);
    expect(await phones(a)).toEqual([pa.phone, '+1 555 0100']);
  });
  it('finishes a forget cut short by a crash when the data folder is opened again', async () => {
    const dir = tempDir('crm-forget-merge-');
    let b = await crm(dir);
    const [pa, pb] = [person('Ambleside'), person('Bramwell')];
    const a = await create(b, pa, false);
    const bb = await create(b, pb);
    await addRecords(b, bb, pb);
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: bb, targetId: a } }));
    value(await b.execute({ command: 'UnmergeContacts', input: { sourceId: bb } }));
    value(await b.execute({ command: 'UpdateContact', input: { id: a, fields: { title: 'Own title' } } }));
    // ForgetContact saved its plan and had deleted A's log to write it again when the power went.
    const plan = await planForget(b.store, bb);
    expect(plan?.rewrites.map((r) => r.id)).toEqual([a]);
    savePendingForget(dir, { ...plan!, actor: 'user:local' });
    await b.store.destroyStream('contact', a);
    await closeAll();
    expect(existsSync(join(dir, FORGET_PENDING_FILE))).toBe(true);

    b = await crm(dir);
    expect(existsSync(join(dir, FORGET_PENDING_FILE))).toBe(false);
    const got = async (id: string): Promise<{ forgotten: boolean; fields: Record<string, unknown> }> =>
      value<{ state: { forgotten: boolean; fields: Record<string, unknown> } }>(
        await b.query({ query: 'record.get', params: { kind: 'contact', id } }),
      ).state;
    expect((await got(bb)).forgotten).toBe(true);
    expect((await got(a)).fields).toMatchObject({
      firstName: pa.first,
      emails: [pa.email],
      phones: [pa.phone],
      title: 'Own title',
    });
    // Asking again changes nothing.
    expect(value<ForgetResult>(await b.execute({ command: 'ForgetContact', input: { id: bb } }))).toEqual({
      id: bb,
      erased: [],
      rewritten: [],
    });
    await closeAll();
    for (const n of needles(pb)) expect(await filesContaining(dir, n), n).toEqual([]);
    expect((await filesContaining(dir, pa.email)).length).toBeGreaterThan(0);
  });
});
