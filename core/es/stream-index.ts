/**
 * The stream index `meta/stream-index.json`: where every stream's log ends (byte offset and hash of the last line of
 * `app.jsonl`) and the global position of its last event. One file for the whole store, so projections and process
 * managers checkpoint only their state and position: catching up reads just the streams whose last event is newer
 * than the consumer's position, and no checkpoint carries a cursor per stream.
 *
 * The file is a cache, checked against the logs on open: a stream whose log is exactly as long as recorded costs one
 * `stat`; one that grew is read from the recorded end (after checking the hash of the line before it); one that
 * shrank or whose line no longer matches is read whole. A stream that was only rotated (its history moved into the
 * archive) keeps its events and positions, so nothing rebuilds; one that lost or changed events it had is reported,
 * and the read models that follow its type rebuild.
 *
 * After a clean close the file carries a token that the store also writes to `meta/clean-close.json`; an open that
 * finds both (and removes the marker first, so that a crash in this session is never taken for a clean close)
 * trusts the recorded ends without a `stat` per stream, and checks them in the background instead
 * ({@link StreamIndex.verify}): only a hand edit or another tool can have changed a log in between.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { EventReader, lineHash, writeFileAtomic, type Event, type Logger } from '../log/index.js';
import { readFileIfExists } from '../log/fsutil.js';
import { activeLogSize, SMALL_STREAM_BYTES } from './feed.js';
import { seqOf, streamKey } from './stored-event.js';

/** Where a stream's active log ends and the global position of its last event (0: none has one). */
export interface StreamEnd {
  offset: number;
  hash: string;
  lastSeq: number;
}

/** The streams to index, by aggregate type. */
export interface IndexedStreams {
  types(): string[];
  ids(aggregateType: string): string[];
  streamDir(aggregateType: string, id: string): string;
  /** The streams are the index file's own keys (a trusted open): nothing to compare them with. */
  fromIndex?: boolean;
}

/** A stream index file as read: each stream's end, and the token of the clean close that saved it. */
export interface SavedStreamIndex {
  ends: Map<string, StreamEnd>;
  token: string | null;
}

/** What opening the index found, for the recovery report and the consumers. */
export interface StreamIndexReport {
  /** Streams whose recorded end matched without a read. */
  unchanged: number;
  /** Streams read from their recorded end (they grew since the file was saved). */
  grown: number;
  /** Streams read whole: new to the file, rotated, or changed. */
  readWhole: number;
  /** Streams that lost or changed events the index had seen, with why: read models of their type rebuild. */
  changed: { stream: string; reason: string }[];
  /** The store was closed cleanly: the ends were taken as recorded, and are checked in the background. */
  trusted: boolean;
}

/** A stream whose log differs from its recorded end, found by {@link StreamIndex.verify}. */
export interface StreamDifference {
  stream: string;
  /** Why, when it lost or changed events. */
  reason?: string;
  /** It lost or changed events, or holds events after its recorded last position: its read models rebuild. */
  rebuild: boolean;
}

/** A last position that is never below a consumer's: a stream that could not be read is always read again. */
const UNREADABLE = Number.MAX_SAFE_INTEGER;

/** Reads a stream from `from` (the whole history when 0), calling `visit` with each event and its line. */
async function scanStream(
  dir: string,
  from: number,
  visit: (event: Event, line: Buffer, next: number) => void,
): Promise<void> {
  const reader = await EventReader.open(dir);
  const v = (event: Event, _o: number, next: number, line: Buffer): boolean => {
    visit(event, line, next);
    return true;
  };
  if (reader.scanSmallSync(from, v, SMALL_STREAM_BYTES) !== null) return;
  if (from > 0) await reader.scanFrom(from, v);
  else await reader.scanFull(v);
}

/** The stream index of a store: loaded and checked on open, kept up to date by every commit. */
export class StreamIndex {
  private ends = new Map<string, StreamEnd>();
  /** What opening found. */
  readonly report: StreamIndexReport = { unchanged: 0, grown: 0, readWhole: 0, changed: [], trusted: false };
  private dirty = false;
  /** The clean-close token of the file as it is on disk (null once saved without one). */
  private onDiskToken: string | null = null;
  /** Streams taken as recorded on a trusted open (their keys), for {@link StreamIndex.verify}. */
  private unverified: string[] = [];

  private constructor(
    private readonly file: string,
    private readonly streams: IndexedStreams,
    private readonly logger: Logger,
  ) {}

  /**
   * Loads the index and checks it against every stream of `streams` (reading what changed). An unreadable or
   * missing file only costs a whole read of every stream. With `cleanToken` (read from the clean-close marker)
   * equal to the file's token, recorded streams are trusted without a check: call {@link StreamIndex.verify}.
   */
  static async open(
    file: string,
    streams: IndexedStreams,
    logger: Logger,
    cleanToken: string | null = null,
    loaded?: SavedStreamIndex,
  ): Promise<StreamIndex> {
    const index = new StreamIndex(file, streams, logger);
    const { ends: saved, token } = loaded ?? StreamIndex.load(file, logger);
    index.onDiskToken = token;
    const report = index.report;
    report.trusted = cleanToken !== null && token === cleanToken;
    if (report.trusted && streams.fromIndex === true) {
      // The streams are this file's own (see StreamRegistry.fromKeys): every one is taken as recorded.
      index.ends = saved;
      index.unverified = [...saved.keys()];
      report.unchanged = saved.size;
      return index;
    }
    for (const type of streams.types()) {
      for (const id of streams.ids(type)) {
        const key = streamKey(type, id);
        const known = saved.get(key);
        if (known && report.trusted) {
          index.ends.set(key, known);
          index.unverified.push(key);
          report.unchanged++;
          continue;
        }
        const dir = streams.streamDir(type, id);
        try {
          const { end, how, changed } = await checkStream(dir, known);
          index.ends.set(key, end);
          report[how]++;
          if (changed !== undefined) report.changed.push({ stream: key, reason: changed });
        } catch (err) {
          logger.warn(`${key}: its log could not be read (${(err as Error).message})`);
          index.ends.set(key, { offset: 0, hash: '', lastSeq: UNREADABLE });
        }
      }
    }
    index.dirty =
      report.grown + report.readWhole + report.changed.length > 0 || saved.size !== index.ends.size;
    return index;
  }

  /**
   * The saved ends and clean-close token of the index `file`, for {@link StreamIndex.open}; empty (with a warning)
   * when the file is unreadable.
   */
  static load(file: string, logger: Logger): SavedStreamIndex {
    const text = readFileIfExists(file);
    if (text === null) return { ends: new Map(), token: null };
    try {
      return readStreamIndex(text);
    } catch (err) {
      logger.warn(
        `${file} is unreadable (${(err as Error).message}); every stream is read once to rebuild it`,
      );
      return { ends: new Map(), token: null };
    }
  }

  /** The highest global position of any stream (where numbering resumes when its lease file is lost). */
  maxSeq(): number {
    let max = 0;
    for (const e of this.ends.values()) if (e.lastSeq !== UNREADABLE && e.lastSeq > max) max = e.lastSeq;
    return max;
  }

  /** Records a commit: the stream now ends at `offset` with a line hashing to `hash`, its last event at `seq`. */
  update(stream: string, offset: number, hash: string, seq: number): void {
    const end = this.ends.get(stream);
    if (end) {
      end.offset = offset;
      end.hash = hash;
      if (seq > end.lastSeq || end.lastSeq === UNREADABLE) end.lastSeq = seq;
    } else {
      this.ends.set(stream, { offset, hash, lastSeq: seq });
    }
    this.dirty = true;
  }

  /** Indexes a stream found as a folder after a trusted open (made while the store was closed): read whole. */
  async adoptStream(type: string, id: string): Promise<StreamDifference> {
    const key = streamKey(type, id);
    try {
      const { end } = await checkStream(this.streams.streamDir(type, id), undefined);
      this.ends.set(key, end);
    } catch (err) {
      this.logger.warn(`${key}: its log could not be read (${(err as Error).message})`);
      this.ends.set(key, { offset: 0, hash: '', lastSeq: UNREADABLE });
    }
    this.dirty = true;
    this.report.readWhole++;
    return { stream: key, rebuild: true };
  }

  /** Forgets a deleted stream. */
  remove(stream: string): void {
    if (this.ends.delete(stream)) this.dirty = true;
  }

  /**
   * The streams of `types` with an event after global position `after` (or with events without a position when
   * `after` is 0), sorted by type then id. One pass over the index, positions compared first: after a clean close
   * no stream qualifies, and each consumer's catch-up costs a few milliseconds at 250,000 streams.
   */
  streamsAfter(types: readonly string[], after: number): [string, string][] {
    const wanted = new Set(types);
    const out: [string, string][] = [];
    for (const [key, end] of this.ends) {
      if (end.lastSeq <= after && !(after === 0 && end.offset > 0)) continue;
      const at = key.indexOf('/');
      const type = key.slice(0, at);
      if (wanted.has(type)) out.push([type, key.slice(at + 1)]);
    }
    return out.sort(([ta, ia], [tb, ib]) => (ta < tb ? -1 : ta > tb ? 1 : ia < ib ? -1 : ia > ib ? 1 : 0));
  }

  /** The streams of `types` that lost or changed events since the index last saw them (found on open). */
  changedAmong(types: readonly string[]): string[] {
    return this.report.changed
      .map((c) => c.stream)
      .filter((key) => types.includes(key.slice(0, key.indexOf('/'))));
  }

  /** Whether there is anything to save. */
  get unsaved(): boolean {
    return this.dirty;
  }

  /** Saves the index atomically (a cache: losing it costs a slower open, not data). */
  save(): void {
    if (!this.dirty) return;
    this.write(null);
  }

  /**
   * Saves the index for a clean close and returns its token, for the marker the store writes next. Nothing is
   * written when the file on disk is current and already carries one.
   */
  saveClean(): string {
    if (!this.dirty && this.onDiskToken !== null) return this.onDiskToken;
    const token = randomUUID();
    this.write(token);
    return token;
  }

  private write(token: string | null): void {
    const keys: string[] = [];
    const ends: (number | string)[] = [];
    for (const [k, e] of this.ends) {
      if (e.lastSeq === UNREADABLE) continue;
      keys.push(k);
      ends.push(e.offset, e.hash, e.lastSeq);
    }
    const body = token === null ? { version: 2, keys, ends } : { version: 2, token, keys, ends };
    writeFileAtomic(this.file, JSON.stringify(body) + '\n');
    this.dirty = false;
    this.onDiskToken = token;
  }

  /**
   * After a trusted open: checks every stream taken as recorded against its log, a slice at a time with a turn
   * of the event loop in between, and records what differs (as an open would have). Streams that `live` says are
   * in use are skipped: their appends move the recorded end themselves. Stops early when `stop()` says so.
   */
  async verify(live: (key: string) => boolean, stop: () => boolean): Promise<StreamDifference[]> {
    const todo = this.unverified;
    this.unverified = [];
    const found: StreamDifference[] = [];
    for (let i = 0; i < todo.length; i++) {
      if (i % VERIFY_SLICE === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (stop()) return found;
      }
      const key = todo[i]!;
      const known = this.ends.get(key);
      if (!known || live(key)) continue;
      const slash = key.indexOf('/');
      const dir = this.streams.streamDir(key.slice(0, slash), key.slice(slash + 1));
      try {
        if (activeLogSize(dir) === known.offset) continue;
        const seen = known.offset;
        const { end, how, changed } = await checkStream(dir, { ...known });
        // Touched while it was read (a command, an erasure): its own bookkeeping is newer than this read.
        if (live(key) || this.ends.get(key) !== known || known.offset !== seen) continue;
        if (how === 'unchanged') continue;
        this.ends.set(key, end);
        this.dirty = true;
        // A rotation alone keeps every event and position: only the recorded end moves.
        const rebuild = changed !== undefined || end.lastSeq > known.lastSeq;
        found.push(
          changed === undefined ? { stream: key, rebuild } : { stream: key, reason: changed, rebuild },
        );
        if (changed !== undefined) this.report.changed.push({ stream: key, reason: changed });
      } catch (err) {
        this.logger.warn(`${key}: its log could not be read (${(err as Error).message})`);
      }
    }
    return found;
  }
}

/** Streams checked per turn of the event loop by {@link StreamIndex.verify}. */
const VERIFY_SLICE = 500;

/**
 * The entries of a `meta/stream-index.json` text. Malformed entries are left out (their streams are read whole).
 *
 * Version 2 (written): `{"version":2,"token"?,"keys":["<type>/<id>",...],"ends":[offset,"<hash>",lastSeq,...]}`,
 * three values per key in key order. Version 1 (read): `{"version":1,"token"?,"streams":{"<type>/<id>":[offset,
 * "<hash>",lastSeq]}}`; an object of 250,000 keys parsed and listed three times slower than two arrays.
 * @throws Error saying why the text is not a stream index (not JSON, not version 1 or 2, no streams)
 */
export function parseStreamIndex(text: string): Map<string, StreamEnd> {
  return readStreamIndex(text).ends;
}

/**
 * {@link parseStreamIndex}, with the token of the clean close that saved the file (null if none did).
 * @throws Error as {@link parseStreamIndex}
 */
export function readStreamIndex(text: string): SavedStreamIndex {
  let v: { version?: unknown; streams?: unknown; keys?: unknown; ends?: unknown; token?: unknown };
  try {
    v = JSON.parse(text) as typeof v;
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  if (v === null || typeof v !== 'object' || (v.version !== 1 && v.version !== 2))
    throw new Error('not version 1 or 2');
  const out = new Map<string, StreamEnd>();
  const add = (key: unknown, offset: unknown, hash: unknown, lastSeq: unknown): void => {
    if (
      typeof key === 'string' &&
      typeof offset === 'number' &&
      typeof hash === 'string' &&
      typeof lastSeq === 'number'
    )
      out.set(key, { offset, hash, lastSeq });
  };
  if (v.version === 2) {
    if (!Array.isArray(v.keys) || !Array.isArray(v.ends)) throw new Error('no "keys" and "ends" arrays');
    const { keys, ends } = v as { keys: unknown[]; ends: unknown[] };
    for (let i = 0; i < keys.length; i++) add(keys[i], ends[3 * i], ends[3 * i + 1], ends[3 * i + 2]);
  } else {
    if (v.streams === null || typeof v.streams !== 'object') throw new Error('no "streams" object');
    const streams = v.streams as Record<string, unknown>;
    for (const k in streams) {
      const raw = streams[k];
      if (Array.isArray(raw)) add(k, raw[0], raw[1], raw[2]);
    }
  }
  return { ends: out, token: typeof v.token === 'string' ? v.token : null };
}

/** A stream's end after reading from `from`, starting from what is known at `from`. */
async function readEnd(dir: string, from: number, start: StreamEnd): Promise<StreamEnd> {
  const end = { ...start };
  await scanStream(dir, from, (event, line, next) => {
    const seq = seqOf(event);
    if (seq > end.lastSeq) end.lastSeq = seq;
    if (next >= 0) {
      end.offset = next;
      end.hash = lineHash(line);
    }
  });
  if (from === 0 && end.offset === 0) end.hash = '';
  return end;
}

/** What {@link checkStream} found. */
interface StreamCheck {
  end: StreamEnd;
  how: 'unchanged' | 'grown' | 'readWhole';
  /** Why the stream no longer holds what the index recorded (events lost or changed). */
  changed?: string;
}

/** Checks one stream against its recorded end, reading only what it must. */
async function checkStream(dir: string, known: StreamEnd | undefined): Promise<StreamCheck> {
  const size = activeLogSize(dir);
  if (known && size === known.offset) return { end: known, how: 'unchanged' };
  if (known && size > known.offset) {
    const reader = await EventReader.open(dir);
    if (known.offset === 0 || reader.lineHashBefore(known.offset) === known.hash)
      return { end: await readEnd(dir, known.offset, known), how: 'grown' };
  }
  const end = await readEnd(dir, 0, { offset: 0, hash: '', lastSeq: 0 });
  if (!known || (known.lastSeq === 0 && known.offset === 0)) return { end, how: 'readWhole' };
  // Rotated: the line that ended the log is now in the archive, with the same position and bytes.
  if (known.lastSeq > 0 && end.lastSeq >= known.lastSeq && (await hasLine(dir, known.lastSeq, known.hash)))
    return { end, how: 'readWhole' };
  const changed =
    end.lastSeq < known.lastSeq
      ? `its last event is now at position ${end.lastSeq}, it was at ${known.lastSeq}`
      : 'the line where it ended no longer matches';
  return { end, how: 'readWhole', changed };
}

/** Whether the stream holds the event at global position `seq` with a line hashing to `hash`. */
async function hasLine(dir: string, seq: number, hash: string): Promise<boolean> {
  let found = false;
  await scanStream(dir, 0, (event, line) => {
    if (seqOf(event) === seq && lineHash(line) === hash) found = true;
  });
  return found;
}
