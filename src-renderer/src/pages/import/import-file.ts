/**
 * The pure half of the Import section: a chosen file as headers and rows (CSV or vCard, parsed here in the
 * renderer with the backend's own parsers), the names of mapping targets, and the sum of chunk results.
 * @module
 */
import { parseCsv } from '../../../../core/crm/transfer/csv.js';
import type { Duplicate } from '../../../../core/crm/transfer/import-rows.js';
import type {
  ColumnMapping,
  CompanyRecord,
  ContactRecord,
  ImportKind,
} from '../../../../core/crm/transfer/mapping.js';
import { parseVCards, vcardRows } from '../../../../core/crm/transfer/vcard.js';

/** A file ready to preview: its columns and data rows (each padded or cut to the header's length). */
export interface ImportFile {
  name: string;
  format: 'csv' | 'vcard';
  headers: string[];
  rows: string[][];
}

/** Whether a file is a vCard file, by its name or its first line. */
export function isVCard(name: string, text: string): boolean {
  return /\.(vcf|vcard)$/i.test(name) || /^\uFEFF?\s*BEGIN:VCARD/i.test(text);
}

/** Reads a chosen file's text: vCards become contact rows, anything else is CSV with a header line. */
export function readImportFile(name: string, text: string): ImportFile {
  if (isVCard(name, text)) {
    const { headers, rows } = vcardRows(parseVCards(text));
    return { name, format: 'vcard', headers, rows };
  }
  const [headers = [], ...rows] = parseCsv(text).rows;
  const width = headers.length;
  // Spreadsheets drop trailing empty cells; the backend wants one cell per column.
  const fitted = rows.map((r) =>
    r.length === width ? r : [...r.slice(0, width), ...Array<string>(Math.max(0, width - r.length)).fill('')],
  );
  return { name, format: 'csv', headers, rows: fitted };
}

const LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name',
  email: 'E-mail',
  phone: 'Phone',
  title: 'Job title',
  companyName: 'Company',
  tags: 'Tags',
  notes: 'Note',
  owner: 'Owner',
  name: 'Name',
  domain: 'Domain',
  industry: 'Industry',
  size: 'Size',
  street: 'Street',
  city: 'City',
  postalCode: 'Postal code',
  region: 'Region',
  country: 'Country',
  address: 'Address (one line)',
};

/** A mapping target as the picker shows it (`custom:<id>` as "Custom: <id>"). */
export function targetLabel(target: string): string {
  if (target.startsWith('custom:')) return `Custom: ${target.slice(7)}`;
  return LABELS[target] ?? target;
}

/** `mapping` with column `index` sent to `target` (`null`: ignored). */
export function withTarget(mapping: ColumnMapping, index: number, target: string | null): ColumnMapping {
  return mapping.map((t, i) => (i === index ? target : t));
}

/** The file row number of data row `index` (the header is row 1), as messages name it. */
export function fileRow(index: number): number {
  return index + 2;
}

/** What the chunks of an import added up to. */
export interface ImportTotals {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  companiesCreated: number;
  failed: { row: number; message: string }[];
}

/** No rows yet. */
export const NO_TOTALS: ImportTotals = {
  rows: 0,
  created: 0,
  updated: 0,
  skipped: 0,
  companiesCreated: 0,
  failed: [],
};

/** `totals` plus one chunk's result. */
export function addChunk(totals: ImportTotals, chunk: ImportTotals): ImportTotals {
  return {
    rows: totals.rows + chunk.rows,
    created: totals.created + chunk.created,
    updated: totals.updated + chunk.updated,
    skipped: totals.skipped + chunk.skipped,
    companiesCreated: totals.companiesCreated + chunk.companiesCreated,
    failed: [...totals.failed, ...chunk.failed],
  };
}

/** The kind a file imports as: vCards are always contacts. */
export function kindFor(file: ImportFile, chosen: ImportKind): ImportKind {
  return file.format === 'vcard' ? 'contact' : chosen;
}

/** A previewed record in one line: "Ana Lima · ana@x.org" or "Acme · acme.com". */
export function recordSummary(record: ContactRecord | CompanyRecord | null): string {
  if (!record) return '';
  const parts =
    'emails' in record
      ? [[record.firstName, record.lastName].filter(Boolean).join(' '), record.emails[0], record.companyName]
      : [record.name, record.domain];
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' · ');
}

/** Why a row is a duplicate, in words. */
export function describeDuplicate(d: Duplicate): string {
  const by = d.by === 'email' ? 'e-mail' : d.by;
  return d.of === 'existing'
    ? `Already in the CRM (same ${by}: ${d.value})`
    : `Same ${by} as row ${d.row} of the file (${d.value})`;
}
