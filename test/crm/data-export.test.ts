import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { EXPORTS_DIR, importAllData, type DataExportResult } from '../../core/crm/data-export.js';
import { DomainError } from '../../core/es/index.js';
import { tempDir } from '../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

async function crm(dir: string): Promise<OpenCrmBackend> {
  const b = await createCrmBackend(dir);
  open.push(b);
  return b;
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const NOW = '2026-03-15T09:00:00Z';

/** Every read model query the UI makes, answered by `b`. */
async function readModels(b: OpenCrmBackend, records: { kind: string; id: string }[]): Promise<unknown[]> {
  const queries: [string, Record<string, unknown>][] = [
    ['contact.list', {}],
    ['contact.list', { q: 'mü', sort: 'name' }],
    ['contact.list', { trash: 'include', archived: 'include', limit: 1000 }],
    ['company.list', { limit: 1000 }],
    ['deal.board', { pipelineId: 'default' }],
    ['pipeline.list', {}],
    ['task.list', { now: NOW }],
    ['dashboard', {}],
    ['tag.list', {}],
    ['search', { q: 'ł' }],
    ['search', { q: 'xav' }],
    ['search', { q: 'a', limit: 200 }],
    ...records.map((r): [string, Record<string, unknown>] => [
      'timeline',
      { kind: r.kind, id: r.id, limit: 500 },
    ]),
  ];
  const out: unknown[] = [];
  for (const [query, params] of queries) out.push(value<unknown>(await b.query({ query, params })));
  return out;
}

/** Files under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => readFileSync(p).includes(needle));
}

async function seed(b: OpenCrmBackend): Promise<{ kind: string; id: string }[]> {
  value(await b.execute({ command: 'LoadDemoData', input: {} }));
  const x = value(
    await b.execute({
      command: 'CreateContact',
      input: {
        firstName: 'Xaviera',
        lastName: 'Quintanilla',
        emails: ['xaviera.q@private.example'],
        force: true,
      },
    }),
  );
  value(
    await b.execute({
      command: 'CreateNote',
      input: { body: 'Xaviera likes jazz', link: { kind: 'contact', id: x.id } },
    }),
  );
  value(
    await b.execute({
      command: 'UpdateContact',
      input: { id: 'demo4-contact-1', fields: { title: 'Chief Ölfactory Officer' } },
    }),
  );
  value(await b.execute({ command: 'TrashContact', input: { id: 'demo4-contact-2' } }));
  return [
    { kind: 'contact', id: x.id },
    { kind: 'contact', id: 'demo4-contact-1' },
    { kind: 'contact', id: 'demo4-contact-2' },
    { kind: 'company', id: 'demo4-company-0' },
    { kind: 'deal', id: 'demo4-deal-0-1' },
  ];
}

describe('ExportAllData and importAllData', () => {
  it('exports the open store to exports/, and the re-import into an empty folder answers every query the same', async () => {
    const dir = tempDir('crm-export-');
    const b = await crm(dir);
    const records = await seed(b);
    const ex = value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    expect(ex.path.startsWith(join(dir, EXPORTS_DIR, 'eventfold-export-'))).toBe(true);
    expect(ex.path.endsWith('.jsonl')).toBe(true);
    expect(ex.events).toBeGreaterThan(100);
    expect(ex.streams).toBeGreaterThan(50);
    expect(ex.bytes).toBe(readFileSync(ex.path).length);
    const before = await readModels(b, records);
    // A second export gets its own file, even within the same millisecond.
    const ex2 = value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    expect(ex2.path).not.toBe(ex.path);

    const into = join(tempDir('crm-import-'), 'restored');
    const imported = await importAllData(ex.path, into);
    expect(imported).toMatchObject({ events: ex.events, streams: ex.streams });
    const restored = await crm(into);
    expect(await readModels(restored, records)).toEqual(before);
  });

  it('takes a consistent cut while commands keep coming: the export re-imports and opens cleanly', async () => {
    const dir = tempDir('crm-export-');
    const b = await crm(dir);
    const writes = Array.from({ length: 40 }, (_, i) =>
      b.execute({
        command: 'CreateContact',
        input: { firstName: `Ève ${i}`, emails: [`eve${i}@x.example`] },
      }),
    );
    const ex = value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    await Promise.all(writes);
    const into = join(tempDir('crm-import-'), 'restored');
    await importAllData(ex.path, into);
    const restored = await crm(into);
    const total = value<{ total: number }>(await restored.query({ query: 'contact.list', params: {} })).total;
    // Each contact is one event in its own stream (plus the default pipeline's stream).
    expect(total).toBe(ex.streams - 1);
  });

  it('refuses a folder that is not empty, and a truncated export, with typed errors', async () => {
    const dir = tempDir('crm-export-');
    const b = await crm(dir);
    value(await b.execute({ command: 'CreateContact', input: { firstName: 'Ana' } }));
    const ex = value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    const full = tempDir('crm-import-');
    writeFileSync(join(full, 'mine.txt'), 'keep me');
    const notEmpty = await importAllData(ex.path, full).catch((e: unknown) => e);
    expect(notEmpty).toBeInstanceOf(DomainError);
    expect(notEmpty).toMatchObject({ code: 'NOT_EMPTY' });
    expect((notEmpty as Error).message).toMatch(/new folder/);
    expect(readdirSync(full)).toEqual(['mine.txt']);

    const cut = join(tempDir('crm-cut-'), 'cut.jsonl');
    const lines = readFileSync(ex.path, 'utf8').trimEnd().split('\n');
    writeFileSync(cut, `${lines.slice(0, -1).join('\n')}\n`);
    const into = join(tempDir('crm-import-'), 'restored');
    await expect(importAllData(cut, into)).rejects.toMatchObject({ code: 'BAD_EXPORT' });
    expect(readdirSync(join(into, '..'))).toEqual([]);
  });

  it('ForgetContact erases the contact from every export written before; they still re-import', async () => {
    const dir = tempDir('crm-export-');
    const b = await crm(dir);
    const records = await seed(b);
    const x = records[0]!.id;
    value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    const ex = value<DataExportResult>(await b.execute({ command: 'ExportAllData', input: {} }));
    const exports = join(dir, EXPORTS_DIR);
    expect(filesContaining(exports, 'Xaviera')).toHaveLength(2);
    value<unknown>(await b.execute({ command: 'ForgetContact', input: { id: x } }));
    for (const needle of ['Xaviera', 'Quintanilla', 'xaviera.q@private.example', 'likes jazz'])
      expect(filesContaining(exports, needle), needle).toEqual([]);
    expect(readdirSync(exports).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const before = await readModels(b, records.slice(1));
    const into = join(tempDir('crm-import-'), 'restored');
    await importAllData(ex.path, into);
    const restored = await crm(into);
    expect(await readModels(restored, records.slice(1))).toEqual(before);
    const tomb = value<{ state: { forgotten?: boolean } }>(
      await restored.query({ query: 'record.get', params: { kind: 'contact', id: x } }),
    );
    expect(tomb.state.forgotten).toBe(true);
  });
});
