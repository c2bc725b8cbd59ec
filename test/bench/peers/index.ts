/**
 * The peer stores of `npm run bench -- --compare`. Each peer is a {@link StoreFactory} in its own module of this
 * folder, listed below. A peer whose module is not installed (or does not load) reports it from `unavailable()`
 * and is left out of the table with a printed reason.
 * - `sqlite.ts`: better-sqlite3 with WAL, synchronous=FULL, a table of (stream, version, type, data, ts, id)
 *   keyed by (stream, version), snapshots in a second table.
 * - `emmett.ts`: Emmett's SQLite event store (`@event-driven-io/emmett-sqlite` on node-sqlite3), through its API.
 * @module
 */
import type { StoreFactory } from '../store.js';
import { emmettStore } from './emmett.js';
import { sqliteStore } from './sqlite.js';

/** Every peer, in table order. */
export const PEERS: StoreFactory[] = [sqliteStore, emmettStore];
