/**
 * StoredEvent: an event as the read side sees it: which stream it belongs to and its global position.
 * @module
 */
import type { Event } from '../log/index.js';

/**
 * One committed event of the store, delivered to projections, process managers and subscribers in global order
 * (`seq` ascending). `event` is the log event after upcasting.
 */
export interface StoredEvent<D = unknown> {
  /** The aggregate type, e.g. `'contact'`. */
  aggregateType: string;
  /** The instance id, e.g. `'c-42'`. */
  streamId: string;
  /** `'<type>/<id>'`, the key of checkpoint cursors. */
  stream: string;
  /**
   * Global position: strictly increasing in commit order across the whole store, gaps allowed. 0 for events written
   * without one (a store written by the Rust crate); those sort first, by time.
   */
  seq: number;
  /** The log event (`type`, `data`, `ts`, `id`, `actor`, `meta`). */
  event: Event<D>;
}

/** The key of a stream: `'<type>/<id>'`. */
export function streamKey(aggregateType: string, id: string): string {
  return `${aggregateType}/${id}`;
}

/** The global position recorded in an event (`meta.seq`), 0 when absent. */
export function seqOf(event: Event): number {
  const s = event.meta?.seq;
  return typeof s === 'number' && Number.isSafeInteger(s) && s > 0 ? s : 0;
}

/**
 * The global order: by `seq`; events without one (0) first, by `ts`, then stream key. Within a stream the caller
 * keeps file order (the sort must be stable).
 */
export function compareStored(a: StoredEvent, b: StoredEvent): number {
  if (a.seq !== b.seq) return a.seq - b.seq;
  if (a.seq === 0) {
    if (a.event.ts !== b.event.ts) return a.event.ts - b.event.ts;
    if (a.stream !== b.stream) return a.stream < b.stream ? -1 : 1;
  }
  return 0;
}
