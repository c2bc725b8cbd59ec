import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult, ChangeNotification } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { EventfoldStoreLockedError } from '../../core/es/index.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function crm(dir?: string): Promise<{ crm: OpenCrmBackend; dir: string }> {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'crm-'));
  if (!dir) dirs.push(d);
  const b = await createCrmBackend(d, { version: '1.2.3' });
  open.push(b);
  return { crm: b, dir: d };
}

function value<T = Record<string, unknown>>(r: BackendResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function error(r: BackendResult): { kind: string; code: string; details?: unknown } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

describe('createCrmBackend', () => {
  it('creates contacts, finds them by diacritics-insensitive prefix search, and refuses a duplicate e-mail with the existing id', async () => {
    const { crm: b } = await crm();
    const ana = value<{ id: string }>(
      await b.execute({
        command: 'CreateContact',
        input: { firstName: 'Zoë', lastName: 'Łukasiewicz', emails: ['zoe@example.com'] },
      }),
    );
    const list = value<{ total: number; rows: { id: string; displayName: string }[] }>(
      await b.query({ query: 'contact.list', params: { q: 'zoe luk' } }),
    );
    expect(list.total).toBe(1);
    expect(list.rows[0]!.id).toBe(ana.id);
    const dup = error(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Z', emails: ['ZOE@example.com'] } }),
    );
    expect(dup.kind).toBe('domain');
    expect(dup.code).toBe('DUPLICATE_EMAIL');
    expect(JSON.stringify(dup.details)).toContain(ana.id);
    value(
      await b.execute({
        command: 'CreateContact',
        input: { firstName: 'Z', emails: ['zoe@example.com'], force: true },
      }),
    );
    expect(value<{ total: number }>(await b.query({ query: 'contact.list', params: {} })).total).toBe(2);
  });

  it('validates input with the contract: unknown names, malformed payloads, backend-only fields, bad ids', async () => {
    const { crm: b } = await crm();
    expect(error(await b.execute({ command: 'DropDatabase', input: {} })).code).toBe('UNKNOWN_COMMAND');
    expect(error(await b.query({ query: 'nope', params: {} })).code).toBe('UNKNOWN_QUERY');
    expect(error(await b.execute({ command: 'CreateContact', input: { firstName: 42 } })).kind).toBe(
      'validation',
    );
    expect(error(await b.execute({ command: 'CreateContact', input: null })).kind).toBe('validation');
    const dupField = await b.execute({
      command: 'CreateContact',
      input: { firstName: 'A', duplicateOf: null },
    });
    expect(error(dupField).kind).toBe('validation');
    expect(error(await b.execute({ command: 'ArchiveContact', input: { id: '../../etc' } })).kind).toBe(
      'validation',
    );
    expect(error(await b.execute({ command: 'ArchiveContact', input: { id: 'missing' } })).kind).toBe(
      'not_found',
    );
    expect(error(await b.query({ query: 'contact.list', params: { limit: 'all' } })).kind).toBe('validation');
    expect(value<{ total: number }>(await b.query({ query: 'contact.list', params: {} })).total).toBe(0);
  });

  it('edits field by field with optimistic concurrency, and record.get returns state and version', async () => {
    const { crm: b } = await crm();
    const { id } = value<{ id: string }>(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Ana', title: 'CTO' } }),
    );
    const got = value<{ version: number; state: { fields: { title: string } } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id } }),
    );
    expect(got.version).toBe(1);
    value(
      await b.execute({
        command: 'UpdateContact',
        input: { id, fields: { title: 'CEO' } },
        expectedVersion: 1,
      }),
    );
    const stale = error(
      await b.execute({
        command: 'UpdateContact',
        input: { id, fields: { title: 'COO' } },
        expectedVersion: 1,
      }),
    );
    expect(stale.kind).toBe('conflict');
    const now = value<{ state: { fields: { title: string } } }>(
      await b.query({ query: 'record.get', params: { kind: 'contact', id } }),
    );
    expect(now.state.fields.title).toBe('CEO');
    expect(
      error(await b.query({ query: 'record.get', params: { kind: 'contact', id: 'nobody' } })).kind,
    ).toBe('not_found');
  });

  it('re-sending a command id changes nothing (exactly once), also after a restart', async () => {
    const { crm: b, dir } = await crm();
    const first = value<{ id: string; duplicate: boolean }>(
      await b.execute({
        command: 'CreateCompany',
        input: { id: 'acme', name: 'Acme' },
        commandId: 'import:row-1',
      }),
    );
    expect(first.duplicate).toBe(false);
    await b.close();
    open.splice(0);
    const { crm: again } = await crm(dir);
    const second = value<{ duplicate: boolean }>(
      await again.execute({
        command: 'CreateCompany',
        input: { id: 'acme', name: 'Acme' },
        commandId: 'import:row-1',
      }),
    );
    expect(second.duplicate).toBe(true);
    expect(value<{ total: number }>(await again.query({ query: 'company.list', params: {} })).total).toBe(1);
  });

  it('links must exist; deals go on the default pipeline board with sums per currency', async () => {
    const { crm: b } = await crm();
    const bad = error(
      await b.execute({ command: 'CreateContact', input: { firstName: 'A', companyId: 'ghost' } }),
    );
    expect(bad.code).toBe('LINKED_RECORD_NOT_FOUND');
    value(await b.execute({ command: 'CreateCompany', input: { id: 'acme', name: 'Acme' } }));
    const deal = value<{ id: string }>(
      await b.execute({
        command: 'CreateDeal',
        input: {
          title: 'Big one',
          amount: { minor: 150000, currency: 'EUR' },
          pipelineId: 'default',
          stageId: 'lead',
          companyId: 'acme',
        },
      }),
    );
    expect(
      error(await b.execute({ command: 'MoveDealStage', input: { id: deal.id, stageId: 'nowhere' } })).code,
    ).toBe('UNKNOWN_STAGE');
    value(await b.execute({ command: 'MoveDealStage', input: { id: deal.id, stageId: 'proposal' } }));
    const board = value<{ columns: { stageId: string; count: number }[] }>(
      await b.query({ query: 'deal.board', params: { pipelineId: 'default' } }),
    );
    expect(board.columns.find((c) => c.stageId === 'proposal')!.count).toBe(1);
    expect(board.columns.find((c) => c.stageId === 'lead')!.count).toBe(0);
    expect(JSON.stringify(board)).toContain('150000');
  });

  it('merges two contacts and reverts the merge', async () => {
    const { crm: b } = await crm();
    const keep = value<{ id: string }>(
      await b.execute({ command: 'CreateContact', input: { firstName: 'Ana', emails: ['ana@a.com'] } }),
    );
    const dup = value<{ id: string }>(
      await b.execute({
        command: 'CreateContact',
        input: { firstName: 'Ana B', emails: ['ana@b.com'], phones: ['+1 555 0100'] },
      }),
    );
    value(await b.execute({ command: 'MergeContacts', input: { sourceId: dup.id, targetId: keep.id } }));
    const list = value<{ total: number; rows: { id: string; emails: string[]; phones: string[] }[] }>(
      await b.query({ query: 'contact.list', params: {} }),
    );
    expect(list.total).toBe(1);
    expect(list.rows[0]!.emails).toEqual(['ana@a.com', 'ana@b.com']);
    value(await b.execute({ command: 'UnmergeContacts', input: { sourceId: dup.id } }));
    const after = value<{ total: number; rows: { id: string; emails: string[] }[] }>(
      await b.query({ query: 'contact.list', params: { sort: 'createdAt', dir: 'asc' } }),
    );
    expect(after.total).toBe(2);
    expect(after.rows.find((r) => r.id === keep.id)!.emails).toEqual(['ana@a.com']);
  });

  it('pushes which read models changed once they caught up, and answers as of a past date', async () => {
    let now = new Date('2026-05-01T09:00:00Z');
    const dir = mkdtempSync(join(tmpdir(), 'crm-'));
    dirs.push(dir);
    const b = await createCrmBackend(dir, { store: { clock: () => now } });
    open.push(b);
    const pushes: ChangeNotification[] = [];
    const seen: number[] = [];
    b.subscribe((n) => {
      pushes.push(n);
      void b
        .query({ query: 'contact.list', params: {} })
        .then((r) => seen.push(value<{ total: number }>(r).total));
    });
    value(await b.execute({ command: 'CreateContact', input: { firstName: 'Early' } }));
    now = new Date('2026-05-03T09:00:00Z');
    value(await b.execute({ command: 'CreateContact', input: { firstName: 'Late' } }));
    await new Promise((r) => setTimeout(r, 50));
    expect(pushes.at(-1)!.changed).toContain('contact.list');
    expect(seen.at(-1)).toBe(2);
    const past = value<{ total: number; rows: { firstName: string }[] }>(
      await b.query({ query: 'contact.list', params: { asOf: '2026-05-02T00:00:00Z' } }),
    );
    expect(past.rows.map((r) => r.firstName)).toEqual(['Early']);
    const info = value<{ version: string }>(await b.query({ query: 'app.info', params: {} }));
    expect(info.version).toBe('0.0.0');
  });

  it('a second backend on the same folder is refused with a clear error', async () => {
    const { dir } = await crm();
    await expect(createCrmBackend(dir)).rejects.toBeInstanceOf(EventfoldStoreLockedError);
  });
});

describe('core/crm/index.ts', () => {
  it('its quick start runs as written', async () => {
    const { spawnSync } = await import('node:child_process');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { createRequire } = await import('node:module');
    const { fileURLToPath, pathToFileURL } = await import('node:url');
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const text = readFileSync(join(root, 'core', 'crm', 'index.ts'), 'utf8');
    const code = /## Quick start\n \* ```ts\n([\s\S]*?) \* ```/.exec(text)![1]!.replace(/^ \* ?/gm, '');
    const cwd = mkdtempSync(join(tmpdir(), 'crm-quick-'));
    dirs.push(cwd);
    writeFileSync(
      join(cwd, 'quick.mts'),
      code.replace("'./core/crm/index.js'", JSON.stringify(join(root, 'core', 'crm', 'index.js'))),
    );
    const r = spawnSync(process.execPath, ['--import', tsx, join(cwd, 'quick.mts')], {
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true 1');
  });
});

describe('analytics queries', () => {
  it('answer from the history: stage conversion and time in stages of the default pipeline', async () => {
    const { crm: b } = await crm();
    const deal = value<{ id: string }>(
      await b.execute({
        command: 'CreateDeal',
        input: { title: 'X', pipelineId: 'default', stageId: 'lead' },
      }),
    );
    value(await b.execute({ command: 'MoveDealStage', input: { id: deal.id, stageId: 'qualified' } }));
    const conversion = value<unknown[]>(
      await b.query({ query: 'analytics.conversion', params: { pipelineId: 'default' } }),
    );
    expect(conversion.length).toBeGreaterThan(0);
    const time = await b.query({
      query: 'analytics.timeInStages',
      params: { pipelineId: 'default', now: new Date().toISOString() },
    });
    expect(time.ok).toBe(true);
    expect(
      error(await b.query({ query: 'analytics.stale', params: { now: 'yesterday', days: 3 } })).kind,
    ).toBe('validation');
  });
});
