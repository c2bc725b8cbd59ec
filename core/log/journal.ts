/**
 * CommitJournal: group commit across many logs. A store with one log per stream would pay one `fdatasync` per
 * stream per commit; writers that share a journal hand their bytes to it, and it makes them durable together: it
 * writes one line per log to `journal.jsonl`, then the logs' own `app.jsonl` while one `fdatasync` of the journal
 * runs. The logs themselves are synced later, at a checkpoint, after which the journal starts over.
 *
 * ```
 * {"journal":3,"epoch":"5f0c…"}
 * {"epoch":"5f0c…","log":"streams/contact/c1/app.jsonl","offset":512,"hash":"<xxh64 of the bytes>","length":171}
 * {"type":"ContactCreated","data":{…},"ts":1767225600,"id":"…"}
 * ```
 *
 * - An entry is a line naming the log, followed by its bytes as they go into the log: the log's own lines, so the
 *   journal stays JSONL that `jq` reads. Copying them is all a round costs (quoting them into a JSON string cost
 *   2 µs a line, and 3% more bytes). Journals of the earlier formats, with the bytes as a string in the line, are
 *   still read.
 * - The file grows in 1 MiB steps of zeros (up to its capacity) and is written in place: an `fdatasync` of bytes
 *   that change neither the file's size nor its blocks is a data flush only, with no file-system journal commit
 *   (about 180 µs here, against 250 µs for an append and its sync), and the logs' own size changes ride along for
 *   free. A clean close cuts it back to its header.
 * - The journal's entries are the lines after the header that carry its epoch; the first line that does not (an
 *   older epoch's, a torn one, the zeros) ends them. A checkpoint writes a header with a new epoch.
 * - A single round bigger than {@link DIRECT_BYTES}, or than the journal, syncs its logs itself instead.
 * - A process crash loses nothing (the bytes are in the page cache). After a power cut a log may lack, or hold
 *   zeros instead of, its last journaled bytes: {@link CommitJournal.open} writes them back from the journal
 *   before any writer opens, and reports what it did.
 * - Whoever rewrites or deletes a log (rotation, erasing a stream) calls {@link CommitJournal.checkpoint} first,
 *   so that no journal line can bring old bytes back.
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ClosedError, WriteFailedError } from './errors.js';
import { fdatasyncAsync, fsyncDir, fsyncDirAsync, makeDirs, writeFully } from './fsutil.js';
import { initHasher, lineHash } from './hash.js';
import { silentLogger, type Logger } from './logger.js';
import { readRange } from './tail.js';

/** Options of {@link CommitJournal.open}. */
export interface JournalOptions {
  /**
   * The folder that journaled log paths are relative to (default: the journal's folder). A journal line names its
   * log relative to it, so the whole folder can be moved or restored from a backup.
   */
  base?: string;
  /** The journal's largest size (default 8 MiB): when its entries fill it, the logs are synced and it starts over. */
  checkpointBytes?: number;
  logger?: Logger;
}

/** What {@link CommitJournal.open} found in a journal left by a crash, and what it wrote back. */
export interface JournalRecovery {
  /** Valid journal lines read. */
  entries: number;
  /** Logs whose journaled bytes were missing (a power cut) and were written back, with the bytes written. */
  restored: { log: string; bytes: number }[];
  /**
   * Journal lines not applied: the log is gone (erased; a log made in the journal's epoch is made again instead),
   * holds other bytes there (rewritten since), or ends before the line's offset (a gap no journal line fills).
   */
  skipped: { log: string; offset: number; reason: 'missing' | 'changed' | 'gap' }[];
  /** Lines that are torn or fail their hash (a crash while the journal was written): never acknowledged. */
  corruptLines: number;
}

/** A log that writes through a journal: {@link CommitJournal.attach}. */
export interface JournaledLog {
  /** Absolute path of its `app.jsonl`. */
  readonly path: string;
  /** Its path relative to the journal's base, with `/` separators (what a journal line records). */
  readonly name: string;
}

/** One entry of a journal, as {@link readJournal} returns it. */
export interface JournalEntry {
  log: string;
  offset: number;
  hash: string;
  bytes: string;
  /** The log was made in this epoch (see {@link CommitJournal.attach}): a lost log is made again. */
  created?: true;
}

interface Entry {
  log: JournaledLog;
  fd: number;
  offset: number;
  bytes: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** An entry's bytes, with the log and place they go to. */
interface JournalLine {
  epoch?: string;
  log: string;
  offset: number;
  hash: string;
  /** The log was made in this epoch and its name may not be durable yet: an open makes it again if it is gone. */
  created?: boolean;
}

/** The line that starts an entry of the current format; `length` bytes of the log follow it. */
interface EntryHead extends JournalLine {
  length: number;
}

const DEFAULT_CHECKPOINT_BYTES = 8 * 1024 * 1024;
/** The file grows by this many bytes of zeros at a time, up to its capacity. */
const GROW_BYTES = 1024 * 1024;
/** A round of one log with more bytes than this syncs the log itself: writing them twice would cost more. */
const DIRECT_BYTES = 64 * 1024;
/** Rounds of at most this many logs may sync on the main thread (see {@link CommitJournal.flush}). */
const SYNC_HERE_LOGS = 16;
/** While small rounds sync on the main thread, every this many syncs in the threadpool to see if others would run. */
const PROBE_EVERY = 128;
const FORMAT = 3;
/** The format whose entries hold their bytes as a JSON string (`"bytes"`), one line each; read, never written. */
const STRING_FORMAT = 2;

/**
 * The journal shared by the writers of one store. Create it with {@link CommitJournal.open} (which recovers what a
 * crash left), hand it to `EventWriter.open(dir, { durability: 'group', journal })`, close it after the writers.
 *
 * @example
 * const journal = await CommitJournal.open('./store/meta/journal.jsonl', { base: './store' });
 * const a = await EventWriter.open('./store/streams/a', { durability: 'group', journal });
 * const b = await EventWriter.open('./store/streams/b', { durability: 'group', journal });
 * await Promise.all([a.append(e1), b.append(e2)]); // one fdatasync for both
 */
export class CommitJournal {
  /** What opening found and wrote back. */
  readonly recovery: JournalRecovery;
  readonly file: string;
  private readonly base: string;
  private readonly capacity: number;
  private readonly logger: Logger;
  private fd: number;
  private epoch = '';
  /** Where the header ends, and where the next entry goes. */
  private start = 0;
  private pos = 0;
  /** The file's size: zeros written ahead of `pos` ({@link CommitJournal.reserve}). */
  private allocated = 0;
  private pending: Entry[] = [];
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  /** Logs with journaled bytes that their own file may not hold durably yet: synced at the next checkpoint. */
  private readonly dirty = new Map<string, JournaledLog>();
  private running = false;
  private closed = false;
  /** How often appends arrived while a small round synced in the threadpool (moving average, 0-1). */
  private overlap = 0;
  private smallRounds = 0;
  /** Each attached log's name as a JSON string, quoted once rather than in every round. */
  private readonly quoted = new WeakMap<JournaledLog, string>();
  /** Logs made with folders whose entries are not synced yet (see `attach`), and those folders. */
  private readonly unsynced = new Map<JournaledLog, readonly string[]>();

  private constructor(file: string, fd: number, recovery: JournalRecovery, options: JournalOptions) {
    this.file = file;
    this.fd = fd;
    this.recovery = recovery;
    this.base = options.base ?? dirname(file);
    this.capacity = options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Opens (creating and allocating if needed) the journal `file`. Entries a crash left are applied first: every
   * log that lacks its journaled bytes gets them back and is synced, and the journal starts over. Call it before
   * opening any writer of those logs, under the lock that makes this process their only writer.
   */
  static async open(file: string, options: JournalOptions = {}): Promise<CommitJournal> {
    await initHasher();
    const base = options.base ?? dirname(file);
    const logger = options.logger ?? silentLogger;
    mkdirSync(dirname(file), { recursive: true });
    const existed = existsSync(file);
    const parsed = existed ? parseJournal(file) : null;
    const recovery = parsed ? applyJournal(file, parsed, base, logger) : emptyRecovery();
    const fd = openSync(file, existed ? 'r+' : 'w+');
    const journal = new CommitJournal(file, fd, recovery, options);
    try {
      journal.allocated = fstatSync(fd).size;
      if (parsed?.epoch && parsed.entries.length === 0 && parsed.corrupt === 0) {
        // Nothing to apply (a clean close): go on in the same epoch, without a write or a sync.
        journal.epoch = parsed.epoch;
        journal.start = journal.pos = parsed.headerBytes;
      } else {
        // Applied (or unreadable): nothing of it may stay behind, in any epoch.
        ftruncateSync(fd, 0);
        journal.allocated = 0;
        journal.startOver();
      }
      if (!existed) fsyncDir(dirname(file));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return journal;
  }

  /**
   * Registers the log at `path` (its `app.jsonl`) for {@link CommitJournal.commit}.
   *
   * `namesIn`: folders whose entries changed for this log (it was just made, maybe with its folder) and are not
   * synced yet. The journal syncs them at its next checkpoint instead of the writer now (two directory syncs for
   * every new record of an import), and until then the log's entries carry `"created":true`: an open after a power
   * cut that lost the log's name makes the log again from its first entry.
   */
  attach(path: string, namesIn: readonly string[] = []): JournaledLog {
    const log = { path, name: relative(this.base, path).split(sep).join('/') };
    this.quoted.set(log, JSON.stringify(log.name));
    if (namesIn.length > 0) this.unsynced.set(log, namesIn);
    return log;
  }

  /**
   * Appends `bytes` to `log` (open as `fd`, ending at `offset`) and makes them durable; resolves once they are.
   * Commits that arrive in the same turn of the event loop share one journal write and one sync, and their logs
   * are written while that sync runs.
   * @throws WriteFailedError (the caller cuts its log back to `offset`); ClosedError
   */
  commit(log: JournaledLog, fd: number, offset: number, bytes: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new ClosedError(`The journal ${this.file}`));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ log, fd, offset, bytes, resolve, reject });
      this.kick();
    });
  }

  /**
   * Syncs every log written through the journal and starts the journal over. Resolves once done; commits that
   * arrive meanwhile wait for it. Call it before rewriting or deleting a journaled log.
   */
  checkpoint(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Checkpoints and closes the journal file, cut back to its header. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.checkpoint();
    if (this.closed) return;
    this.closed = true;
    try {
      // No entries are left: the space goes back (8 MiB per closed store would be a waste), the header stays.
      ftruncateSync(this.fd, this.start);
      fdatasyncSync(this.fd);
    } catch (err) {
      this.logger.warn(`could not cut ${this.file} back to its header`, { error: String(err) });
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** Bytes of entries in the journal now (0 right after a checkpoint). */
  get bytes(): number {
    return this.pos - this.start;
  }

  /** Writes a header with a new epoch (which ends every entry before it) and syncs it. */
  private startOver(): void {
    this.epoch = randomBytes(8).toString('hex');
    const header = Buffer.from(`${JSON.stringify({ journal: FORMAT, epoch: this.epoch })}\n`);
    // The old entries are zeroed, not only ended by the new epoch: erasing a stream (forgetting a person) checkpoints
    // first, and its bytes must not stay in this file. Past `pos` the file holds zeros already.
    const used = Math.min(this.pos, this.allocated) - this.start;
    if (used > 0) writeFully(this.fd, Buffer.alloc(used), used, this.start);
    writeFully(this.fd, header, header.length, 0);
    fdatasyncSync(this.fd);
    this.start = this.pos = header.length;
    this.allocated = Math.max(this.allocated, header.length);
  }

  /**
   * Makes the file at least `end` bytes long, in steps of {@link GROW_BYTES} of zeros written for real (space that
   * is allocated but never written would make the first write into it a metadata change). The round's sync then
   * commits the new size once per step; every other round writes in place.
   */
  private reserve(end: number): void {
    if (end <= this.allocated) return;
    const size = Math.min(this.capacity, Math.ceil(end / GROW_BYTES) * GROW_BYTES);
    const zeros = Buffer.alloc(Math.min(GROW_BYTES, size - this.allocated));
    for (let at = this.allocated; at < size; at += zeros.length) {
      writeFully(this.fd, zeros, Math.min(zeros.length, size - at), at);
    }
    this.allocated = size;
  }

  /** Starts the loop unless it runs; a fresh loop waits one turn so that every writer of this turn joins. */
  private kick(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.loop());
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        if (this.pending.length > 0) {
          const round = this.pending;
          this.pending = [];
          await this.flush(round);
        }
        if (this.waiters.length > 0) await this.runCheckpoint();
        if (this.pending.length === 0 && this.waiters.length === 0) break;
        // Let the callers that this round resolved append again, so their next appends share one round.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private async flush(round: Entry[]): Promise<void> {
    if (round.length === 1 && round[0]!.bytes.length > DIRECT_BYTES) return this.flushDirect(round[0]!, true);
    let buf = this.entriesOf(round);
    if (this.pos + buf.length > this.capacity) {
      if (this.start + buf.length > this.capacity) {
        // Bigger than the whole journal: each log syncs itself.
        await Promise.all(round.map((e) => this.flushDirect(e, false)));
        return;
      }
      const checkpointed = await this.checkpointQuietly();
      if (!checkpointed) {
        await Promise.all(round.map((e) => this.flushDirect(e, false)));
        return;
      }
      buf = this.entriesOf(round); // in the new epoch
    }
    const before = this.pos;
    let synced: Promise<void> | null = null;
    try {
      this.reserve(before + buf.length);
      writeFully(this.fd, buf, buf.length, before);
      this.pos = before + buf.length;
      if (!this.syncHere(round.length)) synced = fdatasyncAsync(this.fd);
    } catch (err) {
      this.withdrawLines(before);
      for (const e of round) e.reject(new WriteFailedError(this.file, err));
      return;
    }
    // The journal line is what makes an append durable, so the logs are written while its sync runs.
    const failed = new Map<Entry, unknown>();
    for (const e of round) {
      try {
        writeFully(e.fd, e.bytes);
      } catch (err) {
        failed.set(e, err);
      }
    }
    try {
      if (synced) {
        await synced;
        // An average of the last few, as half of an import's syncs see no append arrive during them.
        if (round.length <= SYNC_HERE_LOGS)
          this.overlap += ((this.pending.length > 0 ? 1 : 0) - this.overlap) / 8;
      } else fdatasyncSync(this.fd);
    } catch (err) {
      this.withdrawLines(before);
      for (const e of round) e.reject(new WriteFailedError(this.file, err));
      return;
    }
    if (failed.size > 0) await this.withdraw(round, failed, before);
    for (const e of round) {
      const err = failed.get(e);
      if (err !== undefined) {
        e.reject(new WriteFailedError(e.log.path, err));
        continue;
      }
      this.dirty.set(e.log.name, e.log);
      e.resolve();
    }
  }

  /**
   * Whether a round of `logs` logs syncs on this thread. A few logs' writes take microseconds, less than the
   * threadpool's round trip (60-80 µs here), and when every caller waits for this round nothing else would run
   * meanwhile. But when appends arrive while a sync runs in the threadpool (an import opening new streams, parsing
   * rows), the main thread has work of its own: blocking it cost an import 15% of its rows/s. So small rounds sync here
   * until a probe in the threadpool sees others append meanwhile, and go back once a threadpool sync sees none.
   */
  private syncHere(logs: number): boolean {
    if (logs > SYNC_HERE_LOGS) return false;
    if (this.overlap >= 0.1) return false;
    return ++this.smallRounds % PROBE_EVERY !== 0;
  }

  /**
   * The journal entries of a round, in the current epoch: each one's line (an {@link EntryHead}, built as text: the
   * epoch and hash are hex, the name is quoted at attach), then its bytes.
   */
  private entriesOf(round: readonly Entry[]): Buffer {
    const heads: string[] = [];
    let size = 0;
    for (const e of round) {
      const name = this.quoted.get(e.log) ?? JSON.stringify(e.log.name);
      const created = this.unsynced.has(e.log) ? ',"created":true' : '';
      const head =
        `{"epoch":"${this.epoch}","log":${name},"offset":${e.offset},` +
        `"hash":"${lineHash(e.bytes)}","length":${e.bytes.length}${created}}\n`;
      heads.push(head);
      size += Buffer.byteLength(head) + e.bytes.length;
    }
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    for (const [i, e] of round.entries()) {
      at += buf.write(heads[i]!, at, 'utf8');
      at += e.bytes.copy(buf, at);
    }
    return buf;
  }

  /**
   * One log makes its own bytes durable (and its earlier journaled ones as well); `alone`, it syncs on this thread
   * (a lone caller waits: the threadpool round trip costs 60-80 µs here).
   */
  private async flushDirect(e: Entry, alone: boolean): Promise<void> {
    try {
      writeFully(e.fd, e.bytes);
      if (alone) fdatasyncSync(e.fd);
      else await fdatasyncAsync(e.fd);
      await this.syncNames([e.log]);
      e.resolve();
    } catch (err) {
      e.reject(new WriteFailedError(e.log.path, err));
    }
  }

  /**
   * Some logs of a round could not be written (a full disk), but the journal holds their lines durably: an open
   * after a crash would write those appends, which fail now, back. The logs that were written are synced on their
   * own instead, and the round's lines are erased from the journal.
   */
  private async withdraw(round: Entry[], failed: Map<Entry, unknown>, before: number): Promise<void> {
    try {
      const written = round.filter((e) => !failed.has(e));
      for (const e of written) await fdatasyncAsync(e.fd);
      await this.syncNames(written.map((e) => e.log));
      this.withdrawLines(before);
    } catch (err) {
      // The written appends are durable either way (journal or own sync); the failed ones may come back.
      this.logger.warn(`could not withdraw a failed round from ${this.file}`, { error: String(err) });
    }
  }

  /** Erases the lines from `from` on (zeros end the entries) and syncs: they were never acknowledged. */
  private withdrawLines(from: number): void {
    try {
      if (this.pos > from) writeFully(this.fd, Buffer.alloc(this.pos - from), this.pos - from, from);
      fdatasyncSync(this.fd);
    } catch (err) {
      this.logger.warn(`could not erase a failed round from ${this.file}`, { error: String(err) });
    }
    this.pos = from;
  }

  /** Makes the names of these logs (and of their new folders) durable: their entries no longer need the journal. */
  private async syncNames(logs: readonly JournaledLog[]): Promise<void> {
    const dirs = new Set<string>();
    for (const l of logs) for (const d of this.unsynced.get(l) ?? []) dirs.add(d);
    if (dirs.size === 0) return;
    await Promise.all([...dirs].map((d) => fsyncDirAsync(d)));
    for (const l of logs) this.unsynced.delete(l);
  }

  private async runCheckpoint(): Promise<void> {
    const waiters = this.waiters;
    this.waiters = [];
    try {
      await this.checkpointNow();
    } catch (err) {
      for (const w of waiters) w.reject(new WriteFailedError(this.file, err));
      return;
    }
    for (const w of waiters) w.resolve();
  }

  /** A checkpoint the loop needs for room: false when it failed (checkpointNow has logged why). */
  private async checkpointQuietly(): Promise<boolean> {
    try {
      await this.checkpointNow();
      return true;
    } catch {
      return false;
    }
  }

  private async checkpointNow(): Promise<void> {
    const logs = [...this.dirty.values()];
    try {
      await syncLogs(logs);
      await this.syncNames([...this.unsynced.keys()]);
      if (this.pos > this.start) this.startOver();
      for (const l of logs) this.dirty.delete(l.name);
    } catch (err) {
      // The journal stays as it is: the logs' bytes are still in it, and an open after a crash writes them back.
      this.logger.warn(`could not checkpoint ${this.file}`, { error: String(err) });
      throw err;
    }
  }
}

/** Syncs each log through a fresh descriptor (its writer may be closed by now); a log that is gone is skipped. */
async function syncLogs(logs: readonly JournaledLog[]): Promise<void> {
  await Promise.all(
    logs.map(async (l) => {
      let fd: number;
      try {
        fd = openSync(l.path, 'r+');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      try {
        await fdatasyncAsync(fd);
      } finally {
        closeSync(fd);
      }
    }),
  );
}

function emptyRecovery(): JournalRecovery {
  return { entries: 0, restored: [], skipped: [], corruptLines: 0 };
}

/** Parses `text` as JSON, or null. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isLine(v: unknown): v is JournalLine {
  const l = v as Partial<JournalLine> | null;
  return (
    l !== null &&
    typeof l === 'object' &&
    typeof l.log === 'string' &&
    typeof l.offset === 'number' &&
    typeof l.hash === 'string'
  );
}

/** An entry of the string formats (its bytes quoted in the line), checked against its hash; null if it is not one. */
function parseStringEntry(text: string): ParsedEntry | null {
  const l = parseJson(text) as (JournalLine & { bytes?: unknown }) | null;
  if (!isLine(l) || typeof l.bytes !== 'string') return null;
  const bytes = Buffer.from(l.bytes, 'utf8');
  return lineHash(bytes) === l.hash ? { line: l, bytes } : null;
}

interface ParsedEntry {
  line: JournalLine;
  bytes: Buffer;
}

/** The journal's lines and how to read them: after a header, only its epoch's lines up to the first other one. */
interface ParsedJournal {
  entries: ParsedEntry[];
  /** Lines dropped as torn or failing their hash. */
  corrupt: number;
  /** The header's epoch (null: a journal of the first format, without one) and its length in bytes. */
  epoch: string | null;
  headerBytes: number;
}

function parseJournal(file: string): ParsedJournal {
  const out: ParsedJournal = { entries: [], corrupt: 0, epoch: null, headerBytes: 0 };
  const fd = openSync(file, 'r');
  try {
    return parseEntries(new JournalReader(fd), out);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an open journal 64 KiB at a time as lines and bytes are asked for (the file is megabytes long; its
 * entries are usually a few kilobytes at its start). A NUL byte ends the written part.
 */
class JournalReader {
  private buf = Buffer.alloc(0);
  private at = 0;
  private pos = 0;
  private eof = false;

  constructor(private readonly fd: number) {}

  /** The next line (without its newline), or null at the end of the written part. */
  line(): string | null {
    for (;;) {
      const nl = this.buf.indexOf(10, this.at);
      const zero = this.buf.indexOf(0, this.at);
      if (zero >= 0 && (nl < 0 || zero < nl)) {
        if (zero === this.at) return null;
        const text = this.buf.toString('utf8', this.at, zero);
        this.at = zero;
        return text;
      }
      if (nl >= 0) {
        const text = this.buf.toString('utf8', this.at, nl);
        this.at = nl + 1;
        return text;
      }
      if (this.eof) {
        if (this.at >= this.buf.length) return null;
        const text = this.buf.toString('utf8', this.at);
        this.at = this.buf.length;
        return text;
      }
      this.more();
    }
  }

  /** The next `n` bytes, or fewer at the end of the file. */
  bytes(n: number): Buffer {
    while (this.buf.length - this.at < n && !this.eof) this.more(n - (this.buf.length - this.at));
    const out = this.buf.subarray(this.at, Math.min(this.buf.length, this.at + n));
    this.at += out.length;
    return out;
  }

  /** Reads at least `want` bytes more (64 KiB at least), unless the file ends. */
  private more(want = 0): void {
    const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, want));
    const n = readSync(this.fd, chunk, 0, chunk.length, this.pos);
    this.pos += n;
    if (n === 0) this.eof = true;
    this.buf = Buffer.concat([this.buf.subarray(this.at), chunk.subarray(0, n)]);
    this.at = 0;
  }
}

function parseEntries(r: JournalReader, out: ParsedJournal): ParsedJournal {
  const first = r.line();
  const head = parseJson(first ?? '') as { journal?: unknown; epoch?: unknown } | null;
  const format = typeof head?.epoch === 'string' ? head.journal : null;
  if (format !== FORMAT && format !== STRING_FORMAT) {
    // No header: a journal of the first format (one entry per line, every valid line applies).
    for (let raw = first; raw !== null; raw = r.line()) {
      if (raw.length === 0) continue;
      const parsed = parseStringEntry(raw);
      if (parsed) out.entries.push(parsed);
      else out.corrupt++;
    }
    return out;
  }
  const epoch = head!.epoch as string;
  out.epoch = epoch;
  out.headerBytes = Buffer.byteLength(first ?? '') + 1;
  for (let raw = r.line(); raw !== null; raw = r.line()) {
    let parsed: ParsedEntry | null = null;
    if (format === FORMAT) {
      const h = parseJson(raw) as EntryHead | null;
      if (isLine(h) && Number.isSafeInteger(h.length) && h.length >= 0 && h.epoch === epoch) {
        const bytes = Buffer.from(r.bytes(h.length));
        if (bytes.length === h.length && lineHash(bytes) === h.hash) parsed = { line: h, bytes };
      }
    } else {
      parsed = parseStringEntry(raw);
    }
    // The first line that is not an entry of this epoch ends the journal: what follows is older or unwritten.
    if (!parsed || parsed.line.epoch !== epoch) {
      if (raw.includes(`"epoch":"${epoch}"`)) out.corrupt++; // a torn entry of this epoch
      break;
    }
    out.entries.push(parsed);
  }
  return out;
}

/**
 * The entries of the journal `file` that an open would apply (none once a checkpoint or an open started it over).
 * For tools and tests; `[]` when the file does not exist.
 */
export async function readJournal(file: string): Promise<JournalEntry[]> {
  await initHasher();
  if (!existsSync(file)) return [];
  return parseJournal(file).entries.map(({ line, bytes }) => ({
    log: line.log,
    offset: line.offset,
    hash: line.hash,
    bytes: bytes.toString('utf8'),
    ...(line.created === true ? { created: true as const } : {}),
  }));
}

/** Bytes of the entries in the journal `file` ({@link readJournal}'s): 0 when there is nothing to apply. */
export async function pendingJournalBytes(file: string): Promise<number> {
  return (await readJournal(file)).reduce((n, e) => n + Buffer.byteLength(e.bytes), 0);
}

/**
 * Applies the journal `file` to its logs (see {@link CommitJournal.open}): for each entry in order, the log
 * region it covers must hold exactly its bytes. A region that is short or zero-filled from some point on (what a
 * power cut leaves) is rewritten from there; a region holding other data is left alone and reported.
 */
function applyJournal(file: string, parsed: ParsedJournal, base: string, logger: Logger): JournalRecovery {
  const out = emptyRecovery();
  out.corruptLines = parsed.corrupt;
  const restored = new Map<string, number>(); // log name -> bytes written back
  const fds = new Map<string, number>(); // log name -> open descriptor
  const made = new Set<string>(); // folders whose entries changed as lost logs were made again
  try {
    for (const { line, bytes } of parsed.entries) {
      out.entries++;
      let fd = fds.get(line.log);
      if (fd === undefined) {
        const path = join(base, ...line.log.split('/'));
        if (existsSync(path)) fd = openSync(path, 'r+');
        else if (line.created === true && line.offset === 0) fd = makeLog(path, made);
        else {
          out.skipped.push({ log: line.log, offset: line.offset, reason: 'missing' });
          continue;
        }
        fds.set(line.log, fd);
      }
      const verdict = compareRegion(fd, line.offset, bytes);
      if (verdict === 'same') continue;
      if (verdict !== 'restore') {
        out.skipped.push({ log: line.log, offset: line.offset, reason: verdict });
        continue;
      }
      ftruncateSync(fd, line.offset);
      writeFully(fd, bytes, bytes.length, line.offset);
      restored.set(line.log, (restored.get(line.log) ?? 0) + bytes.length);
    }
    for (const [log, fd] of fds) if (restored.has(log)) fdatasyncSync(fd);
    for (const dir of made) fsyncDir(dir);
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  out.restored = [...restored].map(([log, n]) => ({ log, bytes: n }));
  if (out.restored.length > 0 || out.skipped.length > 0 || out.corruptLines > 0) {
    logger.warn(`applied the commit journal ${file}`, {
      restored: out.restored.length,
      skipped: out.skipped.length,
      corruptLines: out.corruptLines,
    });
  }
  return out;
}

/**
 * Makes a log that a power cut lost with its name (see {@link CommitJournal.attach}) again, with any folders it
 * lost too; adds the folders whose entries changed to `made` (synced once the logs are).
 */
function makeLog(path: string, made: Set<string>): number {
  const dir = dirname(path);
  for (const d of makeDirs(dir) ?? []) made.add(d);
  made.add(dir);
  return openSync(path, 'w+');
}

/**
 * How the log region at `offset` compares with `bytes`: `same`; `restore` when it is a prefix of them followed
 * by nothing or by zeros only; `gap` when the log ends before `offset`; `changed` otherwise.
 */
function compareRegion(fd: number, offset: number, bytes: Buffer): 'same' | 'restore' | 'gap' | 'changed' {
  const size = fstatSync(fd).size;
  if (size < offset) return 'gap';
  const have = readRange(fd, offset, Math.min(bytes.length, size - offset));
  const got = have.length;
  let i = 0;
  while (i < got && have[i] === bytes[i]) i++;
  if (i === bytes.length) return 'same';
  for (let j = i; j < got; j++) if (have[j] !== 0) return 'changed';
  return 'restore';
}
