/**
 * EventLog: a writer, a reader and a registry of views over one directory, with auto-rotation.
 * @module
 */
import { EventfoldError } from './errors.js';
import type { Event } from './event.js';
import { silentLogger, type Logger } from './logger.js';
import type { EventReader } from './reader.js';
import type { RotateResult } from './rotation.js';
import type { Until, PastState } from './time-travel.js';
import { stateAt } from './time-travel.js';
import { View, type Initial, type Reducer, type RefreshReport } from './view.js';
import { EventWriter, type AppendResult, type Durability, type WriterRecovery } from './writer.js';

/** Default `maxLogSize`: 10 MB, the Rust crate's guidance for most applications. */
export const DEFAULT_MAX_LOG_SIZE = 10_000_000;

/** What `open` found and repaired, including the views it had to rebuild. */
export interface RecoveryReport extends WriterRecovery {
  /** Events folded by the views while opening (0 when every snapshot was current). */
  eventsScanned: number;
  /** Views replayed from scratch, with the reason (missing or invalid snapshot). */
  viewsRebuilt: { name: string; reason: string }[];
  /** Whether `open` rotated an oversized active log. */
  rotatedOnOpen: boolean;
}

/** The view registered under `name` does not exist. */
export class UnknownViewError extends EventfoldError {
  constructor(name: string, known: string[]) {
    super('UNKNOWN_VIEW', `No view named "${name}" is registered (known: ${known.join(', ') || 'none'}).`);
  }
}

interface ViewSpec {
  name: string;
  reducer: Reducer<unknown>;
  initial: Initial<unknown>;
}

/**
 * Configures an {@link EventLog}: views, rotation threshold, durability, lock mode and logger.
 *
 * @example
 * const log = await EventLog.builder('./data')
 *   .maxLogSize(1_000_000)
 *   .view('count', (n: number) => n + 1, 0)
 *   .open();
 */
export class EventLogBuilder {
  private specs: ViewSpec[] = [];
  private max = DEFAULT_MAX_LOG_SIZE;
  private durabilityMode: Durability = 'always';
  private lockMode: 'exclusive' | 'none' = 'exclusive';
  private log: Logger = silentLogger;

  constructor(private readonly dir: string) {}

  /** Rotate when the active log reaches this many bytes after an append, and on open; 0 disables. Default 10 MB. */
  maxLogSize(bytes: number): this {
    this.max = bytes;
    return this;
  }

  /** Registers a view; its snapshot is `views/<name>.snapshot.json`. */
  view<S>(name: string, reducer: Reducer<S>, initial: Initial<S>): this {
    if (this.specs.some((s) => s.name === name))
      throw new EventfoldError('DUPLICATE_VIEW', `A view named "${name}" is already registered.`);
    this.specs.push({ name, reducer: reducer as Reducer<unknown>, initial });
    return this;
  }

  /** See {@link Durability}. */
  durability(mode: Durability): this {
    this.durabilityMode = mode;
    return this;
  }

  /** `'exclusive'` (default) or `'none'`. */
  lock(mode: 'exclusive' | 'none'): this {
    this.lockMode = mode;
    return this;
  }

  /** Where warnings about recoveries and rebuilds go (silent by default). */
  logger(logger: Logger): this {
    this.log = logger;
    return this;
  }

  /**
   * Opens the log: recovers from any crash, brings every view up to date (verifying snapshots), and rotates if the
   * active log is already over `maxLogSize`. See {@link EventLog.recovery}.
   */
  async open(): Promise<EventLog> {
    const writer = await EventWriter.open(this.dir, {
      durability: this.durabilityMode,
      lock: this.lockMode,
      logger: this.log,
    });
    const views = new Map<string, View<unknown>>();
    for (const s of this.specs)
      views.set(s.name, new View(s.name, s.reducer, s.initial, writer.paths.views, this.log));
    const log = new EventLog(writer, views, this.max, this.log);
    try {
      await log.refreshAll();
      const rebuilt = [...views.values()]
        .filter((v) => v.lastRefresh.rebuilt && v.lastRefresh.reason !== undefined)
        .map((v) => ({ name: v.name, reason: v.lastRefresh.reason! }));
      const scanned = [...views.values()].reduce((n, v) => n + v.lastRefresh.folded, 0);
      let rotatedOnOpen = false;
      if (this.max > 0 && writer.activeLogSize() >= this.max) rotatedOnOpen = (await log.rotate()).rotated;
      log.recovery = { ...writer.recovery, eventsScanned: scanned, viewsRebuilt: rebuilt, rotatedOnOpen };
      return log;
    } catch (err) {
      await writer.close();
      throw err;
    }
  }
}

/**
 * One log directory with its views: the primary interface.
 *
 * @example
 * const log = await EventLog.builder('./data').view('todos', todoReducer, () => ({ items: [] })).open();
 * await log.append(createEvent('todo_added', { text: 'buy milk' }));
 * await log.refreshAll();
 * console.log(log.view<TodoState>('todos'));
 * await log.close();
 */
export class EventLog {
  /** What `open` found and repaired. */
  recovery: RecoveryReport = {
    tornBytesTruncated: 0,
    batchLinesRolledBack: 0,
    rotation: 'none',
    createdDirectory: false,
    eventsScanned: 0,
    viewsRebuilt: [],
    rotatedOnOpen: false,
  };

  /** Rotations done so far: lets an append learn that a concurrent rotation archived its line. */
  private rotations = 0;

  /** @internal use {@link EventLog.builder} or {@link EventLog.open}. */
  constructor(
    readonly writer: EventWriter,
    private readonly views: Map<string, View<unknown>>,
    private readonly max: number,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Starts configuring a log in `dir`. */
  static builder(dir: string): EventLogBuilder {
    return new EventLogBuilder(dir);
  }

  /** Opens `dir` with no views and the default settings. */
  static open(dir: string): Promise<EventLog> {
    return new EventLogBuilder(dir).open();
  }

  /** The log directory. */
  get dir(): string {
    return this.writer.dir;
  }

  /** A lock-free reader of this log. */
  reader(): EventReader {
    return this.writer.reader();
  }

  /** Appends one event durably; rotates afterwards if the log reached `maxLogSize` (see {@link AppendResult}). */
  async append(event: Event): Promise<AppendResult> {
    const gen = this.rotations;
    return (await this.afterAppend([await this.writer.append(event)], gen))[0]!;
  }

  /** Appends events atomically with one write and one sync; may rotate afterwards. */
  async appendBatch(events: Event[]): Promise<AppendResult[]> {
    const gen = this.rotations;
    return this.afterAppend(await this.writer.appendBatch(events), gen);
  }

  /** Conditional append (optimistic concurrency); may rotate afterwards. @throws AppendConflict */
  appendIf(event: Event, expectedOffset: number, expectedHash: string): Promise<AppendResult>;
  appendIf(events: Event[], expectedOffset: number, expectedHash: string): Promise<AppendResult[]>;
  async appendIf(
    events: Event | Event[],
    expectedOffset: number,
    expectedHash: string,
  ): Promise<AppendResult | AppendResult[]> {
    const list = Array.isArray(events) ? events : [events];
    const gen = this.rotations;
    const results = await this.afterAppend(
      await this.writer.appendIf(list, expectedOffset, expectedHash),
      gen,
    );
    return Array.isArray(events) ? results : results[0]!;
  }

  /** `gen` is {@link rotations} when the append was issued. */
  private async afterAppend(results: AppendResult[], gen: number): Promise<AppendResult[]> {
    if (this.max > 0 && this.writer.activeLogSize() >= this.max) {
      try {
        await this.rotate();
      } catch (err) {
        // The events are durable already: failing the append would make the caller retry and duplicate them.
        // The rotation is retried after the next append (and on open).
        this.logger.warn(`auto-rotation of ${this.dir} failed; will retry after the next append`, {
          error: String(err),
        });
      }
    }
    // Concurrent appends: the rotation may have been triggered by another caller's append, or this one's rotate may
    // have been a no-op because another finished first. Whenever a rotation ran since this call began and this
    // call's last line is no longer at its place in the active log, it was archived: describe the fresh log instead.
    const last = results.at(-1);
    if (last && this.rotations !== gen && !this.stillActive(last)) {
      const size = this.writer.activeLogSize();
      const hash = this.writer.lastLineHash();
      return results.map((x) => ({
        ...x,
        startOffset: size,
        endOffset: size,
        lineHash: hash,
        rotated: true,
      }));
    }
    return results;
  }

  private stillActive(r: AppendResult): boolean {
    return (
      this.writer.activeLogSize() >= r.endOffset && this.reader().lineHashBefore(r.endOffset) === r.lineHash
    );
  }

  /** Refreshes every view (folding only new events); returns what each did. */
  async refreshAll(): Promise<Record<string, RefreshReport>> {
    const out: Record<string, RefreshReport> = {};
    for (const v of this.views.values()) {
      await v.refresh(this.reader());
      out[v.name] = v.lastRefresh;
    }
    return out;
  }

  /** The current state of view `name` (as of the last refresh). @throws UnknownViewError */
  view<S>(name: string): S {
    return this.getView<S>(name).state;
  }

  /** The {@link View} object registered as `name`. @throws UnknownViewError */
  getView<S>(name: string): View<S> {
    const v = this.views.get(name);
    if (!v) throw new UnknownViewError(name, [...this.views.keys()]);
    return v as View<S>;
  }

  /** Names of the registered views. */
  viewNames(): string[] {
    return [...this.views.keys()];
  }

  /** Refreshes every view, then moves the active log into the archive. */
  async rotate(): Promise<RotateResult> {
    const r = await this.writer.rotate([...this.views.values()]);
    if (r.rotated) this.rotations++;
    return r;
  }

  /** A registered view's state at a past point (event count or timestamp), computed from the logs. */
  async viewAt<S>(name: string, until: Until): Promise<PastState<S>> {
    // async so an unknown name rejects the returned promise rather than throwing at the call site.
    const v = this.getView<S>(name);
    return stateAt(this.reader(), v.reducer, v.initial, until);
  }

  /** Finishes pending appends and releases the lock. */
  close(): Promise<void> {
    return this.writer.close();
  }
}
