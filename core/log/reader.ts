/**
 * EventReader: lock-free reads of a log directory: from an offset, or the full history (archive, then active log).
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { open, stat, watch } from 'node:fs/promises';
import { readArchiveFrames } from './archive.js';
import { BatchedIterator } from './batched.js';
import { CorruptLogError, StaleOffsetError } from './errors.js';
import type { Event } from './event.js';
import { initHasher, lineHash } from './hash.js';
import { hashBeforeInFile } from './tail.js';
import {
  CHUNK,
  LineParser,
  scanFile,
  scanFileSync,
  type EventVisitor,
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

class Entry implements ReadEntry {
  private hash: string | undefined;
  constructor(
    readonly event: Event,
    readonly offset: number,
    readonly nextOffset: number,
    private readonly line: Buffer,
  ) {}
  get lineHash(): string {
    return (this.hash ??= lineHash(this.line));
  }
}

class ArchivedEntry implements HistoryEntry {
  readonly offset = null;
  readonly nextOffset = null;
  private hash: string | undefined;
  constructor(
    readonly event: Event,
    private readonly line: Buffer,
  ) {}
  get lineHash(): string {
    return (this.hash ??= lineHash(this.line));
  }
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
    if (existsSync(this.paths.archive)) return null;
    let size: number;
    try {
      size = statSync(this.paths.log).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      size = 0;
    }
    if (size > maxBytes) return null;
    return scanFileSync(this.paths.log, offset, visit, options.onCorrupt);
  }

  /**
   * Fast path over the whole history: archive frames (offsets -1), then the active log.
   * Memory is bounded by one archive frame.
   */
  async scanFull(visit: EventVisitor, options: ReadOptions = {}): Promise<ScanResult> {
    const parser = new LineParser(
      this.paths.archive,
      0,
      (e, _o, _n, line) => visit(e, -1, -1, line),
      options.onCorrupt,
    );
    let carry: Buffer | null = null;
    let archived = 0;
    for await (const frame of readArchiveFrames(this.paths.archive)) {
      const buf: Buffer = carry ? Buffer.concat([carry, frame]) : frame;
      const consumed = parser.feed(buf, archived - (carry?.length ?? 0));
      if (parser.stopped) return { end: 0, skipped: parser.skipped, stopped: true };
      archived += frame.length;
      carry = consumed < buf.length ? buf.subarray(consumed) : null;
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
      const parser = new LineParser(
        this.paths.log,
        offset,
        (e, o, n, line) => {
          batch.push(new Entry(e, o, n, line));
        },
        options.onCorrupt,
      );
      let pos = offset;
      let carry: Buffer | null = null;
      for (;;) {
        const keep = carry ? carry.length : 0;
        const buf = Buffer.allocUnsafe(keep + CHUNK);
        if (carry) carry.copy(buf, 0);
        const { bytesRead } = await fh.read(buf, keep, CHUNK, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        const filled = buf.subarray(0, keep + bytesRead);
        let consumed: number;
        try {
          consumed = parser.feed(filled, pos - filled.length);
        } catch (err) {
          // A corrupt line: deliver the events before it first, as a streaming reader (and the Rust one) does.
          yield batch;
          throw err;
        }
        carry = consumed < filled.length ? filled.subarray(consumed) : null;
        const ready = batch;
        batch = [];
        yield ready;
      }
    } finally {
      await fh.close();
    }
  }

  /** The archive's events, each frame parsed 1 MiB at a time, then the active log's. */
  private async *historyBatches(options: ReadOptions): AsyncGenerator<HistoryEntry[], void, undefined> {
    let batch: ArchivedEntry[] = [];
    const parser = new LineParser(
      this.paths.archive,
      0,
      (e, _o, _n, line) => {
        batch.push(new ArchivedEntry(e, line));
      },
      options.onCorrupt,
    );
    let carry: Buffer | null = null;
    let archived = 0; // decompressed bytes of the frames before this one
    for await (const frame of readArchiveFrames(this.paths.archive)) {
      for (let at = 0; at < frame.length;) {
        const end = Math.min(frame.length, at + CHUNK);
        const piece = frame.subarray(at, end);
        const buf: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
        let consumed: number;
        try {
          consumed = parser.feed(buf, archived + at - (carry?.length ?? 0));
        } catch (err) {
          yield batch; // the events before a corrupt line first, as in readFrom
          throw err;
        }
        carry = consumed < buf.length ? buf.subarray(consumed) : null;
        at = end;
        const ready = batch;
        batch = [];
        yield ready;
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
