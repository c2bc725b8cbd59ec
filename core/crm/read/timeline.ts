/**
 * The timeline read model: for every record, every event touching it (its own, and those of the notes,
 * activities, tasks and deals linked to it), newest first, with actor, time and a description of what changed.
 *
 * The state holds references, not copies: each record's list is the global positions of the events shown on it
 * (a number for the record's own event, `[record, position]` for another record's), and a query reads the events of
 * one page back from the logs ({@link TimelineEvents}). That keeps the read model to a few dozen bytes per event (a
 * copy of every payload made it the biggest checkpoint of the store). What "undo" needs without reading is kept
 * too: the event ids of the changes a person can undo, which event undid which, each actor's recent changes.
 * @module
 */
import type { Event } from '../../log/index.js';
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import { compact } from './format.js';
import {
  describeEntry,
  type Described,
  describeUndo,
  forgetNames,
  isDescribed,
  type Names,
  nameUpdates,
} from './timeline-describe.js';
import { type Dict, isoOf, own, put, recordKey } from './util.js';
import { isSystemActor, isUndoableType, undoTargetsOf } from '../undo/undoable.js';

/** An event shown on a record: its position, for the record's own events, or `[record key, position]`. */
export type TimelineRef = number | [string, number];

/** The timeline state (JSON). */
export interface TimelineState {
  /** Record key -> the events shown on it, by ascending position. */
  lists: Dict<TimelineRef[]>;
  /** Record key -> the other records it is linked to now (a note's record, a deal's contacts and company). */
  links: Dict<string[]>;
  /** Names used by descriptions (record key -> name; `'stage:<pipeline>/<stage>'` -> stage name). */
  names: Names;
  /** Deal id -> its pipelines over time: `[position from which, pipeline id]`, ascending (to name stages). */
  dealPipelines: Dict<[number, string][]>;
  /** Position -> event id, for the changes a person made that undo can take back (undoable types). */
  eventIds: Dict<string>;
  /** An undo's position -> the positions of the changes it undid (a merge is undone on both contacts). */
  undoOf: Dict<number[]>;
  /** A change's position -> the latest undo of it (which may itself be undone since: see {@link undoneByOf}). */
  undoneBy: Dict<number>;
  /** Actor -> their latest undoable changes `[record key, position]`, oldest first, at most {@link RECENT}. */
  recent: Dict<[string, number][]>;
  /** Record keys erased with a forgotten contact (it, its notes, activities, tasks): their later events are ignored. */
  gone: Dict<1>;
}

/** How many of each actor's changes "undo last" can reach back (each undo takes one off the top). */
const RECENT = 200;

/** A timeline entry: an event with what the timeline knows of it. */
export interface TimelineEntry {
  /** Its global position. */
  seq: number;
  /** The record whose event this is (`'note:n-1'`). */
  src: string;
  eventId: string | null;
  /** Unix seconds. */
  ts: number;
  actor: string | null;
  /** The causing event's id (automations), if any. */
  causedBy: string | null;
  type: string;
  /** The payload, compacted (long texts cut). */
  data: unknown;
  /** The deal's pipeline at the time (to name stages). */
  pipelineId: string | null;
}

/** A timeline entry as the query returns it. */
export interface TimelineItem extends Described {
  /** ISO instant. */
  at: string;
  actor: string | null;
  causedBy: string | null;
  eventId: string | null;
  /** The record the event belongs to: `kind` and `id`. */
  kind: string;
  id: string;
  type: string;
  /** Whether `UndoChange {kind, id, eventId}` can undo it: a person's change, of an undoable type, not undone. */
  undoable: boolean;
  /** The id of the event that undid this change (while that undo is itself in effect). */
  undoneBy?: string;
  /** For an undo (or a redo, the undo of an undo): the id of the event it undid. */
  undoOf?: string;
}

/**
 * Reads events back for a query: the event of record `src` (`'contact:c-1'`) at global position `seq`, or
 * `undefined` when it is gone (erased). The backend reads the record's log; tests look up the events they folded.
 */
export type TimelineEvents = (src: string, seq: number) => Event | undefined;

/** The record key and position of a reference found in `record`'s list. */
function refOf(record: string, ref: TimelineRef): [string, number] {
  return typeof ref === 'number' ? [record, ref] : ref;
}

function seqOfRef(ref: TimelineRef): number {
  return typeof ref === 'number' ? ref : ref[1];
}

/** Event types whose payload names the other records the event's record is linked to. */
function linksOf(key: string, e: StoredEvent, before: readonly string[]): string[] {
  const d = e.event.data as Record<string, unknown> | null;
  const changes = (d?.changes ?? {}) as Record<string, { to?: unknown } | undefined>;
  const pick = (field: string): unknown =>
    e.event.type.endsWith('Created') || e.event.type.endsWith('Logged') ? d?.[field] : changes[field]?.to;
  let out = [...before];
  const link = pick('link');
  if (link !== undefined) {
    const l = link as { kind: string; id: string } | null;
    out = l ? [recordKey(l.kind, l.id)] : [];
  }
  if (e.aggregateType === 'deal') {
    const companyId = pick('companyId');
    const contactIds = pick('contactIds');
    if (companyId !== undefined) {
      out = out.filter((k) => !k.startsWith('company:'));
      if (typeof companyId === 'string') out.push(recordKey('company', companyId));
    }
    if (Array.isArray(contactIds)) {
      out = out.filter((k) => !k.startsWith('contact:'));
      for (const id of contactIds) out.push(recordKey('contact', String(id)));
    }
  }
  return out.filter((k) => k !== key);
}

/**
 * Other records a contact event also shows on (without moving the contact's history there): the other contact
 * of a merge, and the companies it joins or leaves.
 */
function alsoOn(e: StoredEvent): string[] {
  if (e.aggregateType !== 'contact') return [];
  const d = (e.event.data ?? {}) as {
    targetId?: unknown;
    sourceId?: unknown;
    companyId?: unknown;
    changes?: { companyId?: { from: unknown; to: unknown } };
  };
  const out: string[] = [];
  const partner = d.targetId ?? d.sourceId;
  if (typeof partner === 'string') out.push(recordKey('contact', partner));
  const companies = [d.companyId, d.changes?.companyId?.from, d.changes?.companyId?.to];
  for (const c of companies) if (typeof c === 'string') out.push(recordKey('company', c));
  return out;
}

function listAdd(state: TimelineState, record: string, refs: readonly [string, number][]): void {
  const list = own(state.lists, record) ?? [];
  const have = new Set(list.map(seqOfRef));
  const added = refs.filter(([, seq]) => !have.has(seq));
  if (added.length === 0 && own(state.lists, record)) return;
  const next = [...list, ...added.map(([src, seq]): TimelineRef => (src === record ? seq : [src, seq]))];
  // Appends come in global order; a record linked later takes older history along, so sort only then.
  const last = list.length > 0 ? seqOfRef(list[list.length - 1]!) : -1;
  if (added.some(([, seq]) => seq < last)) next.sort((a, b) => seqOfRef(a) - seqOfRef(b));
  put(state.lists, record, next);
}

function listRemove(state: TimelineState, record: string, seqs: readonly number[]): void {
  const list = own(state.lists, record);
  if (!list) return;
  const drop = new Set(seqs);
  put(
    state.lists,
    record,
    list.filter((r) => !drop.has(seqOfRef(r))),
  );
}

/** The positions of the events a record produced itself (the plain numbers of its list). */
function ownSeqs(state: TimelineState, key: string): number[] {
  return (own(state.lists, key) ?? []).filter((r): r is number => typeof r === 'number');
}

/**
 * Erases a forgotten contact: its list, the lists of its notes, activities and tasks (whose streams the erasure
 * deletes), every reference to their events in other lists, its name and its changes in "undo last".
 */
function forget(state: TimelineState, contactKey: string): void {
  const erase = new Set([contactKey]);
  for (const [child, links] of Object.entries(state.links)) {
    if (links.includes(contactKey) && /^(note|activity|task):/.test(child)) erase.add(child);
  }
  const erasedSeqs = new Set<number>();
  for (const key of erase) {
    for (const seq of ownSeqs(state, key)) erasedSeqs.add(seq);
    delete state.lists[key];
    delete state.links[key];
    forgetNames(state.names, key);
    put(state.gone, key, 1);
  }
  for (const [record, list] of Object.entries(state.lists)) {
    if (list.some((r) => typeof r !== 'number' && erase.has(r[0])))
      put(
        state.lists,
        record,
        list.filter((r) => typeof r === 'number' || !erase.has(r[0])),
      );
  }
  for (const seq of erasedSeqs) {
    delete state.eventIds[String(seq)];
    delete state.undoOf[String(seq)];
    delete state.undoneBy[String(seq)];
  }
  for (const [actor, list] of Object.entries(state.recent))
    put(
      state.recent,
      actor,
      list.filter(([src]) => !erase.has(src)),
    );
  for (const [child, links] of Object.entries(state.links)) {
    if (links.includes(contactKey))
      put(
        state.links,
        child,
        links.filter((k) => k !== contactKey),
      );
  }
}

/**
 * Links an undo to the changes it undoes: earlier events of the same record (each half of a merge is undone by a
 * compensating event on its own contact), found from the newest back by event id.
 */
function markUndo(state: TimelineState, key: string, seq: number, targets: readonly string[]): void {
  const wanted = new Set(targets);
  const undoOf: number[] = [];
  const mine = ownSeqs(state, key);
  for (let i = mine.length - 1; i >= 0 && wanted.size > 0; i--) {
    const target = mine[i]!;
    const id = own(state.eventIds, String(target));
    if (id === undefined || !wanted.has(id)) continue;
    wanted.delete(id);
    put(state.undoneBy, String(target), seq);
    undoOf.push(target);
  }
  if (undoOf.length > 0) put(state.undoOf, String(seq), undoOf);
}

/** Remembers a person's undoable change for "undo last". */
function remember(state: TimelineState, e: StoredEvent, key: string): void {
  const actor = e.event.actor;
  if (e.event.id === undefined || !isUndoableType(e.event.type) || isSystemActor(actor)) return;
  put(state.eventIds, String(e.seq), e.event.id);
  if (actor === undefined) return;
  const list = own(state.recent, actor) ?? [];
  list.push([key, e.seq]);
  if (list.length > RECENT) list.splice(0, list.length - RECENT);
  put(state.recent, actor, list);
}

function apply(state: TimelineState, e: StoredEvent): void {
  const key = recordKey(e.aggregateType, e.streamId);
  if (own(state.gone, key)) return;
  if (e.event.type === 'ContactForgotten') {
    forget(state, key);
    return;
  }
  for (const [name, value] of nameUpdates(e, state.names)) put(state.names, name, value);
  if (e.aggregateType === 'custom-fields' || !isDescribed(e.event.type)) return;
  if (e.aggregateType === 'deal') {
    const d = e.event.data as { pipelineId?: string; changes?: { pipelineId?: { to: string } } } | null;
    const pid = d?.pipelineId ?? d?.changes?.pipelineId?.to;
    const history = own(state.dealPipelines, e.streamId) ?? [];
    if (pid !== undefined && history[history.length - 1]?.[1] !== pid) {
      history.push([e.seq, pid]);
      put(state.dealPipelines, e.streamId, history);
    }
  }
  remember(state, e, key);
  const targets = undoTargetsOf(e.event);
  if (targets.length > 0) markUndo(state, key, e.seq, targets);
  const before = own(state.links, key) ?? [];
  const after = linksOf(key, e, before).filter((r) => !own(state.gone, r));
  const extra = alsoOn(e);
  // A record linked elsewhere takes its history along: out of the old records, into the new ones.
  const history = ownSeqs(state, key);
  for (const r of before) if (!after.includes(r)) listRemove(state, r, history);
  const moved = history.map((seq): [string, number] => [key, seq]);
  for (const r of after) if (!before.includes(r)) listAdd(state, r, moved);
  for (const r of new Set([key, ...before, ...after, ...extra]))
    if (!own(state.gone, r)) listAdd(state, r, [[key, e.seq]]);
  if (after.length > 0) put(state.links, key, after);
  else delete state.links[key];
}

/** The timeline projection: every CRM aggregate type. */
export const timelineProjection: Projection<TimelineState> = {
  name: 'crm-timeline',
  subscriptions: ['contact', 'company', 'deal', 'pipeline', 'task', 'note', 'activity', 'custom-fields'],
  // 2: references instead of copies of the events.
  version: 2,
  initialState: () => ({
    lists: {},
    links: {},
    names: {},
    dealPipelines: {},
    eventIds: {},
    undoOf: {},
    undoneBy: {},
    recent: {},
    gone: {},
  }),
  apply(state, e) {
    apply(state, e);
    return state;
  },
};

/** The deal's pipeline at position `seq`. */
function pipelineAt(state: TimelineState, dealId: string, seq: number): string | null {
  let pid: string | null = null;
  for (const [from, id] of own(state.dealPipelines, dealId) ?? []) if (from <= seq) pid = id;
  return pid;
}

/** The entry of the event of `src` at `seq`, read back with `events`; `undefined` when it is gone. */
export function entryAt(
  state: TimelineState,
  src: string,
  seq: number,
  events: TimelineEvents,
): TimelineEntry | undefined {
  const e = events(src, seq);
  if (!e) return undefined;
  const at = src.indexOf(':');
  return {
    seq,
    src,
    eventId: e.id ?? null,
    ts: e.ts,
    actor: e.actor ?? null,
    causedBy: typeof e.meta?.causation_id === 'string' ? e.meta.causation_id : null,
    type: e.type,
    data: compact(e.data),
    pipelineId: src.slice(0, at) === 'deal' ? pipelineAt(state, src.slice(at + 1), seq) : null,
  };
}

/**
 * The undo of change `seq` that is in effect, if any: an undo that was itself undone (a redo) puts the change back
 * in effect, and undoing the redo takes it out again.
 */
export function undoneByOf(state: TimelineState, seq: number): number | undefined {
  const undo = own(state.undoneBy, String(seq));
  return undo !== undefined && undoneByOf(state, undo) === undefined ? undo : undefined;
}

/** How deep in undos a change is: 0 for a change, 1 for its undo, 2 for a redo (the undo of the undo), ... */
export function undoDepth(state: TimelineState, seq: number): number {
  let depth = 0;
  for (let s = own(state.undoOf, String(seq))?.[0]; s !== undefined; s = own(state.undoOf, String(s))?.[0])
    depth++;
  return depth;
}

/** Can change `seq` be undone now: a person's change (not an automation's), of an undoable type, in effect? */
export function isUndoable(state: TimelineState, seq: number): boolean {
  return own(state.eventIds, String(seq)) !== undefined && undoneByOf(state, seq) === undefined;
}

/** The event id of the change at `seq`, when a person made it (see {@link TimelineState.eventIds}). */
export function eventIdAt(state: TimelineState, seq: number): string | undefined {
  return own(state.eventIds, String(seq));
}

/**
 * An entry's description with the current names; an undo is described by what it undid (`Undid: Edited contact
 * “Ana”`, a redo `Redid: ...`) with its own change lines. The undone change is an earlier event of the same record.
 */
export function describeTimelineEntry(
  state: TimelineState,
  entry: TimelineEntry,
  events: TimelineEvents,
): Described {
  const mine = describeEntry(entry, state.names);
  let original = own(state.undoOf, String(entry.seq))?.[0];
  if (original === undefined) return mine;
  for (
    let s = own(state.undoOf, String(original))?.[0];
    s !== undefined;
    s = own(state.undoOf, String(s))?.[0]
  )
    original = s;
  const first = entryAt(state, entry.src, original, events);
  const depth = undoDepth(state, entry.seq);
  return describeUndo(depth % 2 === 1 ? 'undo' : 'redo', first && describeEntry(first, state.names), mine);
}

/** Paging of a timeline. */
export interface TimelineParams {
  offset?: number;
  limit?: number;
}

/** One page of a record's timeline, newest first, as references: what {@link timelineOf} reads back. */
export function timelinePage(
  state: TimelineState,
  kind: string,
  id: string,
  params: TimelineParams = {},
): { total: number; refs: [string, number][] } {
  const key = recordKey(kind, id);
  const list = own(state.lists, key) ?? [];
  const offset = Math.max(0, Math.floor(params.offset ?? 0));
  const limit = Math.max(0, Math.floor(params.limit ?? 50));
  const end = Math.max(0, list.length - offset);
  const refs = list
    .slice(Math.max(0, end - limit), end)
    .reverse()
    .map((r) => refOf(key, r));
  return { total: list.length, refs };
}

/** A record's timeline, newest first: `total` entries, one page of them read back with `events` and described. */
export function timelineOf(
  state: TimelineState,
  kind: string,
  id: string,
  params: TimelineParams,
  events: TimelineEvents,
): { total: number; items: TimelineItem[] } {
  return describePage(state, timelinePage(state, kind, id, params), events);
}

/** A page of {@link timelinePage}, read back with `events` and described. */
export function describePage(
  state: TimelineState,
  { total, refs }: { total: number; refs: [string, number][] },
  events: TimelineEvents,
): { total: number; items: TimelineItem[] } {
  const items = refs.flatMap(([src, seq]) => {
    const entry = entryAt(state, src, seq, events);
    if (!entry) return [];
    const at = src.indexOf(':');
    return [
      {
        at: isoOf(entry.ts),
        actor: entry.actor,
        causedBy: entry.causedBy,
        eventId: entry.eventId,
        kind: src.slice(0, at),
        id: src.slice(at + 1),
        type: entry.type,
        ...describeTimelineEntry(state, entry, events),
        ...undoMarks(state, src, seq, events),
      },
    ];
  });
  return { total, items };
}

/** The undo fields of a timeline item (an undo and what it undid are events of the same record). */
function undoMarks(
  state: TimelineState,
  src: string,
  seq: number,
  events: TimelineEvents,
): Pick<TimelineItem, 'undoable' | 'undoneBy' | 'undoOf'> {
  const by = undoneByOf(state, seq);
  const undoneBy = by === undefined ? undefined : events(src, by)?.id;
  const of = own(state.undoOf, String(seq))?.[0];
  const undoOf = of === undefined ? undefined : events(src, of)?.id;
  return {
    undoable: isUndoable(state, seq),
    ...(undoneBy ? { undoneBy } : {}),
    ...(undoOf ? { undoOf } : {}),
  };
}
