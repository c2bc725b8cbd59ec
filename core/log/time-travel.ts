/**
 * Time travel: a reducer folded over the history up to a point, without touching any snapshot.
 * @module
 */
import type { EventReader } from './reader.js';
import { initialState, type Initial, type Reducer } from './view.js';

/** Where to stop: after `events` events (counted from the first ever), or after the last event with `ts <= until`. */
export type Until = { events: number } | { ts: number };

/** The state at a point in history, and how many events it folds. */
export interface PastState<S> {
  state: S;
  events: number;
}

/**
 * Folds `reducer` over the full history (archive, then active log) up to `until`.
 * Events are in append order; with `{ ts }` the fold stops at the first event later than `ts`.
 *
 * @example
 * const { state } = await stateAt(reader, todoReducer, () => ({ items: [] }), { events: 10 });
 */
export async function stateAt<S>(
  reader: EventReader,
  reducer: Reducer<S>,
  initial: Initial<S>,
  until: Until,
): Promise<PastState<S>> {
  let state = initialState(initial);
  let n = 0;
  if ('events' in until && until.events <= 0) return { state, events: 0 };
  await reader.scanFull((event) => {
    if ('ts' in until && event.ts > until.ts) return false;
    state = reducer(state, event);
    n++;
    return !('events' in until) || n < until.events;
  });
  return { state, events: n };
}
