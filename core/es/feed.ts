/**
 * Reading committed events back from the streams' logs, in global order: how projections, process managers and
 * subscriptions catch up (on open, after a failure, on rebuild) before they switch to live delivery.
 * @module
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_LOG, EventReader, lineHash, type Event } from '../log/index.js';
import type { Cursor } from './checkpoint.js';
import { compareStored, seqOf, streamKey, type StoredEvent } from './stored-event.js';

/**
 * A committed event on its way to the read side. `cursor` is where its stream has been read up to after it (live
 * delivery); `null` for events read back from disk, whose cursors come with the whole read ({@link FeedRead}).
 */
export interface Committed {
  stored: StoredEvent;
  cursor: Cursor | null;
}

/** What a catch-up read found. */
export interface FeedRead {
  /** Events after the cursors, in global order. */
  items: Committed[];
  /** Streams whose cursor no longer matches their log (rotated, truncated, edited): the consumer must rebuild. */
  invalid: string[];
  /** Cursors of the streams that were read, after the last event read (up to `until`). */
  cursors: Map<string, Cursor>;
}

/** Where the feed finds streams and how it reads their events. */
export interface FeedSource {
  /** Every aggregate type with streams. */
  types(): string[];
  /** Instance ids of an aggregate type. */
  ids(aggregateType: string): string[];
  /** The log folder of a stream. */
  streamDir(aggregateType: string, id: string): string;
  /** Upcasts a stored event of `aggregateType` to its current shape. */
  upcast(aggregateType: string, event: Event): Event;
  /**
   * The streams of `types` with an event after global position `after` (the store's stream index); every stream
   * when absent.
   */
  streamsAfter?(types: readonly string[], after: number): [string, string][];
  /** The streams of `types` that lost or changed events since the store's stream index saw them (found on open). */
  changedAmong?(types: readonly string[]): string[];
}

/** The size of a stream's active log (0 when it has none). */
export function activeLogSize(dir: string): number {
  try {
    return statSync(join(dir, ACTIVE_LOG)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** Streams read at once by a catch-up: overlaps the threadpool round trips (open, stat, read, close) of big files. */
const READ_CONCURRENCY = 16;

/**
 * A stream log up to this size (and without an archive) is read synchronously in one go: most streams are a few
 * events long, and four threadpool round trips for 1 KiB cost ten times the read.
 */
export const SMALL_STREAM_BYTES = 256 << 10;

/** Streams read between two yields to the event loop, so a long catch-up does not freeze the app's other work. */
const STREAMS_PER_TURN = 64;

/** What the catch-up read of one stream found. */
interface StreamRead {
  items: Committed[];
  invalid: boolean;
  cursor: Cursor | null;
}

/**
 * Reads every event of the streams of `types` after their cursor (the whole history for a stream without one)
 * up to global position `until` (events above it are left for live delivery), and sorts them in global order.
 * Events at or below position `after` are skipped (already consumed); events without a position (a store written by
 * the Rust crate) are included only when `after` is 0.
 *
 * Streams are read {@link READ_CONCURRENCY} at a time; the result is the same as reading them one by one in order.
 * Memory holds the events read; the cost of a stream without new bytes is one `stat`. `only` limits the read to
 * those streams (of `types`): the ones the stream index says have events after `after`.
 */
export async function readCommitted(
  source: FeedSource,
  types: readonly string[],
  cursors: ReadonlyMap<string, Cursor>,
  until: number,
  after = 0,
  only?: readonly [string, string][],
): Promise<FeedRead> {
  const streams = only ?? types.flatMap((type) => source.ids(type).map((id): [string, string] => [type, id]));
  const reads: (StreamRead | null)[] = new Array<StreamRead | null>(streams.length).fill(null);
  let next = 0;
  let failed = false;
  let sinceYield = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < streams.length && !failed; i = next++) {
      if (++sinceYield >= STREAMS_PER_TURN) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const [type, id] = streams[i]!;
      try {
        reads[i] = await readStream(source, type, id, cursors.get(streamKey(type, id)), until, after);
      } catch (err) {
        failed = true; // the other workers stop taking streams
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, streams.length) }, worker));
  const items: Committed[] = [];
  const invalid: string[] = [];
  const moved = new Map<string, Cursor>();
  streams.forEach(([type, id], i) => {
    const r = reads[i];
    if (!r) return;
    const key = streamKey(type, id);
    if (r.invalid) invalid.push(key);
    for (const item of r.items) items.push(item);
    if (r.cursor) moved.set(key, r.cursor);
  });
  // Array.prototype.sort is stable: events of one stream keep their file order.
  items.sort((a, b) => compareStored(a.stored, b.stored));
  return { items, invalid, cursors: moved };
}

/** One stream of {@link readCommitted}; `null` when it has nothing after its cursor. */
async function readStream(
  source: FeedSource,
  type: string,
  id: string,
  cursor: Cursor | undefined,
  until: number,
  after: number,
): Promise<StreamRead | null> {
  const key = streamKey(type, id);
  const dir = source.streamDir(type, id);
  // Only a (Rust-written) cursor needs the size: a position checkpoint reads what the index says is new.
  const size = cursor ? activeLogSize(dir) : -1;
  if (cursor && cursor.offset === size) return null;
  const reader = await EventReader.open(dir);
  if (
    cursor &&
    (cursor.offset > size || (cursor.offset > 0 && reader.lineHashBefore(cursor.offset) !== cursor.hash))
  ) {
    return { items: [], invalid: true, cursor: null };
  }
  const items: Committed[] = [];
  let lastLine: Buffer | null = null;
  let lastNext = -1;
  const visit = (event: Event, _offset: number, next: number, line: Buffer): boolean => {
    const seq = seqOf(event);
    if (seq > until) return false;
    if (next >= 0) {
      lastLine = line;
      lastNext = next;
    }
    if (seq === 0 ? after > 0 : seq <= after) return true;
    items.push({
      stored: { aggregateType: type, streamId: id, stream: key, seq, event: source.upcast(type, event) },
      cursor: null,
    });
    return true;
  };
  const from = cursor?.offset ?? 0;
  if (reader.scanSmallSync(from, visit, SMALL_STREAM_BYTES) === null) {
    if (cursor) await reader.scanFrom(cursor.offset, visit);
    else await reader.scanFull(visit);
  }
  return {
    items,
    invalid: false,
    cursor: lastLine !== null ? { offset: lastNext, hash: lineHash(lastLine) } : null,
  };
}
