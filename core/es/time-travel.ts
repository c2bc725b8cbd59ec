/**
 * Time travel for the store: a projection or an instance's state as of a past moment, folded from the logs without
 * touching live read models, snapshots or checkpoints.
 * @module
 */
import { existsSync } from 'node:fs';
import { EventReader, type Event } from '../log/index.js';
import { toDomainEvent, upcastEvent, type AnyAggregate } from './aggregate.js';
import { readCommitted, type FeedSource } from './feed.js';
import { StoreLayout } from './layout.js';
import type { Projection } from './projection.js';
import { seqOf } from './stored-event.js';

/**
 * Where history stops: at a date (events with `ts` up to it, inclusive: `ts` has one-second resolution), at a
 * global position (events with `seq` up to it), or after the first `events` events (in global order for a
 * projection, in file order for one stream).
 */
export type AsOf = { date: Date } | { position: number } | { events: number };

/** Whether the `index`-th event (0-based, in the order folded) is before the point `asOf`. */
function includes(asOf: AsOf, event: Event, index: number): boolean {
  if ('date' in asOf) return event.ts <= Math.floor(asOf.date.getTime() / 1000);
  if ('events' in asOf) return index < asOf.events;
  const seq = seqOf(event);
  return seq !== 0 && seq <= asOf.position;
}

/** Folds `projection` from scratch over every event up to `asOf`, in global order. */
export async function projectionAt<S>(
  source: FeedSource,
  projection: Projection<S>,
  asOf: AsOf,
  released: number,
): Promise<S> {
  const until = 'position' in asOf ? Math.min(asOf.position, released) : released;
  const read = await readCommitted(source, projection.subscriptions, new Map(), until);
  let state = projection.initialState();
  read.items.forEach((item, i) => {
    // Filtered rather than cut at the first later event: a clock stepping back must not hide earlier history.
    if (includes(asOf, item.stored.event, i)) state = projection.apply(state, item.stored);
  });
  return state;
}

/** The state of one instance up to `asOf` (the initial state if it had no events then). */
export async function aggregateStateAt<S>(
  aggregate: AnyAggregate,
  dir: string,
  asOf: AsOf,
): Promise<{ state: S; version: number }> {
  let state = aggregate.initialState() as S;
  let version = 0;
  if (!existsSync(dir)) return { state, version };
  const reader = await EventReader.open(dir);
  let index = 0;
  await reader.scanFull((event) => {
    if (!includes(asOf, event, index++)) return;
    state = aggregate.evolve(state, toDomainEvent(aggregate, event)) as S;
    version++;
  });
  return { state, version };
}

/**
 * A read-only view of a store folder's streams (its folders), for reading history without opening the store or
 * taking its lock, e.g. from the `eventfold` CLI while the app runs. Events of `aggregates` are upcast.
 */
export function folderSource(dir: string, aggregates: readonly AnyAggregate[] = []): FeedSource {
  const layout = new StoreLayout(dir);
  const byType = new Map(aggregates.map((a) => [a.type, a]));
  return {
    types: () => layout.listTypes(),
    ids: (type) => layout.listIds(type),
    streamDir: (type, id) => layout.streamDir(type, id),
    upcast: (type, event) => upcastEvent(byType.get(type), event),
  };
}
