/**
 * CommitJournal: group commit across many logs. A store with one log per stream would pay one `fdatasync` per
 * stream per commit; writers that share a journal write their bytes to their own `app.jsonl` as usual, and the
 * journal makes them durable together: one line per log in `journal.jsonl`, one `fdatasync` for all of them.
 * The logs themselves are synced later, at a checkpoint, after which the journal is emptied.
 *
 * ```
 * {"log":"streams/contact/c1/app.jsonl","offset":512,"hash":"<xxh64 of bytes>","bytes":"{\"type\":...}\n"}
 * ```
 *
 * - A round with a single log skips the journal: that log's own `fdatasync` is the commit.
 * - A process crash loses nothing (the bytes are in the page cache). After a power cut a log may lack, or hold
 *   zeros instead of, its last journaled bytes: {@link CommitJournal.open} writes them back from the journal
 *   before any writer opens, and reports what it did.
 * - Whoever rewrites or deletes a log (rotation, erasing a stream) calls {@link CommitJournal.checkpoint} first,
 *   so that no journal line can bring old bytes back.
 * @module
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ClosedError, WriteFailedError } from './errors.js';
import { fsyncDir } from './fsutil.js';
import { initHasher, lineHash } from './hash.js';
import { silentLogger, type Logger } from './logger.js';

/** Options of {@link CommitJournal.open}. */
export interface JournalOptions {
  /**
   * The folder that journaled log paths are relative to (default: the journal's folder). A journal line names its
   * log relative to it, so the whole folder can be moved or restored from a backup.
   */
  base?: string;
  /** Journal size at which the logs are synced and the journal emptied (default 8 MiB). */
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
   * Journal lines not applied: the log is gone (erased), holds other bytes there (rewritten since), or ends
   * before the line's offset (a gap no journal line fills).
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

interface Entry {
  log: JournaledLog;
  fd: number;
  offset: number;
  bytes: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface JournalLine {
  log: string;
  offset: number;
  hash: string;
  bytes: string;
}

const DEFAULT_CHECKPOINT_BYTES = 8 * 1024 * 1024;

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
  private readonly checkpointBytes: number;
  private readonly logger: Logger;
  private fd: number;
  private size = 0;
  private pending: Entry[] = [];
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  /** Logs with journaled bytes that their own file may not hold durably yet: synced at the next checkpoint. */
  private readonly dirty = new Map<string, JournaledLog>();
  private running = false;
  private closed = false;

  private constructor(file: string, fd: number, recovery: JournalRecovery, options: JournalOptions) {
    this.file = file;
    this.fd = fd;
    this.recovery = recovery;
    this.base = options.base ?? dirname(file);
    this.checkpointBytes = options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Opens (creating if needed) the journal `file`. Lines a crash left are applied first: every log that lacks
   * its journaled bytes gets them back, the logs are synced, and the journal is emptied. Call it before opening
   * any writer of those logs, under the lock that makes this process their only writer.
   */
  static async open(file: string, options: JournalOptions = {}): Promise<CommitJournal> {
    await initHasher();
    const base = options.base ?? dirname(file);
    const logger = options.logger ?? silentLogger;
    mkdirSync(dirname(file), { recursive: true });
    const existed = existsSync(file);
    const recovery = existed ? applyJournal(file, base, logger) : emptyRecovery();
    const fd = openSync(file, 'a+');
    try {
      if (!existed) fsyncDir(dirname(file));
      if (fstatSync(fd).size > 0) {
        ftruncateSync(fd, 0);
        fdatasyncSync(fd);
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return new CommitJournal(file, fd, recovery, options);
  }

  /** Registers the log at `path` (its `app.jsonl`) for {@link CommitJournal.commit}. */
  attach(path: string): JournaledLog {
    return { path, name: relative(this.base, path).split(sep).join('/') };
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
   * Syncs every log written through the journal and empties it. Resolves once done; commits that arrive
   * meanwhile wait for it. Call it before rewriting or deleting a journaled log.
   */
  checkpoint(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Checkpoints and closes the journal file. Close the writers first. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.checkpoint();
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Bytes in the journal file now (0 right after a checkpoint). */
  get bytes(): number {
    return this.size;
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
        if (this.waiters.length > 0 || this.size >= this.checkpointBytes) await this.runCheckpoint();
        if (this.pending.length === 0 && this.waiters.length === 0) break;
        // Let the callers that this round resolved append again, so their next appends share one round.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private async flush(round: Entry[]): Promise<void> {
    if (round.length === 1) {
      const e = round[0]!;
      // One log: its own sync is the commit (and makes its earlier journaled bytes durable as well). Such a round
      // is mostly a lone caller waiting, so the sync runs on this thread: the threadpool round trip would add
      // about 40 µs to a 250 µs commit, and no other append could join this round meanwhile anyway.
      try {
        writeAll(e.fd, e.bytes);
        fdatasyncSync(e.fd);
        e.resolve();
      } catch (err) {
        e.reject(new WriteFailedError(e.log.path, err));
      }
      return;
    }
    const before = this.size;
    let synced: Promise<void>;
    try {
      let text = '';
      for (const e of round) {
        const line: JournalLine = {
          log: e.log.name,
          offset: e.offset,
          hash: lineHash(e.bytes),
          bytes: e.bytes.toString('utf8'),
        };
        text += `${JSON.stringify(line)}\n`;
      }
      const buf = Buffer.from(text, 'utf8');
      writeAll(this.fd, buf);
      this.size = before + buf.length;
      synced = syncFd(this.fd);
    } catch (err) {
      this.cutBack(before);
      for (const e of round) e.reject(new WriteFailedError(this.file, err));
      return;
    }
    // The journal line is what makes an append durable, so the logs are written while its sync runs.
    const failed = new Map<Entry, unknown>();
    for (const e of round) {
      try {
        writeAll(e.fd, e.bytes);
      } catch (err) {
        failed.set(e, err);
      }
    }
    try {
      await synced;
    } catch (err) {
      this.cutBack(before);
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
   * Some logs of a round could not be written (a full disk), but the journal holds their lines durably: an open
   * after a crash would write those appends, which fail now, back. The logs that were written are synced on their
   * own instead, and the round's lines are cut from the journal.
   */
  private async withdraw(round: Entry[], failed: Map<Entry, unknown>, before: number): Promise<void> {
    try {
      for (const e of round) if (!failed.has(e)) await syncFd(e.fd);
      ftruncateSync(this.fd, before);
      fdatasyncSync(this.fd);
      this.size = before;
    } catch (err) {
      // The written appends are durable either way (journal or own sync); the failed ones may come back.
      this.logger.warn(`could not withdraw a failed round from ${this.file}`, { error: String(err) });
    }
  }

  private async runCheckpoint(): Promise<void> {
    const waiters = this.waiters;
    this.waiters = [];
    const logs = [...this.dirty.values()];
    try {
      await syncLogs(logs);
      if (this.size > 0) {
        ftruncateSync(this.fd, 0);
        fdatasyncSync(this.fd);
        this.size = 0;
      }
      for (const l of logs) this.dirty.delete(l.name);
    } catch (err) {
      // The journal stays as it is: the logs' bytes are still in it, and an open after a crash writes them back.
      this.logger.warn(`could not checkpoint ${this.file}`, { error: String(err) });
      for (const w of waiters) w.reject(new WriteFailedError(this.file, err));
      return;
    }
    for (const w of waiters) w.resolve();
  }

  /** Removes a failed round's lines; they were never acknowledged. */
  private cutBack(size: number): void {
    try {
      ftruncateSync(this.fd, size);
    } catch (err) {
      this.logger.warn(`could not cut ${this.file} back to ${size} bytes`, { error: String(err) });
    }
    this.size = size;
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

function syncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
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
        await syncFd(fd);
      } finally {
        closeSync(fd);
      }
    }),
  );
}

function emptyRecovery(): JournalRecovery {
  return { entries: 0, restored: [], skipped: [], corruptLines: 0 };
}

function parseLine(text: string): { line: JournalLine; bytes: Buffer } | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const l = v as Partial<JournalLine> | null;
  if (
    l === null ||
    typeof l !== 'object' ||
    typeof l.log !== 'string' ||
    typeof l.offset !== 'number' ||
    typeof l.hash !== 'string' ||
    typeof l.bytes !== 'string'
  ) {
    return null;
  }
  const bytes = Buffer.from(l.bytes, 'utf8');
  return lineHash(bytes) === l.hash ? { line: l as JournalLine, bytes } : null;
}

/**
 * Applies the journal `file` to its logs (see {@link CommitJournal.open}): for each valid line in order, the log
 * region it covers must hold exactly its bytes. A region that is short or zero-filled from some point on (what a
 * power cut leaves) is rewritten from there; a region holding other data is left alone and reported.
 */
function applyJournal(file: string, base: string, logger: Logger): JournalRecovery {
  const out = emptyRecovery();
  const text = readFileSync(file, 'utf8');
  if (text.length === 0) return out;
  const restored = new Map<string, number>(); // log name -> bytes written back
  const fds = new Map<string, number>(); // log name -> open descriptor
  try {
    for (const raw of text.split('\n')) {
      if (raw.length === 0) continue;
      const parsed = parseLine(raw);
      if (!parsed) {
        out.corruptLines++;
        continue;
      }
      out.entries++;
      const { line, bytes } = parsed;
      let fd = fds.get(line.log);
      if (fd === undefined) {
        const path = join(base, ...line.log.split('/'));
        if (!existsSync(path)) {
          out.skipped.push({ log: line.log, offset: line.offset, reason: 'missing' });
          continue;
        }
        fd = openSync(path, 'r+');
        fds.set(line.log, fd);
      }
      const verdict = compareRegion(fd, line.offset, bytes);
      if (verdict === 'same') continue;
      if (verdict !== 'restore') {
        out.skipped.push({ log: line.log, offset: line.offset, reason: verdict });
        continue;
      }
      ftruncateSync(fd, line.offset);
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, line.offset + off);
      restored.set(line.log, (restored.get(line.log) ?? 0) + bytes.length);
    }
    for (const [log, fd] of fds) if (restored.has(log)) fdatasyncSync(fd);
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
 * How the log region at `offset` compares with `bytes`: `same`; `restore` when it is a prefix of them followed
 * by nothing or by zeros only; `gap` when the log ends before `offset`; `changed` otherwise.
 */
function compareRegion(fd: number, offset: number, bytes: Buffer): 'same' | 'restore' | 'gap' | 'changed' {
  const size = fstatSync(fd).size;
  if (size < offset) return 'gap';
  const have = Buffer.alloc(Math.min(bytes.length, size - offset));
  let got = 0;
  while (got < have.length) {
    const n = readSync(fd, have, got, have.length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  let i = 0;
  while (i < got && have[i] === bytes[i]) i++;
  if (i === bytes.length) return 'same';
  for (let j = i; j < got; j++) if (have[j] !== 0) return 'changed';
  return 'restore';
}
