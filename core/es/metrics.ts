/**
 * Counters the app can read (`store.metrics()`): what the runtime did since the store was opened.
 * @module
 */

/** Plain counters, incremented in place by the runtime. */
export interface Metrics {
  /** Commands received by actors (including refused and duplicate ones). */
  commands: number;
  /** Commands refused by a `DomainError`. */
  rejected: number;
  /** Commands refused by a version conflict. */
  conflicts: number;
  /** Commands recognised by their id as already executed. */
  duplicates: number;
  /** Events appended. */
  events: number;
  /** Actors evicted (idle, or to make room under `maxOpenActors`). */
  evictions: number;
  /** Actors started from the state an evicted one left (`maxWarmActors`), without reading their stream. */
  warmStarts: number;
  /** Commands dispatched by process managers. */
  dispatched: number;
  /** Dispatches that failed and went to a dead-letter file. */
  deadLettered: number;
}

/** A zeroed set of counters. */
export function newMetrics(): Metrics {
  return {
    commands: 0,
    rejected: 0,
    conflicts: 0,
    duplicates: 0,
    events: 0,
    evictions: 0,
    warmStarts: 0,
    dispatched: 0,
    deadLettered: 0,
  };
}

/** The state of one projection or process manager, as reported by `store.metrics()`. */
export interface ConsumerStatus {
  name: string;
  /** Global position consumed. */
  position: number;
  /** Positions released to the read side that it has not consumed yet. */
  lag: number;
  /** `'live'`, `'catching-up'`, or `'stalled'` after its code threw (it retries by itself). */
  status: 'live' | 'catching-up' | 'stalled';
  /** The last error, while stalled. */
  error: string | null;
}

/** Everything `store.metrics()` returns. */
export interface StoreMetrics extends Metrics {
  /** The store's global position (last released). */
  position: number;
  /** Live actors (open streams). */
  actors: number;
  /** Streams in the store. */
  streams: number;
  projections: ConsumerStatus[];
  processManagers: (ConsumerStatus & { deadLetters: number })[];
}
