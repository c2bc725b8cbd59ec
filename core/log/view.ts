/**
 * View<S>: a reducer folded over the log, cached as a snapshot and refreshed incrementally.
 * @module
 */
import type { Event } from './event.js';
import { StaleOffsetError } from './errors.js';
import { lineHash } from './hash.js';
import { silentLogger, type Logger } from './logger.js';
import { snapshotPath } from './paths.js';
import type { EventReader } from './reader.js';
import { deleteSnapshot, loadSnapshot, saveSnapshot } from './snapshot.js';

/**
 * A pure function from (state, event) to the next state. It may mutate and return `state` (cheaper than
 * copying); it must ignore event types it does not know (forward compatibility) and do no I/O.
 */
export type Reducer<S> = (state: S, event: Event) => S;

/** The initial state, or a factory for it (use a factory for mutable states so rebuilds start fresh). */
export type Initial<S> = S | (() => S);

/** What the last refresh did. */
export interface RefreshReport {
  /** Events folded by this refresh. */
  folded: number;
  /** Whether the view was replayed from scratch (no snapshot, or an invalid one). */
  rebuilt: boolean;
  /** Why it was rebuilt, if the snapshot was rejected. */
  reason?: string;
}

/** A fresh initial state: calls the factory, or deep-copies the value. */
export function initialState<S>(initial: Initial<S>): S {
  return typeof initial === 'function' ? (initial as () => S)() : structuredClone(initial);
}

/**
 * A derived state over one log directory.
 *
 * @example
 * const count = new View('count', (n: number) => n + 1, 0, writer.paths.views);
 * await count.refresh(reader); // folds new events, saves the snapshot if any
 */
export class View<S> {
  /** Where the snapshot lives. */
  readonly snapshotPath: string;
  private current: S;
  private pos = 0;
  private posHash = '';
  private loaded = false;
  /** What the last refresh did. */
  lastRefresh: RefreshReport = { folded: 0, rebuilt: false };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly reducer: Reducer<S>,
    readonly initial: Initial<S>,
    viewsDir: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.snapshotPath = snapshotPath(viewsDir, name);
    this.current = initialState(initial);
  }

  /** The in-memory state (no I/O; the initial state before the first refresh). */
  get state(): S {
    return this.current;
  }

  /** Byte offset in `app.jsonl` after the last event folded. */
  get offset(): number {
    return this.pos;
  }

  /** Line hash of the last event folded (`''` at offset 0). */
  get hash(): string {
    return this.posHash;
  }

  /**
   * Brings the state up to date: on first use loads and verifies the snapshot (a snapshot whose offset is past the
   * end of the log, or whose hash does not match the line before its offset, is rejected with a warning and the
   * view is rebuilt from the archive and the active log); then folds the new events. The snapshot is written
   * only if at least one event was folded.
   */
  refresh(reader: EventReader): Promise<S> {
    return this.serialized(() => this.refreshNow(reader));
  }

  private async refreshNow(reader: EventReader): Promise<S> {
    if (!this.loaded) {
      this.loaded = true;
      const verified = await this.loadVerified(reader);
      if (typeof verified === 'string') return this.replay(reader, verified);
      // The log ended at the snapshot a moment ago: a scan would only open, read and close the file to find nothing.
      if (verified.size === this.pos) {
        this.lastRefresh = { folded: 0, rebuilt: false };
        return this.current;
      }
    }
    let folded = 0;
    let last: Buffer | undefined;
    let end = this.pos;
    let state = this.current;
    try {
      await reader.scanFrom(this.pos, (event, _offset, next, line) => {
        state = this.reducer(state, event);
        last = line;
        end = next;
        folded++;
      });
    } catch (err) {
      if (err instanceof StaleOffsetError) return this.replay(reader, err.message);
      throw err;
    }
    this.current = state;
    this.lastRefresh = { folded, rebuilt: false };
    if (folded > 0 && last) {
      this.pos = end;
      this.posHash = lineHash(last);
      this.save();
    }
    return state;
  }

  /** Deletes the snapshot and replays the full history (archive, then active log). */
  rebuild(reader: EventReader): Promise<S> {
    return this.serialized(() => {
      this.loaded = true;
      return this.replay(reader);
    });
  }

  /**
   * Runs refreshes one at a time: two overlapping refreshes (say a UI refresh and an auto-rotation's) would both
   * fold the same new events into the same state object, and a reducer that mutates its state would count them twice.
   */
  private serialized<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Called by rotation: the active log this view had consumed is now archived; its position becomes 0. */
  markRotated(activeSize: number, activeHash: string): void {
    if (this.pos === activeSize && this.posHash === activeHash) {
      this.pos = 0;
      this.posHash = '';
    } else {
      this.loaded = false; // reload and verify the snapshot on the next refresh
    }
  }

  /** Loads the snapshot if it matches the log: the log's size then, or why the snapshot cannot be used. */
  private async loadVerified(reader: EventReader): Promise<string | { size: number }> {
    const snap = loadSnapshot<S>(this.snapshotPath);
    if (snap === null) return 'no snapshot';
    if (snap === 'unreadable') return 'the snapshot file is unreadable';
    const size = await reader.activeLogSize();
    if (snap.offset > size)
      return `the snapshot offset ${snap.offset} is beyond the end of the log (${size} bytes)`;
    const actual = reader.lineHashBefore(snap.offset);
    if (actual !== snap.hash) {
      return `the snapshot hash ${snap.hash} does not match the log at offset ${snap.offset} (${actual ?? 'not a line end'})`;
    }
    this.current = snap.state;
    this.pos = snap.offset;
    this.posHash = snap.hash;
    return { size };
  }

  private async replay(reader: EventReader, reason?: string): Promise<S> {
    if (reason && reason !== 'no snapshot') {
      this.logger.warn(`view "${this.name}": ${reason}; rebuilding from the full history`, {
        view: this.name,
      });
    }
    deleteSnapshot(this.snapshotPath);
    let state = initialState(this.initial);
    let folded = 0;
    let last: Buffer | undefined;
    let end = 0;
    await reader.scanFull((event, _offset, next, line) => {
      state = this.reducer(state, event);
      folded++;
      if (next >= 0) {
        last = line;
        end = next;
      }
    });
    this.current = state;
    this.pos = end;
    this.posHash = last ? lineHash(last) : '';
    this.lastRefresh = reason === undefined ? { folded, rebuilt: true } : { folded, rebuilt: true, reason };
    if (folded > 0) this.save();
    return state;
  }

  private save(): void {
    saveSnapshot(this.snapshotPath, { state: this.current, offset: this.pos, hash: this.posHash });
  }
}
