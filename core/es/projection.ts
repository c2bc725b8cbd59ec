/**
 * Projection: a read model folded over the events of many streams, in global order.
 * @module
 */
import type { StoredEvent } from './stored-event.js';

/**
 * A cross-stream read model. The store feeds it every committed event of the aggregate types in `subscriptions`,
 * in global order (`seq`), checkpoints its state and position under `projections/<name>/`, catches it up on open
 * and rebuilds it when a stream it read lost or changed events, or when `version` changed.
 *
 * `apply` may mutate `state` and return it (cheap for large read models); it must be deterministic, since a
 * rebuild must give the same state. If it throws, the projection stops at that event, reports its lag and the
 * error, and retries later; the write path is never blocked.
 *
 * @example
 * const contactCount: Projection<{ n: number }> = {
 *   name: 'contact-count',
 *   subscriptions: ['contact'],
 *   initialState: () => ({ n: 0 }),
 *   apply: (s, e) => (e.event.type === 'ContactCreated' ? { n: s.n + 1 } : s),
 * };
 */
export interface Projection<S = unknown> {
  /** Folder name under `projections/`. */
  readonly name: string;
  /** Aggregate types whose events this projection reads. */
  readonly subscriptions: readonly string[];
  /** The empty read model. Must return a fresh value each call. */
  initialState(): S;
  /** Folds one event. */
  apply(state: S, event: StoredEvent): S;
  /** Bump when `apply` changes meaning: a checkpoint of another version is rebuilt from the logs. Default 1. */
  readonly version?: number;
}

/** Any projection, for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProjection = Projection<any>;
