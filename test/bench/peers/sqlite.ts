/**
 * The SQLite peer: an event store on better-sqlite3 as a developer would write one for an Electron app.
 * One database file per store, journal_mode=WAL with synchronous=FULL (every commit is fsync'ed), a table
 * `events(stream, version, type, data JSON text, ts, id)` keyed by (stream, version), and a `snapshots` table for
 * projections. better-sqlite3 is synchronous: each call runs its transaction to the end on the calling thread,
 * so concurrent callers queue on the event loop (SQLite has no group commit across connections' transactions).
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchStore, Fold, StoreEvent, StoreFactory } from '../store.js';

type DatabaseConstructor = typeof BetterSqlite3;
type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;
/** A row as `.raw()` returns it: type, data (JSON text), ts, id, and version where selected. */
type EventRow = [string, string, number, string, number?];

let driver: Promise<DatabaseConstructor> | undefined;

/** Loads better-sqlite3 lazily, so the bench runs (without this peer) where it is not installed or not built. */
function loadDriver(): Promise<DatabaseConstructor> {
  driver ??= import('better-sqlite3').then((m) => m.default);
  return driver;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    stream  TEXT    NOT NULL,
    version INTEGER NOT NULL,
    type    TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    ts      INTEGER NOT NULL,
    id      TEXT    NOT NULL,
    PRIMARY KEY (stream, version)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS snapshots (
    name    TEXT    NOT NULL,
    stream  TEXT    NOT NULL,
    state   TEXT    NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (name, stream)
  ) WITHOUT ROWID;
`;

function toEvent(row: EventRow): StoreEvent {
  return { type: row[0], data: JSON.parse(row[1]) as unknown, ts: row[2], id: row[3] };
}

class SqliteStore implements BenchStore {
  private readonly head: Statement;
  private readonly insert: Statement;
  private readonly all: Statement;
  private readonly newer: Statement;
  private readonly snapshot: Statement;
  private readonly saveSnapshot: Statement;
  /** One transaction: reads the stream's head, inserts `events` with the next versions. */
  private readonly appendTx: (stream: string, events: StoreEvent[]) => void;

  constructor(
    private readonly db: Database,
    private readonly file: string,
  ) {
    this.head = db.prepare('SELECT coalesce(max(version), 0) FROM events WHERE stream = ?').pluck();
    this.insert = db.prepare(
      'INSERT INTO events (stream, version, type, data, ts, id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.all = db.prepare('SELECT type, data, ts, id FROM events ORDER BY stream, version').raw();
    this.newer = db
      .prepare(
        'SELECT type, data, ts, id, version FROM events WHERE stream = ? AND version > ? ORDER BY version',
      )
      .raw();
    this.snapshot = db.prepare('SELECT state, version FROM snapshots WHERE name = ? AND stream = ?');
    this.saveSnapshot = db.prepare(
      'INSERT INTO snapshots (name, stream, state, version) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (name, stream) DO UPDATE SET state = excluded.state, version = excluded.version',
    );
    this.appendTx = db.transaction((stream: string, events: StoreEvent[]) => {
      let version = this.head.get(stream) as number;
      for (const e of events) this.insert.run(stream, ++version, e.type, JSON.stringify(e.data), e.ts, e.id);
    });
  }

  append(stream: string, events: StoreEvent[]): Promise<void> {
    // Synchronous: the commit (and its fsync, synchronous=FULL) is done when this returns.
    this.appendTx(stream, events);
    return Promise.resolve();
  }

  load(stream: string, events: StoreEvent[]): Promise<void> {
    this.appendTx(stream, events); // one large transaction per call
    return Promise.resolve();
  }

  replay<S>(fold: Fold<S>, initial: S): Promise<S> {
    let state = initial;
    for (const row of this.all.iterate() as IterableIterator<EventRow>) state = fold(state, toEvent(row));
    return Promise.resolve(state);
  }

  project<S>(name: string, stream: string, fold: Fold<S>, initial: () => S): Promise<S> {
    const snap = this.snapshot.get(name, stream) as { state: string; version: number } | undefined;
    let state = snap ? (JSON.parse(snap.state) as S) : initial();
    const from = snap?.version ?? 0;
    let version = from;
    for (const row of this.newer.iterate(stream, from) as IterableIterator<EventRow>) {
      state = fold(state, toEvent(row));
      version = row[4]!;
    }
    if (version > from || !snap) this.saveSnapshot.run(name, stream, JSON.stringify(state), version);
    return Promise.resolve(state);
  }

  archive(): Promise<boolean> {
    return Promise.resolve(false); // SQLite keeps no compressed form
  }

  diskBytes(): number {
    let total = 0;
    for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) {
      if (existsSync(f)) total += statSync(f).size;
    }
    return total;
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

/** better-sqlite3 12: WAL, synchronous=FULL, one transaction per append. */
export const sqliteStore: StoreFactory = {
  name: 'sqlite',
  async unavailable() {
    try {
      const Database = await loadDriver();
      new Database(':memory:').close();
      return null;
    } catch (err) {
      driver = undefined;
      return `better-sqlite3 does not load (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    }
  },
  async open(dir: string): Promise<BenchStore> {
    const Database = await loadDriver();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'events.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    return new SqliteStore(db, file);
  },
};
