/**
 * The peer stores of `npm run bench -- --compare`. Each peer is a {@link StoreFactory} in its own module of this
 * folder (e.g. `sqlite.ts`: better-sqlite3 with WAL, synchronous=FULL, a table of
 * (stream, version, type, data, ts, id) with a unique (stream, version)), listed below. A peer whose module is
 * not installed reports it from `unavailable()` and is left out of the table with a printed reason.
 * @module
 */
import type { StoreFactory } from '../store.js';

/** Every peer, in table order. None yet: issue 6 adds better-sqlite3 (and a TypeScript event store if one installs). */
export const PEERS: StoreFactory[] = [];
