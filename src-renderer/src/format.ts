/**
 * How values are shown: money, dates, relative times, names. Money and instants reuse the backend's own
 * formatting (core/crm/read/format.ts), so the timeline and the lists say the same thing.
 * @module
 */
export { formatMoney, formatInstant } from '../../core/crm/read/format.js';

/** `2026-12-02` or `2026-12-02T10:00:00Z` as a short local date ("2 Dec 2026"). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Sums per currency (`{EUR: 120000, USD: 5000}` in minor units) as "€1,200.00 · $50.00". */
export function formatSums(
  sums: Record<string, number>,
  format: (a: { minor: number; currency: string }) => string,
): string {
  const parts = Object.entries(sums).map(([currency, minor]) => format({ minor, currency }));
  return parts.length > 0 ? parts.join(' · ') : '—';
}
