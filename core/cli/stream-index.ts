/**
 * The stream index of a store, `meta/stream-index.json` (`{"version":2,"keys":["<type>/<id>",...],"ends":[offset,
 * "<hash>",lastSeq,...]}`, version 1 keyed by stream: each stream's active-log end, the hash of its last line and
 * its last global position; read by core/es's `parseStreamIndex`), compared with
 * the logs. It is a cache that core/es checks on open and saves when it changed, so an entry behind its log (the app
 * is running, or was stopped before saving) or a missing or unreadable file only costs reads on the next open:
 * worth a note, never a problem.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStreamIndex } from '../es/stream-index.js';
import { STORE, type StreamRef } from './layout.js';
import type { LogScan } from './log-scan.js';

/** A recorded end: `[offset, hash, lastSeq]`. */
interface IndexEntry {
  offset: number;
  lastSeq: number;
}

/** A stream whose entry does not describe its log as it is now. */
export interface StaleEntry {
  stream: string;
  reason: string;
}

/** What the stream index holds, compared with the logs. */
export interface StreamIndexCheck {
  file: string;
  exists: boolean;
  /** Why the file cannot be read (the store rebuilds it on open); null when it parses or is missing. */
  unreadable: string | null;
  /** Streams recorded in the file. */
  streams: number;
  /** Streams whose entry is behind or off their log, or that are not recorded (sorted by stream). */
  stale: StaleEntry[];
}

/** The file's entries, or why it cannot be read. */
function loadIndex(file: string): Map<string, IndexEntry> | { missing: true } | { unreadable: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { unreadable: (err as Error).message };
  }
  try {
    return parseStreamIndex(text);
  } catch (err) {
    return { unreadable: (err as Error).message };
  }
}

/** Why `entry` does not describe `scan`, or null when it does. Sizes and positions only: no line is re-read. */
function entryMismatch(entry: IndexEntry, scan: LogScan): string | null {
  if (entry.offset < scan.activeBytes)
    return `behind its log (recorded end ${entry.offset}, the log has ${scan.activeBytes} bytes)`;
  if (entry.offset > scan.activeBytes)
    return `recorded end ${entry.offset} is past the end of its log (${scan.activeBytes} bytes: rotated or cut)`;
  if (entry.lastSeq !== scan.maxSeq)
    return `recorded last position ${entry.lastSeq}, the log's is ${scan.maxSeq}`;
  return null;
}

/** Compares `meta/stream-index.json` of the store `dir` with the scans of its streams. */
export function checkStreamIndex(
  dir: string,
  streams: StreamRef[],
  scans: Map<string, LogScan>,
): StreamIndexCheck {
  const file = join(dir, STORE.streamIndex);
  const loaded = loadIndex(file);
  if (!(loaded instanceof Map)) {
    const unreadable = 'unreadable' in loaded ? loaded.unreadable : null;
    return { file, exists: unreadable !== null, unreadable, streams: 0, stale: [] };
  }
  const stale: StaleEntry[] = [];
  for (const s of streams) {
    const entry = loaded.get(s.name);
    const scan = scans.get(s.name);
    if (!scan) continue;
    if (!entry) {
      if (scan.activeBytes > 0 || scan.archivedEvents > 0)
        stale.push({ stream: s.name, reason: 'not recorded' });
      continue;
    }
    const reason = entryMismatch(entry, scan);
    if (reason) stale.push({ stream: s.name, reason });
  }
  const known = new Set(streams.map((s) => s.name));
  for (const key of loaded.keys()) {
    if (!known.has(key)) stale.push({ stream: key, reason: 'its stream no longer exists' });
  }
  stale.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  return { file, exists: true, unreadable: null, streams: loaded.size, stale };
}

/** Notes for `verify`: what the store will bring up to date on open (nothing to repair). */
export function streamIndexNotes(check: StreamIndexCheck): { file: string; message: string }[] {
  if (check.unreadable !== null)
    return [
      {
        file: check.file,
        message: `the stream index is unreadable (${check.unreadable}); the store rebuilds it on open`,
      },
    ];
  return check.stale.map((e) => ({
    file: check.file,
    message: `stream index entry of ${e.stream}: ${e.reason}; a cache, the store brings it up to date on open`,
  }));
}
