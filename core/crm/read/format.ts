/**
 * Human-readable values for the timeline and other read-side text: money, dates, due dates, lists, addresses,
 * field labels. Locale-independent (English, ISO dates) so descriptions are deterministic.
 * @module
 */

/** Longest text kept in a timeline entry (longer values are cut, with an ellipsis). */
export const MAX_TEXT = 200;

/** Cuts a text to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * A compact copy of an event payload for storage: every string cut to {@link MAX_TEXT} characters (a note body
 * can hold 100,000), everything else as is.
 */
export function compact(value: unknown): unknown {
  if (typeof value === 'string') return clip(value);
  if (Array.isArray(value)) return value.map(compact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  }
  return value;
}

const digitsCache = new Map<string, number>();

/** The number of minor-unit digits of an ISO currency (2 for EUR, 0 for JPY; 2 when unknown). */
export function fractionDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Money in minor units as text, e.g. `{minor: 150000, currency: 'EUR'}` -> `'EUR 1,500.00'`. */
export function formatMoney(amount: { minor: number; currency: string }): string {
  const digits = fractionDigits(amount.currency);
  const value = (amount.minor / 10 ** digits).toLocaleString('en', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${amount.currency} ${value}`;
}

/** An ISO instant as `YYYY-MM-DD HH:MM UTC`. */
export function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const LABELS: Readonly<Record<string, string>> = {
  firstName: 'First name',
  lastName: 'Last name',
  emails: 'E-mails',
  phones: 'Phones',
  companyId: 'Company',
  contactIds: 'Contacts',
  expectedCloseDate: 'Expected close date',
  occurredAt: 'When',
  link: 'Linked to',
  body: 'Text',
  stageId: 'Stage',
  pipelineId: 'Pipeline',
};

/** The label of a field: `'title'` -> `'Title'`, `'expectedCloseDate'` -> `'Expected close date'`. */
export function fieldLabel(field: string): string {
  const known = LABELS[field];
  if (known) return known;
  const spaced = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Is this a value with nothing in it (`null`, `''`, `[]`)? */
export function isBlank(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/**
 * A generic value as text: `none` for blanks, lists joined with commas, yes/no, money, due dates (`{date,
 * time}`), addresses (their parts), instants; `ref` names ids (companies, contacts, stages) when it knows them.
 */
export function formatValue(value: unknown, ref?: (id: string) => string): string {
  if (isBlank(value)) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (ref) return ref(value);
    return /^\d{4}-\d{2}-\d{2}T/.test(value) ? formatInstant(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => formatValue(v, ref)).join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.minor === 'number' && typeof o.currency === 'string') {
      return formatMoney({ minor: o.minor, currency: o.currency });
    }
    if (typeof o.date === 'string' && 'time' in o) return o.time ? `${o.date} ${String(o.time)}` : o.date;
    const parts = Object.values(o).filter((v) => !isBlank(v));
    return parts.length === 0 ? 'none' : parts.map((v) => formatValue(v)).join(', ');
  }
  return JSON.stringify(value);
}
