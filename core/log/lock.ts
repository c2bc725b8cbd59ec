/**
 * The single-writer lock of a log directory.
 *
 * A lock is a directory (`mkdir` is atomic on every filesystem) holding `owner.json` with the holder's pid.
 * We record the pid instead of refreshing an mtime (as proper-lockfile does) so that a crashed app can be
 * reopened at once, and so that `eventfold info` can say who holds the lock.
 * @module
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockedError, type LockOwner } from './errors.js';
import { readFileIfExists } from './fsutil.js';

/** A held lock; `release()` is idempotent. */
export interface HeldLock {
  release(): void;
}

// How long a lock directory without an owner file may exist before it is taken as a crash leftover.
const ORPHAN_MS = 10_000;

/** Reads the recorded holder of a lock directory, if any. */
export function readLockOwner(lockDir: string): LockOwner | null {
  const text = readFileIfExists(join(lockDir, 'owner.json'));
  if (text === null) return null;
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lockDir: string, owner: LockOwner | null): boolean {
  if (owner) return owner.hostname === hostname() && owner.pid !== process.pid && !processAlive(owner.pid);
  try {
    return Date.now() - statSync(lockDir).mtimeMs > ORPHAN_MS;
  } catch {
    return true; // vanished meanwhile
  }
}

/**
 * Takes the lock of `dir` or fails at once.
 * @throws LockedError when a live process (including this one) holds it.
 */
export function acquireLock(dir: string, lockDir: string): HeldLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lockDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLockOwner(lockDir);
      if (attempt === 0 && isStale(lockDir, owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      throw new LockedError(dir, owner);
    }
    const owner: LockOwner = { pid: process.pid, hostname: hostname(), since: Date.now() };
    writeFileSync(join(lockDir, 'owner.json'), JSON.stringify(owner));
    let held = true;
    return {
      release() {
        if (!held) return;
        held = false;
        rmSync(lockDir, { recursive: true, force: true });
      },
    };
  }
  throw new LockedError(dir, readLockOwner(lockDir));
}
