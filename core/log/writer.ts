/**
 * EventWriter: the single, exclusive writer of a log directory. Appends are durable before they resolve.
 * @module
 */
import { closeSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AppendConflict,
  ClosedError,
  EventfoldError,
  InvalidEventError,
  WriteFailedError,
} from './errors.js';
import { serializeEvent, toEvent, type Event } from './event.js';
import { fdatasyncAsync, fsyncDirAsync, makeDirs, writeFully } from './fsutil.js';
import { initHasher, lineHash } from './hash.js';
import type { CommitJournal, JournaledLog } from './journal.js';
import { acquireLock, type HeldLock } from './lock.js';
import { silentLogger, type Logger } from './logger.js';
import { logPaths, type LogPaths } from './paths.js';
import { EventReader } from './reader.js';
import {
  recoverRotation,
  rotateLog,
  type RotationRecovery,
  type RotateResult,
  type RotatableView,
} from './rotation.js';
import { hashBefore, lastLineEnd, lineBefore, type TailLine } from './tail.js';

/**
 * When an append counts as done:
 * - `'always'` (default): each append (or batch) is written and fdatasync'ed before it resolves.
 * - `'group'`: appends issued while a sync is in flight share the next write + sync (group commit); each still
 *   resolves only after its own bytes are synced. Best for many concurrent callers.
 * - `'none'`: no sync; the OS writes back when it likes. Only for data you can lose (tests, imports you redo).
 */
export type Durability = 'always' | 'group' | 'none';

/** Options of {@link EventWriter.open}. */
export interface WriterOptions {
  /**
   * `'exclusive'` (default) takes the directory's lock. `'held'`: the caller holds a lock that covers this
   * directory (a store's lock) and opens no other writer on it, so no lock is taken. `'none'`: no lock, and other
   * writers may append too, so the end of the log is read again before every write.
   */
  lock?: 'exclusive' | 'held' | 'none';
  /**
   * Where the log ends, when the caller knows it: it closed the last writer of this log itself, in this process,
   * under a lock it still holds (`lock: 'held'`). Open then skips reading and repairing the tail.
   */
  tail?: { size: number; hash: string };
  /**
   * The caller saw no folder at `dir` (a new stream): open makes it and an empty log without looking for what a
   * crash could have left there. A folder that exists after all is opened as usual.
   */
  fresh?: boolean;
  durability?: Durability;
  /**
   * With `'group'` durability: commit through this journal, shared with the store's other writers, so that
   * appends to many logs in the same turn share one `fdatasync` (see `journal.ts`). Ignored otherwise.
   */
  journal?: CommitJournal;
  logger?: Logger;
}

/**
 * Where an appended event landed. `endOffset` and `lineHash` are the arguments for a following `appendIf`.
 * When an append made the log rotate, the event is in the archive and the result describes the new, empty active
 * log (`0, 0, ''`) with `rotated: true`, so it stays valid for `appendIf`.
 */
export interface AppendResult {
  startOffset: number;
  endOffset: number;
  lineHash: string;
  rotated?: boolean;
}

/** What `open` found and repaired. */
export interface WriterRecovery {
  /** Bytes of a torn last line (a crash mid-append) that were truncated away. */
  tornBytesTruncated: number;
  /** Complete lines of an unfinished atomic batch that were truncated away. */
  batchLinesRolledBack: number;
  /** A rotation interrupted by a crash, and how it was resolved. */
  rotation: RotationRecovery;
  /** The directory did not exist and was created. */
  createdDirectory: boolean;
}

/** One append, batch or conditional append. */
interface Request {
  events: Event[];
  expected: { offset: number; hash: string } | null;
}

/** What a request resolves with, taken from its results (all of them, or the one of a single append). */
type Pick<T> = (results: AppendResult[]) => T;
const allResults: Pick<AppendResult[]> = (results) => results;
const firstResult: Pick<AppendResult> = (results) => results[0]!;

/**
 * The requests waiting for the next group commit. They share one promise, settled once the group's write and sync
 * are done (or failed); each request's own outcome (its results, or its conflict) is then read from `out`.
 */
interface QueuedGroup {
  requests: Request[];
  out: (AppendResult[] | Error)[];
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The exclusive writer. Open with {@link EventWriter.open}; a second writer on the same directory (in any
 * process) fails with `LockedError`.
 *
 * @example
 * const writer = await EventWriter.open('./data');
 * const r = await writer.append(createEvent('todo_added', { text: 'milk' }));
 * await writer.appendIf([createEvent('todo_done', { id: 1 })], r.endOffset, r.lineHash);
 */
export class EventWriter {
  readonly paths: LogPaths;
  /** What `open` found and repaired. */
  readonly recovery: WriterRecovery;
  readonly durability: Durability;
  private fd: number;
  private size: number;
  private lastHash: string;
  private readonly lock: HeldLock | null;
  /** Other writers may append (`lock: 'none'`): the end of the log is read again before each write. */
  private readonly shared: boolean;
  private readonly logger: Logger;
  private chain: Promise<unknown> = Promise.resolve();
  private queued: QueuedGroup | null = null;
  private closed = false;
  private readonly readerInstance: EventReader;
  private readonly journal: { to: CommitJournal; log: JournaledLog } | null;

  private constructor(
    paths: LogPaths,
    fd: number,
    lock: HeldLock | null,
    recovery: WriterRecovery,
    reader: EventReader,
    options: WriterOptions,
    tail: { size: number; hash: string },
    unsyncedNames: readonly string[],
  ) {
    this.paths = paths;
    this.fd = fd;
    this.lock = lock;
    this.shared = options.lock === 'none';
    this.recovery = recovery;
    this.readerInstance = reader;
    this.durability = options.durability ?? 'always';
    this.logger = options.logger ?? silentLogger;
    const j = this.durability === 'group' ? options.journal : undefined;
    this.journal = j ? { to: j, log: j.attach(paths.log, unsyncedNames) } : null;
    this.size = tail.size;
    this.lastHash = tail.hash;
  }

  /**
   * Opens (creating if needed) the log directory `dir` for writing. Takes the lock, finishes or undoes a rotation
   * that a crash interrupted, truncates a torn last line and an unfinished batch, and reports what it did.
   * @throws LockedError if another writer holds the directory.
   */
  static async open(dir: string, options: WriterOptions = {}): Promise<EventWriter> {
    await initHasher();
    const paths = logPaths(dir);
    const logger = options.logger ?? silentLogger;
    const made = options.fresh === true ? makeDirs(dir) : null;
    // A known tail means the caller's last writer made the folder. Otherwise one check for the common case (an
    // existing log folder): `mkdir -p` costs a failed mkdir and a stat.
    const hasViews = made !== null || options.tail !== undefined || existsSync(paths.views);
    const createdDirectory = made !== null || (!hasViews && !existsSync(dir));
    if (made) mkdirSync(paths.views);
    else if (!hasViews) mkdirSync(paths.views, { recursive: true });
    // Folders whose entries change: a new file's name must survive a power cut like its bytes.
    const names = made ?? (createdDirectory ? [dirname(dir)] : []);
    const lock = options.lock === 'none' || options.lock === 'held' ? null : acquireLock(dir, paths.lock);
    let fd = -1;
    try {
      const logExisted = made === null && (options.tail !== undefined || existsSync(paths.log));
      fd = openSync(paths.log, 'a+');
      if (!logExisted) names.push(dir);
      // A fresh folder holds nothing to recover, and a tail the caller knows needs no reading (its last writer
      // closed cleanly).
      const rotation = made ? 'none' : recoverRotation(paths, fd, logger);
      let tail = made ? { size: 0, hash: '' } : options.tail;
      let [torn, rolledBack] = [0, 0];
      if (!tail) {
        const r = repairTail(fd, paths.log, logger);
        [torn, rolledBack] = [r.torn, r.rolledBack];
        tail = { size: r.size, hash: r.last ? lineHash(r.last.bytes) : '' };
      }
      const durability = options.durability ?? 'always';
      const journal = durability === 'group' ? options.journal : undefined;
      // Through a journal, the names are synced at its next checkpoint (its entries say the log is new); otherwise
      // now, async and shared per directory (opening many new logs at once does not serialize on fsyncs). Nothing
      // is synced with durability 'none'.
      if (!journal && durability !== 'none') for (const d of names) await fsyncDirAsync(d);
      const recovery: WriterRecovery = {
        tornBytesTruncated: torn,
        batchLinesRolledBack: rolledBack,
        rotation,
        createdDirectory,
      };
      const reader = await EventReader.open(dir);
      return new EventWriter(paths, fd, lock, recovery, reader, options, tail, journal ? names : []);
    } catch (err) {
      if (fd >= 0) closeSync(fd);
      lock?.release();
      throw err;
    }
  }

  /** The log directory. */
  get dir(): string {
    return this.paths.dir;
  }

  /** Size of `app.jsonl` including appends written so far (the `expectedOffset` of a next `appendIf`). */
  activeLogSize(): number {
    return this.size;
  }

  /** Hash of the last line of `app.jsonl` (`''` when empty): the `expectedHash` of a next `appendIf`. */
  lastLineHash(): string {
    return this.lastHash;
  }

  /** A reader of this directory (readers need no lock). */
  reader(): EventReader {
    return this.readerInstance;
  }

  /** Appends one event; resolves once it is durable. */
  append(event: Event): Promise<AppendResult> {
    return this.submit([event], null, firstResult);
  }

  /**
   * Appends several events with one write and one sync. All-or-nothing: if a crash cuts the write, the next open
   * removes the batch's partial lines (every line but the last carries `"more":true`, which readers hold back
   * until the last line is there).
   */
  appendBatch(events: Event[]): Promise<AppendResult[]> {
    return this.submit(events, null, allResults);
  }

  /**
   * Appends only if the log still ends at `expectedOffset` with a last line hashing to `expectedHash`
   * (`0, ''` for an empty log). Nothing is written on conflict.
   * @throws AppendConflict
   */
  appendIf(event: Event, expectedOffset: number, expectedHash: string): Promise<AppendResult>;
  appendIf(events: Event[], expectedOffset: number, expectedHash: string): Promise<AppendResult[]>;
  appendIf(
    events: Event | Event[],
    expectedOffset: number,
    expectedHash: string,
  ): Promise<AppendResult | AppendResult[]> {
    const expected = { offset: expectedOffset, hash: expectedHash };
    return Array.isArray(events)
      ? this.submit(events, expected, allResults)
      : this.submit([events], expected, firstResult);
  }

  /**
   * Moves the active log into the archive as new zstd frame(s) and empties it. Views given here are refreshed
   * first and their snapshots reset to offset 0; other up-to-date snapshots in `views/` are reset too.
   * Crash-safe at every step: see `rotation.ts`.
   */
  rotate(views: RotatableView[] = []): Promise<RotateResult> {
    return this.exclusive(async () => {
      // Journal lines of this log would point into the log that rotation empties.
      await this.journal?.to.checkpoint();
      const result = await rotateLog(
        this.paths,
        this.fd,
        this.size,
        this.lastHash,
        this.readerInstance,
        views,
        this.logger,
      );
      this.size = fstatSync(this.fd).size;
      this.lastHash = hashBefore(this.fd, this.size) ?? '';
      return result;
    });
  }

  /** Waits for pending appends, then releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(async () => undefined);
    if (this.closed) return; // a concurrent close() finished first: closing the fd twice would throw
    this.closed = true;
    closeSync(this.fd);
    this.fd = -1;
    this.lock?.release();
  }

  private exclusive<T>(op: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError(`The writer of ${this.paths.dir}`));
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Queues a request and returns its outcome. Never throws synchronously: an invalid event rejects the promise.
   * Not `async`: an append in group mode costs one promise (a `then` on its group's), not three.
   */
  private submit<T>(events: Event[], expected: Request['expected'], pick: Pick<T>): Promise<T> {
    try {
      // Validated before queueing, so one invalid event fails its own call at once, not its group.
      for (const e of events) toEvent(e);
    } catch (err) {
      return Promise.reject(err);
    }
    if (events.length === 0) return Promise.resolve(pick([]));
    // Checked here too: in group mode the request would wait for a flush that a closed writer never runs.
    if (this.closed) return Promise.reject(new ClosedError(`The writer of ${this.paths.dir}`));
    if (this.durability !== 'group') {
      return this.exclusive(() => {
        const before = this.size;
        const beforeHash = this.lastHash;
        const result = this.writeGroup([{ events, expected }]).out[0]!;
        if (result instanceof Error) throw result;
        if (this.durability === 'always') {
          try {
            fdatasyncSync(this.fd);
          } catch (err) {
            // After a failed fsync the written bytes cannot be trusted: cut them off rather than leave a maybe-event.
            this.rollback(before, beforeHash);
            throw new WriteFailedError(this.paths.log, err);
          }
        }
        return pick(result);
      });
    }
    let g = this.queued;
    if (g === null) {
      const fresh = (this.queued = newGroup());
      this.exclusive(() => this.flushGroup(fresh)).catch(() => undefined);
      g = fresh;
    }
    const group = g;
    const i = group.requests.push({ events, expected }) - 1;
    return group.done.then(() => {
      const r = group.out[i]!; // filled by the flush before `done` resolves
      if (r instanceof Error) throw r;
      return pick(r);
    });
  }

  /** Group commit: one write and one sync for every append queued since the last flush. */
  private async flushGroup(group: QueuedGroup): Promise<void> {
    // Appends issued from here on (while this group syncs) queue for the next flush.
    this.queued = null;
    if (this.closed) {
      // Queued before close() but run after it (the fd is gone): refuse rather than write to a closed fd.
      group.reject(new ClosedError(`The writer of ${this.paths.dir}`));
      return;
    }
    const before = this.size;
    const beforeHash = this.lastHash;
    let written: Buffer | null;
    try {
      ({ out: group.out, written } = this.writeGroup(group.requests));
    } catch (err) {
      group.reject(err);
      return;
    }
    if (written) {
      try {
        if (this.journal) await this.journal.to.commit(this.journal.log, this.fd, before, written);
        else await fdatasyncAsync(this.fd);
      } catch (err) {
        this.rollback(before, beforeHash);
        // The journal's own errors (WriteFailedError naming the journal, ClosedError) say more than a wrapper.
        group.reject(err instanceof EventfoldError ? err : new WriteFailedError(this.paths.log, err));
        return;
      }
    }
    group.resolve();
  }

  /**
   * Serializes every request of a group (checking each `appendIf` against the position the previous ones leave),
   * writes them with a single write, and returns each request's results or its error (conflict, unwritable event).
   *
   * Each line is encoded straight into the process's scratch buffer as it is serialized, so its byte range is
   * known without scanning for newlines, and no string of the whole group is built (flattening and encoding such
   * a rope cost twice as much as a write per line). The line is hashed in place.
   *
   * `written` is null when nothing was written; otherwise the bytes: the scratch buffer once they are written,
   * or with a journal a copy of them, not written yet (the journal writes them with its next round).
   */
  private writeGroup(group: readonly Request[]): {
    out: (AppendResult[] | Error)[];
    written: Buffer | null;
  } {
    if (this.shared) this.refreshPosition();
    const start = this.size;
    let buf = (scratch ??= Buffer.allocUnsafeSlow(SCRATCH_INITIAL));
    let len = 0; // bytes of the group encoded so far
    let hash = this.lastHash; // the hash of the line ending at `start + len`
    const out: (AppendResult[] | Error)[] = [];
    for (const p of group) {
      const e = p.expected;
      const pos = start + len;
      if (e && (e.offset !== pos || (pos > 0 && e.hash !== hash))) {
        out.push(new AppendConflict(e.offset, e.hash, pos, e.offset === pos ? hash : null));
        continue;
      }
      const n = p.events.length - 1;
      const results: AppendResult[] = [];
      const [requestLen, requestHash] = [len, hash];
      try {
        for (let i = 0; i <= n; i++) {
          const line = serializeEvent(p.events[i]!, i < n);
          // A UTF-16 unit takes at most 3 bytes in UTF-8; `write` would silently cut what does not fit.
          if (len + 3 * line.length + 1 > buf.length) buf = grow(buf, len, len + 3 * line.length + 1);
          const from = len;
          len += buf.write(line, len, 'utf8');
          hash = lineHash(new Uint8Array(buf.buffer, buf.byteOffset + from, len - from));
          buf[len++] = NL;
          results.push({ startOffset: start + from, endOffset: start + len, lineHash: hash });
        }
      } catch (err) {
        // Data JSON cannot write (a cycle, a BigInt) fails this request only, not the others of its group.
        [len, hash] = [requestLen, requestHash];
        out.push(
          err instanceof InvalidEventError
            ? err
            : new InvalidEventError(`data cannot be written as JSON (${(err as Error).message})`),
        );
        continue;
      }
      out.push(results);
    }
    // A scratch buffer grown by a huge batch is not kept: it would pin that memory for the process's lifetime.
    scratch = buf.length <= SCRATCH_KEEP ? buf : null;
    if (len === 0) return { out, written: null };
    if (this.journal) {
      // The journal writes the bytes itself, while its sync runs (see journal.ts): keep a copy of them.
      this.size = start + len;
      this.lastHash = hash;
      return { out, written: Buffer.from(buf.subarray(0, len)) };
    }
    const beforeHash = this.lastHash;
    try {
      writeFully(this.fd, buf, len);
    } catch (err) {
      this.rollback(start, beforeHash);
      throw new WriteFailedError(this.paths.log, err);
    }
    this.size = start + len;
    this.lastHash = hash;
    return { out, written: buf };
  }

  private rollback(size: number, hash: string): void {
    try {
      ftruncateSync(this.fd, size);
    } catch (err) {
      this.logger.warn(`could not roll back ${this.paths.log} to ${size} bytes`, { error: String(err) });
    }
    this.size = size;
    this.lastHash = hash;
  }

  /** Another writer may have appended (`lock: 'none'`): re-read the real end of the file. */
  private refreshPosition(): void {
    this.size = fstatSync(this.fd).size;
    this.lastHash = hashBefore(this.fd, this.size) ?? '';
  }
}

const NL = 0x0a;
/** The scratch buffer's first size, and the largest one kept after a group (bigger ones are one-off). */
const SCRATCH_INITIAL = 64 * 1024;
const SCRATCH_KEEP = 1024 * 1024;
/**
 * Where {@link EventWriter.writeGroup} encodes a group before writing it. One for the whole process, shared by every
 * writer (core/es opens one per stream): a group is encoded and written synchronously, so no two use it at once.
 */
let scratch: Buffer | null = null;

function newGroup(): QueuedGroup {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { requests: [], out: [], done, resolve, reject };
}

/** A buffer of at least `need` bytes holding the first `used` bytes of `buf`. */
function grow(buf: Buffer, used: number, need: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(need, buf.length * 2));
  buf.copy(bigger, 0, 0, used);
  return bigger;
}

/**
 * Truncates what a crash can leave after the last committed event: a torn last line (no newline, or NUL bytes
 * from a delayed-allocation crash) and the complete lines of a batch whose final line never made it.
 */
function repairTail(
  fd: number,
  file: string,
  logger: Logger,
): { torn: number; rolledBack: number; size: number; last: TailLine | null } {
  const size = fstatSync(fd).size;
  let end = lastLineEnd(fd, size);
  // A run of NUL-only "lines" at the end is unwritten space, not data.
  for (let line = lineBefore(fd, end); line && line.bytes.every((b) => b === 0); line = lineBefore(fd, end)) {
    end = line.start;
  }
  const torn = size - end;
  let rolledBack = 0;
  let cut = end;
  // Ends as the last line that stays (null: none), which gives the writer its last hash without reading it again.
  let last = lineBefore(fd, cut);
  for (; last; last = lineBefore(fd, last.start)) {
    let more = false;
    try {
      more = (JSON.parse(last.bytes.toString('utf8')) as { more?: unknown }).more === true;
    } catch {
      break; // a corrupt complete line is reported by readers, never deleted here
    }
    if (!more) break;
    rolledBack++;
    cut = last.start;
  }
  if (cut < size) {
    ftruncateSync(fd, cut);
    fdatasyncSync(fd);
    logger.warn(
      `repaired the end of ${file}: removed ${torn} bytes of a torn write and ${rolledBack} lines of an unfinished batch`,
      {
        file,
        tornBytes: torn,
        batchLines: rolledBack,
      },
    );
  }
  return { torn, rolledBack, size: cut, last };
}
