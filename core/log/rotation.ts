/**
 * Rotation: moving the active log into the archive, crash-safe at every step.
 *
 * Steps: (1) refresh the given views; (2) write `rotation.json` = {archiveSize, activeSize, activeHash}
 * durably; (3) append the compressed frame(s) to the archive and fsync; (4) truncate `app.jsonl` and fsync;
 * (5) reset up-to-date snapshots to offset 0; (6) delete the marker.
 * On open, a marker means a crash in between. If `app.jsonl` still holds the marker's bytes (crash before 4),
 * the archive is cut back to `archiveSize` (undo: no event is ever in both files). Otherwise the truncation
 * happened, the frame is complete, and step 5 is redone (finish). Without a marker nothing is pending.
 * @module
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { compressFrames } from './archive.js';
import { fsyncDir, readFileIfExists, removeFile, writeFileAtomic } from './fsutil.js';
import type { Logger } from './logger.js';
import type { LogPaths } from './paths.js';
import type { EventReader } from './reader.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';
import { hashBefore, readRange } from './tail.js';

/** Anything rotation must bring up to date first and reset afterwards (a {@link View}). */
export interface RotatableView {
  refresh(reader: EventReader): Promise<unknown>;
  markRotated(activeSize: number, activeHash: string): void;
}

/** What a rotation did. */
export interface RotateResult {
  /** False when the active log was empty (nothing to do). */
  rotated: boolean;
  /** Bytes moved from the active log into the archive. */
  bytes: number;
  /** Frames appended to the archive. */
  frames: number;
}

/** How `open` resolved a rotation that a crash interrupted. */
export type RotationRecovery = 'none' | 'rolled-back' | 'completed';

interface Marker {
  archiveSize: number;
  activeSize: number;
  activeHash: string;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** Rotates the active log (fd, `size` bytes ending with a line hashing to `hash`). Caller holds the writer. */
export async function rotateLog(
  paths: LogPaths,
  fd: number,
  size: number,
  hash: string,
  reader: EventReader,
  views: RotatableView[],
  logger: Logger,
): Promise<RotateResult> {
  for (const v of views) await v.refresh(reader);
  if (size === 0) return { rotated: false, bytes: 0, frames: 0 };
  const marker: Marker = { archiveSize: fileSize(paths.archive), activeSize: size, activeHash: hash };
  writeFileAtomic(paths.marker, JSON.stringify(marker));

  const frames = await compressFrames(readRange(fd, 0, size));
  const created = marker.archiveSize === 0;
  const afd = openSync(paths.archive, 'a');
  try {
    for (const f of frames) writeSync(afd, f);
    fsyncSync(afd);
  } catch (err) {
    ftruncateSync(afd, marker.archiveSize);
    closeSync(afd);
    removeFile(paths.marker);
    throw err;
  }
  closeSync(afd);
  if (created) fsyncDir(paths.dir);

  ftruncateSync(fd, 0);
  fsyncSync(fd);
  finishRotation(paths, marker, views, logger);
  return { rotated: true, bytes: size, frames: frames.length };
}

function finishRotation(paths: LogPaths, marker: Marker, views: RotatableView[], logger: Logger): void {
  for (const v of views) v.markRotated(marker.activeSize, marker.activeHash);
  resetSnapshots(paths.views, marker, logger);
  removeFile(paths.marker);
  fsyncDir(paths.dir);
}

/** Snapshots that had consumed exactly the rotated log now start at offset 0 of the new one. */
function resetSnapshots(viewsDir: string, marker: Marker, logger: Logger): void {
  let names: string[];
  try {
    names = readdirSync(viewsDir).filter((n) => n.endsWith('.snapshot.json'));
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(viewsDir, name);
    const snap = loadSnapshot<unknown>(path);
    if (snap === null || snap === 'unreadable') continue;
    if (snap.offset === marker.activeSize && snap.hash === marker.activeHash) {
      saveSnapshot(path, { state: snap.state, offset: 0, hash: '' });
    } else if (snap.offset !== 0) {
      logger.warn(`snapshot ${name} was behind at rotation; it will be rebuilt from the archive`, {
        snapshot: name,
      });
    }
  }
}

/** On open: undoes or finishes a rotation that a crash interrupted (see the module comment). */
export function recoverRotation(paths: LogPaths, fd: number, logger: Logger): RotationRecovery {
  const text = readFileIfExists(paths.marker);
  if (text === null) return 'none';
  let marker: Marker;
  try {
    marker = JSON.parse(text) as Marker;
  } catch {
    // The marker is written atomically, so this is hand damage; the archive cannot be judged from it.
    logger.warn(`ignoring an unreadable ${paths.marker}`);
    removeFile(paths.marker);
    return 'none';
  }
  const size = fstatSync(fd).size;
  if (size >= marker.activeSize && hashBefore(fd, marker.activeSize) === marker.activeHash) {
    if (fileSize(paths.archive) > marker.archiveSize) {
      const afd = openSync(paths.archive, 'r+');
      try {
        ftruncateSync(afd, marker.archiveSize);
        fsyncSync(afd);
      } finally {
        closeSync(afd);
      }
    }
    removeFile(paths.marker);
    fsyncDir(paths.dir);
    logger.warn(
      'a rotation was interrupted before the active log was emptied; the archive was cut back, nothing is duplicated',
    );
    return 'rolled-back';
  }
  finishRotation(paths, marker, [], logger);
  logger.warn('a rotation was interrupted after the active log was emptied; it was completed');
  return 'completed';
}
