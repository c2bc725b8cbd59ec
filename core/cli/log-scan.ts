/**
 * A full, read-only scan of one log folder: every archive frame and every line of the archive and the active
 * log, with counts, sizes, the end offset of each committed event (for lag), and the problems found.
 * @module
 */
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CorruptArchiveError,
  logPaths,
  readArchiveFrames,
  ROTATION_MARKER,
  type Event,
} from '../log/index.js';
import { fileSize } from './fs.js';
import { LineChecker } from './line-check.js';
import type { Problem } from './problems.js';

/** What a scan of one log folder found. */
export interface LogScan {
  dir: string;
  /** Size of `app.jsonl` (0 if missing). */
  activeBytes: number;
  /** Size of `archive.jsonl.zst` on disk (compressed). */
  archiveBytes: number;
  /** Archive frames read successfully. */
  frames: number;
  archivedEvents: number;
  activeEvents: number;
  /** Complete non-blank lines checked (archive and active log). */
  lines: number;
  /** End offset of every committed event of the active log, ascending: lag in events is a binary search away. */
  eventEnds: number[];
  /**
   * The global position (`meta.seq`, see {@link storeSeqOf}) of every committed event of the whole history, archive
   * first: `seqs[archivedEvents + i]` is the event ending at `eventEnds[i]`. 0 for an unnumbered event.
   */
  seqs: number[];
  /** The highest global position in the history (0 when no event is numbered). */
  maxSeq: number;
  /** The last committed event of the whole history, if any. */
  lastEvent: Event | null;
  problems: Problem[];
}

/** Reads a file in 1 MiB chunks. */
async function* chunks(file: string): AsyncGenerator<{ buf: Buffer; base: number }> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    let pos = 0;
    for (;;) {
      // Sized to what is left: a store has thousands of small logs, and a 1 MiB buffer each keeps the GC busy.
      const buf = Buffer.allocUnsafe(size > pos ? Math.min(1 << 20, size - pos) : 1 << 16);
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      yield { buf: buf.subarray(0, bytesRead), base: pos };
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Scans the log folder `dir`. `onBytes` is called with the number of bytes read (compressed archive frames are
 * counted by their decompressed size) for a progress bar.
 */
export async function scanLog(dir: string, onBytes: (n: number) => void = () => {}): Promise<LogScan> {
  const paths = logPaths(dir);
  const problems: Problem[] = [];
  let lastEvent: Event | null = null;
  const scan: LogScan = {
    dir,
    activeBytes: fileSize(paths.log),
    archiveBytes: fileSize(paths.archive),
    frames: 0,
    archivedEvents: 0,
    activeEvents: 0,
    lines: 0,
    eventEnds: [],
    seqs: [],
    maxSeq: 0,
    lastEvent: null,
    problems,
  };
  const numbered = (e: Event): void => {
    const seq = storeSeqOf(e);
    scan.seqs.push(seq);
    if (seq > scan.maxSeq) scan.maxSeq = seq;
  };

  // Archive: offsets of lines are in the decompressed history, the only place where they mean something.
  const archived = new LineChecker((e) => {
    numbered(e);
    lastEvent = e;
  });
  let decompressed = 0;
  try {
    for await (const frame of readArchiveFrames(paths.archive)) {
      archived.feed(frame, decompressed);
      decompressed += frame.length;
      scan.frames++;
      onBytes(frame.length);
    }
    const end = archived.finish(decompressed);
    if (end.torn) {
      problems.push({
        kind: 'corrupt-archive-line',
        file: paths.archive,
        offset: end.torn.offset,
        message: `the archive ends in the middle of a line (${end.torn.bytes} bytes at decompressed byte ${end.torn.offset}); restore it from a backup`,
        repairable: false,
      });
    }
    if (end.batch) {
      problems.push({
        kind: 'corrupt-archive-line',
        file: paths.archive,
        offset: end.batch.offset,
        message: `the archive ends with ${end.batch.lines} line(s) of an unfinished batch (decompressed byte ${end.batch.offset}); readers never show them`,
        repairable: false,
      });
    }
  } catch (err) {
    if (!(err instanceof CorruptArchiveError)) throw err;
    problems.push({
      kind: 'corrupt-archive',
      file: paths.archive,
      offset: err.offset,
      message: `archive frame ${scan.frames + 1} at byte ${err.offset} cannot be read (${archiveReason(err)}); the ${scan.frames} frame(s) before it are fine. Restore the archive from a backup`,
      repairable: false,
    });
  }
  for (const b of archived.bad) {
    problems.push({
      kind: 'corrupt-archive-line',
      file: paths.archive,
      offset: b.offset,
      message: `corrupt line at decompressed byte ${b.offset} of the archive: ${b.reason}`,
      repairable: false,
    });
  }
  scan.archivedEvents = archived.events;

  const active = new LineChecker((e, end) => {
    scan.eventEnds.push(end);
    numbered(e);
    lastEvent = e;
  });
  for await (const { buf, base } of chunks(paths.log)) {
    active.feed(buf, base);
    onBytes(buf.length);
  }
  const tail = active.finish(scan.activeBytes);
  for (const b of active.bad) {
    problems.push({
      kind: 'corrupt-line',
      file: paths.log,
      offset: b.offset,
      message: `corrupt line at byte ${b.offset}: ${b.reason}. The engine never deletes committed lines: fix or remove it by hand, or restore from a backup`,
      repairable: false,
    });
  }
  if (tail.batch) {
    problems.push({
      kind: 'unfinished-batch',
      file: paths.log,
      offset: tail.batch.offset,
      message: tail.batch.clean
        ? `${tail.batch.lines} line(s) of an unfinished atomic batch at byte ${tail.batch.offset} (a crash mid-batch); --repair removes them`
        : `${tail.batch.lines} line(s) of an unfinished atomic batch at byte ${tail.batch.offset}, followed by a corrupt line, so they cannot be rolled back safely`,
      repairable: tail.batch.clean,
    });
  }
  if (tail.torn) {
    problems.push({
      kind: 'torn-tail',
      file: paths.log,
      offset: tail.torn.offset,
      message: `torn last line at byte ${tail.torn.offset} (${tail.torn.bytes} bytes without a newline or unwritten NUL space, a crash mid-append); --repair truncates it`,
      repairable: true,
    });
  }
  if (existsSync(join(dir, ROTATION_MARKER))) {
    problems.push({
      kind: 'rotation-pending',
      file: join(dir, ROTATION_MARKER),
      offset: 0,
      message:
        'a rotation was interrupted (rotation.json is present); --repair finishes or undoes it, as opening the log does',
      repairable: true,
    });
  }
  scan.activeEvents = active.events;
  scan.lines = archived.lines + active.lines;
  scan.lastEvent = lastEvent;
  // Archive problems first, then the active log's, each in file order.
  const rank = (p: Problem): number => (p.file === paths.archive ? 0 : p.file === paths.log ? 1 : 2);
  problems.sort((a, b) => rank(a) - rank(b) || a.offset - b.offset);
  return scan;
}

/** The reason inside a CorruptArchiveError's message (the error keeps only file and offset as fields). */
function archiveReason(err: CorruptArchiveError): string {
  const prefix = `Corrupt archive frame at byte ${err.offset} of ${err.file}: `;
  let reason = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  const cut = reason.indexOf('. Restore the archive');
  if (cut >= 0) reason = reason.slice(0, cut);
  return reason;
}

/** Committed events of the active log after byte `offset`, from a scan's `eventEnds`. */
export function eventsAfter(scan: LogScan, offset: number): number {
  const ends = scan.eventEnds;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return ends.length - lo;
}

/**
 * The global position core/es gives an event (`meta.seq`, a positive safe integer), 0 when it has none (written by
 * the Rust crate or before positions existed). The same rule as core/es, so lag counts what the store would read.
 */
export function storeSeqOf(event: Event): number {
  const seq = event.meta?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : 0;
}

/**
 * The committed events a consumer at global `position` has not read yet, and the bytes of active log they take
 * (rotated ones count in events only: the archive is compressed). At position 0 every event is unread, numbered
 * or not, as the store reads every stream from the start then.
 */
export function eventsAfterPosition(scan: LogScan, position: number): { events: number; bytes: number } {
  let events = 0;
  let bytes = 0;
  scan.seqs.forEach((seq, i) => {
    if (position > 0 && seq <= position) return;
    events++;
    const j = i - scan.archivedEvents;
    if (j >= 0) bytes += scan.eventEnds[j]! - (j > 0 ? scan.eventEnds[j - 1]! : 0);
  });
  return { events, bytes };
}
