/**
 * The machinery shared by projections, process managers and subscriptions: load a checkpoint, catch up from the
 * logs in global order, switch to live delivery without a gap or a duplicate, stall and retry when the consumer's
 * code throws, and checkpoint state and position together.
 *
 * A checkpoint holds no cursor per stream: the store's stream index knows which streams have events after a
 * position, so saving costs the state alone. Cursors are read from a checkpoint written by the Rust crate (whose
 * events have no position) and kept while every event consumed is unnumbered.
 * @module
 */
import type { Logger } from '../log/index.js';
import { removeFile } from '../log/fsutil.js';
import { loadCheckpoint, saveCheckpoint, type Cursor } from './checkpoint.js';
import { ConsumerStalledError } from './errors.js';
import { readCommitted, type Committed, type FeedSource } from './feed.js';
import type { ConsumerStatus } from './metrics.js';
import type { StoredEvent } from './stored-event.js';

/** How a consumer is persisted and paced. */
export interface ConsumerOptions<S> {
  name: string;
  /** Aggregate types to read, or `'*'` for every type. */
  subscriptions: readonly string[] | '*';
  initialState(): S;
  /**
   * Live deliveries queued beyond this (a slow subscriber) are dropped and read back from the logs later, so memory
   * stays bounded. Unbounded when omitted.
   */
  maxQueued?: number;
  /** Folds one event (may be async: process managers dispatch commands). */
  step(state: S, event: StoredEvent): S | Promise<S>;
  /** Checkpoint file; none for an in-memory consumer (a subscription). */
  file?: string;
  /** Code version: a checkpoint of another version is rebuilt. */
  version?: number;
  source: FeedSource;
  /** The store's released position, read when catching up. */
  released(): number;
  logger: Logger;
  /** Save the checkpoint after this many events... */
  checkpointEvery?: number;
  /** ...or this long after the first unsaved one. */
  checkpointMs?: number;
  /** First retry delay after the code threw; doubles up to a minute. */
  retryMs?: number;
  /** Shared by the store's consumers, so that slow checkpoint saves together take a bounded share of the time. */
  budget?: SaveBudget;
}

type Mode = ConsumerStatus['status'];

/** Routine checkpoint saves may take at most 1/20 of the time (see {@link SaveBudget}). */
const SAVE_COST_SHARE = 20;
/** A save quicker than this is never held back. */
const CHEAP_SAVE_MS = 20;

/**
 * Paces slow checkpoint saves: after a save that took `ms`, the next slow one (of any consumer sharing the budget)
 * waits `ms * (SAVE_COST_SHARE - 1)`, so slow saves take at most 1/SAVE_COST_SHARE of the time. A checkpoint of
 * 100,000 contacts is tens of megabytes, and writing every read model every few seconds would stall an import; a
 * checkpoint is a cache checked against the logs, so a later save costs at most a longer catch-up after a crash.
 */
export class SaveBudget {
  private nextAt = 0;

  /** How long a save whose previous one took `lastMs` must wait (0: go). */
  wait(lastMs: number): number {
    if (lastMs < CHEAP_SAVE_MS) return 0;
    return Math.max(0, this.nextAt - Date.now());
  }

  /** Records a save that took `ms`. */
  spent(ms: number): void {
    if (ms >= CHEAP_SAVE_MS) this.nextAt = Math.max(this.nextAt, Date.now()) + ms * (SAVE_COST_SHARE - 1);
  }
}

/** One consumer of the store's committed events. */
export class Consumer<S> {
  state: S;
  /** Per-stream cursors, only while every event consumed is unnumbered (a store written by the Rust crate). */
  cursors = new Map<string, Cursor>();
  /** Global position consumed. */
  position = 0;
  private mode: Mode = 'catching-up';
  private error: unknown = null;
  private buffer: Committed[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private waiters: { position: number; resolve(): void; reject(err: unknown): void }[] = [];
  private unsaved = 0;
  private saveTimer: NodeJS.Timeout | null = null;
  /** How long the last checkpoint save took (ms). */
  private lastSaveMs = 0;
  private readonly budget: SaveBudget;
  /** Whether the state was loaded from a checkpoint saved before this run (before the stream index was checked). */
  private fromEarlierRun = false;
  private savedThisRun = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay: number;
  private closed = false;
  private readonly types: Set<string> | null;
  private queued = 0;
  private overflowed = false;

  constructor(private readonly o: ConsumerOptions<S>) {
    this.state = o.initialState();
    this.types = o.subscriptions === '*' ? null : new Set(o.subscriptions);
    this.retryDelay = o.retryMs ?? 1000;
    this.budget = o.budget ?? new SaveBudget();
  }

  get name(): string {
    return this.o.name;
  }

  /** Whether it reads the events of `aggregateType`. */
  follows(aggregateType: string): boolean {
    return this.types === null || this.types.has(aggregateType);
  }

  /** Loads the checkpoint (rebuilding when it is unusable) and catches up to the store's position. */
  start(from?: number): Promise<void> {
    return this.enqueue(async () => {
      if (from !== undefined) this.position = from;
      else this.loadCheckpoint();
      await this.catchUp();
    });
  }

  /** Called for every release of the sequencer, in position order. */
  deliver(items: readonly Committed[], position: number): void {
    if (this.closed) return;
    const mine = this.types ? items.filter((i) => this.types!.has(i.stored.aggregateType)) : [...items];
    if (this.mode === 'stalled' || this.overflowed) return;
    if (this.mode === 'catching-up') {
      this.buffer.push(...mine);
      return;
    }
    if (this.o.maxQueued !== undefined && this.queued >= this.o.maxQueued) {
      // Too far behind: stop queueing; the dropped events are on disk and the catch-up reads them back.
      this.overflowed = true;
      void this.enqueue(async () => {
        this.overflowed = false;
        await this.catchUp();
      });
      return;
    }
    this.queued++;
    void this.enqueue(async () => {
      this.queued--;
      if (this.mode !== 'live') {
        // Stalled or catching up since this was queued: the events are on disk or in the buffer.
        if (this.mode === 'catching-up') this.buffer.push(...mine);
        return;
      }
      try {
        // A catch-up queued before this delivery (a rebuild) may have read these events from disk already.
        await this.apply(mine.filter((i) => i.stored.seq > this.position));
      } catch (err) {
        this.stall(err);
        return;
      }
      this.advance(position);
    });
  }

  /** Resolves once everything up to `position` is consumed; rejects if the consumer is stalled. */
  awaitPosition(position: number): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    if (this.mode === 'stalled') return Promise.reject(this.stalledError());
    return new Promise((resolve, reject) => this.waiters.push({ position, resolve, reject }));
  }

  /** Forgets everything and replays every subscribed stream from the start. */
  rebuild(): Promise<void> {
    return this.enqueue(async () => {
      this.reset();
      if (this.o.file) removeFile(this.o.file);
      await this.catchUp();
    });
  }

  /** Status for metrics. */
  status(released: number): ConsumerStatus {
    return {
      name: this.o.name,
      position: this.position,
      lag: Math.max(0, released - this.position),
      status: this.mode,
      error: this.mode === 'stalled' ? String((this.error as Error)?.message ?? this.error) : null,
    };
  }

  /** Drops the cursor of a stream that was deleted. */
  forget(stream: string): Promise<void> {
    return this.enqueue(async () => {
      if (this.cursors.delete(stream)) this.unsaved++;
    });
  }

  /** Resolves when every queued delivery has been processed. */
  idle(): Promise<void> {
    return this.enqueue(async () => undefined);
  }

  /** Saves the checkpoint now (if there is anything unsaved). */
  flush(): Promise<void> {
    return this.enqueue(async () => this.save());
  }

  /** Stops: processes what is queued, saves the checkpoint, refuses further work. */
  async close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.idle();
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.mode !== 'stalled') this.save();
    const err = this.stalledError();
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private reset(): void {
    this.state = this.o.initialState();
    this.cursors = new Map();
    this.position = 0;
    this.unsaved = 0;
    this.fromEarlierRun = false;
  }

  private loadCheckpoint(): void {
    this.reset();
    if (!this.o.file) return;
    const cp = loadCheckpoint<S>(this.o.file);
    if (cp === null) return;
    if ('problem' in cp) {
      this.o.logger.warn(
        `${this.o.name}: its checkpoint is unusable (${cp.problem}); rebuilding from the logs`,
        {},
      );
      return;
    }
    if (cp.version !== (this.o.version ?? 1)) {
      // A warning like every other rebuild reason: a full replay can take a while, the app should hear about it.
      this.o.logger.warn(
        `${this.o.name}: code version changed (${cp.version} -> ${this.o.version ?? 1}); rebuilding`,
        {},
      );
      return;
    }
    this.state = cp.state;
    // A numbered position makes cursors unnecessary (checkpoints of earlier versions carry both).
    this.cursors = cp.position > 0 ? new Map() : cp.cursors;
    this.position = cp.position;
    this.fromEarlierRun = !this.savedThisRun;
  }

  /** Reads the logs up to the released position, then switches to live and applies what arrived meanwhile. */
  private async catchUp(): Promise<void> {
    this.mode = 'catching-up';
    this.buffer = [];
    const until = this.o.released();
    try {
      const types = this.o.subscriptions === '*' ? this.o.source.types() : this.o.subscriptions;
      const changed =
        this.fromEarlierRun && this.position > 0 ? (this.o.source.changedAmong?.(types) ?? []) : [];
      if (changed.length > 0) {
        this.o.logger.warn(
          `${this.o.name}: ${changed.join(', ')} lost or changed events it had read; rebuilding`,
          {},
        );
        this.reset();
      }
      // With cursors (unnumbered events), every stream is checked against its cursor.
      const only = this.cursors.size > 0 ? undefined : this.o.source.streamsAfter?.(types, this.position);
      let read = await readCommitted(this.o.source, types, this.cursors, until, this.position, only);
      if (read.invalid.length > 0) {
        this.o.logger.warn(
          `${this.o.name}: cursors no longer match ${read.invalid.join(', ')} (rotated or edited); rebuilding`,
          {},
        );
        this.reset();
        read = await readCommitted(
          this.o.source,
          types,
          this.cursors,
          until,
          0,
          this.o.source.streamsAfter?.(types, 0),
        );
      }
      await this.apply(read.items);
      if (this.position === 0) for (const [k, c] of read.cursors) this.cursors.set(k, c);
      else this.cursors.clear();
      // Events released while the buffer is applied (an async step yields) land in the buffer again: drain it
      // until it stays empty, then go live in the same synchronous step, so no release falls in between.
      let buffered = this.buffer.filter((i) => i.stored.seq > until);
      this.buffer = [];
      while (buffered.length > 0) {
        await this.apply(buffered);
        buffered = this.buffer;
        this.buffer = [];
      }
      this.mode = 'live';
      this.error = null;
      this.retryDelay = this.o.retryMs ?? 1000;
      this.advance(Math.max(until, this.o.released()));
    } catch (err) {
      this.stall(err);
    }
  }

  private async apply(items: readonly Committed[]): Promise<void> {
    for (const item of items) {
      this.state = await this.o.step(this.state, item.stored);
      this.unsaved++;
      // Items come in global order: everything up to this one is consumed. A retry after a later failure skips
      // it (a subscription keeps its progress; a projection reloads its checkpoint, position included).
      if (item.stored.seq > this.position) {
        this.position = item.stored.seq;
        if (this.cursors.size > 0) this.cursors.clear();
      } else if (this.position === 0 && item.cursor) {
        this.cursors.set(item.stored.stream, item.cursor);
      }
    }
  }

  private advance(position: number): void {
    if (position > this.position) this.position = position;
    this.waiters = this.waiters.filter((w) => {
      if (w.position > this.position) return true;
      w.resolve();
      return false;
    });
    this.scheduleSave();
  }

  /**
   * The consumer's code threw (or a log could not be read): drop the in-memory state, which may be half-updated,
   * reload the last checkpoint, and retry later. Live events are not held meanwhile: they are on disk.
   */
  private stall(err: unknown): void {
    if (this.closed) return;
    this.mode = 'stalled';
    this.error = err;
    this.buffer = [];
    this.o.logger.warn(
      `${this.o.name} stopped at an event it could not process; retrying in ${this.retryDelay} ms`,
      {
        error: String((err as Error)?.message ?? err),
      },
    );
    const stalled = this.stalledError();
    for (const w of this.waiters.splice(0)) w.reject(stalled);
    if (this.o.file) this.loadCheckpoint();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.enqueue(() => this.catchUp());
    }, this.retryDelay);
    this.retryTimer.unref();
    this.retryDelay = Math.min(this.retryDelay * 2, 60_000);
  }

  private stalledError(): ConsumerStalledError {
    return new ConsumerStalledError(this.o.name, this.error);
  }

  private scheduleSave(): void {
    if (!this.o.file || this.unsaved === 0) return;
    const wait = this.budget.wait(this.lastSaveMs);
    if (this.unsaved >= (this.o.checkpointEvery ?? 10_000) && wait === 0) {
      this.save();
      return;
    }
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(
      () => {
        this.saveTimer = null;
        if (this.budget.wait(this.lastSaveMs) > 0) this.scheduleSave();
        else void this.flush();
      },
      Math.max(this.o.checkpointMs ?? 5000, wait),
    );
    this.saveTimer.unref();
  }

  private save(): void {
    if (!this.o.file || this.unsaved === 0 || this.mode === 'stalled') return;
    const start = Date.now();
    saveCheckpoint(this.o.file, {
      state: this.state,
      cursors: this.cursors,
      position: this.position,
      version: this.o.version ?? 1,
      types: this.o.subscriptions,
    });
    this.lastSaveMs = Date.now() - start;
    this.budget.spent(this.lastSaveMs);
    this.unsaved = 0;
    this.savedThisRun = true;
  }
}
