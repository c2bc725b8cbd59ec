/**
 * vCard 3.0 / 4.0 reading and writing for contacts (FN, N, EMAIL, TEL, ORG, TITLE, NOTE, CATEGORIES): line
 * folding, value escaping, several cards per file. Pure functions without Node APIs (the renderer may use them).
 * Other properties are skipped on read (photos, addresses, vCard 2.1 quoted-printable values).
 * @module
 */

/** The contact data a vCard carries that the CRM uses. */
export interface VCard {
  /** `FN`, the formatted name. */
  fullName: string | null;
  /** `N`'s given name. */
  firstName: string | null;
  /** `N`'s family name. */
  lastName: string | null;
  emails: string[];
  phones: string[];
  /** `ORG`'s first component (the organisation name). */
  org: string | null;
  title: string | null;
  note: string | null;
  /** `CATEGORIES` (tags). */
  categories: string[];
}

/** The vCard versions {@link writeVCards} writes. */
export type VCardVersion = '3.0' | '4.0';

/** `\n`, `\,`, `\;`, `\\` back to text. */
function unescapeValue(s: string): string {
  return s.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits a structured value on `sep` where it is not escaped. */
function splitUnescaped(s: string, sep: ',' | ';'): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1]!;
      i++;
    } else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** The index of the `:` that ends the name and parameters (a `:` inside a quoted parameter value does not). */
function valueStart(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return i;
  }
  return -1;
}

function emptyCard(): VCard {
  return {
    fullName: null,
    firstName: null,
    lastName: null,
    emails: [],
    phones: [],
    org: null,
    title: null,
    note: null,
    categories: [],
  };
}

const nonEmpty = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** Folds one content line into `card`. */
function readProperty(card: VCard, name: string, raw: string): void {
  switch (name) {
    case 'FN':
      card.fullName = nonEmpty(unescapeValue(raw));
      break;
    case 'N': {
      const [family = '', given = ''] = splitUnescaped(raw, ';').map(unescapeValue);
      card.lastName = nonEmpty(family);
      card.firstName = nonEmpty(given);
      break;
    }
    case 'EMAIL': {
      const v = nonEmpty(unescapeValue(raw).replace(/^mailto:/i, ''));
      if (v) card.emails.push(v);
      break;
    }
    case 'TEL': {
      const v = nonEmpty(unescapeValue(raw).replace(/^tel:/i, ''));
      if (v) card.phones.push(v);
      break;
    }
    case 'ORG':
      card.org = nonEmpty(unescapeValue(splitUnescaped(raw, ';')[0] ?? ''));
      break;
    case 'TITLE':
      card.title = nonEmpty(unescapeValue(raw));
      break;
    case 'NOTE':
      card.note = nonEmpty(unescapeValue(raw));
      break;
    case 'CATEGORIES':
      for (const c of splitUnescaped(raw, ',')) {
        const v = nonEmpty(unescapeValue(c));
        if (v) card.categories.push(v);
      }
      break;
  }
}

/**
 * Parses every `BEGIN:VCARD` ... `END:VCARD` block of `text` (versions 2.1 to 4.0; folded lines; CRLF or LF;
 * property groups like `item1.EMAIL`). Text outside cards is ignored.
 */
export function parseVCards(text: string): VCard[] {
  const unfolded = text.replace(/^\uFEFF/, '').replace(/\r?\n[ \t]/g, '');
  const cards: VCard[] = [];
  let card: VCard | null = null;
  for (const line of unfolded.split(/\r?\n|\r/)) {
    const colon = valueStart(line);
    if (colon < 0) continue;
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1);
    const name = (head.split(';')[0] ?? '').replace(/^.*\./, '').toUpperCase();
    if (name === 'BEGIN' && value.trim().toUpperCase() === 'VCARD') card = emptyCard();
    else if (name === 'END' && value.trim().toUpperCase() === 'VCARD') {
      if (card) cards.push(card);
      card = null;
    } else if (card) readProperty(card, name, value);
  }
  return cards;
}

/** Escapes a text value (`\`, `,`, `;`, line breaks). */
function escapeValue(s: string): string {
  return s.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** Folds a content line at 75 octets (RFC 6350 3.2), never inside a character; continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  for (const ch of line) {
    const n = utf8Length(ch.codePointAt(0)!);
    if (octets + n > 75) {
      out.push(cur);
      cur = ' ';
      octets = 1;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join('\r\n');
}

/** The `FN` to write: the full name, else first and last name, else the first e-mail (FN is required). */
function formattedName(card: VCard): string {
  return (
    card.fullName ?? ([card.firstName, card.lastName].filter(Boolean).join(' ') || (card.emails[0] ?? ''))
  );
}

/** Writes cards as one vCard file (CRLF line ends, folded at 75 octets). {@link parseVCards} reads it back equal. */
export function writeVCards(cards: readonly VCard[], version: VCardVersion = '4.0'): string {
  const lines: string[] = [];
  for (const card of cards) {
    lines.push('BEGIN:VCARD', `VERSION:${version}`);
    lines.push(`FN:${escapeValue(formattedName(card))}`);
    lines.push(`N:${escapeValue(card.lastName ?? '')};${escapeValue(card.firstName ?? '')};;;`);
    const emailType = version === '3.0' ? ';TYPE=INTERNET' : '';
    for (const e of card.emails) lines.push(`EMAIL${emailType}:${escapeValue(e)}`);
    for (const t of card.phones) lines.push(`TEL:${escapeValue(t)}`);
    if (card.org !== null) lines.push(`ORG:${escapeValue(card.org)}`);
    if (card.title !== null) lines.push(`TITLE:${escapeValue(card.title)}`);
    if (card.note !== null) lines.push(`NOTE:${escapeValue(card.note)}`);
    if (card.categories.length > 0) lines.push(`CATEGORIES:${card.categories.map(escapeValue).join(',')}`);
    lines.push('END:VCARD');
  }
  return lines.map((l) => `${foldLine(l)}\r\n`).join('');
}

/** Column headers of {@link vcardRows}; `guessMapping` maps them to contact fields. */
export const VCARD_HEADERS = [
  'First name',
  'Last name',
  'Full name',
  'Emails',
  'Phones',
  'Company',
  'Title',
  'Notes',
  'Tags',
] as const;

/**
 * Cards as import rows (headers {@link VCARD_HEADERS}), so a vCard file goes through the same preview and
 * `ImportRows` as a CSV file. Lists are joined with `, ` (the import splits them again).
 */
export function vcardRows(cards: readonly VCard[]): { headers: string[]; rows: string[][] } {
  const rows = cards.map((c) => [
    c.firstName ?? '',
    c.lastName ?? '',
    c.fullName ?? '',
    c.emails.join(', '),
    c.phones.join(', '),
    c.org ?? '',
    c.title ?? '',
    c.note ?? '',
    c.categories.join(', '),
  ]);
  return { headers: [...VCARD_HEADERS], rows };
}
