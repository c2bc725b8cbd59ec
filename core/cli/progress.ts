/**
 * A progress bar on stderr for long operations, drawn only when stderr is a terminal (or when
 * `EVENTFOLD_PROGRESS=1` forces it; `EVENTFOLD_PROGRESS=0` turns it off). Results on stdout are never touched.
 * @module
 */
import type { Writable } from 'node:stream';
import { formatBytes } from './format.js';

/** Whether to draw progress bars on `stderr`. */
export function progressEnabled(stderr: Writable & { isTTY?: boolean } = process.stderr): boolean {
  const env = process.env.EVENTFOLD_PROGRESS;
  if (env === '1') return true;
  if (env === '0') return false;
  return stderr.isTTY === true;
}

/** What is counted: bytes are shown as sizes, items as plain counts. */
export type ProgressUnit = 'bytes' | 'items';

const WIDTH = 24;

/**
 * One line of a progress bar, e.g. `verify  [##########..............]  42%  1.2 MiB / 2.9 MiB`. Without a total,
 * only the count is shown.
 */
export function renderProgress(
  label: string,
  done: number,
  total: number | null,
  unit: ProgressUnit,
): string {
  const fmt = (n: number): string => (unit === 'bytes' ? formatBytes(n) : n.toLocaleString('en-US'));
  if (total === null || total <= 0) return `${label}  ${fmt(done)}`;
  const ratio = Math.min(1, done / total);
  const filled = Math.round(ratio * WIDTH);
  const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${label}  [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${pct}  ${fmt(done)} / ${fmt(total)}`;
}

/** A bar that redraws itself at most every 100 ms. A disabled bar does nothing. */
export class Progress {
  private done = 0;
  private last = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private total: number | null,
    private readonly unit: ProgressUnit = 'items',
    private readonly stream: Writable | null = progressEnabled() ? process.stderr : null,
  ) {}

  /** Adds `n` to the count. */
  add(n = 1): void {
    this.set(this.done + n);
  }

  /** Sets the count (and optionally a new total). */
  set(done: number, total?: number | null): void {
    this.done = done;
    if (total !== undefined) this.total = total;
    if (!this.stream) return;
    const now = Date.now();
    if (now - this.last < 100 && this.drawn) return;
    this.last = now;
    this.draw();
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    if (!this.stream) return;
    this.draw();
    this.stream.write('\n');
    this.drawn = false;
  }

  private draw(): void {
    // \r + clear-to-end-of-line: redraw in place.
    this.stream!.write(`\r\x1b[K${renderProgress(this.label, this.done, this.total, this.unit)}`);
    this.drawn = true;
  }
}
