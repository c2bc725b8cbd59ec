/**
 * Display names of records of any kind, for features that list records of several kinds (favorites, the trash).
 * They come from the timeline read model, which already names every contact, company, deal, task, note and
 * activity for its descriptions (and drops the names of forgotten and purged records), so no second copy of
 * every name is kept.
 * @module
 */
import type { AggregateStore } from '../es/index.js';
import { timelineProjection, type TimelineState } from './read/timeline.js';
import { own, recordKey } from './read/util.js';

/** The current display name of `kind/id`, or `null` when it has none (unknown, forgotten or purged). */
export function recordName(store: AggregateStore, kind: string, id: string): string | null {
  const names = store.projection<TimelineState>(timelineProjection).state.names;
  return own(names, recordKey(kind, id)) ?? null;
}
