/**
 * Reading committed events with their raw lines: a log folder's full history (archive, then active log), or
 * every stream of a store in one order: the global order when every event carries a numeric `meta.position`
 * (the store's commit order), else stream by stream (type, then id).
 * @module
 */
import { EventReader, type Event, type OnCorrupt, type SkippedLine } from '../log/index.js';
import type { StreamRef } from './layout.js';

/** One committed event; `line` holds its exact bytes (no newline; a batch line keeps its `"more":true`). */
export interface HistoryEvent {
  /** `type/id` of its stream in a store; null for a log folder. */
  stream: string | null;
  event: Event;
  line: Buffer;
}

/** Options of the history readers. */
export interface HistoryOptions {
  /** `'throw'` (default) stops at a corrupt line; `'skip'` skips it and reports it to `onSkip`. */
  onCorrupt?: OnCorrupt;
  onSkip?: (skipped: SkippedLine) => void;
}

/**
 * Visits every committed event of the log folder `dir` in order. Returns the active log's end offset after the
 * last event (where a follower continues) and the number of events.
 * @throws CorruptLogError / CorruptArchiveError unless `onCorrupt` is `'skip'` (a corrupt archive frame always throws).
 */
export async function scanHistory(
  dir: string,
  stream: string | null,
  visit: (e: HistoryEvent) => void | false,
  options: HistoryOptions = {},
): Promise<{ end: number; events: number; stopped: boolean }> {
  const reader = await EventReader.open(dir);
  let events = 0;
  const result = await reader.scanFull(
    (event, _offset, _next, line) => {
      events++;
      return visit({ stream, event, line });
    },
    { onCorrupt: options.onCorrupt ?? 'throw' },
  );
  for (const s of result.skipped) options.onSkip?.(s);
  return { end: result.end, events, stopped: result.stopped };
}

/** The global position of an event (`meta.position`), if it has a numeric one. */
export function positionOf(event: Event): number | undefined {
  const p = event.meta?.position;
  return typeof p === 'number' && Number.isFinite(p) ? p : undefined;
}

/** Every committed event of a store's streams, and the order they are in. */
export interface StoreHistory {
  events: HistoryEvent[];
  /** Per stream (`type/id`): the active log's end after its last event, and its number of events. */
  ends: Map<string, { end: number; events: number }>;
  /** `'position'`: sorted by `meta.position` (global commit order); `'stream'`: stream by stream. */
  order: 'position' | 'stream';
}

/**
 * Reads every event of `streams` into memory (needed to sort them into the global order; memory is about the size
 * of the logs) and orders them. `onStream` is called after each stream.
 */
export async function readStoreHistory(
  streams: StreamRef[],
  options: HistoryOptions & { onStream?: (done: number, total: number) => void } = {},
): Promise<StoreHistory> {
  const perStream: HistoryEvent[][] = streams.map(() => []);
  const ends = new Map<string, { end: number; events: number }>();
  let positioned = true;
  let done = 0;
  let next = 0;
  // A few streams at a time (latency of small async reads is the limit); results stay in stream order.
  const worker = async (): Promise<void> => {
    while (next < streams.length) {
      const i = next++;
      const s = streams[i]!;
      const list = perStream[i]!;
      const r = await scanHistory(
        s.dir,
        s.name,
        (e) => {
          if (positioned && positionOf(e.event) === undefined) positioned = false;
          // Copied: the line is a view into a 1 MiB read buffer, which would otherwise stay alive per stream.
          list.push({ ...e, line: Buffer.from(e.line) });
        },
        options,
      );
      ends.set(s.name, { end: r.end, events: r.events });
      options.onStream?.(++done, streams.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, streams.length) }, worker));
  const events = perStream.flat();
  if (positioned && events.length > 0) {
    // Stable sort: events of one stream keep their file order even if positions tie.
    events.sort((a, b) => positionOf(a.event)! - positionOf(b.event)!);
    return { events, ends, order: 'position' };
  }
  return { events, ends, order: 'stream' };
}

/** Streams read at the same time. */
const CONCURRENCY = 16;
