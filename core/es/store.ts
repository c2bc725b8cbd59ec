/**
 * AggregateStore: the embedded event store. One log directory per aggregate instance, an actor per live
 * instance, projections and process managers fed in global order, all under one data folder.
 * @module
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CommitJournal,
  EventReader,
  EventfoldError,
  LockedError,
  initHasher,
  silentLogger,
  type Durability,
  type Event,
  type JournalRecovery,
  type Logger,
} from '../log/index.js';
import { fsyncDir, makeDirs, readFileIfExists, writeFileAtomic } from '../log/fsutil.js';
import { acquireLock, type HeldLock } from '../log/lock.js';
import { upcastEvent, type AnyAggregate, type CommandOf, type EventOf, type StateOf } from './aggregate.js';
import {
  ActorGoneError,
  AggregateActor,
  saveActorSnapshots,
  snapshotsDue,
  type ExecuteOptions,
  type ExecuteResult,
  type WarmState,
} from './actor.js';
import { contextOf, META_KEYS, type CommandContext } from './context.js';
import { Consumer, SaveBudget } from './consumer.js';
import { DeadLetters, type DeadLetter } from './dead-letters.js';
import {
  EventfoldStoreLockedError,
  StoreClosedError,
  StreamNotFoundError,
  UnknownNameError,
} from './errors.js';
import { SMALL_STREAM_BYTES, type Committed, type FeedSource } from './feed.js';
import { StreamIndex, type StreamDifference, type StreamIndexReport } from './stream-index.js';
import { checkName, StoreLayout } from './layout.js';
import { newMetrics, type Metrics, type StoreMetrics } from './metrics.js';
import type { AnyProcessManager, CommandEnvelope } from './process-manager.js';
import type { AnyProjection, Projection } from './projection.js';
import { StreamRegistry } from './registry.js';
import { Sequencer } from './sequence.js';
import { seqOf, streamKey, type StoredEvent } from './stored-event.js';
import { aggregateStateAt, projectionAt, type AsOf } from './time-travel.js';

/** Options of a store (all optional). */
export interface StoreOptions {
  /** Evict an actor (release its stream) after this long without a command. Default 5 minutes; 0 never. */
  idleTimeoutMs?: number;
  /**
   * Durability of appends. Default `'group'`: each append resolves once fsynced, and syncs of different streams
   * run concurrently. `'none'` only for data you can lose.
   */
  durability?: Durability;
  logger?: Logger;
  /** The clock used for event timestamps and `decide` (tests pass a fixed one). */
  clock?: () => Date;
  /** Save an instance's snapshots every this many events (and when it is evicted or closed). Default 100. */
  snapshotEvery?: number;
  /**
   * On eviction or close, skip the snapshots of streams with fewer events than this (they replay faster than two
   * snapshot files load, and an import of 100,000 new records would otherwise write 200,000 files). Default 0.
   */
  snapshotMinEvents?: number;
  /**
   * At most this many instances are kept open (each holds a file descriptor); opening one more evicts the least
   * recently used idle one. Default 256, below the smallest common per-process limit (macOS: 256 by default).
   */
  maxOpenActors?: number;
  /**
   * An evicted instance's state stays in memory (no file descriptor), for this many instances: the next command
   * to it starts without reading its log or snapshots. Default 8192 (a contact's state is a kilobyte or two).
   */
  maxWarmActors?: number;
  /** Save projection and process-manager checkpoints this long after a change. Default 5000 ms: each save writes the whole read model, and a crash costs at most a catch-up of what came since. */
  checkpointMs?: number;
  /** ...or after this many events. Default 10,000. */
  checkpointEvery?: number;
  /** First retry delay of a projection whose code threw. Default 1000 ms. */
  retryMs?: number;
  /**
   * Projections to load and catch up before `open` resolves; the other projections, then the process managers,
   * start in the background right after, one at a time (so an app can show its first screen while the rest loads:
   * read a projection's state after `await store.ready(name)`). Default: everything starts before `open`
   * resolves.
   */
  startFirst?: readonly string[];
}

/** Options of {@link AggregateStore.execute}. */
export interface StoreExecuteOptions extends ExecuteOptions {
  /** Resolve only once every projection has seen the new events (read-after-write for the UI). */
  waitForProjections?: boolean;
}

/** Options of {@link AggregateStore.injectEvent}. */
export interface InjectOptions {
  /** Let process managers react to the injected event (default false: its origin already did). */
  runProcessManagers?: boolean;
}

/** What {@link AggregateStore.runProcessManagers} did since the previous call. */
export interface ProcessManagerReport {
  dispatched: number;
  deadLettered: number;
}

/** Options of {@link AggregateStore.subscribe}. */
export interface SubscribeOptions {
  /** Aggregate types to receive (default: all). */
  types?: readonly string[];
  /** Deliver events after this global position first (read from the logs); default: only new events. */
  from?: number;
  /** Live events queued beyond this are read back from disk later instead (bounded memory). Default 10,000. */
  maxQueued?: number;
}

/** A live subscription; `close()` stops it. */
export interface Subscription {
  /** Resolves once the catch-up (events after `from`) has been delivered. */
  readonly ready: Promise<void>;
  /** Global position delivered so far. */
  readonly position: number;
  close(): Promise<void>;
}

/** A listener of every release of committed events, in global order (e.g. the push of UI change notifications). */
export type CommitListener = (events: readonly StoredEvent[], position: number) => void;

/** A handle to one aggregate instance. Cheap; survives the eviction of its actor. */
export interface AggregateHandle<A extends AnyAggregate> {
  readonly id: string;
  /** Executes a command on this instance (strictly after every earlier one). */
  execute(
    command: CommandOf<A>,
    ctx?: CommandContext,
    options?: StoreExecuteOptions,
  ): Promise<ExecuteResult<EventOf<A>>>;
  /** The current state (a copy). */
  state(): Promise<StateOf<A>>;
  /** The current version (number of events). */
  version(): Promise<number>;
}

/** A projection's live read model. */
export interface ProjectionHandle<S> {
  /** The in-memory state (do not mutate). */
  readonly state: S;
  /** Global position it has consumed. */
  readonly position: number;
  /** Resolves once it has consumed everything up to `position` (default: the store's current position). */
  awaitCaughtUp(position?: number): Promise<void>;
}

interface PmEntry {
  pm: AnyProcessManager;
  consumer: Consumer<unknown>;
  deadLetters: DeadLetters;
  reported: { dispatched: number; deadLettered: number };
  counts: { dispatched: number; deadLettered: number };
}

/** Registers the parts of a store, then opens it. Start with {@link AggregateStore.builder}. */
export class AggregateStoreBuilder {
  private readonly aggregates: AnyAggregate[] = [];
  private readonly projections: AnyProjection[] = [];
  private readonly pms: AnyProcessManager[] = [];
  private opts: StoreOptions = {};

  constructor(private readonly dir: string) {}

  /** Registers an aggregate type (needed for dispatch by name, upcasting on the read side, the command bus). */
  aggregate(aggregate: AnyAggregate): this {
    this.aggregates.push(aggregate);
    return this;
  }
  /** Registers a projection. */
  projection(projection: AnyProjection): this {
    this.projections.push(projection);
    return this;
  }
  /** Registers a process manager. */
  processManager(pm: AnyProcessManager): this {
    this.pms.push(pm);
    return this;
  }
  /** Actor idle timeout in milliseconds (default 5 minutes). */
  idleTimeout(ms: number): this {
    this.opts.idleTimeoutMs = ms;
    return this;
  }
  /** Durability of appends (default `'group'`). */
  durability(mode: Durability): this {
    this.opts.durability = mode;
    return this;
  }
  /** Where warnings go (default: nowhere). */
  logger(logger: Logger): this {
    this.opts.logger = logger;
    return this;
  }
  /** Any other option. */
  options(options: StoreOptions): this {
    this.opts = { ...this.opts, ...options };
    return this;
  }
  /** Opens the store: takes its lock, catches projections and process managers up. @throws EventfoldStoreLockedError */
  open(): Promise<AggregateStore> {
    return AggregateStore.openWith(this.dir, this.aggregates, this.projections, this.pms, this.opts);
  }
}

/**
 * The store. Open with `AggregateStore.builder(dir)....open()` (or `AggregateStore.open(dir)` with nothing
 * registered); a second open of the same folder, in any process, fails with `EventfoldStoreLockedError`.
 *
 * @example
 * const store = await AggregateStore.builder(dir).aggregate(counter).projection(totals).open();
 * await store.get(counter, 'c-1').execute({ type: 'Increment' }, { actor: 'user:ana' });
 * store.projection(totals).state;
 * await store.close();
 */
export class AggregateStore {
  readonly layout: StoreLayout;
  private readonly aggregates = new Map<string, AnyAggregate>();
  private readonly actors = new Map<string, AggregateActor>();
  /** Evicted actors' states, least recently evicted first (see `maxWarmActors`). */
  private readonly warm = new Map<string, { dir: string; w: WarmState }>();
  private readonly closing = new Map<string, Promise<void>>();
  private readonly projections = new Map<string, { def: AnyProjection; consumer: Consumer<unknown> }>();
  private readonly pms = new Map<string, PmEntry>();
  private readonly subscriptions = new Set<Consumer<null>>();
  private readonly listeners = new Set<CommitListener>();
  private readonly counters: Metrics = newMetrics();
  private readonly logger: Logger;
  private registry!: StreamRegistry;
  private sequencer!: Sequencer<Committed>;
  private streamIndex!: StreamIndex;
  /** When each projection and process manager finished starting (see {@link AggregateStore.ready}). */
  private readonly started = new Map<string, Promise<void>>();
  private indexTimer: NodeJS.Timeout | null = null;
  /** The background check of a trusted stream index (see {@link AggregateStore.streamsVerified}). */
  private verifying: Promise<void> | null = null;
  /** Opened trusting the clean close: the registry came from the stream index, the folders are not listed yet. */
  private foldersUnread = false;
  /** How long the last save of the stream index took (ms), for the save budget. */
  private indexSaveMs = 0;
  private readonly budget = new SaveBudget();
  private closed = false;
  private readonly source: FeedSource;

  private constructor(
    dir: string,
    private readonly lock: HeldLock,
    private readonly journal: CommitJournal,
    private readonly opts: StoreOptions,
  ) {
    this.layout = new StoreLayout(dir);
    this.logger = opts.logger ?? silentLogger;
    this.source = {
      types: () => this.registry.types(),
      ids: (type) => this.registry.ids(type),
      streamDir: (type, id) => this.layout.streamDir(type, id),
      upcast: (type, event) => upcastEvent(this.aggregates.get(type), event),
      streamsAfter: (types, after) => this.streamIndex.streamsAfter(types, after),
      changedAmong: (types) => this.streamIndex.changedAmong(types),
    };
  }

  /** A builder for a store in `dir` (created if missing). */
  static builder(dir: string): AggregateStoreBuilder {
    return new AggregateStoreBuilder(dir);
  }

  /** Opens a store with nothing registered (aggregates register on first `get`). */
  static open(dir: string, options: StoreOptions = {}): Promise<AggregateStore> {
    return new AggregateStoreBuilder(dir).options(options).open();
  }

  /** @internal Use the builder. */
  static async openWith(
    dir: string,
    aggregates: AnyAggregate[],
    projections: AnyProjection[],
    pms: AnyProcessManager[],
    opts: StoreOptions,
  ): Promise<AggregateStore> {
    await initHasher();
    const layout = new StoreLayout(dir);
    // A new store's folders must survive a power cut: the journal's entries assume they exist.
    const names = new Set([...(makeDirs(layout.metaDir) ?? []), ...(makeDirs(layout.streamsDir) ?? [])]);
    for (const d of names) fsyncDir(d);
    let lock: HeldLock;
    try {
      lock = acquireLock(dir, layout.lockDir);
    } catch (err) {
      if (err instanceof LockedError) throw new EventfoldStoreLockedError(dir, err.owner);
      throw err;
    }
    let store: AggregateStore;
    let cleanToken: string | null;
    try {
      // Before anything reads a stream: a power cut may have left journaled appends out of their logs.
      const journal = await CommitJournal.open(layout.journalFile, { base: dir, logger: opts.logger });
      store = new AggregateStore(dir, lock, journal, opts);
      cleanToken = takeCleanClose(layout);
    } catch (err) {
      lock.release();
      throw err;
    }
    try {
      await store.init(aggregates, projections, pms, cleanToken);
      if (store.streamIndex.report.trusted) store.verifying = store.verifyStreams();
      return store;
    } catch (err) {
      await store.journal.close().catch(() => undefined);
      lock.release();
      throw err;
    }
  }

  private async init(
    aggregates: AnyAggregate[],
    projections: AnyProjection[],
    pms: AnyProcessManager[],
    cleanToken: string | null,
  ): Promise<void> {
    for (const a of aggregates) this.register(a);
    const saved = StreamIndex.load(this.layout.streamIndexFile, this.logger);
    // After a clean close the index's streams are the folders: neither they nor the registry file are read now
    // (verifyFolders compares them in the background).
    this.foldersUnread = cleanToken !== null && saved.token === cleanToken;
    if (this.foldersUnread) {
      this.registry = StreamRegistry.fromKeys(this.layout.registryFile, saved.ends.keys());
    } else {
      const folders: [string, string][] = [];
      for (const type of this.layout.listTypes())
        for (const id of this.layout.listIds(type)) folders.push([type, id]);
      this.registry = StreamRegistry.load(this.layout.registryFile, folders, this.logger);
    }
    this.streamIndex = await StreamIndex.open(
      this.layout.streamIndexFile,
      { ...this.source, fromIndex: this.foldersUnread },
      this.logger,
      cleanToken,
      saved,
    );
    for (const c of this.indexReport.changed) this.logger.warn(`${c.stream}: ${c.reason}`);
    this.sequencer = Sequencer.open<Committed>(
      this.layout.sequenceFile,
      () => this.highestPosition(),
      (items, position) => this.release(items, position),
    );
    const common = {
      source: this.source,
      released: () => this.sequencer.position,
      logger: this.logger,
      checkpointEvery: this.opts.checkpointEvery,
      checkpointMs: this.opts.checkpointMs,
      retryMs: this.opts.retryMs,
      budget: this.budget,
    };
    for (const p of projections) {
      if (this.projections.has(p.name))
        throw new EventfoldError('DUPLICATE_NAME', `Two projections are named "${p.name}".`);
      const consumer = new Consumer<unknown>({
        ...common,
        name: p.name,
        subscriptions: p.subscriptions,
        initialState: () => p.initialState(),
        step: (s, e) => p.apply(s, e),
        file: join(this.layout.projectionDir(p.name), 'checkpoint.json'),
        version: p.version ?? 1,
      });
      this.projections.set(p.name, { def: p, consumer });
    }
    for (const pm of pms) {
      if (this.pms.has(pm.name))
        throw new EventfoldError('DUPLICATE_NAME', `Two process managers are named "${pm.name}".`);
      const dir = this.layout.processManagerDir(pm.name);
      const entry: PmEntry = {
        pm,
        deadLetters: new DeadLetters(dir),
        counts: { dispatched: 0, deadLettered: 0 },
        reported: { dispatched: 0, deadLettered: 0 },
        consumer: undefined as unknown as Consumer<unknown>,
      };
      entry.consumer = new Consumer<unknown>({
        ...common,
        name: pm.name,
        subscriptions: pm.subscriptions,
        initialState: () => pm.initialState(),
        step: (s, e) => this.react(entry, s, e),
        file: join(dir, 'checkpoint.json'),
      });
      this.pms.set(pm.name, entry);
    }
    // Projections first: process managers' dispatches then find them live.
    const readModels = [...this.projections.values()].map((p) => p.consumer);
    const managers = [...this.pms.values()].map((p) => p.consumer);
    const first = this.opts.startFirst;
    if (first === undefined) {
      await Promise.all(readModels.map((c) => this.startConsumer(c)));
      await Promise.all(managers.map((c) => this.startConsumer(c)));
      return;
    }
    for (const name of first) this.projectionEntry(name);
    await Promise.all(readModels.filter((c) => first.includes(c.name)).map((c) => this.startConsumer(c)));
    void (async () => {
      for (const c of [...readModels.filter((c) => !first.includes(c.name)), ...managers]) {
        // One at a time, with a turn of the event loop between: queries and commands go on meanwhile.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.closed) return; // closed meanwhile: a consumer never started has nothing to save
        await this.startConsumer(c);
      }
    })();
  }

  /** Starts a consumer (it never rejects: a failure stalls it) and records when it is ready. */
  private startConsumer(c: Consumer<unknown>): Promise<void> {
    const started = c.start().catch((err: unknown) => {
      this.logger.warn(`${c.name} could not start: ${String((err as Error)?.message ?? err)}`);
    });
    this.started.set(c.name, started);
    return started;
  }

  /**
   * Resolves once projection `name` (or, without a name, every projection and process manager) has loaded its
   * checkpoint and caught up with the logs as they were on open: what to await before reading a projection's state
   * when the store was opened with {@link StoreOptions.startFirst}. A stalled one counts as started.
   * @throws UnknownNameError for a name that is not registered
   */
  async ready(name?: string): Promise<void> {
    const names =
      name === undefined ? [...this.projections.keys(), ...this.pms.keys()] : [this.consumerOf(name).name];
    for (const n of names) {
      // A consumer not started yet is queued in the background: wait for its turn.
      while (!this.started.has(n)) {
        if (this.closed) throw new StoreClosedError();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await this.started.get(n);
    }
  }

  private consumerOf(name: string): Consumer<unknown> {
    const c = this.projections.get(name)?.consumer ?? this.pms.get(name)?.consumer;
    if (!c) throw new UnknownNameError('projection', name, [...this.projections.keys(), ...this.pms.keys()]);
    return c;
  }

  /**
   * What opening found in the commit journal (`meta/journal.jsonl`): appends that a power cut kept out of their
   * stream logs and that were written back, and journal lines that could not be applied.
   */
  get journalRecovery(): JournalRecovery {
    return this.journal.recovery;
  }

  /** What opening found in the stream index: streams read, and streams that lost or changed events. */
  get indexReport(): StreamIndexReport {
    return this.streamIndex.report;
  }

  /** The store's global position: the last committed event released to the read side. */
  get position(): number {
    return this.sequencer.position;
  }

  /** A handle to instance `id` of `aggregate` (registers the aggregate type if needed). Touches no file. */
  get<A extends AnyAggregate>(aggregate: A, id: string): AggregateHandle<A> {
    this.register(aggregate);
    checkName(id);
    return {
      id,
      execute: (command, ctx, options) =>
        this.execute(aggregate, id, command, ctx, options) as Promise<ExecuteResult<EventOf<A>>>,
      state: async () => (await this.withActor(aggregate, id, (a) => a.snapshot())).state as StateOf<A>,
      version: async () => (await this.withActor(aggregate, id, (a) => a.snapshot())).version,
    };
  }

  /**
   * Executes `command` on instance `id`: decide against the current state, append the events atomically and
   * durably, publish them in global order. Throws the aggregate's `DomainError`, `VersionConflictError`, or an I/O
   * error; nothing is written when it throws.
   */
  async execute<A extends AnyAggregate>(
    aggregate: A,
    id: string,
    command: CommandOf<A>,
    ctx: CommandContext = {},
    options: StoreExecuteOptions = {},
  ): Promise<ExecuteResult<EventOf<A>>> {
    this.register(aggregate);
    const result = (await this.withActor(aggregate, id, (a) =>
      a.execute(command, ctx, options),
    )) as ExecuteResult<EventOf<A>>;
    if (options.waitForProjections && result.position > 0) await this.awaitProjections(result.position);
    return result;
  }

  /** Executes a command addressed by name (process managers, the command bus, IPC). @throws UnknownNameError */
  dispatch(envelope: CommandEnvelope, options: StoreExecuteOptions = {}): Promise<ExecuteResult> {
    const aggregate = this.aggregates.get(envelope.aggregateType);
    if (!aggregate) {
      return Promise.reject(
        new UnknownNameError('aggregate type', envelope.aggregateType, [...this.aggregates.keys()]),
      );
    }
    const opts = envelope.commandId !== undefined ? { ...options, commandId: envelope.commandId } : options;
    return this.execute(aggregate, envelope.instanceId, envelope.command, envelope.context ?? {}, opts);
  }

  /** Whether instance `id` of `type` has a stream (no file access). */
  has(type: string, id: string): boolean {
    return this.registry.has(type, id);
  }

  /** Ids of the instances of `aggregate` that have a stream, sorted. */
  list(aggregate: AnyAggregate | string): string[] {
    return this.registry.ids(typeof aggregate === 'string' ? aggregate : aggregate.type);
  }

  /** Every stream `(type, id)`, sorted by type then id; only `type` when given. */
  listStreams(type?: string): { type: string; id: string }[] {
    const types = type === undefined ? this.registry.types() : [type];
    return types.flatMap((t) => this.registry.ids(t).map((id) => ({ type: t, id })));
  }

  /** Every event of a stream, upcast to the current shapes. @throws StreamNotFoundError */
  async readEvents(type: string, id: string): Promise<Event[]> {
    if (!this.registry.has(type, id)) throw new StreamNotFoundError(streamKey(type, id));
    const aggregate = this.aggregates.get(type);
    if (aggregate)
      return (await this.withActor(aggregate, id, (a) => a.readEvents())).map((e) =>
        upcastEvent(aggregate, e),
      );
    return (await this.readStream(type, id)).map((e) => e.event);
  }

  /**
   * The committed events of a stream read straight from its log (no actor is opened, so this is cheap for many
   * streams), upcast, with their global positions, in log order; `[]` when the stream does not exist. Events still
   * being written may be missing: read models ask for positions they were given.
   */
  async readStream(type: string, id: string): Promise<StoredEvent[]> {
    this.assertOpen();
    if (!this.registry.has(type, id)) return [];
    const aggregate = this.aggregates.get(type);
    const key = streamKey(type, id);
    const out: StoredEvent[] = [];
    const visit = (event: Event): boolean => {
      out.push({
        aggregateType: type,
        streamId: id,
        stream: key,
        seq: seqOf(event),
        event: upcastEvent(aggregate, event),
      });
      return true;
    };
    const reader = await EventReader.open(this.layout.streamDir(type, id));
    if (reader.scanSmallSync(0, visit, SMALL_STREAM_BYTES) === null) await reader.scanFull(visit);
    return out;
  }

  /**
   * Appends an event produced elsewhere (another device) to instance `id`, deduplicated by `event.id` durably
   * (across restarts). Returns false when it was already there.
   */
  async injectEvent(
    aggregate: AnyAggregate,
    id: string,
    event: Event,
    options: InjectOptions = {},
  ): Promise<boolean> {
    this.register(aggregate);
    const e = options.runProcessManagers
      ? event
      : { ...event, meta: { ...event.meta, [META_KEYS.injected]: true } };
    return this.withActor(aggregate, id, (a) => a.inject(e));
  }

  /** The live read model of a registered projection. @throws UnknownNameError */
  projection<S>(projection: Projection<S> | string): ProjectionHandle<S> {
    const entry = this.projectionEntry(typeof projection === 'string' ? projection : projection.name);
    const consumer = entry.consumer as Consumer<S>;
    return {
      get state() {
        return consumer.state;
      },
      get position() {
        return consumer.position;
      },
      awaitCaughtUp: (position?: number) => consumer.awaitPosition(position ?? this.position),
    };
  }

  /** Names of the registered projections. */
  projectionNames(): string[] {
    return [...this.projections.keys()];
  }

  /** Deletes a projection's checkpoint and replays every stream it reads. @throws UnknownNameError */
  async rebuildProjection(projection: AnyProjection | string): Promise<void> {
    await this.projectionEntry(
      typeof projection === 'string' ? projection : projection.name,
    ).consumer.rebuild();
  }

  /** Resolves once every projection has consumed up to `position`; a stalled one is logged, not waited for. */
  async awaitProjections(position = this.position): Promise<void> {
    const results = await Promise.allSettled(
      [...this.projections.values()].map((p) => p.consumer.awaitPosition(position)),
    );
    for (const r of results)
      if (r.status === 'rejected') this.logger.warn(String((r.reason as Error).message ?? r.reason));
  }

  /**
   * Waits until process managers have reacted to everything committed so far (including the commands they
   * dispatched and the reactions to those), and says what they did since the previous call.
   */
  async runProcessManagers(): Promise<ProcessManagerReport> {
    let position = -1;
    while (position !== this.position) {
      position = this.position;
      await Promise.allSettled([...this.pms.values()].map((p) => p.consumer.awaitPosition(position)));
      await Promise.all([...this.pms.values()].map((p) => p.consumer.idle()));
    }
    const report = { dispatched: 0, deadLettered: 0 };
    for (const p of this.pms.values()) {
      report.dispatched += p.counts.dispatched - p.reported.dispatched;
      report.deadLettered += p.counts.deadLettered - p.reported.deadLettered;
      p.reported = { ...p.counts };
    }
    return report;
  }

  /** Pending dead letters of a process manager. @throws UnknownNameError */
  deadLetters(pm: string): DeadLetter[] {
    return this.pmEntry(pm).deadLetters.pending();
  }

  /** Dispatches a dead letter again (same command id: at most once); settles it on success, throws on failure. */
  async retryDeadLetter(pm: string, id: string): Promise<ExecuteResult> {
    const entry = this.pmEntry(pm);
    const letter = entry.deadLetters.pending().find((d) => d.id === id);
    if (!letter)
      throw new EventfoldError('NO_SUCH_DEAD_LETTER', `There is no pending dead letter ${id} in "${pm}".`);
    const result = await this.dispatch({ ...letter.envelope, commandId: letter.id });
    entry.deadLetters.settle(id, 'retried');
    return result;
  }

  /** Settles a dead letter without running it. */
  discardDeadLetter(pm: string, id: string): void {
    this.pmEntry(pm).deadLetters.settle(id, 'discarded');
  }

  /**
   * Calls `handler` for every committed event of `options.types`, in global order, one at a time (an async
   * handler is awaited before the next event: back-pressure). With `from`, events after that position are read
   * from the logs first.
   */
  subscribe(options: SubscribeOptions, handler: (event: StoredEvent) => void | Promise<void>): Subscription {
    this.assertOpen();
    const consumer = new Consumer<null>({
      name: 'subscription',
      subscriptions: options.types ?? '*',
      initialState: () => null,
      step: async (s, e) => {
        await handler(e);
        return s;
      },
      source: this.source,
      released: () => this.sequencer.position,
      logger: this.logger,
      maxQueued: options.maxQueued ?? 10_000,
      retryMs: this.opts.retryMs,
    });
    this.subscriptions.add(consumer);
    const ready = consumer.start(options.from ?? this.position);
    return {
      ready,
      get position() {
        return consumer.position;
      },
      close: async () => {
        this.subscriptions.delete(consumer);
        await consumer.close();
      },
    };
  }

  /** Calls `listener` synchronously on every release of committed events. Returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Counters, positions and the state of every projection and process manager. */
  metrics(): StoreMetrics {
    const released = this.position;
    return {
      ...this.counters,
      position: released,
      actors: this.actors.size,
      streams: this.registry.size,
      projections: [...this.projections.values()].map((p) => p.consumer.status(released)),
      processManagers: [...this.pms.values()].map((p) => ({
        ...p.consumer.status(released),
        deadLetters: p.deadLetters.pending().length,
      })),
    };
  }

  /**
   * Deletes a stream's folder for good (erasure on request). Read models keep what they derived from it unless
   * they handled an event saying so first; its stream index entry is dropped.
   */
  async destroyStream(type: string, id: string): Promise<void> {
    const key = streamKey(type, id);
    const actor = this.actors.get(key);
    if (actor) {
      this.actors.delete(key);
      await actor.close();
    }
    await this.closing.get(key);
    this.warm.delete(key);
    // Journal lines of this stream must not write its erased events back after a crash.
    await this.journal.checkpoint();
    rmSync(this.layout.streamDir(type, id), { recursive: true, force: true });
    this.registry.remove(type, id);
    this.streamIndex.remove(key);
    for (const c of [...this.projections.values()]
      .map((p) => p.consumer)
      .concat([...this.pms.values()].map((p) => p.consumer))) {
      await c.forget(key);
      await c.flush();
    }
  }

  /**
   * A projection as of a past date or position, folded from the logs (the live read model is not touched). The
   * projection need not be registered: any definition over these streams works.
   */
  projectionAt<S>(projection: Projection<S>, asOf: AsOf): Promise<S> {
    this.assertOpen();
    return projectionAt(this.source, projection, asOf, this.position);
  }

  /** An instance's state and version as of a past date or position, folded from its log. */
  async stateAt<A extends AnyAggregate>(
    aggregate: A,
    id: string,
    asOf: AsOf,
  ): Promise<{ state: StateOf<A>; version: number }> {
    this.assertOpen();
    this.register(aggregate);
    checkName(id);
    return aggregateStateAt<StateOf<A>>(aggregate, this.layout.streamDir(aggregate.type, id), asOf);
  }

  /** Saves every checkpoint now (e.g. before a backup). */
  async flush(): Promise<void> {
    await Promise.all([...this.projections.values(), ...this.pms.values()].map((p) => p.consumer.flush()));
    this.saveIndex();
  }

  /**
   * Finishes queued work, saves snapshots and checkpoints, releases every lock. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.runProcessManagers().catch(() => undefined);
    this.closed = true;
    await this.verifying; // stops at its next slice; a rebuild it started finishes first
    await Promise.all([...this.actors.values()].map((a) => a.close()));
    this.actors.clear();
    await Promise.all(this.closing.values());
    for (const [key, e] of this.warm) this.saveWarm(key, e);
    this.warm.clear();
    await this.journal.close();
    for (const s of this.subscriptions) await s.close();
    await Promise.all([...this.projections.values(), ...this.pms.values()].map((p) => p.consumer.close()));
    if (this.indexTimer) clearTimeout(this.indexTimer);
    // Every log is synced (the journal's close) and the index is exact: the next open may trust it.
    try {
      const token = this.streamIndex.saveClean();
      writeFileAtomic(this.layout.cleanCloseFile, JSON.stringify({ token }) + '\n');
    } catch (err) {
      this.logger.warn(`the stream index could not be saved (${String(err)}); the next open reads more`);
    }
    this.lock.release();
  }

  /**
   * Resolves once the stream index, trusted on open after a clean close, has been checked against every log
   * (in the background, a slice at a time). A log changed while the store was closed (by hand, by another tool) is
   * then in {@link AggregateStore.indexReport}, and the read models and process managers of its type have been
   * rebuilt. Resolves at once when the open checked every stream itself.
   */
  async streamsVerified(): Promise<void> {
    await this.verifying;
  }

  private async verifyStreams(): Promise<void> {
    try {
      const live = (key: string): boolean => this.actors.has(key) || this.closing.has(key);
      const found = await this.streamIndex.verify(live, () => this.closed);
      if (this.foldersUnread && !this.closed) found.push(...(await this.verifyFolders(live)));
      if (found.length > 0) this.scheduleIndexSave();
      const stale = found.filter((f) => f.rebuild).map((f) => f.stream);
      if (stale.length > 0) await this.ready(); // a consumer still starting in the background rebuilds after
      for (const c of [...this.projections.values(), ...this.pms.values()].map((p) => p.consumer)) {
        if (this.closed) return;
        const mine = stale.filter((key) => c.follows(key.slice(0, key.indexOf('/'))));
        if (mine.length === 0) continue;
        this.logger.warn(`${c.name}: ${mine.join(', ')} changed while the store was closed; rebuilding`, {});
        await c.rebuild();
      }
    } catch (err) {
      this.logger.warn(`the stream index could not be checked (${String(err)})`);
    }
  }

  /**
   * After a trusted open: the stream folders against the registry taken from the index. A folder it lacks (made
   * while the store was closed) is registered and indexed, one gone is forgotten; either rebuilds its type.
   */
  private async verifyFolders(live: (key: string) => boolean): Promise<StreamDifference[]> {
    const found: StreamDifference[] = [];
    for (const type of this.layout.listTypes()) {
      const folders = await this.layout.listIdsAsync(type);
      if (this.closed) return found;
      const have = new Set(folders);
      const added = folders
        .filter((id) => !this.registry.has(type, id))
        .map((id): [string, string] => [type, id]);
      this.registry.adopt(added);
      for (const [, id] of added) found.push(await this.streamIndex.adoptStream(type, id));
      for (const id of this.registry.ids(type)) {
        const key = streamKey(type, id);
        // A stream made since the listing has its folder by now.
        if (have.has(id) || live(key) || existsSync(this.layout.streamDir(type, id))) continue;
        this.registry.remove(type, id);
        this.streamIndex.remove(key);
        found.push({ stream: key, reason: 'its folder is gone', rebuild: true });
      }
    }
    return found;
  }

  private register(aggregate: AnyAggregate): void {
    const known = this.aggregates.get(aggregate.type);
    if (known === aggregate) return;
    if (known) {
      throw new EventfoldError(
        'DUPLICATE_NAME',
        `Two different aggregates use the type "${aggregate.type}".`,
      );
    }
    checkName(aggregate.type);
    this.aggregates.set(aggregate.type, aggregate);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** Runs `op` on the instance's actor; if that actor was evicted in between, once more on a fresh one. */
  private async withActor<T>(
    aggregate: AnyAggregate,
    id: string,
    op: (actor: AggregateActor) => Promise<T>,
  ): Promise<T> {
    // An actor can be evicted between being handed out and the call reaching its queue (idle timeout, or room
    // made for other instances): the call then goes to a fresh one.
    for (let attempt = 1; ; attempt++) {
      const actor = await this.actorFor(aggregate, id);
      let result: Promise<T>;
      try {
        result = op(actor); // queues the call on the actor, which makes it busy
      } finally {
        actor.unclaim();
      }
      try {
        return await result;
      } catch (err) {
        if (!(err instanceof ActorGoneError) || this.closed || attempt >= 8) throw err;
      }
    }
  }

  private async actorFor(aggregate: AnyAggregate, id: string): Promise<AggregateActor> {
    this.assertOpen();
    checkName(id);
    const key = streamKey(aggregate.type, id);
    for (;;) {
      const existing = this.actors.get(key);
      if (existing) {
        // Most recently used last: the map's order is the eviction order.
        this.actors.delete(key);
        this.actors.set(key, existing);
        existing.claim();
        return existing;
      }
      const closing = this.closing.get(key);
      if (!closing) break;
      await closing; // its lock must be released before a new actor takes it
      this.assertOpen();
    }
    const warm = this.warm.get(key)?.w;
    if (warm) {
      this.warm.delete(key);
      this.counters.warmStarts++;
    }
    const actor = new AggregateActor({
      aggregate,
      id,
      key,
      dir: this.layout.streamDir(aggregate.type, id),
      durability: this.opts.durability ?? 'group',
      journal: this.journal,
      logger: this.logger,
      sequencer: this.sequencer,
      registry: this.registry,
      metrics: this.counters,
      clock: this.opts.clock ?? (() => new Date()),
      snapshotEvery: this.opts.snapshotEvery ?? 100,
      snapshotMinEvents: this.opts.snapshotMinEvents ?? 0,
      idleMs: this.opts.idleTimeoutMs ?? 300_000,
      onIdle: (a) => this.evict(a),
      warm,
    });
    this.makeRoom();
    this.actors.set(key, actor);
    actor.claim();
    return actor;
  }

  /** Evicts least recently used idle actors until one more fits under `maxOpenActors`. */
  private makeRoom(): void {
    const max = Math.max(1, this.opts.maxOpenActors ?? 256);
    if (this.actors.size < max) return;
    for (const actor of this.actors.values()) {
      if (this.actors.size < max) return;
      if (!actor.busy) this.evict(actor);
    }
    // Every open actor is busy: go over the limit rather than stall; a later open evicts them once idle.
  }

  private evict(actor: AggregateActor): void {
    if (this.actors.get(actor.key) !== actor) return;
    this.actors.delete(actor.key);
    this.counters.evictions++;
    const done = actor
      .close((w) => this.keepWarm(actor.key, { dir: actor.dir, w }))
      .finally(() => {
        if (this.closing.get(actor.key) === done) this.closing.delete(actor.key);
      });
    this.closing.set(actor.key, done);
  }

  /** Keeps an evicted actor's state for its stream's next actor; the oldest one beyond the limit saves snapshots. */
  private keepWarm(key: string, entry: { dir: string; w: WarmState }): void {
    this.warm.delete(key);
    this.warm.set(key, entry);
    const max = this.opts.maxWarmActors ?? 8192;
    for (const [k, e] of this.warm) {
      if (this.warm.size <= max) break;
      this.warm.delete(k);
      this.saveWarm(k, e);
    }
  }

  private saveWarm(key: string, { dir, w }: { dir: string; w: WarmState }): void {
    if (!snapshotsDue(w, this.opts.snapshotMinEvents ?? 0)) return;
    try {
      saveActorSnapshots(dir, w);
    } catch (err) {
      // Only a cache: the next load replays the log instead.
      this.logger.warn(`${key}: its snapshots could not be saved (${String(err)})`);
    }
  }

  private release(items: Committed[], position: number): void {
    for (const i of items)
      if (i.cursor) this.streamIndex.update(i.stored.stream, i.cursor.offset, i.cursor.hash, i.stored.seq);
    this.scheduleIndexSave();
    for (const p of this.projections.values()) p.consumer.deliver(items, position);
    for (const p of this.pms.values()) p.consumer.deliver(items, position);
    for (const s of this.subscriptions) s.deliver(items, position);
    if (this.listeners.size > 0) {
      const events = items.map((i) => i.stored);
      for (const l of this.listeners) {
        try {
          l(events, position);
        } catch (err) {
          this.logger.warn(`a commit listener threw: ${String(err)}`);
        }
      }
    }
  }

  /** One process-manager step: react, then dispatch each command (failures become dead letters). */
  private async react(entry: PmEntry, state: unknown, e: StoredEvent): Promise<unknown> {
    if (e.event.meta?.[META_KEYS.injected] === true) return state;
    const reaction = entry.pm.react(state, e);
    const cause = e.event.id ?? `${e.stream}@${e.seq}`;
    const inherited = contextOf(e.event);
    for (const [i, env] of reaction.commands.entries()) {
      const commandId = env.commandId ?? `pm:${entry.pm.name}:${cause}:${i}`;
      const context: CommandContext = {
        actor: `system:${entry.pm.name}`,
        causationId: cause,
        ...(inherited.correlationId !== undefined ? { correlationId: inherited.correlationId } : {}),
        ...env.context,
      };
      const envelope: CommandEnvelope = { ...env, context, commandId };
      try {
        await this.dispatch(envelope);
        entry.counts.dispatched++;
        this.counters.dispatched++;
      } catch (err) {
        if (err instanceof StoreClosedError) throw err;
        // A re-run after a crash fails again on a letter already recorded (pending or settled): not a new one.
        if (!entry.deadLetters.add(commandId, envelope, String((err as Error)?.message ?? err))) continue;
        entry.counts.deadLettered++;
        this.counters.deadLettered++;
        this.logger.warn(
          `${entry.pm.name}: dispatch to ${env.aggregateType}/${env.instanceId} failed; dead-lettered`,
          {
            error: String(err),
          },
        );
      }
    }
    return reaction.state;
  }

  private projectionEntry(name: string): { def: AnyProjection; consumer: Consumer<unknown> } {
    const p = this.projections.get(name);
    if (!p) throw new UnknownNameError('projection', name, [...this.projections.keys()]);
    return p;
  }

  private pmEntry(name: string): PmEntry {
    const p = this.pms.get(name);
    if (!p) throw new UnknownNameError('process manager', name, [...this.pms.keys()]);
    return p;
  }

  /** The highest position written in any stream (from the stream index, checked on open): when the lease is lost. */
  private highestPosition(): number {
    const max = this.streamIndex.maxSeq();
    if (max > 0) this.logger.warn(`meta/sequence.json was missing; resuming global positions after ${max}`);
    return max;
  }

  /** Saves the stream index a while after a commit, paced with the checkpoints (it is one entry per stream). */
  private scheduleIndexSave(): void {
    if (this.indexTimer || this.closed) return;
    const wait = Math.max(this.opts.checkpointMs ?? 5000, this.budget.wait(this.indexSaveMs));
    this.indexTimer = setTimeout(() => {
      this.indexTimer = null;
      if (this.budget.wait(this.indexSaveMs) > 0) this.scheduleIndexSave();
      else this.saveIndex();
    }, wait);
    this.indexTimer.unref();
  }

  private saveIndex(): void {
    if (!this.streamIndex.unsaved) return;
    const start = Date.now();
    try {
      this.streamIndex.save();
    } catch (err) {
      this.logger.warn(`the stream index could not be saved (${String(err)}); the next open reads more`);
    }
    this.indexSaveMs = Date.now() - start;
    this.budget.spent(this.indexSaveMs);
  }
}

/**
 * Reads and removes the clean-close marker (durably, before anything else happens: a crash in this session must
 * not pass for a clean close). Returns its token, or null when the last session did not close cleanly.
 */
function takeCleanClose(layout: StoreLayout): string | null {
  const text = readFileIfExists(layout.cleanCloseFile);
  if (text === null) return null;
  rmSync(layout.cleanCloseFile, { force: true });
  fsyncDir(layout.metaDir);
  try {
    const v = JSON.parse(text) as { token?: unknown };
    return typeof v.token === 'string' ? v.token : null;
  } catch {
    return null;
  }
}
