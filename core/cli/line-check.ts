/**
 * Checks every line of a log (or of decompressed archive data) the way core/log's readers and writer see them:
 * a complete line must be an event; blank lines and a trailing `\r` are allowed; lines of an atomic batch
 * (`"more":true`) count only once the batch's last line exists; what a crash leaves at the end (a torn last line,
 * NUL-filled space, an unfinished batch) is what the writer truncates on open.
 * @module
 */
import { toEvent, type Event } from '../log/index.js';

/** A complete line that is not an event. */
export interface BadLine {
  offset: number;
  reason: string;
}

/** Called for each committed event with the offset just after its line. */
export type CommittedVisitor = (event: Event, end: number) => void;

/** Feeds consecutive chunks of one file (or of an archive's decompressed frames), then call {@link finish}. */
export class LineChecker {
  /** Complete non-blank lines seen. */
  lines = 0;
  /** Committed events (a pending batch is not counted until its last line). */
  events = 0;
  readonly bad: BadLine[] = [];
  /** Offsets of the lines of a batch not finished yet: [first line offset, count]. */
  private held: { start: number; events: { event: Event; end: number }[]; clean: boolean } | null = null;
  /** A trailing run of NUL-only lines (unwritten space after a crash), reported only if a real line follows. */
  private nulRun: number[] = [];
  private carry: Buffer | null = null;
  private carryBase = 0;

  constructor(private readonly visit: CommittedVisitor = () => {}) {}

  /** Checks every complete line of `chunk`, whose first byte is at offset `base` (chunks must be consecutive). */
  feed(chunk: Buffer, base: number): void {
    let buf = chunk;
    let bufBase = base;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      bufBase = this.carryBase;
    }
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      let stop = nl;
      if (stop > start && buf[stop - 1] === 13) stop--;
      if (stop > start) this.line(buf, start, stop, bufBase + start, bufBase + nl + 1);
      else this.blank();
      start = nl + 1;
    }
    if (start < buf.length) {
      this.carry = Buffer.from(buf.subarray(start));
      this.carryBase = bufBase + start;
    } else {
      this.carry = null;
    }
  }

  /**
   * Ends the check. Returns what is left at the end: `torn` = offset and length of the bytes after the last
   * complete line plus any trailing NUL-only lines; `batch` = the unfinished batch before that, if any.
   */
  finish(size: number): {
    torn: { offset: number; bytes: number } | null;
    batch: { offset: number; lines: number; clean: boolean } | null;
  } {
    let tornStart = this.carry ? this.carryBase : size;
    if (this.nulRun.length > 0) tornStart = this.nulRun[0]!;
    const torn = tornStart < size ? { offset: tornStart, bytes: size - tornStart } : null;
    const batch = this.held
      ? { offset: this.held.start, lines: this.held.events.length, clean: this.held.clean }
      : null;
    return { torn, batch };
  }

  private blank(): void {
    // A blank line stops the writer's batch roll-back (it reads as a corrupt line backwards).
    this.flushNul();
    if (this.held) this.held.clean = false;
  }

  private flushNul(): void {
    for (const off of this.nulRun)
      this.bad.push({ offset: off, reason: 'a line of NUL bytes (unwritten space)' });
    if (this.nulRun.length > 0 && this.held) this.held.clean = false;
    this.nulRun = [];
  }

  private line(buf: Buffer, start: number, stop: number, offset: number, end: number): void {
    this.lines++;
    if (isAllNul(buf, start, stop)) {
      this.nulRun.push(offset);
      return;
    }
    this.flushNul();
    let event: Event & { more?: unknown };
    try {
      event = toEvent(JSON.parse(buf.toString('utf8', start, stop)));
    } catch (err) {
      const reason = err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as Error).message;
      this.bad.push({ offset, reason });
      if (this.held) this.held.clean = false;
      return;
    }
    if (event.more === true) {
      delete event.more;
      this.held ??= { start: offset, events: [], clean: true };
      this.held.events.push({ event, end });
      return;
    }
    if (event.more !== undefined) delete event.more;
    if (this.held) {
      for (const h of this.held.events) this.commit(h.event, h.end);
      this.held = null;
    }
    this.commit(event, end);
  }

  private commit(event: Event, end: number): void {
    this.events++;
    this.visit(event, end);
  }
}

function isAllNul(buf: Buffer, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (buf[i] !== 0) return false;
  return true;
}
