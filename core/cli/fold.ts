/**
 * Generic reducers for `replay`: the CLI knows no domain, so it folds what every log has in common. The real,
 * domain-specific state (what a "deleted" event means, derived fields) is computed by the app's own reducers.
 * @module
 */
import type { Event } from '../log/index.js';

/** A log summarized: events per type, the first and the last event. */
export interface LogSummary {
  events: number;
  byType: Record<string, number>;
  first: Event | null;
  last: Event | null;
}

/** The initial {@link LogSummary}. */
export const emptySummary = (): LogSummary => ({ events: 0, byType: {}, first: null, last: null });

/** Counts events by type and keeps the first and the last. */
export function summaryReducer(state: LogSummary, event: Event): LogSummary {
  state.events++;
  state.byType[event.type] = (state.byType[event.type] ?? 0) + 1;
  state.first ??= event;
  state.last = event;
  return state;
}

/**
 * An entity as "last value per data field": each event's `data` fields overwrite the previous values. Data that
 * is not an object (a string, an array) is kept under `"(data)"`; `null` data (a fieldless event) changes nothing.
 */
export interface GenericEntity {
  fields: Record<string, unknown>;
  /** Events folded: the stream's version at that point. */
  version: number;
  /** Which event type last changed each field. */
  changedBy: Record<string, string>;
  last: Event | null;
}

/** The initial {@link GenericEntity}. */
export const emptyEntity = (): GenericEntity => ({ fields: {}, version: 0, changedBy: {}, last: null });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Folds one event into a {@link GenericEntity}. */
export function entityReducer(state: GenericEntity, event: Event): GenericEntity {
  state.version++;
  state.last = event;
  if (isPlainObject(event.data)) {
    for (const [k, v] of Object.entries(event.data)) {
      state.fields[k] = v;
      state.changedBy[k] = event.type;
    }
  } else if (event.data !== null && event.data !== undefined) {
    state.fields['(data)'] = event.data;
    state.changedBy['(data)'] = event.type;
  }
  return state;
}
