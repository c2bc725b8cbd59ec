/**
 * EventReader: lock-free reads of a log directory: from an offset, or the full history (archive, then active log).
 * @module
 */
import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { open, stat, watch } from 'node:fs/promises';
import { readArchiveFrames } from './archive.js';
import { BatchedIterator } from './batched.js';
import { CorruptLogError, StaleOffsetError } from './errors.js';
import type { Event } from './event.js';
import { initHasher, lineHash } from './hash.js';
import { readFully } from './fsutil.js';
import { hashBeforeInFile, readRange } from './tail.js';
import {
  CHUNK,
  LineParser,
  scanFile,
  scanBufferSync,
  type EventVisitor,
  type RawVisitor,
  withLine,
  type OnCorrupt,
  type ScanResult,
} from './lines.js';
import { logPaths, type LogPaths } from './paths.js';

/** One event read from the active log. `lineHash` is computed on first access only. */
export interface ReadEntry {
  event: Event;
  /** Byte offset of the line's first byte in `app.jsonl`. */
  offset: number;
  /** Byte offset just after the line's newline: where the next read starts. */
  nextOffset: number;
  /** xxh64 of the line (without newline), 16 lowercase hex digits. */
  readonly lineHash: string;
}

/** One event of the full history. `offset`/`nextOffset` are `null` for events read from the archive. */
export interface HistoryEntry {
  event: Event;
  offset: number | null;
  nextOffset: number | null;
  readonly lineHash: string;
}

/** The line is kept as a range of the buffer it was read into: a view per event costs more than the rest of it. */
class Entry implements ReadEntry {
  private hash: string | undefined;
  constructor(
    readonly event: Event,
    readonly offset: number,
    readonly nextOffset: number,
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly stop: number,
  ) {}
  get lineHash(): string {
    return (this.hash ??= lineHash(this.buf.subarray(this.start, this.stop)));
  }
}

class ArchivedEntry implements HistoryEntry {
  readonly offset = null;
  readonly nextOffset = null;
  private hash: string | undefined;
  constructor(
    readonly event: Event,
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly stop: number,
  ) {}
  get lineHash(): string {
    return (this.hash ??= lineHash(this.buf.subarray(this.start, this.stop)));
  }
}

/**
 * Bytes parsed per batch of {@link EventReader.readFrom} / {@link EventReader.readFull}. Small on purpose: a
 * batch's entries live until the consumer has taken them all, and 1 MiB of them (~6,000 events) outlived young
 * garbage collections, which then copied and promoted them (13% of a replay's time went to the collector).
 */
const SLICE = 64 << 10;

/**
 * Parses `buf[from..]` one {@link SLICE} of whole lines at a time, yielding `take()` (the events the parser's
 * visitor collected) after each; returns where the unfinished last line starts. On a corrupt line, the events
 * before it are yielded first, as a streaming reader (and the Rust one) does.
 */
function* parseSlices<T>(
  parser: LineParser,
  buf: Buffer,
  base: number,
  from: number,
  take: () => T[],
): Generator<T[], number, undefined> {
  const len = buf.length;
  let at = from;
  while (at < len) {
    let to = len;
    if (at + SLICE < len) {
      const nl = buf.indexOf(10, at + SLICE - 1);
      if (nl >= 0) to = nl + 1;
    }
    let consumed: number;
    try {
      consumed = parser.feed(buf, base, at, to);
    } catch (err) {
      yield take();
      throw err;
    }
    yield take();
    if (consumed < to) return consumed;
    at = to;
  }
  return at;
}

/**
 * The unfinished line `carry` at the end of a frame, joined to the next `frame`'s bytes up to its first newline
 * (or to all of it if it has none); `from` is where the rest of `frame` starts. Copies one line, not the frame.
 */
function joinedHead(carry: Buffer, frame: Buffer): { buf: Buffer; from: number } {
  const nl = frame.indexOf(10);
  const from = nl < 0 ? frame.length : nl + 1;
  return { buf: Buffer.concat([carry, frame.subarray(0, from)]), from };
}

/** Visitor of the full history: `offset` and `nextOffset` are -1 for archived events. */
export type HistoryVisitor = EventVisitor;

/** Read options. */
export interface ReadOptions {
  /** `'throw'` (default) raises CorruptLogError on a corrupt complete line; `'skip'` skips and reports it. */
  onCorrupt?: OnCorrupt;
}

/** Result of {@link EventReader.waitForEvents}. */
export type WaitResult =
  | { kind: 'new-data'; size: number }
  | { kind: 'timeout' }
  /** The offset is beyond the end of the active log: rotated away; restart from the archive. */
  | { kind: 'rotated'; size: number };

/**
 * Reads a log directory. Needs no lock and can be used while a writer appends (a half-written last line is not
 * visible). Create one with {@link EventReader.open} or `writer.reader()`.
 *
 * @example
 * const reader = await EventReader.open('./data');
 * for await (const { event, nextOffset } of reader.readFrom(0)) console.log(event.type, nextOffset);
 */
export class EventReader {
  /** Paths of the directory's files. */
  readonly paths: LogPaths;

  private constructor(dir: string) {
    this.paths = logPaths(dir);
  }

  /** A reader of `dir` (which need not exist yet). */
  static async open(dir: string): Promise<EventReader> {
    await initHasher();
    return new EventReader(dir);
  }

  /** The log directory. */
  get dir(): string {
    return this.paths.dir;
  }

  /** Current size of `app.jsonl` in bytes (0 if missing). */
  async activeLogSize(): Promise<number> {
    try {
      return (await stat(this.paths.log)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
  }

  /**
   * Fast path: calls `visit` for each event of the active log from `offset` (a line start), without an await
   * per event and without hashing. Returns the offset after the last event.
   * @throws StaleOffsetError if `offset` is beyond the end of the log (rotated away).
   */
  scanFrom(offset: number, visit: EventVisitor, options: ReadOptions = {}): Promise<ScanResult> {
    return scanFile(this.paths.log, offset, visit, options.onCorrupt);
  }

  /**
   * {@link EventReader.scanFrom} in one synchronous read, when the log has no archive and its active log is at most
   * `maxBytes` long: many small logs (one per aggregate instance) read faster this way than with a threadpool round
   * trip per open, stat, read and close. Returns `null` (having read nothing) when the log does not qualify.
   */
  scanSmallSync(
    offset: number,
    visit: EventVisitor,
    maxBytes: number,
    options: ReadOptions = {},
  ): ScanResult | null {
    // Open, then read up to `maxBytes + 1` bytes into a scratch buffer: reading less means the whole file, with
    // no stat (open, read, close and the archive check, for each of the many tiny logs of a store).
    let fd = -1;
    try {
      fd = openSync(this.paths.log, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let buf: Buffer;
    try {
      if (existsSync(this.paths.archive)) return null;
      if (fd < 0) {
        buf = Buffer.alloc(0);
      } else if (maxBytes >= SMALL_SCRATCH) {
        // A limit above the scratch buffer: size the file first.
        const size = fstatSync(fd).size;
        if (size > maxBytes) return null;
        buf = readRange(fd, 0, size);
      } else {
        const room = (smallScratch ??= Buffer.allocUnsafeSlow(SMALL_SCRATCH));
        const got = readFully(fd, room, maxBytes + 1);
        if (got > maxBytes) return null;
        buf = Buffer.from(room.subarray(0, got)); // lines handed to visitors must outlive the next scan
      }
    } finally {
      if (fd >= 0) closeSync(fd);
    }
    return scanBufferSync(this.paths.log, buf, offset, visit, options.onCorrupt);
  }

  /**
   * Fast path over the whole history: archive frames (offsets -1), then the active log.
   * Memory is bounded by one archive frame.
   */
  async scanFull(visit: EventVisitor, options: ReadOptions = {}): Promise<ScanResult> {
    const lines = withLine(visit);
    const archivedVisit: RawVisitor = (e, _o, _n, buf, start, stop) => lines(e, -1, -1, buf, start, stop);
    const parser = new LineParser(this.paths.archive, 0, archivedVisit, options.onCorrupt);
    let carry: Buffer | null = null;
    let archived = 0; // decompressed bytes of the frames before this one
    for await (const frame of readArchiveFrames(this.paths.archive)) {
      let from = 0;
      if (carry) {
        // The line a frame boundary cut: its start, joined to the frame's bytes up to its first newline.
        const head = joinedHead(carry, frame);
        const consumed = parser.feed(head.buf, archived - carry.length);
        if (parser.stopped) return { end: 0, skipped: parser.skipped, stopped: true };
        from = head.from;
        carry = consumed < head.buf.length ? head.buf.subarray(consumed) : null;
      }
      if (!carry) {
        const consumed = parser.feed(frame, archived, from);
        if (parser.stopped) return { end: 0, skipped: parser.skipped, stopped: true };
        carry = consumed < frame.length ? frame.subarray(consumed) : null;
      }
      archived += frame.length;
    }
    const active = await this.scanFrom(0, visit, options);
    return { ...active, skipped: [...parser.skipped, ...active.skipped] };
  }

  /**
   * Events of the active log from byte `offset`, each with its offsets and (lazy) line hash.
   * @throws StaleOffsetError if `offset` is beyond the end of the log.
   */
  readFrom(offset: number, options: ReadOptions = {}): AsyncGenerator<ReadEntry, void, undefined> {
    return new BatchedIterator(this.activeBatches(offset, options));
  }

  /**
   * The whole history: every archived event (offsets `null`), then the active log's. Memory is bounded by one
   * archive frame plus the events of one 1 MiB slice of it.
   */
  readFull(options: ReadOptions = {}): AsyncGenerator<HistoryEntry, void, undefined> {
    return new BatchedIterator<HistoryEntry>(this.historyBatches(options));
  }

  /** The events of the active log from `offset`, one batch per 1 MiB read. */
  private async *activeBatches(
    offset: number,
    options: ReadOptions,
  ): AsyncGenerator<Entry[], void, undefined> {
    let fh;
    try {
      fh = await open(this.paths.log, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (offset > 0) throw new StaleOffsetError(this.paths.log, offset, 0);
      return;
    }
    try {
      const size = (await fh.stat()).size;
      if (offset > size) throw new StaleOffsetError(this.paths.log, offset, size);
      let batch: Entry[] = [];
      const take = (): Entry[] => {
        const ready = batch;
        batch = [];
        return ready;
      };
      const parser = new LineParser(
        this.paths.log,
        offset,
        (e, o, n, buf, start, stop) => {
          batch.push(new Entry(e, o, n, buf, start, stop));
        },
        options.onCorrupt,
      );
      let pos = offset;
      let carry: Buffer | null = null;
      for (;;) {
        const keep = carry ? carry.length : 0;
        // A new buffer per read (the entries keep ranges of it), the unfinished line copied to its start.
        const buf = Buffer.allocUnsafe(keep + CHUNK);
        if (carry) carry.copy(buf, 0);
        const { bytesRead } = await fh.read(buf, keep, CHUNK, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        const filled = buf.subarray(0, keep + bytesRead);
        const consumed: number = yield* parseSlices(parser, filled, pos - filled.length, 0, take);
        carry = consumed < filled.length ? filled.subarray(consumed) : null;
      }
    } finally {
      await fh.close();
    }
  }

  /** The archive's events, each frame parsed a {@link SLICE} at a time, then the active log's. */
  private async *historyBatches(options: ReadOptions): AsyncGenerator<HistoryEntry[], void, undefined> {
    let batch: ArchivedEntry[] = [];
    const take = (): ArchivedEntry[] => {
      const ready = batch;
      batch = [];
      return ready;
    };
    const parser = new LineParser(
      this.paths.archive,
      0,
      (e, _o, _n, buf, start, stop) => {
        batch.push(new ArchivedEntry(e, buf, start, stop));
      },
      options.onCorrupt,
    );
    let carry: Buffer | null = null;
    let archived = 0; // decompressed bytes of the frames before this one
    for await (const frame of readArchiveFrames(this.paths.archive)) {
      let from = 0;
      if (carry) {
        const head = joinedHead(carry, frame);
        const consumed: number = yield* parseSlices(parser, head.buf, archived - carry.length, 0, take);
        from = head.from;
        carry = consumed < head.buf.length ? head.buf.subarray(consumed) : null;
      }
      if (!carry) {
        const consumed: number = yield* parseSlices(parser, frame, archived, from, take);
        carry = consumed < frame.length ? frame.subarray(consumed) : null;
      }
      archived += frame.length;
    }
    yield* this.activeBatches(0, options);
  }

  /**
   * The hash of the line that ends at byte `offset` (its newline is at `offset - 1`), or `''` for offset 0.
   * Scans back as far as needed: lines of any length work. Returns `null` if `offset` is not a line end.
   */
  lineHashBefore(offset: number): string | null {
    return hashBeforeInFile(this.paths.log, offset);
  }

  /**
   * Whether a complete new event exists after `offset`. Also true when `offset` is stale (beyond the end, after a
   * rotation), so a polling loop calls `readFrom` and learns to restart from the archive.
   */
  async hasNewEvents(offset: number): Promise<boolean> {
    const size = await this.activeLogSize();
    if (size < offset) return true;
    if (size === offset) return false;
    return this.visibleAfter(offset);
  }

  /**
   * Whether `readFrom(offset)` would yield an event now. A torn last line and the lines of an unfinished batch do
   * not count (finding a newline is not enough: a crashed batch's complete `"more"` lines stay invisible, and a
   * poller told "new events" would spin on them). A corrupt line counts, so the caller reads and sees the error.
   */
  private async visibleAfter(offset: number): Promise<boolean> {
    try {
      return (await scanFile(this.paths.log, offset, () => false)).stopped;
    } catch (err) {
      if (err instanceof CorruptLogError || err instanceof StaleOffsetError) return true;
      throw err;
    }
  }

  /**
   * Waits until a complete event exists after `offset`, or `timeoutMs` passes. Uses `fs.watch` on the directory,
   * with polling as a fallback (network filesystems, missed notifications).
   */
  async waitForEvents(offset: number, timeoutMs: number, pollMs = 250): Promise<WaitResult> {
    const deadline = Date.now() + timeoutMs;
    const ac = new AbortController();
    const waker: { wake: (() => void) | null } = { wake: null };
    const watcher = (async () => {
      try {
        for await (const _ of watch(this.paths.dir, { signal: ac.signal })) waker.wake?.();
      } catch {
        // aborted, or watching unsupported: polling covers it
      }
    })();
    try {
      for (;;) {
        const size = await this.activeLogSize();
        if (size < offset) return { kind: 'rotated', size };
        if (size > offset && (await this.visibleAfter(offset))) return { kind: 'new-data', size };
        const left = deadline - Date.now();
        if (left <= 0) return { kind: 'timeout' };
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, pollMs));
          waker.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        waker.wake = null;
      }
    } finally {
      ac.abort();
      await watcher;
    }
  }
}

/** The scratch buffer of {@link EventReader.scanSmallSync} (one per process: scans are synchronous). */
let smallScratch: Buffer | null = null;
/** Its size: a limit up to this many bytes reads into it (one byte more than the limit tells a longer file). */
const SMALL_SCRATCH = 256 * 1024 + 1;
