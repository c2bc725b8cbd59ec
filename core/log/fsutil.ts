/**
 * Small file helpers: directory fsync, atomic replace, reads and writes that loop over short counts.
 * @module
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  openSync,
  renameSync,
  writeSync,
  unlinkSync,
  mkdirSync,
  readFileSync,
  readSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Makes a directory entry change (create, rename, unlink) durable. No-op where directories cannot be opened. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // Windows cannot open directories; NTFS journals metadata itself.
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory (EINVAL); nothing better to do there.
  } finally {
    closeSync(fd);
  }
}

interface DirSync {
  current: Promise<void>;
  /** The sync that starts when `current` ends, shared by everyone who asked while `current` ran. */
  pending: Promise<void> | null;
}
const dirSyncs = new Map<string, DirSync>();

async function syncDirOnce(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch {
    return; // as in fsyncDir: Windows cannot open directories
  }
  try {
    await fh.sync();
  } catch {
    // EINVAL on filesystems that refuse a directory fsync
  } finally {
    await fh.close();
  }
}

/**
 * {@link fsyncDir} without blocking the event loop, and shared: callers that ask while a sync of the same directory
 * is running share the next one (it starts after theirs began, so it covers their changes). Creating many files in
 * one directory at once then costs two directory syncs, not one each.
 */
export function fsyncDirAsync(dir: string): Promise<void> {
  const running = dirSyncs.get(dir);
  if (!running) return startDirSync(dir);
  // The running sync may have begun before the caller's change: the caller needs the next one.
  running.pending ??= running.current.then(() => {
    running.pending = null;
    return startDirSync(dir);
  });
  return running.pending;
}

function startDirSync(dir: string): Promise<void> {
  const entry: DirSync = { current: Promise.resolve(), pending: null };
  entry.current = syncDirOnce(dir).finally(() => {
    if (dirSyncs.get(dir) === entry && entry.pending === null) dirSyncs.delete(dir);
  });
  dirSyncs.set(dir, entry);
  return entry.current;
}

/**
 * `mkdir -p dir`, returning the folders whose entries changed (each new folder's parent, for {@link fsyncDir}), or
 * null when `dir` existed.
 */
export function makeDirs(dir: string): string[] | null {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return null;
  const names: string[] = [];
  const top = resolve(first);
  for (let d = resolve(dir); d !== dirname(d); d = dirname(d)) {
    names.push(dirname(d));
    if (d === top) break;
  }
  return names;
}

/**
 * Replaces `path` with `content` atomically and durably: write `path.tmp`, fsync, rename, fsync the directory.
 * A crash leaves either the old file or the new one, never a mix; a stale `.tmp` is harmless.
 *
 * With `durable: false` the two fsyncs are skipped: still atomic for readers and after a process crash, but a
 * power loss may leave the old file or an empty one. Only for caches that are verified when read (snapshots).
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: { durable?: boolean } = {},
): void {
  const durable = options.durable ?? true;
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (durable) fsyncDir(dirname(path));
}

/** Deletes a file if it exists; returns whether it did. */
export function removeFile(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Reads a file as UTF-8, or `null` if it does not exist. */
export function readFileIfExists(path: string): string | null {
  // Checked first: a failed read throws an error with a stack trace, ten times the cost of the check, and most
  // small streams have no snapshot files.
  if (!existsSync(path)) return null;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Writes the first `len` bytes of `buf` (all of it by default) to `fd`, looping over short writes: at the file's
 * position (its end for an append descriptor), or at byte `at`.
 */
export function writeFully(fd: number, buf: Uint8Array, len = buf.length, at?: number): void {
  let off = 0;
  while (off < len) off += writeSync(fd, buf, off, len - off, at === undefined ? null : at + off);
}

/**
 * Reads up to `len` bytes (all of `buf` by default) from byte `at` into `buf`, looping over short reads. Returns
 * the bytes read: fewer at the end of the file.
 */
export function readFully(fd: number, buf: Uint8Array, len = buf.length, at = 0): number {
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, at + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** `fdatasync` on the libuv threadpool, as a promise. */
export function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}
