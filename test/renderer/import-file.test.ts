import { describe, expect, it } from 'vitest';
import {
  addChunk,
  describeDuplicate,
  recordSummary,
  fileRow,
  isVCard,
  kindFor,
  NO_TOTALS,
  readImportFile,
  targetLabel,
  withTarget,
} from '../../src-renderer/src/pages/import/import-file.js';

describe('import file', () => {
  it('reads a CSV with a header line, padding short rows and cutting long ones', () => {
    const file = readImportFile('people.csv', 'Name;Email;Tags\r\nAna;ana@x.org\r\nBo;bo@x.org;a;extra\r\n');
    expect(file).toEqual({
      name: 'people.csv',
      format: 'csv',
      headers: ['Name', 'Email', 'Tags'],
      rows: [
        ['Ana', 'ana@x.org', ''],
        ['Bo', 'bo@x.org', 'a'],
      ],
    });
    expect(readImportFile('empty.csv', '')).toMatchObject({ headers: [], rows: [] });
  });

  it('reads vCards as contact rows', () => {
    const text =
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\nEMAIL:ana@x.org\r\nEND:VCARD\r\n';
    expect(isVCard('contacts.txt', text)).toBe(true);
    expect(isVCard('a.VCF', '')).toBe(true);
    const file = readImportFile('contacts.vcf', text);
    expect(file.format).toBe('vcard');
    expect(file.headers[0]).toBe('First name');
    expect(file.rows[0]?.slice(0, 4)).toEqual(['Ana', 'Lima', 'Ana Lima', 'ana@x.org']);
    expect(kindFor(file, 'company')).toBe('contact');
  });

  it('names targets, edits a mapping, numbers rows like the file', () => {
    expect(targetLabel('email')).toBe('E-mail');
    expect(targetLabel('custom:source')).toBe('Custom: source');
    expect(withTarget(['email', null], 1, 'tags')).toEqual(['email', 'tags']);
    expect(withTarget(['email', null], 0, null)).toEqual([null, null]);
    expect(fileRow(0)).toBe(2);
  });

  it('adds up chunk results', () => {
    const chunk = { rows: 2, created: 1, updated: 0, skipped: 1, companiesCreated: 1, failed: [] };
    const failed = { ...chunk, failed: [{ row: 9, message: 'bad' }] };
    expect(addChunk(addChunk(NO_TOTALS, chunk), failed)).toEqual({
      rows: 4,
      created: 2,
      updated: 0,
      skipped: 2,
      companiesCreated: 2,
      failed: [{ row: 9, message: 'bad' }],
    });
  });
});

describe('import preview words', () => {
  it('summarises records and duplicates', () => {
    const contact = {
      firstName: 'Ana',
      lastName: 'Lima',
      emails: ['ana@x.org'],
      phones: [],
      title: null,
      companyName: 'Acme',
      tags: [],
      notes: null,
      owner: null,
      customFields: {},
    };
    expect(recordSummary(contact)).toBe('Ana Lima · ana@x.org · Acme');
    expect(
      recordSummary({
        name: 'Acme',
        domain: null,
        industry: null,
        size: null,
        address: null,
        tags: [],
        customFields: {},
      }),
    ).toBe('Acme');
    expect(recordSummary(null)).toBe('');
    expect(describeDuplicate({ of: 'existing', id: 'c1', by: 'email', value: 'ana@x.org' })).toBe(
      'Already in the CRM (same e-mail: ana@x.org)',
    );
    expect(describeDuplicate({ of: 'file', row: 3, by: 'name', value: 'Acme' })).toBe(
      'Same name as row 3 of the file (Acme)',
    );
  });
});
