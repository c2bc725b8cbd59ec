/**
 * Snapshot files: `views/<name>.snapshot.json` = `{"state", "offset", "hash"}`, written atomically and durably.
 * @module
 */
import { writeFileAtomic, readFileIfExists, removeFile } from './fsutil.js';

/**
 * A view's cached state. `offset` is the byte position in `app.jsonl` just after the last event folded;
 * `hash` is the line hash of that event's line (`''` at offset 0, e.g. after a rotation).
 */
export interface Snapshot<S> {
  state: S;
  offset: number;
  hash: string;
}

/**
 * Writes a snapshot atomically (tmp file, fsync, rename, directory fsync). `durable: false` skips the fsyncs: the
 * snapshot is verified against the log (offset and line hash) when loaded, so one lost to a power cut only costs
 * a replay; callers that save often (core/es actors) use it.
 */
export function saveSnapshot<S>(
  path: string,
  snapshot: Snapshot<S>,
  options: { durable?: boolean } = {},
): void {
  writeFileAtomic(
    path,
    JSON.stringify({ state: snapshot.state, offset: snapshot.offset, hash: snapshot.hash }),
    options,
  );
}

/** Why a snapshot file was not usable. */
export type SnapshotProblem = 'unreadable';

/**
 * Loads a snapshot (compact or pretty JSON). Returns `null` if the file is missing, or `'unreadable'` when it is
 * not a valid snapshot (truncated, garbled): the caller rebuilds. A leftover `.tmp` is never read.
 */
export function loadSnapshot<S>(path: string): Snapshot<S> | null | SnapshotProblem {
  const text = readFileIfExists(path);
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<Snapshot<S>>;
    if (
      v === null ||
      typeof v !== 'object' ||
      !('state' in v) ||
      typeof v.offset !== 'number' ||
      !Number.isInteger(v.offset) ||
      v.offset < 0 ||
      typeof v.hash !== 'string'
    ) {
      return 'unreadable';
    }
    return { state: v.state as S, offset: v.offset, hash: v.hash };
  } catch {
    return 'unreadable';
  }
}

/** Deletes a snapshot and any leftover `.tmp`; idempotent. */
export function deleteSnapshot(path: string): void {
  removeFile(path);
  removeFile(`${path}.tmp`);
}
