import { describe, expect, it } from 'vitest';
import { chunkRows, parseCsv, sniffDelimiter, writeCsv } from '../../../core/crm/transfer/csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, escaped quotes and embedded newlines', () => {
    const text = 'name,note\r\n"Doe, Jane","She said ""hi""\r\nand left"\r\nBob,plain\r\n';
    expect(parseCsv(text).rows).toEqual([
      ['name', 'note'],
      ['Doe, Jane', 'She said "hi"\r\nand left'],
      ['Bob', 'plain'],
    ]);
  });

  it('strips a BOM, accepts LF, CR and a missing final newline, and drops blank lines', () => {
    expect(parseCsv('\uFEFFa,b\n1,2\n\n3,4').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseCsv('a,b\r1,2\r').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields and a quoted empty line, and does not add a row for the trailing newline', () => {
    expect(parseCsv('a,,c\n,,\n""\n').rows).toEqual([['a', '', 'c'], ['', '', ''], ['']]);
  });

  it('sniffs ; and tab delimiters outside quotes', () => {
    expect(sniffDelimiter('"a,b";c;d\n1;2;3')).toBe(';');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('single')).toBe(',');
    const parsed = parseCsv('Name;E-mail\n"Müller; Zoë";zoe@example.com\n');
    expect(parsed.delimiter).toBe(';');
    expect(parsed.rows[1]).toEqual(['Müller; Zoë', 'zoe@example.com']);
  });

  it('reads unicode (accents, CJK, emoji) unchanged', () => {
    expect(parseCsv('名前,メモ\n山田 太郎,"🎉, ok"\n').rows[1]).toEqual(['山田 太郎', '🎉, ok']);
  });

  it('is lenient with an unclosed quote (it runs to the end)', () => {
    expect(parseCsv('a,"b\nc').rows).toEqual([['a', 'b\nc']]);
  });
});

describe('writeCsv', () => {
  it('round-trips awkward values through parseCsv, with every delimiter', () => {
    const rows = [
      ['plain', 'with, comma', 'with "quote"', 'line\nbreak', ' padded ', ''],
      ['semi;colon', 'tab\there', 'crlf\r\nx', 'Zoë Łukasiewicz', '🎉', '=1+1'],
      [''],
    ];
    for (const delimiter of [',', ';', '\t'] as const) {
      const text = writeCsv(rows, { delimiter, bom: true });
      expect(parseCsv(text, { delimiter }).rows).toEqual(rows);
    }
  });
});

describe('chunkRows', () => {
  it('splits by row count and by size, keeping every row once and in order', () => {
    const rows = Array.from({ length: 1200 }, (_, i) => [`r${i}`]);
    const chunks = chunkRows(rows);
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 200]);
    const big = Array.from({ length: 10 }, () => ['x'.repeat(100_000)]);
    const bigChunks = chunkRows(big, { maxBytes: 700_000 });
    expect(bigChunks.length).toBeGreaterThan(1);
    expect(bigChunks.flat()).toEqual(big);
  });
});
