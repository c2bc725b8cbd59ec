/**
 * Small statistics and formatting helpers of the benchmarks.
 * @module
 */

/** The median of `values` (the mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The `p`-th percentile (0..100) by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

/** Microseconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedUs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

/** A number with 3 significant digits and a k/M/G suffix above 10,000 (`1.23M`, `85.1`, `0.512`). */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toPrecision(3)}k`;
  if (abs >= 100) return n.toFixed(0);
  return n.toPrecision(3);
}

/** A ratio as `1.23x`. */
export function formatRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '-';
  return `${r.toFixed(2)}x`;
}
