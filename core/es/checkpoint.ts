/**
 * Checkpoints of projections and process managers: `{"state", "position", "version", "types"}`: the read model, the
 * global position consumed, the version of the projection code and the aggregate types it reads. Written
 * atomically and durably (tmp, fsync, rename, directory fsync). The eventfold-es 0.2 format's per-stream
 * `"cursors": {"<type>/<id>": {"offset","hash"}}` are read, and written only while no consumed event has a position
 * (a store written by the Rust crate): with positions, the store's stream index says which streams to read, and a
 * save costs the state alone.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../log/index.js';
import { readFileIfExists } from '../log/fsutil.js';

/** Where a stream has been read up to: the byte offset after the last event consumed and that line's hash. */
export interface Cursor {
  offset: number;
  hash: string;
}

/** A loaded checkpoint. */
export interface Checkpoint<S> {
  state: S;
  cursors: Map<string, Cursor>;
  /** The global position consumed (0 for a checkpoint written by the Rust crate). */
  position: number;
  version: number;
  /** The aggregate types the consumer reads (`'*'`: all), for tools that inspect a store; not read back. */
  types?: readonly string[] | '*';
}

/** Why a checkpoint could not be used. */
export type CheckpointProblem = { problem: string };

/** Loads a checkpoint; `null` when there is none, a problem when it is unreadable (the caller rebuilds). */
export function loadCheckpoint<S>(file: string): Checkpoint<S> | null | CheckpointProblem {
  const text = readFileIfExists(file);
  if (text === null) return null;
  let v: { state?: unknown; cursors?: unknown; position?: unknown; version?: unknown };
  try {
    v = JSON.parse(text) as typeof v;
  } catch (err) {
    return { problem: `not valid JSON (${(err as Error).message})` };
  }
  if (v === null || typeof v !== 'object' || !('state' in v)) return { problem: 'no "state" field' };
  const cursors = new Map<string, Cursor>();
  if (v.cursors !== undefined) {
    if (v.cursors === null || typeof v.cursors !== 'object') return { problem: '"cursors" is not an object' };
    for (const [key, c] of Object.entries(v.cursors as Record<string, unknown>)) {
      const cur = c as { offset?: unknown; hash?: unknown };
      if (
        typeof cur?.offset !== 'number' ||
        !Number.isInteger(cur.offset) ||
        cur.offset < 0 ||
        typeof cur.hash !== 'string'
      ) {
        return { problem: `bad cursor for ${key}` };
      }
      cursors.set(key, { offset: cur.offset, hash: cur.hash });
    }
  }
  return {
    state: v.state as S,
    cursors,
    position: typeof v.position === 'number' ? v.position : 0,
    version: typeof v.version === 'number' ? v.version : 1,
  };
}

/** Saves a checkpoint atomically and durably (`cursors` only when there are any). */
export function saveCheckpoint<S>(file: string, cp: Checkpoint<S>): void {
  mkdirSync(dirname(file), { recursive: true });
  let cursors: Record<string, Cursor> | undefined;
  if (cp.cursors.size > 0) {
    cursors = {};
    for (const [k, c] of [...cp.cursors.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      cursors[k] = c;
  }
  writeFileAtomic(
    file,
    JSON.stringify({
      state: cp.state,
      cursors,
      position: cp.position,
      version: cp.version,
      types: cp.types,
    }) + '\n',
  );
}
