/**
 * Who holds a folder: the writer lock of a log folder (`app.jsonl.lock/owner.json`, core/log's `readLockOwner`),
 * and for a store every stream's lock plus any lock folder at the store's root or in `meta/`.
 * @module
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  acquireLock,
  LOCK_DIR,
  LockedError,
  readLockOwner,
  type HeldLock,
  type LockOwner,
} from '../log/index.js';
import { fsyncDir, removeFile } from '../log/fsutil.js';
import { FolderInUseError } from './errors.js';
import { listStreams, STORE } from './layout.js';

/** A lock folder that exists, its recorded owner, and whether it is really held. */
export interface LockInfo {
  /** Path of the lock folder. */
  path: string;
  owner: LockOwner | null;
  /**
   * `true` when a live process holds it (or one on another host, which cannot be checked), `false` for a crash
   * leftover that the next open takes over.
   */
  held: boolean;
}

// core/log treats an owner-less lock folder younger than this as being created right now.
const ORPHAN_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state of the lock folder `lockDir`, or null if there is none. Mirrors core/log's staleness rule. */
export function lockAt(lockDir: string): LockInfo | null {
  let mtime: number;
  try {
    const st = statSync(lockDir);
    if (!st.isDirectory()) return null;
    mtime = st.mtimeMs;
  } catch {
    return null;
  }
  const owner = readLockOwner(lockDir);
  let held: boolean;
  if (owner) held = owner.hostname !== hostname() || owner.pid === process.pid || alive(owner.pid);
  else held = Date.now() - mtime <= ORPHAN_MS;
  return { path: lockDir, owner, held };
}

/** The writer lock of a log folder, if one exists. */
export function logLock(dir: string): LockInfo | null {
  return lockAt(join(dir, LOCK_DIR));
}

function lockDirsIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name.endsWith('.lock'))
      .map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}

/** Every lock folder of a store: store-level ones (root, `meta/`) first, then each stream's. */
export function storeLocks(storeDir: string): LockInfo[] {
  const out: LockInfo[] = [];
  for (const p of [...lockDirsIn(storeDir), ...lockDirsIn(join(storeDir, 'meta'))]) {
    const l = lockAt(p);
    if (l) out.push(l);
  }
  for (const s of listStreams(storeDir)) {
    const l = logLock(s.dir);
    if (l) out.push(l);
  }
  return out;
}

/** A one-line description of a lock holder, e.g. `process 123 on host since 2024-...` (paths relative to `base`). */
export function describeLock(lock: LockInfo, base: string): string {
  const where = relative(base, lock.path) || lock.path;
  if (!lock.owner) return `${where}: being taken right now (no owner recorded yet)`;
  const since = new Date(lock.owner.since).toISOString();
  return `${where}: process ${lock.owner.pid} on ${lock.owner.hostname} since ${since}`;
}

/**
 * Takes the store's own lock for the length of a maintenance command that writes (repair, rotate, rebuild), so the
 * app cannot open the store halfway through: checking the locks first is not enough, the app could start between
 * the check and the write.
 * @throws FolderInUseError when a process holds the store.
 */
export function holdStoreLock(storeDir: string, what: string): HeldLock {
  const lockDir = join(storeDir, STORE.lock);
  mkdirSync(dirname(lockDir), { recursive: true });
  let lock: HeldLock;
  try {
    lock = acquireLock(storeDir, lockDir);
  } catch (err) {
    if (!(err instanceof LockedError)) throw err;
    const info = lockAt(lockDir);
    throw new FolderInUseError(what, [info ? describeLock(info, storeDir) : `${lockDir} is held`]);
  }
  // The command may change logs: the app must check them on its next open instead of trusting its stream index.
  if (removeFile(join(storeDir, STORE.cleanClose))) fsyncDir(dirname(join(storeDir, STORE.cleanClose)));
  return lock;
}
