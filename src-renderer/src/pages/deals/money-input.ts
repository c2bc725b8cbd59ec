/**
 * Money as people type it ("1.234,50", "1,234.50", "1 234,5", "12'000") turned into exact integer minor units of
 * a currency, and back into text for an edit field. Pure, so the rules are tested without a browser.
 * @module
 */

/** The result of {@link parseMoneyInput}: minor units (`null` for an empty field), or why the text is not money. */
export type MoneyInput = { ok: true; minor: number | null } | { ok: false; message: string };

/** Decimal places of `currency` (EUR 2, JPY 0, BHD 3), from the runtime's `Intl` data; 2 when it does not know. */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Spaces of every kind and apostrophes only ever group digits. */
const GROUPING = /[\s\u00a0\u202f'’]/g;

/**
 * Which of `.` and `,` is the decimal separator of `text` (digits and separators only), or `null` when it has
 * none. Both present: the last one. One of them several times: grouping. Once with exactly three digits after
 * it: grouping ("1.234" is a thousand), unless the currency itself has three decimals.
 */
function decimalSeparator(text: string, digits: number): '.' | ',' | null {
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
  const sep = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
  if (sep === null) return null;
  if (text.indexOf(sep) !== text.lastIndexOf(sep)) return null;
  const after = text.length - text.lastIndexOf(sep) - 1;
  return after === 3 && digits !== 3 ? null : sep;
}

/** Parses an amount typed for `currency` into minor units; refuses negatives, letters and too many decimals. */
export function parseMoneyInput(text: string, currency: string): MoneyInput {
  const compact = text.replace(GROUPING, '');
  if (compact === '') return { ok: true, minor: null };
  if (compact.startsWith('-')) return { ok: false, message: 'The amount cannot be negative.' };
  if (!/^[0-9.,]+$/.test(compact) || !/[0-9]/.test(compact))
    return { ok: false, message: 'Enter the amount as a number, like 1234.50.' };
  const digits = currencyDigits(currency);
  const sep = decimalSeparator(compact, digits);
  const cut = sep === null ? compact.length : compact.lastIndexOf(sep);
  const whole = compact.slice(0, cut);
  const fraction = compact.slice(cut + 1);
  // Only the other separator may group the whole part; the decimal one appears once, and decimals are digits.
  const grouping = sep === ',' ? '.' : ',';
  if ((sep !== null && whole.includes(sep)) || !/^[0-9]*$/.test(fraction))
    return { ok: false, message: 'Enter the amount as a number, like 1234.50.' };
  const wholeDigits = sep === null ? whole.replace(/[.,]/g, '') : whole.split(grouping).join('');
  if (fraction.length > digits) {
    return {
      ok: false,
      message:
        digits === 0
          ? `${currency} has no decimals: enter a whole amount.`
          : `${currency} has ${digits} decimals at most.`,
    };
  }
  const minor = Number(`${wholeDigits || '0'}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor)) return { ok: false, message: 'The amount is too large.' };
  return { ok: true, minor };
}

/** Minor units as plain text for an edit field ("1234.50" for 123450 EUR; no grouping, `.` as decimal point). */
export function moneyInputText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}
