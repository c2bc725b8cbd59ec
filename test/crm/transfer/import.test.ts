import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../../core/crm/crm-backend.js';
import { DEFAULT_PIPELINE_ID } from '../../../core/crm/domain/index.js';
import {
  chunkRows,
  parseCsv,
  parseVCards,
  vcardRows,
  writeVCards,
  type ExportPage,
  type ImportChunkResult,
  type ImportPreview,
  type ImportSummary,
  type RevertResult,
  type VCard,
} from '../../../core/crm/transfer/index.js';
import { tempDir } from '../../es/fixtures.js';

const open: OpenCrmBackend[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

async function crm(): Promise<OpenCrmBackend> {
  const b = await createCrmBackend(tempDir('crm-transfer-'));
  open.push(b);
  return b;
}

function value<T>(r: BackendResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const fixture = parseCsv(readFileSync(new URL('./fixtures/contacts.csv', import.meta.url), 'utf8')).rows;
const headers = fixture[0]!;
const data = fixture.slice(1);

type Row = Record<string, unknown>;
/** A list without `updatedAt` (a revert is a change too: only what the rows say must be back). */
async function list(b: OpenCrmBackend, query: string): Promise<{ total: number; rows: Row[] }> {
  const page = value<{ total: number; rows: Row[] }>(await b.query({ query, params: { limit: 1000 } }));
  return { total: page.total, rows: page.rows.map(({ updatedAt: _u, ...rest }) => rest) };
}

/** Imports rows in chunks of 20 (as a caller would, under the request limit) and sums the results. */
async function importAll(
  b: OpenCrmBackend,
  importId: string,
  rows: string[][],
  onDuplicate: 'skip' | 'update' | 'create',
  kind: 'contact' | 'company' = 'contact',
  cols: string[] = headers,
) {
  const mapping = value<ImportPreview>(
    await b.query({ query: 'import.preview', params: { kind, headers: cols, rows: rows.slice(0, 500) } }),
  ).mapping;
  const total = { created: 0, updated: 0, skipped: 0, failed: [] as { row: number; message: string }[] };
  let firstRow = 0;
  for (const chunk of chunkRows(rows, { maxRows: 20 })) {
    const r = value<ImportChunkResult>(
      await b.execute({
        command: 'ImportRows',
        input: { importId, kind, headers: cols, mapping, rows: chunk, firstRow, onDuplicate },
      }),
    );
    total.created += r.created;
    total.updated += r.updated;
    total.skipped += r.skipped;
    total.failed.push(...r.failed);
    firstRow += chunk.length;
  }
  return total;
}

async function seed(b: OpenCrmBackend): Promise<{ existingId: string }> {
  value(await b.execute({ command: 'CreateCompany', input: { id: 'initech', name: 'Initech' } }));
  value(
    await b.execute({
      command: 'CreateContact',
      input: {
        id: 'existing',
        firstName: 'Existing',
        lastName: 'Person',
        emails: ['existing@example.com'],
        title: 'Old title',
      },
    }),
  );
  value(
    await b.execute({ command: 'CreateContact', input: { id: 'other', firstName: 'Other', tags: ['keep'] } }),
  );
  return { existingId: 'existing' };
}

describe('import.preview', () => {
  it('guesses the mapping and reports invalid rows, duplicates of existing records and of earlier rows', async () => {
    const b = await crm();
    await seed(b);
    const p = value<ImportPreview>(
      await b.query({ query: 'import.preview', params: { kind: 'contact', headers, rows: data } }),
    );
    expect(p.mapping).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'title',
      'companyName',
      'tags',
      'notes',
    ]);
    expect(p.counts).toEqual({ rows: 51, new: 44, duplicate: 3, invalid: 4, blank: 0 });
    const byEmail = (e: string) => p.rows.find((r) => JSON.stringify(r.record).includes(e))!;
    expect(byEmail('existing@example.com').duplicate).toEqual({
      of: 'existing',
      id: 'existing',
      by: 'email',
      value: 'existing@example.com',
    });
    expect(byEmail('ANA.SILVA@example.com').duplicate).toEqual({
      of: 'file',
      row: 0,
      by: 'email',
      value: 'ana.silva@example.com',
    });
    expect(byEmail('not-an-email').errors.join(' ')).toContain(
      '"not-an-email": Enter a valid e-mail address',
    );
    expect(byEmail('bad.phone@example.com').errors.join(' ')).toContain('phone');
    expect(byEmail('nameless@example.com').errors).toEqual([
      'This row has no name: map a first name or full name column.',
    ]);
    expect(p.companiesToCreate.sort()).toEqual(['Acme', 'Globex', 'Stark Industries', 'Umbrella']);
    expect(byEmail('chloe.dubois').company).toEqual({ name: 'Initech', existingId: 'initech' });
    // A query: nothing was written.
    expect((await list(b, 'contact.list')).total).toBe(2);
  });
});

describe('ImportRows and RevertImport', () => {
  it('imports a real file, re-imports it without creating anything, and a revert restores the read models exactly', async () => {
    const b = await crm();
    await seed(b);
    const contactsBefore = await list(b, 'contact.list');
    const companiesBefore = await list(b, 'company.list');

    const first = await importAll(b, 'file-1', data, 'update');
    expect(first).toMatchObject({ created: 44, updated: 3, skipped: 0 });
    expect(first.failed.map((f) => f.row)).toEqual([43, 44, 45, 46]);
    expect(first.failed[0]!.message).toContain('not-an-email');
    const afterImport = await list(b, 'contact.list');
    expect(afterImport.total).toBe(46);
    expect((await list(b, 'company.list')).total).toBe(5);
    const existing = afterImport.rows.find((r) => r.id === 'existing')!;
    expect(existing).toMatchObject({
      title: 'New title',
      companyName: 'Initech',
      tags: ['imported'],
      phones: ['+33 1 23 45 67 89'],
    });
    const multi = afterImport.rows.find((r) => r.firstName === 'Multi')!;
    expect(multi).toMatchObject({
      emails: ['multi@example.com', 'multi.work@example.com'],
      companyName: 'Acme',
    });

    // The same file again (another import id, even another duplicate policy): nothing new.
    for (const [id, mode] of [
      ['file-2', 'update'],
      ['file-3', 'skip'],
    ] as const) {
      const again = await importAll(b, id, data, mode);
      expect(again).toMatchObject({ created: 0, updated: 0, skipped: 47 });
      expect(again.failed).toHaveLength(4);
    }
    expect(await list(b, 'contact.list')).toEqual(afterImport);
    expect((await list(b, 'company.list')).total).toBe(5);

    const imports = value<{ imports: ImportSummary[] }>(
      await b.query({ query: 'import.list', params: {} }),
    ).imports;
    expect(
      imports.map((i) => [i.importId, i.rows, i.created, i.updated, i.skipped, i.failed, i.status]).sort(),
    ).toEqual([
      ['file-1', 51, 44, 3, 0, 4, 'imported'],
      ['file-2', 51, 0, 0, 47, 4, 'imported'],
      ['file-3', 51, 0, 0, 47, 4, 'imported'],
    ]);

    const revert = value<RevertResult>(
      await b.execute({ command: 'RevertImport', input: { importId: 'file-1' } }),
    );
    // 44 contacts, 4 companies, 6 notes in the trash; the existing contact's values put back.
    expect(revert).toMatchObject({ alreadyReverted: false, trashed: 54, restored: 1, kept: [] });
    expect(await list(b, 'contact.list')).toEqual(contactsBefore);
    expect(await list(b, 'company.list')).toEqual(companiesBefore);
    const again = value<RevertResult>(
      await b.execute({ command: 'RevertImport', input: { importId: 'file-1' } }),
    );
    expect(again).toEqual({ importId: 'file-1', alreadyReverted: true, trashed: 0, restored: 0, kept: [] });
    expect(await list(b, 'contact.list')).toEqual(contactsBefore);

    // History stays: the import's change and the revert's are both in the log.
    const events = await b.store.readEvents('contact', 'existing');
    expect(events.map((e) => [e.type, e.meta?.import_id ?? e.meta?.reverts_import])).toEqual([
      ['ContactCreated', undefined],
      ['ContactUpdated', 'file-1'],
      ['ContactUpdated', 'file-1'],
    ]);
    expect(events[2]!.data).toMatchObject({ changes: { title: { from: 'New title', to: 'Old title' } } });
    const listed = value<{ imports: ImportSummary[] }>(
      await b.query({ query: 'import.list', params: {} }),
    ).imports;
    expect(listed.find((i) => i.importId === 'file-1')).toMatchObject({
      status: 'reverted',
      revert: { trashed: 54, restored: 1 },
    });

    // A reverted import takes no more rows; a new import of the file brings everything back.
    const refused = await b.execute({
      command: 'ImportRows',
      input: { importId: 'file-1', kind: 'contact', headers, mapping: [], rows: [], onDuplicate: 'skip' },
    });
    expect(refused.ok ? null : refused.error.code).toBe('IMPORT_REVERTED');
    const back = await importAll(b, 'file-5', data, 'update');
    expect(back.created).toBe(44);
    const restored = await list(b, 'contact.list');
    expect(restored.total).toBe(46);
    expect(restored.rows.find((r) => r.id === 'existing')).toMatchObject({
      title: 'New title',
      companyName: 'Initech',
    });
  });

  it('keeps a value changed after the import when reverting it', async () => {
    const b = await crm();
    await seed(b);
    await importAll(b, 'f', data, 'update');
    value(
      await b.execute({
        command: 'UpdateContact',
        input: { id: 'existing', fields: { title: 'Edited later' } },
      }),
    );
    const r = value<RevertResult>(await b.execute({ command: 'RevertImport', input: { importId: 'f' } }));
    expect(r.kept).toEqual(['contact/existing.title']);
    const row = (await list(b, 'contact.list')).rows.find((x) => x.id === 'existing')!;
    expect(row).toMatchObject({ title: 'Edited later', companyName: null, phones: [], tags: [] });
  });

  it('skips duplicates with onDuplicate: skip, and refuses an unknown mapping target', async () => {
    const b = await crm();
    await seed(b);
    const r = await importAll(b, 's', data, 'skip');
    expect(r).toMatchObject({ created: 44, updated: 0, skipped: 3 });
    expect((await list(b, 'contact.list')).rows.find((x) => x.id === 'existing')).toMatchObject({
      title: 'Old title',
    });
    const bad = await b.execute({
      command: 'ImportRows',
      input: {
        importId: 'x',
        kind: 'contact',
        headers: ['a'],
        mapping: ['salary'],
        rows: [['1']],
        onDuplicate: 'skip',
      },
    });
    expect(bad.ok ? null : [bad.error.kind, bad.error.code, bad.error.message]).toEqual([
      'validation',
      'INVALID_MAPPING',
      'Unknown target in the mapping: salary.',
    ]);
  });

  it('imports companies, matching existing ones by domain or name', async () => {
    const b = await crm();
    value(
      await b.execute({ command: 'CreateCompany', input: { id: 'acme', name: 'ACME', domain: 'acme.com' } }),
    );
    const cols = ['Company', 'Website', 'Employees', 'City', 'Tags'];
    const rows = [
      ['Acme Corp', 'https://www.acme.com/about', '35', 'Lyon', 'client'],
      ['Globex', 'globex.com', '1200', '', ''],
      ['globex', '', '', 'Paris', ''],
      ['Bad', 'not a domain', '', '', ''],
    ];
    const r = await importAll(b, 'co', rows, 'update', 'company', cols);
    expect(r).toMatchObject({ created: 1, updated: 2, skipped: 0 });
    expect(r.failed.map((f) => f.row)).toEqual([3]);
    const companies = (await list(b, 'company.list')).rows;
    expect(
      companies.map((c) => [
        c.name,
        c.domain,
        c.size,
        (c.address as { city: string | null } | null)?.city ?? null,
        c.tags,
      ]),
    ).toEqual([
      ['Acme Corp', 'acme.com', '11-50', 'Lyon', ['client']],
      ['Globex', 'globex.com', '1001+', 'Paris', []],
    ]);
  });
});

describe('export', () => {
  it('exports the contact list as CSV that imports into an empty store as the same list', async () => {
    const b = await crm();
    await seed(b);
    await importAll(b, 'f', data, 'update');
    const page = value<ExportPage>(await b.query({ query: 'export.csv', params: { list: 'contact.list' } }));
    expect(page).toMatchObject({ total: 46, next: null });
    expect(page.filename).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    const parsed = parseCsv(page.text).rows;
    const original = (await list(b, 'contact.list')).rows;
    expect(parsed.slice(1).map((r) => r[0])).toEqual(original.map((r) => r.firstName));

    const fresh = await crm();
    const r = await importAll(fresh, 'back', parsed.slice(1), 'skip', 'contact', parsed[0]!);
    expect(r).toMatchObject({ created: 46, failed: [] });
    const fields = (rows: Row[]) =>
      rows.map((x) => [x.firstName, x.lastName, x.emails, x.phones, x.title, x.companyName, x.tags, x.owner]);
    expect(fields((await list(fresh, 'contact.list')).rows)).toEqual(fields(original));
  });

  it('pages a large export under the size limit, each page whole rows', async () => {
    const b = await crm();
    const tags = Array.from(
      { length: 100 },
      (_, i) => `${String(i).padStart(3, '0')}-${'t'.repeat(44)}`,
    ).join(', ');
    const rows = Array.from({ length: 130 }, (_, i) => [`Person${i}`, tags]);
    await importAll(b, 'big', rows, 'skip', 'contact', ['First name', 'Tags']);
    const texts: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page: ExportPage = value<ExportPage>(
        await b.query({ query: 'export.csv', params: { list: 'contact.list', offset } }),
      );
      expect(Buffer.byteLength(page.text)).toBeLessThanOrEqual(512 * 1024);
      texts.push(page.text);
      offset = page.next;
    }
    expect(texts.length).toBeGreaterThan(1);
    const parsed = parseCsv(texts.join('')).rows;
    expect(parsed).toHaveLength(131);
    expect(parsed.slice(1).every((r) => r[6]!.split(', ').length === 100)).toBe(true);
  });

  it('exports deals and tasks with their own columns', async () => {
    const b = await crm();
    const got = value<{ state: { stages: { stageId: string }[] } }>(
      await b.query({ query: 'record.get', params: { kind: 'pipeline', id: DEFAULT_PIPELINE_ID } }),
    );
    const pipeline = { pipelineId: DEFAULT_PIPELINE_ID, stages: got.state.stages };
    value(
      await b.execute({
        command: 'CreateDeal',
        input: {
          title: 'Big, "deal"',
          amount: { minor: 150000, currency: 'EUR' },
          pipelineId: pipeline.pipelineId,
          stageId: pipeline.stages[0]!.stageId,
        },
      }),
    );
    const deals = value<ExportPage>(
      await b.query({
        query: 'export.csv',
        params: { list: 'deal.board', params: { pipelineId: pipeline.pipelineId } },
      }),
    );
    const [head, row] = parseCsv(deals.text).rows;
    expect(head!.slice(0, 5)).toEqual(['Title', 'Stage', 'Status', 'Amount', 'Currency']);
    expect(row!.slice(0, 5)).toEqual(['Big, "deal"', expect.any(String), 'open', '1500.00', 'EUR']);
    value(await b.execute({ command: 'CreateTask', input: { title: 'Call', due: { date: '2026-01-01' } } }));
    const tasks = value<ExportPage>(
      await b.query({
        query: 'export.csv',
        params: { list: 'task.list', params: { now: '2026-02-01T00:00:00Z' } },
      }),
    );
    expect(parseCsv(tasks.text).rows[1]!.slice(0, 4)).toEqual([
      'overdue',
      'Call',
      expect.any(String),
      '2026-01-01',
    ]);
    const bad = await b.query({ query: 'export.csv', params: { list: 'task.list', params: {} } });
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_INPUT');
  });

  it('imports a vCard file and exports the contacts as vCards equal to the input', async () => {
    const b = await crm();
    const cards: VCard[] = [
      {
        fullName: 'Bob',
        firstName: 'Bob',
        lastName: null,
        emails: [],
        phones: [],
        org: null,
        title: null,
        note: null,
        categories: [],
      },
      {
        fullName: 'Zoë Łukasiewicz',
        firstName: 'Zoë',
        lastName: 'Łukasiewicz',
        emails: ['zoe@example.com'],
        phones: ['+48 600 100 200'],
        org: 'Acme; Inc',
        title: 'CTO',
        note: null,
        categories: ['vip'],
      },
    ];
    const { headers: cols, rows } = vcardRows(parseVCards(writeVCards(cards, '3.0')));
    const r = await importAll(b, 'vcf', rows, 'skip', 'contact', cols);
    expect(r).toMatchObject({ created: 2, failed: [] });
    const page = value<ExportPage>(await b.query({ query: 'export.vcard', params: { version: '3.0' } }));
    expect(parseVCards(page.text)).toEqual(cards);
  });
});

describe('import.list', () => {
  it('lists imports newest first, also two started within the same second (event times are whole seconds)', async () => {
    const b = await createCrmBackend(tempDir('crm-transfer-'), {
      store: { clock: () => new Date('2026-03-01T10:00:00.000Z') },
    });
    open.push(b);
    for (const id of ['a-first', 'z-second']) await importAll(b, id, data.slice(0, 3), 'create');
    const imports = value<{ imports: ImportSummary[] }>(
      await b.query({ query: 'import.list', params: {} }),
    ).imports;
    expect(imports.map((i) => [i.importId, i.startedAt])).toEqual([
      ['z-second', '2026-03-01T10:00:00.000Z'],
      ['a-first', '2026-03-01T10:00:00.000Z'],
    ]);
  });
});
