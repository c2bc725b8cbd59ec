/**
 * The actor of one aggregate instance: a serial queue that owns the stream's writer and its folded state.
 * Commands to one instance run strictly one after another; different instances run concurrently.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTIVE_LOG,
  EventReader,
  EventWriter,
  InvalidEventError,
  loadSnapshot,
  saveSnapshot,
  serializeEvent,
  type Durability,
  type Event,
  type Logger,
} from '../log/index.js';
import { toDomainEvent, type AnyAggregate, type DomainEvent } from './aggregate.js';
import { contextMeta, META_KEYS, type CommandContext } from './context.js';
import { StoreClosedError, UnreadableEventError, VersionConflictError } from './errors.js';
import type { Committed } from './feed.js';
import { newEventId } from './ids.js';
import type { Metrics } from './metrics.js';
import type { StreamRegistry } from './registry.js';
import type { Sequencer } from './sequence.js';
import { seqOf } from './stored-event.js';

/** Options of one `execute`. */
export interface ExecuteOptions {
  /**
   * Idempotency key. Executing a command id that already succeeded on this stream (in this process or before a
   * restart) returns the original events and appends nothing. A command that produced no events leaves no trace,
   * so its retry is decided again.
   */
  commandId?: string;
  /** The stream version the caller's decision was based on; another version fails with `VersionConflictError`. */
  expectedVersion?: number;
}

/** What an `execute` did. */
export interface ExecuteResult<E extends DomainEvent = DomainEvent> {
  /** The events the command produced (the original ones for a duplicate). */
  events: E[];
  /** Stream version after the command (number of events in the stream). */
  version: number;
  /** Global position of the last event written (0 when there was none). */
  position: number;
  /** True when `commandId` had already been executed: nothing was written. */
  duplicate: boolean;
}

/** The actor was closed (evicted or store closed) before the call reached it; the store retries on a new one. */
export class ActorGoneError extends StoreClosedError {
  constructor(key: string) {
    super(`The actor of ${key}`);
  }
}

/** Bookkeeping folded beside the state: `views/es.snapshot.json`. */
interface Books {
  version: number;
  /** command id -> [index of its first event, number of events]. */
  commands: Record<string, [number, number]>;
}

/** Everything an actor needs from its store. */
export interface ActorDeps {
  aggregate: AnyAggregate;
  id: string;
  key: string;
  dir: string;
  durability: Durability;
  logger: Logger;
  sequencer: Sequencer<Committed>;
  registry: StreamRegistry;
  metrics: Metrics;
  clock: () => Date;
  /** Save the snapshots after this many new events (and always on close). */
  snapshotEvery: number;
  idleMs: number;
  onIdle(actor: AggregateActor): void;
}

const STATE_VIEW = 'state';
const BOOKS_VIEW = 'es';

/** The actor of one instance. Created and evicted by the store; use `store.get(...)` handles instead. */
export class AggregateActor {
  private state: unknown;
  private books: Books = { version: 0, commands: {} };
  private offset = 0;
  private hash = '';
  private writer: EventWriter | null = null;
  private loaded = false;
  private closed = false;
  private unsaved = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ActorDeps) {
    this.state = deps.aggregate.initialState();
  }

  /** `'<type>/<id>'`. */
  get key(): string {
    return this.deps.key;
  }

  /** Runs `decide` and appends its events atomically (one batch, one sync). */
  execute(command: unknown, ctx: CommandContext = {}, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    return this.run(() => this.executeNow(command, ctx, options));
  }

  /** The current state (a copy) and version. */
  snapshot(): Promise<{ state: unknown; version: number }> {
    return this.run(async () => {
      await this.load();
      return { state: structuredClone(this.state), version: this.books.version };
    });
  }

  /**
   * Appends an event produced elsewhere (sync from another device), deduplicated by its id durably.
   * Returns false when the event was already there.
   */
  inject(event: Event): Promise<boolean> {
    return this.run(async () => {
      await this.load();
      const eventId = event.id ?? newEventId();
      const dedup = `event:${eventId}`;
      if (this.books.commands[dedup]) return false;
      const domain = toDomainEvent(this.deps.aggregate, event);
      const meta = { ...event.meta, [META_KEYS.commandId]: dedup };
      await this.commit([{ ...event, id: eventId, meta }], [domain], dedup);
      return true;
    });
  }

  /** Every event of the stream (archive, then active log), as stored. */
  readEvents(): Promise<Event[]> {
    return this.run(async () => {
      await this.load();
      return this.readAll();
    });
  }

  /** Saves the snapshots and releases the stream's lock. Idempotent. */
  close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return this.run(async () => {
      if (this.closed) return;
      this.closed = true;
      if (this.writer) {
        if (this.unsaved > 0) this.saveSnapshots();
        await this.writer.close();
        this.writer = null;
      }
    }, true);
  }

  private run<T>(op: () => Promise<T>, allowClosed = false): Promise<T> {
    if (this.closed && !allowClosed)
      return Promise.reject(new StoreClosedError(`The actor of ${this.deps.key}`));
    this.pending++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const result = this.queue.then(op);
    this.queue = result.then(
      () => this.done(),
      () => this.done(),
    );
    return result;
  }

  private done(): void {
    this.pending--;
    if (this.pending === 0 && !this.closed && this.deps.idleMs > 0) {
      this.idleTimer = setTimeout(() => this.deps.onIdle(this), this.deps.idleMs);
      this.idleTimer.unref();
    }
  }

  private async executeNow(
    command: unknown,
    ctx: CommandContext,
    options: ExecuteOptions,
  ): Promise<ExecuteResult> {
    await this.load();
    const { aggregate, id, key } = this.deps;
    const m = this.deps.metrics;
    m.commands++;
    if (options.commandId !== undefined && this.books.commands[options.commandId]) {
      m.duplicates++;
      return this.duplicate(options.commandId);
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== this.books.version) {
      m.conflicts++;
      throw new VersionConflictError(key, options.expectedVersion, this.books.version);
    }
    const parsed = aggregate.parseCommand ? aggregate.parseCommand(command) : command;
    let decided: readonly DomainEvent[];
    try {
      decided = aggregate.decide(this.state, parsed, {
        id,
        version: this.books.version,
        now: this.deps.clock(),
      });
    } catch (err) {
      m.rejected++;
      throw err;
    }
    if (decided.length === 0)
      return { events: [], version: this.books.version, position: 0, duplicate: false };
    const ts = Math.floor(this.deps.clock().getTime() / 1000);
    const base = contextMeta(ctx);
    if (options.commandId !== undefined) base[META_KEYS.commandId] = options.commandId;
    const events: Event[] = decided.map((d) => {
      const meta: Record<string, unknown> = { ...base };
      const v = aggregate.eventVersions?.[d.type];
      if (v !== undefined && v > 1) meta[META_KEYS.version] = v;
      const e: Event = { type: d.type, data: d.data ?? null, ts, id: newEventId() };
      if (ctx.actor !== undefined) e.actor = ctx.actor;
      e.meta = meta;
      return e;
    });
    const position = await this.commit(events, decided, options.commandId);
    return { events: [...decided], version: this.books.version, position, duplicate: false };
  }

  /**
   * Folds `domain` into a copy of the state (so a reducer bug or a failed write leaves the state as it was),
   * takes global positions, appends `events` as one atomic batch, then publishes them.
   */
  private async commit(
    events: Event[],
    domain: readonly DomainEvent[],
    commandId: string | undefined,
  ): Promise<number> {
    const { aggregate, key, sequencer } = this.deps;
    let next = structuredClone(this.state);
    for (const d of domain) next = aggregate.evolve(next, d);
    if (!this.writer) {
      // A new stream: refuse an event the log cannot write (a BigInt, a cycle) before creating anything on disk.
      for (const e of events) {
        try {
          serializeEvent(e);
        } catch (err) {
          if (err instanceof InvalidEventError) throw err;
          throw new InvalidEventError(`data cannot be written as JSON (${(err as Error).message})`);
        }
      }
      await this.deps.registry.ensure(aggregate.type, this.deps.id);
      this.writer = await this.openWriter();
    }
    const first = sequencer.allocate(events.length);
    events.forEach((e, i) => (e.meta = { ...e.meta, [META_KEYS.seq]: first + i }));
    let results;
    try {
      results = await this.writer.appendIf(events, this.offset, this.hash);
    } catch (err) {
      sequencer.abandon(first);
      throw err;
    }
    const last = results.at(-1)!;
    const startVersion = this.books.version;
    this.state = next;
    this.offset = last.endOffset;
    this.hash = last.lineHash;
    this.books.version += events.length;
    if (commandId !== undefined) this.books.commands[commandId] = [startVersion, events.length];
    this.unsaved += events.length;
    this.deps.metrics.events += events.length;
    const items: Committed[] = events.map((event, i) => ({
      stored: { aggregateType: aggregate.type, streamId: this.deps.id, stream: key, seq: first + i, event },
      cursor: { offset: results[i]!.endOffset, hash: results[i]!.lineHash },
    }));
    sequencer.complete(first, items);
    if (this.unsaved >= this.deps.snapshotEvery) this.saveSnapshots();
    return first + events.length - 1;
  }

  private async duplicate(commandId: string): Promise<ExecuteResult> {
    const [from, count] = this.books.commands[commandId]!;
    const all = await this.readAll();
    const mine = all.slice(from, from + count);
    return {
      events: mine.map((e) => toDomainEvent(this.deps.aggregate, e)),
      version: from + count, // the original result: the version right after that command
      position: mine.length > 0 ? seqOf(mine.at(-1)!) : 0,
      duplicate: true,
    };
  }

  private async readAll(): Promise<Event[]> {
    const out: Event[] = [];
    if (!existsSync(this.deps.dir)) return out;
    const reader = await EventReader.open(this.deps.dir);
    await reader.scanFull((e) => {
      out.push(e);
    });
    return out;
  }

  private openWriter(): Promise<EventWriter> {
    return EventWriter.open(this.deps.dir, { durability: this.deps.durability, logger: this.deps.logger });
  }

  /** Loads the state once: the snapshots if they match the log, then the events after them. */
  private async load(): Promise<void> {
    if (this.loaded) return;
    const { dir, aggregate } = this.deps;
    if (!existsSync(join(dir, ACTIVE_LOG)) && !existsSync(dir)) {
      this.loaded = true; // a new stream: nothing on disk until its first event
      return;
    }
    this.writer ??= await this.openWriter();
    const reader = this.writer.reader();
    const views = this.writer.paths.views;
    const snap = loadSnapshot<unknown>(join(views, `${STATE_VIEW}.snapshot.json`));
    const books = loadSnapshot<Books>(join(views, `${BOOKS_VIEW}.snapshot.json`));
    const size = this.writer.activeLogSize();
    let state = aggregate.initialState();
    let b: Books = { version: 0, commands: {} };
    let from = -1; // -1: replay the full history
    if (
      snap !== null &&
      snap !== 'unreadable' &&
      books !== null &&
      books !== 'unreadable' &&
      snap.offset === books.offset &&
      snap.hash === books.hash &&
      snap.offset <= size &&
      reader.lineHashBefore(snap.offset) === snap.hash
    ) {
      state = snap.state;
      b = books.state;
      from = snap.offset;
    } else if (
      (snap !== null || books !== null) &&
      // A store written by the Rust crate has only a (valid) state snapshot: replaying it is normal, not damage.
      !(
        books === null &&
        snap !== null &&
        snap !== 'unreadable' &&
        snap.offset <= size &&
        reader.lineHashBefore(snap.offset) === snap.hash
      )
    ) {
      this.deps.logger.warn(`${this.deps.key}: its snapshots do not match the log; replaying it`, {});
    }
    let folded = 0;
    const fold = (event: Event, at: number): void => {
      try {
        state = aggregate.evolve(state, toDomainEvent(aggregate, event));
      } catch (err) {
        throw new UnreadableEventError(this.deps.key, event.type, at, err);
      }
      const cmd = event.meta?.[META_KEYS.commandId];
      if (typeof cmd === 'string') {
        const entry = b.commands[cmd];
        if (entry) entry[1]++;
        else b.commands[cmd] = [b.version, 1];
      }
      b.version++;
      folded++;
    };
    if (from < 0) await reader.scanFull(fold);
    else await reader.scanFrom(from, fold);
    this.state = state;
    this.books = b;
    // The scan read to the end of the log (the writer's open repaired any torn tail).
    this.offset = this.writer.activeLogSize();
    this.hash = this.writer.lastLineHash();
    this.unsaved = folded;
    this.loaded = true;
  }

  /**
   * Snapshots are caches checked against the log (offset + line hash) when loaded, so they are written without
   * fsync: a power cut can only cost a replay. With fsyncs, closing after an import of 10,000 contacts took minutes.
   */
  private saveSnapshots(): void {
    const views = join(this.deps.dir, 'views');
    const at = { offset: this.offset, hash: this.hash };
    saveSnapshot(
      join(views, `${STATE_VIEW}.snapshot.json`),
      { state: this.state, ...at },
      { durable: false },
    );
    saveSnapshot(
      join(views, `${BOOKS_VIEW}.snapshot.json`),
      { state: this.books, ...at },
      { durable: false },
    );
    this.unsaved = 0;
  }
}
