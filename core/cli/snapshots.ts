/**
 * The view snapshots of a log folder (`views/<name>.snapshot.json`), checked as core/log's View checks them on
 * load: readable, offset within the active log, and the hash of the line before the offset matching.
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventReader, loadSnapshot, VIEWS_DIR } from '../log/index.js';

/** One snapshot file and whether the engine would accept it. */
export interface SnapshotCheck {
  name: string;
  file: string;
  /** null when the file is unreadable. */
  offset: number | null;
  hash: string | null;
  /** Why the engine would reject it and rebuild the view; null when valid. */
  problem: string | null;
}

const SUFFIX = '.snapshot.json';

/** Names of the views that have a snapshot in `dir/views/`. */
export function snapshotNames(dir: string): string[] {
  try {
    return readdirSync(join(dir, VIEWS_DIR))
      .filter((n) => n.endsWith(SUFFIX))
      .map((n) => n.slice(0, -SUFFIX.length))
      .sort();
  } catch {
    return [];
  }
}

/** Checks every snapshot of the log folder `dir` against its active log (`activeBytes` long). */
export async function checkSnapshots(dir: string, activeBytes: number): Promise<SnapshotCheck[]> {
  const reader = await EventReader.open(dir);
  return snapshotNames(dir).map((name) => {
    const file = join(dir, VIEWS_DIR, `${name}${SUFFIX}`);
    const snap = loadSnapshot<unknown>(file);
    if (snap === null || snap === 'unreadable') {
      return { name, file, offset: null, hash: null, problem: 'the snapshot file is unreadable' };
    }
    const base = { name, file, offset: snap.offset, hash: snap.hash };
    if (snap.offset > activeBytes) {
      return {
        ...base,
        problem: `its offset ${snap.offset} is beyond the end of the log (${activeBytes} bytes)`,
      };
    }
    const actual = reader.lineHashBefore(snap.offset);
    if (actual === null) return { ...base, problem: `its offset ${snap.offset} is not at the end of a line` };
    if (actual !== snap.hash) {
      return {
        ...base,
        problem: `its hash ${snap.hash} does not match the line before offset ${snap.offset} (${actual})`,
      };
    }
    return { ...base, problem: null };
  });
}
