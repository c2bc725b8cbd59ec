/**
 * The hot loop: splitting buffers into lines and lines into events, with byte offsets.
 *
 * Rules shared by every reader: a final line without `\n` is a torn write and is not yielded; blank lines are
 * skipped but count in offsets; a trailing `\r` (CRLF files) is not part of the line; the lines of an atomic batch
 * (all but the last carry `"more":true`) are yielded only once the batch's last line is present.
 * @module
 */
import { open } from 'node:fs/promises';
import { CorruptLogError, StaleOffsetError } from './errors.js';
import { toEvent, type Event } from './event.js';

/**
 * Called for each event read. `line` is a view of the line's bytes (no newline), valid after the call returns,
 * so a caller can hash only the lines it needs. Returning `false` stops the scan after this event.
 */
export type EventVisitor = (event: Event, offset: number, nextOffset: number, line: Buffer) => void | boolean;

/** What to do with a complete line that is not a valid event. */
export type OnCorrupt = 'throw' | 'skip';

/** A line that was skipped because it was corrupt (only with `onCorrupt: 'skip'`). */
export interface SkippedLine {
  file: string;
  offset: number;
  reason: string;
}

/**
 * {@link EventVisitor} with the line as a range of `buf` (`buf[start, stop)`, no newline) instead of a view: the
 * readers keep the range and make a view only if the line's hash is asked for. A buffer handed to
 * {@link LineParser.feed} is never written again, so a range stays valid (also that of a held batch line, which may
 * be in an earlier buffer than the batch's last line).
 */
export type RawVisitor = (
  event: Event,
  offset: number,
  nextOffset: number,
  buf: Buffer,
  start: number,
  stop: number,
) => void | boolean;

/**
 * The {@link RawVisitor} that calls `visit` with a view of the line, or without one when `visit` declares fewer
 * than four parameters: a full replay's fold never looks at the bytes, and a view per line is an allocation per
 * event.
 */
export function withLine(visit: EventVisitor): RawVisitor {
  if (visit.length < 4) return (event, offset, next) => visit(event, offset, next, EMPTY);
  return (event, offset, next, buf, start, stop) => visit(event, offset, next, buf.subarray(start, stop));
}

const EMPTY = Buffer.alloc(0);

/** How the writer ends a batch line that is not the batch's last (`serializeEvent(e, true)`). */
const MORE_TAIL = Buffer.from(',"more":true}');
const COMMA = 0x2c;
const BRACE = 0x7d;

/** Whether `buf` holds {@link MORE_TAIL} at `at` (a byte loop: `Buffer.compare` costs more for 13 bytes). */
function endsWithMore(buf: Buffer, at: number): boolean {
  for (let i = MORE_TAIL.length - 1; i >= 0; i--) if (buf[at + i] !== MORE_TAIL[i]) return false;
  return true;
}

/**
 * Parses the JSON object in `buf[start, stop)`. A line ending the way the writer marks a batch's non-final lines
 * is parsed without the marker, by ending the text one key early for the parse (the byte is put back at once):
 * deleting `more` from the parsed object instead would turn it into a slow dictionary-mode object.
 */
function parseLine(buf: Buffer, start: number, stop: number): { value: unknown; more: boolean } {
  const tail = stop - MORE_TAIL.length;
  if (tail > start && endsWithMore(buf, tail)) {
    buf[tail] = BRACE;
    let text: string;
    try {
      text = buf.toString('utf8', start, tail + 1);
    } finally {
      buf[tail] = COMMA;
    }
    return { value: JSON.parse(text), more: true };
  }
  return { value: JSON.parse(buf.toString('utf8', start, stop)), more: false };
}

interface Held {
  event: Event;
  offset: number;
  next: number;
  buf: Buffer;
  start: number;
  stop: number;
}

/** Incremental line parser; feed it consecutive chunks, then read `end` for the position after the last event. */
export class LineParser {
  /** Offset just after the last event handed to the visitor (a pending batch is not counted). */
  end: number;
  private held: Held[] = [];
  readonly skipped: SkippedLine[] = [];
  /** Set when the visitor returned `false`. */
  stopped = false;

  constructor(
    private readonly file: string,
    start: number,
    private readonly visit: RawVisitor,
    private readonly onCorrupt: OnCorrupt = 'throw',
  ) {
    this.end = start;
  }

  /**
   * Parses every complete line of `buf[from, to)`; `buf[0]` is at file offset `base`. Returns the index in `buf`
   * where the unfinished last line starts (`to` if none). `buf` must not be written afterwards (see
   * {@link RawVisitor}).
   */
  feed(buf: Buffer, base: number, from = 0, to = buf.length): number {
    let start = from;
    while (start < to) {
      const nl = buf.indexOf(10, start);
      if (nl < 0 || nl >= to) break;
      let stop = nl;
      if (stop > start && buf[stop - 1] === 13) stop--;
      if (stop > start) this.line(buf, start, stop, base + start, base + nl + 1);
      start = nl + 1;
      if (this.stopped) break;
    }
    return start;
  }

  private line(buf: Buffer, start: number, stop: number, offset: number, next: number): void {
    let event: Event & { more?: unknown };
    let more: boolean;
    try {
      const parsed = parseLine(buf, start, stop);
      event = toEvent(parsed.value);
      more = parsed.more;
    } catch (err) {
      const reason = err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as Error).message;
      if (this.onCorrupt === 'throw') throw new CorruptLogError(this.file, offset, reason);
      this.skipped.push({ file: this.file, offset, reason });
      if (this.held.length === 0) this.end = next;
      return;
    }
    if (!more && event.more !== undefined) {
      // Written some other way (by hand, or `"more":false`): the key is not part of the event.
      more = event.more === true;
      delete event.more;
    }
    if (more) {
      this.held.push({ event, offset, next, buf, start, stop });
      return;
    }
    if (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      for (const h of held) {
        this.end = h.next;
        if (this.visit(h.event, h.offset, h.next, h.buf, h.start, h.stop) === false) {
          this.stopped = true;
          return;
        }
      }
    }
    this.end = next;
    if (this.visit(event, offset, next, buf, start, stop) === false) this.stopped = true;
  }

  /** True while the last lines seen belong to a batch whose final line has not arrived (a torn batch at EOF). */
  get pendingBatch(): boolean {
    return this.held.length > 0;
  }
}

/** Chunk size for sequential reads: large enough to amortise syscalls, small enough to stay cache-friendly. */
export const CHUNK = 1 << 20;

/** Size of the reads past the size a file had when a scan opened it (to find EOF or bytes appended since). */
const PROBE = 64 << 10;

/** Result of scanning a file: where the last event ended, and what was skipped. */
export interface ScanResult {
  /** Offset just after the last event visited (or skipped corrupt line). */
  end: number;
  skipped: SkippedLine[];
  /** True if the visitor stopped the scan early. */
  stopped: boolean;
}

/**
 * Reads `file` from byte `from` to EOF and calls `visit` for each event, reading up to 1 MiB at a time.
 * A missing file reads as empty.
 * @throws StaleOffsetError when `from` is beyond the end of the file.
 * @throws CorruptLogError on a corrupt complete line (unless `onCorrupt` is `'skip'`).
 */
export async function scanFile(
  file: string,
  from: number,
  visit: EventVisitor,
  onCorrupt: OnCorrupt = 'throw',
): Promise<ScanResult> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (from > 0) throw new StaleOffsetError(file, from, 0);
    return { end: 0, skipped: [], stopped: false };
  }
  try {
    const size = (await fh.stat()).size;
    if (from > size) throw new StaleOffsetError(file, from, size);
    const parser = new LineParser(file, from, withLine(visit), onCorrupt);
    let pos = from;
    let carry: Buffer | null = null;
    for (;;) {
      const keep = carry ? carry.length : 0;
      // Sized to what the file held at open (most streams are far smaller than CHUNK: a 1 MiB buffer per small
      // file is mostly garbage-collector work); past that, a small read finds EOF or what was appended meanwhile.
      const want = pos < size ? Math.min(CHUNK, size - pos) : PROBE;
      const buf = Buffer.allocUnsafe(keep + want);
      if (carry) carry.copy(buf, 0);
      const { bytesRead } = await fh.read(buf, keep, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const filled = buf.subarray(0, keep + bytesRead);
      const consumed = parser.feed(filled, pos - filled.length);
      if (parser.stopped) break;
      carry = consumed < filled.length ? filled.subarray(consumed) : null;
    }
    return { end: parser.end, skipped: parser.skipped, stopped: parser.stopped };
  } finally {
    await fh.close();
  }
}

/**
 * Scans the events of `buf`, the whole content of `file`, from byte `from`: the synchronous path for small files,
 * where a threadpool round trip per open, stat, read and close costs more than reading a few kilobytes outright.
 * Same results, errors and torn-tail rule as {@link scanFile}.
 */
export function scanBufferSync(
  file: string,
  buf: Buffer,
  from: number,
  visit: EventVisitor,
  onCorrupt: OnCorrupt = 'throw',
): ScanResult {
  if (from > buf.length) throw new StaleOffsetError(file, from, buf.length);
  const parser = new LineParser(file, from, withLine(visit), onCorrupt);
  if (from < buf.length) parser.feed(buf.subarray(from), from);
  return { end: parser.end, skipped: parser.skipped, stopped: parser.stopped };
}
