/**
 * Renders suite results as a plain-text table (also valid Markdown, for the README and closing notes).
 * @module
 */
import type { ResultRow, SuiteResult } from './harness.js';
import { formatNumber, formatRatio } from './stats.js';

function targetText(row: ResultRow): string {
  if (row.target === null) return 'report';
  return `${row.better === 'lower' ? '≤' : '≥'} ${row.target}x`;
}

function verdict(row: ResultRow): string {
  if (row.pass === null) return '-';
  return row.pass ? 'pass' : 'FAIL';
}

/** Pads every column to its widest cell. */
function renderTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/**
 * The table of one suite: case, ours, limit, ours/limit, target, verdict, what the limit is; plus a column
 * and an ours/peer ratio for every peer present.
 */
export function formatSuite(result: SuiteResult): string {
  const peers = [...new Set(result.rows.flatMap((r) => Object.keys(r.peers)))];
  const header = [
    'case',
    'unit',
    'ours',
    'limit',
    'ours/limit',
    'target',
    'result',
    ...peers.flatMap((p) => [p, `ours/${p}`]),
    'limit is',
  ];
  const body = result.rows.map((r) => [
    r.metric,
    r.unit,
    formatNumber(r.ours),
    formatNumber(r.limit),
    formatRatio(r.ratio),
    targetText(r),
    verdict(r),
    ...peers.flatMap((p) => [formatNumber(r.peers[p]), formatRatio(r.peerRatios[p])]),
    r.limitLabel ?? '-',
  ]);
  const m = result.machine;
  const title =
    `## ${result.suite}: ${result.description}\n` +
    `scale ${result.scale}, median of ${result.reps}, ${(result.durationMs / 1000).toFixed(1)} s; ` +
    `${m.cpus} x ${m.cpuModel}, ${m.totalMemMiB} MiB, Node ${m.node}, ${m.platform} ${m.kernel}, ` +
    `load ${m.loadavgStart[0]} -> ${m.loadavgEnd[0]}, ${m.date}`;
  return `${title}\n\n${renderTable(header, body)}\n`;
}
