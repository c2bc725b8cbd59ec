/**
 * CSV reading and writing (RFC 4180, plus what real exports do: a UTF-8 BOM, `;` or tab delimiters, LF or CR line
 * ends). Pure functions without Node APIs, so the renderer can parse a file itself and send its rows in chunks.
 * @module
 */

/** The delimiters {@link sniffDelimiter} recognises. */
export type CsvDelimiter = ',' | ';' | '\t';

/** A parsed CSV text. */
export interface ParsedCsv {
  /** The delimiter used (given or sniffed). */
  delimiter: CsvDelimiter;
  /** Every record, header line included; blank lines are dropped. */
  rows: string[][];
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];
const BOM = '\uFEFF';

function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/**
 * Guesses the delimiter from the first record: the candidate (`,` `;` tab) found most often outside quotes, `,` on
 * a tie or when none appears (a one-column file).
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of stripBom(text)) {
    if (c === '"')
      quoted = !quoted; // an escaped "" toggles twice: still right
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c as CsvDelimiter))
      counts.set(c as CsvDelimiter, counts.get(c as CsvDelimiter)! + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Parses CSV text: quoted fields (`"a, b"`), escaped quotes (`""`), line breaks inside quotes, CRLF/LF/CR line
 * ends, a leading BOM, no final line break. Lenient like spreadsheet apps: text after a closing quote is kept, an
 * unclosed quote runs to the end. Blank lines are dropped; rows keep their own length (ragged rows are the
 * caller's to pad).
 *
 * @example parseCsv('name;email\r\n"Doe; Jane";jane@example.com\r\n').rows
 * // [['name', 'email'], ['Doe; Jane', 'jane@example.com']]
 */
export function parseCsv(text: string, options: { delimiter?: CsvDelimiter } = {}): ParsedCsv {
  const src = stripBom(text);
  const delimiter = options.delimiter ?? sniffDelimiter(src);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  // Whether the current record has any content (a quoted empty field counts), to drop blank lines only.
  let touched = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    if (touched || row.length > 1) rows.push(row);
    row = [];
    touched = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (src[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
      continue;
    }
    if (c === '"') {
      quoted = true;
      touched = true;
    } else if (c === delimiter) endField();
    else if (c === '\n') endRow();
    else if (c === '\r') {
      if (src[i + 1] === '\n') i++;
      endRow();
    } else {
      field += c;
      touched = true;
    }
  }
  if (touched || row.length > 0) endRow();
  return { delimiter, rows };
}

/** Options of {@link writeCsv}. */
export interface WriteCsvOptions {
  /** Default `,`. */
  delimiter?: CsvDelimiter;
  /** Default `\r\n` (RFC 4180). */
  newline?: '\r\n' | '\n';
  /** Start with a UTF-8 BOM, so spreadsheet apps read non-ASCII text right. Default `false`. */
  bom?: boolean;
}

/** One CSV field: quoted when it holds the delimiter, a quote, a line break, or leading/trailing spaces. */
export function csvField(value: string, delimiter: CsvDelimiter = ','): string {
  const needsQuotes =
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r') ||
    value !== value.trim();
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV lines (each ending with the line break) for `rows`; concatenate pages of them freely. */
export function csvLines(rows: readonly (readonly string[])[], options: WriteCsvOptions = {}): string[] {
  const d = options.delimiter ?? ',';
  const nl = options.newline ?? '\r\n';
  // A single empty field would be a blank line, which readers drop: quote it.
  return rows.map((r) => (r.length === 1 && r[0] === '' ? '""' : r.map((v) => csvField(v, d)).join(d)) + nl);
}

/** Writes rows as CSV text, every line ended (RFC 4180 `\r\n` by default); {@link parseCsv} reads it back equal. */
export function writeCsv(rows: readonly (readonly string[])[], options: WriteCsvOptions = {}): string {
  return (options.bom ? BOM : '') + csvLines(rows, options).join('');
}

/**
 * Splits rows into chunks for the `ImportRows` command: at most `maxRows` rows and about `maxBytes` of JSON each
 * (requests to the backend must stay under 1 MB). A single row over the byte budget gets a chunk of its own.
 */
export function chunkRows(
  rows: readonly string[][],
  options: { maxRows?: number; maxBytes?: number } = {},
): string[][][] {
  const maxRows = options.maxRows ?? 500;
  const maxBytes = options.maxBytes ?? 700_000;
  const chunks: string[][][] = [];
  let chunk: string[][] = [];
  let bytes = 0;
  for (const row of rows) {
    // JSON length in UTF-16 units, x3 for the worst case of UTF-8: a bound, not a measure.
    const size = JSON.stringify(row).length * 3;
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
