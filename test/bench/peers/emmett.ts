/**
 * The Emmett peer: `@event-driven-io/emmett-sqlite` 0.38.5 (the newest whose `@event-driven-io/emmett` peer
 * version the registry has), a TypeScript event store on node-sqlite3 (WAL, SQLite's default synchronous=FULL),
 * used through its public API only:
 * - `appendToStream` per append. Its store opens a connection for each operation and closes it afterwards, and
 *   its connection is shared by overlapping operations, so concurrent calls are queued here, one at a time (two
 *   at once fail with `SQLITE_MISUSE: Database is closed`). Even one at a time, an append that creates or
 *   advances a stream fails now and then with `SQLITE_BUSY: cannot commit transaction - SQL statements in
 *   progress` (its `INSERT/UPDATE ... RETURNING` read by `db.get` is finalized on node-sqlite3's threadpool, which
 *   can run the `COMMIT` first). Emmett rolls back (and prints the error with console.log); such an append is
 *   retried here, up to {@link RETRIES} times.
 * - `replay` pages through the whole store with `readMessagesBatch` (what its consumers do).
 * - `project` is `aggregateStream`: Emmett keeps no snapshots of stream state, so a first query folds the stream.
 * @module
 */
import type { Event } from '@event-driven-io/emmett';
import type * as EmmettSqlite from '@event-driven-io/emmett-sqlite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { directoryBytes, type BenchStore, type Fold, type StoreEvent, type StoreFactory } from '../store.js';

type Module = typeof EmmettSqlite;
type BenchEvent = Event<string, Record<string, unknown>, { ts: number; messageId: string }>;

let driver: Promise<Module> | undefined;

function loadDriver(): Promise<Module> {
  driver ??= import('@event-driven-io/emmett-sqlite');
  return driver;
}

/** Emmett appends at most this many events per call here (10 SQL parameters each, SQLite allows 32,766). */
const CHUNK = 2000;
/** Attempts of one append that fails with SQLITE_BUSY (see the module comment). */
const RETRIES = 20;
/** Events per page of a full replay. */
const PAGE = 10_000;

function toEmmett(e: StoreEvent): BenchEvent {
  return { type: e.type, data: e.data as Record<string, unknown>, metadata: { ts: e.ts, messageId: e.id } };
}

function fromEmmett(e: {
  type: string;
  data: unknown;
  metadata: { ts?: unknown; messageId: string };
}): StoreEvent {
  return { type: e.type, data: e.data, ts: e.metadata.ts as number, id: e.metadata.messageId };
}

class EmmettStore implements BenchStore {
  private readonly store: EmmettSqlite.SQLiteEventStore;
  private queue: Promise<unknown> = Promise.resolve();
  /** Appends retried after SQLITE_BUSY. */
  busyRetries = 0;

  constructor(
    private readonly lib: Module,
    private readonly dir: string,
    private readonly file: string,
  ) {
    this.store = lib.getSQLiteEventStore({ fileName: file });
  }

  /** Runs `op` after every earlier operation of this store (see the module comment). */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  append(stream: string, events: StoreEvent[]): Promise<void> {
    return this.serial(async () => {
      for (let i = 0; i < events.length; i += CHUNK) {
        const chunk = events.slice(i, i + CHUNK).map(toEmmett);
        for (let attempt = 1; ; attempt++) {
          try {
            await this.store.appendToStream(stream, chunk);
            break;
          } catch (err) {
            if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || attempt >= RETRIES) throw err;
            this.busyRetries++;
            await new Promise((resolve) => setTimeout(resolve, attempt));
          }
        }
      }
    });
  }

  load(stream: string, events: StoreEvent[]): Promise<void> {
    return this.append(stream, events);
  }

  replay<S>(fold: Fold<S>, initial: S): Promise<S> {
    return this.serial(async () => {
      const connection = this.lib.sqliteConnection({ fileName: this.file });
      try {
        let state = initial;
        let after = 0n;
        for (;;) {
          const page = await this.lib.readMessagesBatch(connection, { after, batchSize: PAGE });
          for (const m of page.messages) state = fold(state, fromEmmett(m));
          after = page.currentGlobalPosition;
          if (!page.areEventsLeft) return state;
        }
      } finally {
        connection.close();
      }
    });
  }

  project<S>(_name: string, stream: string, fold: Fold<S>, initial: () => S): Promise<S> {
    return this.serial(async () => {
      const { state } = await this.store.aggregateStream<S, BenchEvent>(stream, {
        evolve: (s: S, e: BenchEvent) => fold(s, fromEmmett(e)),
        initialState: initial,
      });
      return state;
    });
  }

  archive(): Promise<boolean> {
    return Promise.resolve(false); // no compressed form
  }

  diskBytes(): number {
    return directoryBytes(this.dir);
  }

  async close(): Promise<void> {
    await this.queue; // the store closes its connection after each operation
  }
}

/** Emmett's SQLite event store (node-sqlite3). */
export const emmettStore: StoreFactory = {
  name: 'emmett',
  async unavailable() {
    try {
      const lib = await loadDriver();
      lib.sqliteConnection({ fileName: ':memory:' }).close();
      return null;
    } catch (err) {
      driver = undefined;
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      return `@event-driven-io/emmett-sqlite does not load (${why})`;
    }
  },
  async open(dir: string): Promise<BenchStore> {
    const lib = await loadDriver();
    mkdirSync(dir, { recursive: true });
    return new EmmettStore(lib, dir, join(dir, 'emmett.db'));
  },
};
