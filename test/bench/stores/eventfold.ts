/**
 * Our engine behind the compare workloads' store interface: one core/log directory per stream
 * (`<dir>/streams/<stream>/`, the eventfold-es layout), a group-commit writer per stream, all of them committing
 * through one {@link CommitJournal} (`<dir>/journal.jsonl`, as core/es does), views as projections. It uses
 * core/log rather than core/es: the workloads append events to streams, with no aggregate deciding them.
 * @module
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CommitJournal, EventReader, EventWriter, View, type Event } from '../../../core/log/index.js';
import { directoryBytes, type BenchStore, type Fold, type StoreEvent, type StoreFactory } from '../store.js';

/** Writes at most this many events per `appendBatch` during setup loads (bounds one write's buffer). */
const LOAD_CHUNK = 10_000;

function toEvent(e: StoreEvent): Event {
  return { type: e.type, data: e.data, ts: e.ts, id: e.id };
}

class EventfoldStore implements BenchStore {
  private readonly writers = new Map<string, Promise<EventWriter>>();
  private readonly views = new Map<string, View<unknown>>();

  constructor(
    private readonly dir: string,
    private readonly journal: CommitJournal,
  ) {}

  private streamDir(stream: string): string {
    return join(this.dir, 'streams', encodeURIComponent(stream));
  }

  private writer(stream: string): Promise<EventWriter> {
    let w = this.writers.get(stream);
    if (!w) {
      w = EventWriter.open(this.streamDir(stream), { durability: 'group', journal: this.journal });
      this.writers.set(stream, w);
    }
    return w;
  }

  async append(stream: string, events: StoreEvent[]): Promise<void> {
    const w = await this.writer(stream);
    if (events.length === 1) await w.append(toEvent(events[0]!));
    else await w.appendBatch(events.map(toEvent));
  }

  async load(stream: string, events: StoreEvent[]): Promise<void> {
    if (this.writers.has(stream)) throw new Error(`load() is for new streams; ${stream} is open`);
    const w = await EventWriter.open(this.streamDir(stream), { durability: 'none' });
    try {
      for (let i = 0; i < events.length; i += LOAD_CHUNK) {
        await w.appendBatch(events.slice(i, i + LOAD_CHUNK).map(toEvent));
      }
    } finally {
      await w.close();
    }
  }

  private streams(): string[] {
    const root = join(this.dir, 'streams');
    return existsSync(root) ? readdirSync(root).sort() : [];
  }

  async replay<S>(fold: Fold<S>, initial: S): Promise<S> {
    let state = initial;
    for (const name of this.streams()) {
      const reader = await EventReader.open(join(this.dir, 'streams', name));
      await reader.scanFull((event) => {
        state = fold(state, event as StoreEvent);
      });
    }
    return state;
  }

  async project<S>(name: string, stream: string, fold: Fold<S>, initial: () => S): Promise<S> {
    const key = `${name}\u0000${stream}`;
    const dir = this.streamDir(stream);
    let view = this.views.get(key) as View<S> | undefined;
    if (!view) {
      view = new View<S>(name, (s, e) => fold(s, e as StoreEvent), initial, join(dir, 'views'));
      this.views.set(key, view as View<unknown>);
    }
    const reader = this.writers.has(stream)
      ? (await this.writer(stream)).reader()
      : await EventReader.open(dir);
    return view.refresh(reader);
  }

  async archive(): Promise<boolean> {
    for (const name of this.streams()) {
      const stream = decodeURIComponent(name);
      if (this.writers.has(stream)) {
        await (await this.writer(stream)).rotate([]);
      } else {
        const w = await EventWriter.open(join(this.dir, 'streams', name), { durability: 'always' });
        try {
          await w.rotate([]);
        } finally {
          await w.close();
        }
      }
    }
    return true;
  }

  diskBytes(): number {
    return directoryBytes(this.dir);
  }

  async close(): Promise<void> {
    const writers = await Promise.all(this.writers.values());
    this.writers.clear();
    await Promise.all(writers.map((w) => w.close()));
    await this.journal.close();
  }
}

/** Our engine (core/log, one directory per stream, group commit). */
export const eventfoldStore: StoreFactory = {
  name: 'eventfold',
  unavailable: () => Promise.resolve(null),
  async open(dir: string): Promise<BenchStore> {
    mkdirSync(dir, { recursive: true });
    return new EventfoldStore(dir, await CommitJournal.open(join(dir, 'journal.jsonl')));
  },
};
