/**
 * Small durable-file helpers: directory fsync and atomic replace.
 * @module
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

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
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
