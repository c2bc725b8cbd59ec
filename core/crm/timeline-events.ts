/**
 * The timeline's read-back: the timeline read model keeps references (record, global position), and a query reads
 * the events of the records on one page from their logs.
 * @module
 */
import type { AggregateStore } from '../es/index.js';
import type { Event } from '../log/index.js';
import type { QueryContext } from './contract-queries.js';
import type { TimelineEvents } from './read/timeline.js';

/**
 * Reads the logs of the records `srcs` (`'contact:c-1'`, each once) and answers lookups by position from them.
 *
 * @example
 * const events = await timelineEvents(store, ['contact:c-1', 'note:n-1']);
 * events('note:n-1', 42)?.type; // 'NoteCreated'
 */
export async function timelineEvents(store: AggregateStore, srcs: Iterable<string>): Promise<TimelineEvents> {
  const bySrc = new Map<string, Map<number, Event>>();
  await Promise.all(
    [...new Set(srcs)].map(async (src) => {
      const at = src.indexOf(':');
      const stored = await store.readStream(src.slice(0, at), src.slice(at + 1));
      bySrc.set(src, new Map(stored.map((e) => [e.seq, e.event])));
    }),
  );
  return (src, seq) => bySrc.get(src)?.get(seq);
}

/** The {@link QueryContext} of projection queries on `store`. */
export function queryContext(store: AggregateStore): QueryContext {
  return { events: (srcs) => timelineEvents(store, srcs) };
}
