/**
 * The store interface of the `--compare` workloads: our engine and every peer (better-sqlite3, ...) implement it,
 * so the same workload code drives each of them in the same run, on the same disk.
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** An event as the workloads see it, whatever the store keeps. */
export interface StoreEvent {
  type: string;
  data: unknown;
  ts: number;
  id: string;
}

/** A reducer over store events (may mutate and return the state). */
export type Fold<S> = (state: S, event: StoreEvent) => S;

/**
 * An open event store. Streams are created on first append. All methods may be called concurrently; `append`
 * must not resolve before its events are durable (fsync'ed / committed with synchronous=FULL).
 */
export interface BenchStore {
  /** Appends `events` to `stream` as one atomic, durable write. */
  append(stream: string, events: StoreEvent[]): Promise<void>;
  /** Setup only: puts `events` into a new `stream` as fast as the store can (durability not required). */
  load(stream: string, events: StoreEvent[]): Promise<void>;
  /** Folds every event of every stream, with no cached state (a full replay). */
  replay<S>(fold: Fold<S>, initial: S): Promise<S>;
  /**
   * The projection `name` of `stream`: restored from the store's own snapshot/checkpoint when there is one,
   * caught up with newer events, checkpointed again; returns its state.
   */
  project<S>(name: string, stream: string, fold: Fold<S>, initial: () => S): Promise<S>;
  /** Moves history into the store's archived (compressed) form; resolves `false` if the store has none. */
  archive(): Promise<boolean>;
  /** Bytes the store occupies on disk. */
  diskBytes(): number;
  close(): Promise<void>;
}

/** How the harness finds and opens a store. */
export interface StoreFactory {
  /** Column name in the table, e.g. `sqlite`. */
  name: string;
  /** Why the store cannot run on this machine (its module is not installed), or `null` when it can. */
  unavailable(): Promise<string | null>;
  /** Opens the store kept in `dir`, creating it if needed. */
  open(dir: string): Promise<BenchStore>;
}

/** Total size of the files under `dir`, recursively. */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
