/**
 * Exports: any list as CSV (`export.csv`: the contact and company lists with their search and filters, a
 * pipeline's deals, the tasks) and contacts as vCard (`export.vcard`). All rows, not one page of the list; the
 * text comes in pages of at most {@link EXPORT_PAGE_BYTES} so that no answer gets near the 1 MB the shell moves
 * comfortably: ask again with `offset: next` until `next` is `null`, and concatenate the texts.
 * @module
 */
import { z } from 'zod';
import { DomainError, type AnyProjection } from '../../es/index.js';
import { projectionQueries } from '../contract-queries.js';
import { idSchema } from '../domain/validation.js';
import type { CrmRuntime } from '../extension.js';
import type { CompanyListRow } from '../read/companies.js';
import { contactsProjection, type ContactRow } from '../read/contacts.js';
import type { DealCard } from '../read/deals.js';
import { fractionDigits } from '../read/format.js';
import type { Board } from '../read/pipeline-board.js';
import type { TaskGroups, TaskRow } from '../read/tasks.js';
import { isoOf, own } from '../read/util.js';
import { companiesProjection } from '../read/companies.js';
import { queryContext } from '../timeline-events.js';
import { csvLines } from './csv.js';
import { writeVCards, type VCard } from './vcard.js';

/** The most UTF-8 bytes of text one export answer carries (a row is never split). */
export const EXPORT_PAGE_BYTES = 512 * 1024;

/** The lists `export.csv` exports. */
export const EXPORT_LISTS = ['contact.list', 'company.list', 'deal.board', 'task.list'] as const;

/**
 * Params of `export.csv`: `list` and its query's `params` (those of that query, `offset` and `limit` excepted:
 * every matching row is exported, in the list's order); `offset`: the row to start at (from the previous page's
 * `next`).
 */
export const exportCsvParams = z
  .object({
    list: z.enum(EXPORT_LISTS),
    params: z.record(z.unknown()).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();

/** Params of `export.vcard`: the contacts (default: every contact of the list, trashed and merged ones excepted). */
export const exportVcardParams = z
  .object({
    ids: z.array(idSchema).max(100_000).optional(),
    version: z.enum(['3.0', '4.0']).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();

/** One page of an export. */
export interface ExportPage {
  /** A file name to save it as (`contacts-2026-03-31.csv`). */
  filename: string;
  /** The text of this page (the CSV header line only on the first page). */
  text: string;
  /** Data rows (records) in the whole export. */
  total: number;
  /** The `offset` of the next page, `null` on the last one. */
  next: number | null;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const text = (v: string | null | undefined): string => v ?? '';
const date = (ts: number): string => isoOf(ts);

/** An amount in minor units as a plain decimal (`150000` EUR -> `1500.00`), the form spreadsheets read. */
export function decimalAmount(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** The contact list's CSV columns; the headers are ones `guessMapping` maps back to the same fields. */
export const CONTACT_COLUMNS: readonly [string, (r: ContactRow) => string][] = [
  ['First name', (r) => r.firstName],
  ['Last name', (r) => text(r.lastName)],
  ['Emails', (r) => r.emails.join(', ')],
  ['Phones', (r) => r.phones.join(', ')],
  ['Title', (r) => text(r.title)],
  ['Company', (r) => text(r.companyName)],
  ['Tags', (r) => r.tags.join(', ')],
  ['Owner', (r) => text(r.owner)],
  ['Archived', (r) => yesNo(r.archived)],
  ['Created', (r) => date(r.createdAt)],
  ['Updated', (r) => date(r.updatedAt)],
  ['Id', (r) => r.id],
];

/** The company list's CSV columns. */
export const COMPANY_COLUMNS: readonly [string, (r: CompanyListRow) => string][] = [
  ['Name', (r) => r.name],
  ['Domain', (r) => text(r.domain)],
  ['Industry', (r) => text(r.industry)],
  ['Size', (r) => text(r.size)],
  ['Street', (r) => text(r.address?.street)],
  ['City', (r) => text(r.address?.city)],
  ['Postal code', (r) => text(r.address?.postalCode)],
  ['Region', (r) => text(r.address?.region)],
  ['Country', (r) => text(r.address?.country)],
  ['Tags', (r) => r.tags.join(', ')],
  ['Contacts', (r) => String(r.contactCount)],
  ['Archived', (r) => yesNo(r.archived)],
  ['Created', (r) => date(r.createdAt)],
  ['Updated', (r) => date(r.updatedAt)],
  ['Id', (r) => r.id],
];

/** The headers of the deals export (one row per deal of the board, open stages first, then won and lost). */
export const DEAL_HEADERS = [
  'Title',
  'Stage',
  'Status',
  'Amount',
  'Currency',
  'Expected close',
  'Closed on',
  'Lost reason',
  'Company',
  'Owner',
  'Created',
  'Updated',
  'Id',
];

/** The headers of the tasks export (one row per task, by group: overdue, today, upcoming, no date, completed). */
export const TASK_HEADERS = [
  'Group',
  'Title',
  'Priority',
  'Due date',
  'Due time',
  'Linked to',
  'Linked id',
  'Completed at',
  'Description',
  'Created',
  'Id',
];

/** A list's params checked against that list query's own schema (as the query itself would check them). */
function listParams(list: string, params: Record<string, unknown> = {}): Record<string, unknown> {
  const { offset: _o, limit: _l, ...rest } = params;
  const parsed = projectionQueries[list]!.params.safeParse(rest);
  if (!parsed.success) {
    const summary = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'params'}: ${i.message}`)
      .join('; ');
    throw new DomainError('INVALID_INPUT', `The params of ${list} are invalid: ${summary}`);
  }
  return parsed.data as Record<string, unknown>;
}

/** The list's state, live or as of `params.asOf`. */
async function stateOf(rt: CrmRuntime, projection: AnyProjection, asOf: unknown): Promise<unknown> {
  return typeof asOf === 'string'
    ? rt.store.projectionAt(projection, { date: new Date(asOf) })
    : rt.store.projection(projection).state;
}

/** Every row of the list, as CSV cells, with the header line. */
async function listTable(
  rt: CrmRuntime,
  list: (typeof EXPORT_LISTS)[number],
  raw: Record<string, unknown> | undefined,
): Promise<{ header: string[]; rows: string[][] }> {
  const params = listParams(list, raw);
  const spec = projectionQueries[list]!;
  const state = await stateOf(rt, spec.projection, params.asOf);
  const { asOf: _a, ...rest } = params;
  const answer = await spec.run(
    state,
    { ...rest, offset: 0, limit: Number.MAX_SAFE_INTEGER } as never,
    queryContext(rt.store),
  );
  if (list === 'contact.list') {
    const rows = (answer as { rows: ContactRow[] }).rows;
    return {
      header: CONTACT_COLUMNS.map((c) => c[0]),
      rows: rows.map((r) => CONTACT_COLUMNS.map((c) => c[1](r))),
    };
  }
  if (list === 'company.list') {
    const rows = (answer as { rows: CompanyListRow[] }).rows;
    return {
      header: COMPANY_COLUMNS.map((c) => c[0]),
      rows: rows.map((r) => COMPANY_COLUMNS.map((c) => c[1](r))),
    };
  }
  if (list === 'deal.board') {
    const board = answer as Board | null;
    if (!board) throw new DomainError('NOT_FOUND', `There is no pipeline ${String(params.pipelineId)}.`);
    const companies = rt.store.projection(companiesProjection).state.rows;
    const row = (d: DealCard, stage: string): string[] => [
      d.title,
      stage,
      d.status,
      d.amount ? decimalAmount(d.amount.minor, d.amount.currency) : '',
      d.amount?.currency ?? '',
      text(d.expectedCloseDate),
      text(d.closedOn),
      text(d.lostReason),
      d.companyId === null ? '' : (own(companies, d.companyId)?.name ?? d.companyId),
      text(d.owner),
      date(d.createdAt),
      date(d.updatedAt),
      d.id,
    ];
    const columns = [...board.columns, board.won, board.lost];
    return { header: DEAL_HEADERS, rows: columns.flatMap((c) => c.deals.map((d) => row(d, c.name))) };
  }
  const groups = answer as TaskGroups;
  const row = (t: TaskRow, group: string): string[] => [
    group,
    t.title,
    t.priority,
    t.due?.date ?? '',
    t.due?.time ?? '',
    t.link?.kind ?? '',
    t.link?.id ?? '',
    text(t.completedAt),
    text(t.description),
    date(t.createdAt),
    t.id,
  ];
  const order = ['overdue', 'today', 'upcoming', 'noDate', 'completed'] as const;
  return { header: TASK_HEADERS, rows: order.flatMap((g) => groups[g].map((t) => row(t, g))) };
}

/** Cuts pre-rendered records into the page starting at `offset`. */
function page(filename: string, head: string, records: readonly string[], offset: number): ExportPage {
  let text = offset === 0 ? head : '';
  let bytes = Buffer.byteLength(text);
  let i = offset;
  for (; i < records.length; i++) {
    const n = Buffer.byteLength(records[i]!);
    if (i > offset && bytes + n > EXPORT_PAGE_BYTES) break;
    text += records[i]!;
    bytes += n;
  }
  return { filename, text, total: records.length, next: i < records.length ? i : null };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const FILE_NAMES: Record<(typeof EXPORT_LISTS)[number], string> = {
  'contact.list': 'contacts',
  'company.list': 'companies',
  'deal.board': 'deals',
  'task.list': 'tasks',
};

/** `export.csv`: one page of a list as CSV (with a BOM on the first page, for spreadsheet apps). */
export async function exportCsv(
  rt: CrmRuntime,
  params: z.infer<typeof exportCsvParams>,
): Promise<ExportPage> {
  const table = await listTable(rt, params.list, params.params);
  const head = `\uFEFF${csvLines([table.header])[0]!}`;
  return page(`${FILE_NAMES[params.list]}-${today()}.csv`, head, csvLines(table.rows), params.offset ?? 0);
}

/** A contact row as a vCard. */
function cardOf(row: ContactRow): VCard {
  return {
    fullName: row.displayName,
    firstName: row.firstName,
    lastName: row.lastName,
    emails: row.emails,
    phones: row.phones,
    org: row.companyName,
    title: row.title,
    note: null,
    categories: row.tags,
  };
}

/** `export.vcard`: one page of contacts as a vCard file (every card whole). */
export async function exportVcard(
  rt: CrmRuntime,
  params: z.infer<typeof exportVcardParams>,
): Promise<ExportPage> {
  const state = rt.store.projection(contactsProjection).state;
  let rows: ContactRow[];
  if (params.ids) {
    rows = params.ids.map((id) => own(state.rows, id)).filter((r): r is ContactRow => r !== undefined);
    if (rows.length < params.ids.length) {
      const missing = params.ids.filter((id) => !own(state.rows, id));
      throw new DomainError('NOT_FOUND', `There is no contact ${missing.slice(0, 5).join(', ')}.`, {
        missing,
      });
    }
  } else {
    const all = projectionQueries['contact.list']!.run(
      state,
      { archived: 'include', limit: Number.MAX_SAFE_INTEGER } as never,
      queryContext(rt.store),
    );
    rows = (all as { rows: ContactRow[] }).rows;
  }
  const version = params.version ?? '4.0';
  const records = rows.map((r) => writeVCards([cardOf(r)], version));
  return page(`contacts-${today()}.vcf`, '', records, params.offset ?? 0);
}
