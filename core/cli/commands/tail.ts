/**
 * `eventfold tail <dir> [--follow] [--type T] [--stream S] [-n N]`: events as JSONL on stdout (jq-friendly), from a
 * log folder or every stream of a store; `--follow` keeps printing new events as they are committed.
 * @module
 */
import { EventReader, logPaths, StaleOffsetError, type Event, type SkippedLine } from '../../log/index.js';
import { flag, stringOpt, stringsOpt, type Command } from '../command.js';
import { UsageError } from '../errors.js';
import { fileSize } from '../fs.js';
import { scanHistory, readStoreHistory, positionOf, type HistoryEvent } from '../history.js';
import { openFolder } from '../journal.js';
import { listStreams } from '../layout.js';
import type { Output } from '../output.js';

/** Which events to print. */
interface Filter {
  types: Set<string>;
  streams: string[];
}

function matchStream(filter: Filter, name: string): boolean {
  if (filter.streams.length === 0) return true;
  return filter.streams.some((s) => (s.includes('/') ? s === name : name.startsWith(`${s}/`)));
}

function matches(filter: Filter, e: HistoryEvent): boolean {
  return filter.types.size === 0 || filter.types.has(e.event.type);
}

/** The JSONL line of an event: the event itself, with its stream first for a store. */
function jsonLine(e: HistoryEvent): string {
  return e.stream === null ? JSON.stringify(e.event) : JSON.stringify({ stream: e.stream, ...e.event });
}

/** Keeps only the last `n` items pushed (all when n is null). */
class LastN<T> {
  readonly items: T[] = [];
  constructor(private readonly n: number | null) {}
  push(x: T): void {
    if (this.n === 0) return;
    this.items.push(x);
    if (this.n !== null && this.items.length > this.n) this.items.shift();
  }
}

function warnSkipped(out: Output): (s: SkippedLine) => void {
  return (s) => out.warn(`skipped a corrupt line at byte ${s.offset} of ${s.file}: ${s.reason}`);
}

/** Resolves when SIGINT or SIGTERM arrives (a follower's normal end). */
function stopSignal(): { stopped: () => boolean; wait: Promise<void>; dispose: () => void } {
  let stop = false;
  let resolve!: () => void;
  const wait = new Promise<void>((r) => (resolve = r));
  const on = (): void => {
    stop = true;
    resolve();
  };
  process.once('SIGINT', on);
  process.once('SIGTERM', on);
  return {
    stopped: () => stop,
    wait,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

const sleep = (ms: number, stop: Promise<void>): Promise<void> =>
  Promise.race([new Promise<void>((r) => setTimeout(r, ms)), stop]);

/** Where a follower is in one log folder. */
interface Cursor {
  /** Active log offset after the last event read. */
  offset: number;
  /** Hash of the line before `offset`: if it changed, the log was rotated (or rewritten). */
  hash: string | null;
  /** Events of the whole history read so far: the position that survives a rotation. */
  seen: number;
  /** Archive size when last read: a rotation always grows it. */
  archiveBytes: number;
}

/** New committed events of the log folder `dir` since `cursor`, which is moved past them. */
async function readNew(
  dir: string,
  stream: string | null,
  cursor: Cursor,
  onSkip: (x: SkippedLine) => void,
): Promise<HistoryEvent[]> {
  const reader = await EventReader.open(dir);
  const out: HistoryEvent[] = [];
  const archiveBytes = fileSize(reader.paths.archive);
  if (archiveBytes === cursor.archiveBytes && reader.lineHashBefore(cursor.offset) === cursor.hash) {
    try {
      const res = await reader.scanFrom(
        cursor.offset,
        (event, _o, _n, line) => {
          cursor.seen++;
          out.push({ stream, event, line });
        },
        { onCorrupt: 'skip' },
      );
      res.skipped.forEach(onSkip);
      cursor.offset = res.end;
      cursor.hash = reader.lineHashBefore(cursor.offset);
      return out;
    } catch (err) {
      if (!(err instanceof StaleOffsetError)) throw err;
      cursor.seen -= out.length;
      out.length = 0;
    }
  }
  // Rotated since the last read: skip the events already printed in the whole history.
  let index = 0;
  const seen = cursor.seen;
  const res = await scanHistory(dir, stream, (e) => void (index++ >= seen && out.push(e)), {
    onCorrupt: 'skip',
    onSkip,
  });
  cursor.seen = res.events;
  cursor.offset = res.end;
  cursor.hash = reader.lineHashBefore(cursor.offset);
  cursor.archiveBytes = archiveBytes;
  return out;
}

/** A cursor at the end of a history that has `events` events and whose active log ends at `end`. */
async function cursorAt(dir: string, end: number, events: number): Promise<Cursor> {
  const reader = await EventReader.open(dir);
  return {
    offset: end,
    hash: reader.lineHashBefore(end),
    seen: events,
    archiveBytes: fileSize(reader.paths.archive),
  };
}

async function tailLog(
  dir: string,
  filter: Filter,
  lines: number | null,
  follow: boolean,
  out: Output,
): Promise<void> {
  const last = new LastN<HistoryEvent>(lines);
  const onSkip = warnSkipped(out);
  const first = await scanHistory(dir, null, (e) => (matches(filter, e) ? last.push(e) : undefined), {
    onCorrupt: 'skip',
    onSkip,
  });
  for (const e of last.items) await out.line(jsonLine(e));
  if (!follow) return;

  const reader = await EventReader.open(dir);
  const cursor = await cursorAt(dir, first.end, first.events);
  const signal = stopSignal();
  try {
    while (!signal.stopped()) {
      // Wakes on new data (fs.watch, polling as fallback); a timeout still re-checks for a rotation.
      const r = await Promise.race([reader.waitForEvents(cursor.offset, 1000), signal.wait.then(() => null)]);
      if (r === null || signal.stopped()) break;
      if (r.kind === 'timeout' && fileSize(reader.paths.archive) === cursor.archiveBytes) continue;
      for (const e of await readNew(dir, null, cursor, onSkip))
        if (matches(filter, e)) await out.line(jsonLine(e));
    }
  } finally {
    signal.dispose();
  }
}

function byGlobalOrder(events: HistoryEvent[]): HistoryEvent[] {
  const positioned = events.every((e) => positionOf(e.event) !== undefined);
  const key = (e: Event): number => (positioned ? positionOf(e)! : e.ts);
  return events.sort((a, b) => key(a.event) - key(b.event));
}

async function tailStore(
  dir: string,
  filter: Filter,
  lines: number | null,
  follow: boolean,
  out: Output,
): Promise<void> {
  const onSkip = warnSkipped(out);
  const streams = listStreams(dir).filter((s) => matchStream(filter, s.name));
  const history = await readStoreHistory(streams, { onCorrupt: 'skip', onSkip });
  const last = new LastN<HistoryEvent>(lines);
  for (const e of history.events) if (matches(filter, e)) last.push(e);
  for (const e of last.items) await out.line(jsonLine(e));
  if (!follow) return;

  const cursors = new Map<string, Cursor>();
  for (const s of streams) {
    const end = history.ends.get(s.name) ?? { end: 0, events: 0 };
    cursors.set(s.name, await cursorAt(s.dir, end.end, end.events));
  }
  const signal = stopSignal();
  try {
    // Polling: a store has many small folders, and new streams appear; a stat per stream per poll is cheap.
    while (!signal.stopped()) {
      await sleep(300, signal.wait);
      if (signal.stopped()) break;
      const batch: HistoryEvent[] = [];
      for (const s of listStreams(dir)) {
        if (!matchStream(filter, s.name)) continue;
        let cursor = cursors.get(s.name);
        if (!cursor) {
          cursor = { offset: 0, hash: '', seen: 0, archiveBytes: 0 };
          cursors.set(s.name, cursor);
        }
        const paths = logPaths(s.dir);
        if (fileSize(paths.log) === cursor.offset && fileSize(paths.archive) === cursor.archiveBytes)
          continue;
        for (const e of await readNew(s.dir, s.name, cursor, onSkip)) if (matches(filter, e)) batch.push(e);
      }
      for (const e of byGlobalOrder(batch)) await out.line(jsonLine(e));
    }
  } finally {
    signal.dispose();
  }
}

/** `eventfold tail`. */
export const tailCommand: Command = {
  name: 'tail',
  summary: 'print events as JSONL (jq-friendly); --follow prints new events as they are committed',
  positionals: ['<dir>'],
  options: {
    follow: {
      type: 'boolean',
      short: 'f',
      description: 'keep running and print new events as they arrive (Ctrl-C to stop)',
    },
    type: { type: 'string', multiple: true, value: '<type>', description: 'only events of this type' },
    stream: {
      type: 'string',
      multiple: true,
      value: '<type/id|type>',
      description: 'store only: only this stream, or every stream of this aggregate type',
    },
    lines: {
      type: 'string',
      short: 'n',
      value: '<n>',
      description: 'start with only the last n matching events (default: all)',
    },
  },
  description: `
Prints one JSON object per line on stdout: the event ({"type","data","ts","id","actor","meta"}); for a store each
line starts with "stream":"<type>/<id>". A log folder is read in order (archive, then active log). A store is read
in its global order when every event carries a numeric meta.position, otherwise stream by stream; with --follow,
new events of one poll are printed by position (or by ts). Corrupt lines are skipped with a warning on stderr.
--json is accepted and changes nothing: the output is always JSONL.`,
  examples: [
    'eventfold tail ./data -n 20',
    'eventfold tail ./store --stream contact --type ContactCreated | jq .data.name',
    'eventfold tail ./store --follow',
  ],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    const n = stringOpt(args, 'lines');
    let lines: number | null = null;
    if (n !== undefined) {
      if (!/^\d+$/.test(n)) throw new UsageError(`--lines takes a number of events, not "${n}"`, 'tail');
      lines = Number(n);
    }
    const { kind } = await openFolder(dir, out);
    const filter: Filter = { types: new Set(stringsOpt(args, 'type')), streams: stringsOpt(args, 'stream') };
    if (kind === 'log' && filter.streams.length > 0) {
      throw new UsageError('--stream is for a store; this is a single log folder', 'tail');
    }
    if (kind === 'log') await tailLog(dir, filter, lines, flag(args, 'follow'), out);
    else await tailStore(dir, filter, lines, flag(args, 'follow'), out);
    return 0;
  },
};
