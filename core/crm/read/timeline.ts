/**
 * The timeline read model: for every record, every event touching it (its own, and those of the notes,
 * activities, tasks and deals linked to it), newest first, with actor, time and a description of what changed.
 * Entries are compact (the changed fields, long texts cut) and stored once, listed under each record they touch.
 * @module
 */
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

/** One stored timeline entry. */
export interface TimelineEntry {
  /** Order of application (global order); entries are keyed by it. */
  n: number;
  /** The event's id (for "undo this change"). */
  eventId: string | null;
  /** Unix seconds. */
  ts: number;
  actor: string | null;
  /** The causing event's id (automations), if any. */
  causedBy: string | null;
  /** The record whose event this is (`'note:n-1'`). */
  src: string;
  type: string;
  /** The payload, compacted (long texts cut). */
  data: unknown;
  /** The deal's pipeline at the time (to name stages). */
  pipelineId: string | null;
  /** The records whose timelines list this entry. */
  records: string[];
  /** For an undo (a compensating event): the entries it undoes (a merge is undone on both contacts). */
  undoOf?: number[];
  /** The latest entry that undid this one (it may itself have been undone since: see {@link undoneByOf}). */
  undoneBy?: number;
}

/** The timeline state (JSON). */
export interface TimelineState {
  next: number;
  entries: Dict<TimelineEntry>;
  /** Record key -> entry numbers, ascending. */
  lists: Dict<number[]>;
  /** Record key -> the other records it is linked to now (a note's record, a deal's contacts and company). */
  links: Dict<string[]>;
  /** Names used by descriptions (record key -> name; `'stage:<pipeline>/<stage>'` -> stage name). */
  names: Names;
  /** Deal id -> its current pipeline. */
  dealPipelines: Dict<string>;
  /** Record keys erased with a forgotten contact (it, its notes, activities, tasks): their later events are ignored. */
  gone: Dict<1>;
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

function listAdd(state: TimelineState, record: string, ns: readonly number[]): void {
  const list = own(state.lists, record) ?? [];
  const merged = [...new Set([...list, ...ns])].sort((a, b) => a - b);
  put(state.lists, record, merged);
  for (const n of ns) {
    const entry = own(state.entries, String(n));
    if (entry && !entry.records.includes(record)) entry.records.push(record);
  }
}

function listRemove(state: TimelineState, record: string, ns: readonly number[]): void {
  const drop = new Set(ns);
  const list = own(state.lists, record);
  if (list)
    put(
      state.lists,
      record,
      list.filter((n) => !drop.has(n)),
    );
  for (const n of ns) {
    const entry = own(state.entries, String(n));
    if (!entry) continue;
    entry.records = entry.records.filter((r) => r !== record);
    if (entry.records.length === 0) delete state.entries[String(n)];
  }
}

/** The entries a record produced itself. */
function ownEntries(state: TimelineState, key: string): number[] {
  return (own(state.lists, key) ?? []).filter((n) => own(state.entries, String(n))?.src === key);
}

/**
 * Erases a forgotten contact: its entries, its notes, activities and tasks (whose streams the erasure deletes)
 * and their entries, its name.
 */
function forget(state: TimelineState, contactKey: string): void {
  const erase = new Set([contactKey]);
  for (const [child, links] of Object.entries(state.links)) {
    if (links.includes(contactKey) && /^(note|activity|task):/.test(child)) erase.add(child);
  }
  for (const key of erase) {
    for (const n of [...(own(state.lists, key) ?? [])]) {
      const entry = own(state.entries, String(n));
      if (!entry) continue;
      if (erase.has(entry.src)) for (const r of [...entry.records]) listRemove(state, r, [n]);
      else listRemove(state, key, [n]);
    }
    delete state.lists[key];
    delete state.links[key];
    forgetNames(state.names, key);
    put(state.gone, key, 1);
  }
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
 * Links an undo to the entries it undoes: they are earlier events of the same record (each half of a merge is
 * undone by a compensating event on its own contact), found from the newest back.
 */
function markUndo(state: TimelineState, key: string, entry: TimelineEntry, targets: readonly string[]): void {
  const wanted = new Set(targets);
  const undoOf: number[] = [];
  const own = ownEntries(state, key);
  for (let i = own.length - 1; i >= 0 && wanted.size > 0; i--) {
    const target = state.entries[String(own[i])];
    if (!target?.eventId || !wanted.has(target.eventId)) continue;
    wanted.delete(target.eventId);
    target.undoneBy = entry.n;
    undoOf.push(target.n);
  }
  if (undoOf.length > 0) entry.undoOf = undoOf;
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
    if (pid !== undefined) put(state.dealPipelines, e.streamId, pid);
  }
  const n = state.next++;
  const entry: TimelineEntry = {
    n,
    eventId: e.event.id ?? null,
    ts: e.event.ts,
    actor: e.event.actor ?? null,
    causedBy: typeof e.event.meta?.causation_id === 'string' ? e.event.meta.causation_id : null,
    src: key,
    type: e.event.type,
    data: compact(e.event.data),
    pipelineId: e.aggregateType === 'deal' ? (own(state.dealPipelines, e.streamId) ?? null) : null,
    records: [],
  };
  put(state.entries, String(n), entry);
  const targets = undoTargetsOf(e.event);
  if (targets.length > 0) markUndo(state, key, entry, targets);
  const before = own(state.links, key) ?? [];
  const after = linksOf(key, e, before).filter((r) => !own(state.gone, r));
  const extra = alsoOn(e);
  // A record linked elsewhere takes its history along: out of the old records, into the new ones.
  const history = ownEntries(state, key);
  for (const r of before) if (!after.includes(r)) listRemove(state, r, history);
  for (const r of after) if (!before.includes(r)) listAdd(state, r, history);
  for (const r of new Set([key, ...before, ...after, ...extra]))
    if (!own(state.gone, r)) listAdd(state, r, [n]);
  if (after.length > 0) put(state.links, key, after);
  else delete state.links[key];
}

/** The timeline projection: every CRM aggregate type. */
export const timelineProjection: Projection<TimelineState> = {
  name: 'crm-timeline',
  subscriptions: ['contact', 'company', 'deal', 'pipeline', 'task', 'note', 'activity', 'custom-fields'],
  initialState: () => ({
    next: 0,
    entries: {},
    lists: {},
    links: {},
    names: {},
    dealPipelines: {},
    gone: {},
  }),
  apply(state, e) {
    apply(state, e);
    return state;
  },
};

/** An entry by its number. */
function entryAt(state: TimelineState, n: number | undefined): TimelineEntry | undefined {
  return n === undefined ? undefined : own(state.entries, String(n));
}

/**
 * The entry that undid `entry` and is still in effect, if any: an undo that was itself undone (a redo) puts the
 * change back in effect, and undoing the redo takes it out again.
 */
export function undoneByOf(state: TimelineState, entry: TimelineEntry): TimelineEntry | undefined {
  const undo = entryAt(state, entry.undoneBy);
  return undo && !undoneByOf(state, undo) ? undo : undefined;
}

/** How deep in undos an entry is: 0 for a change, 1 for its undo, 2 for a redo (the undo of the undo), ... */
export function undoDepth(state: TimelineState, entry: TimelineEntry): number {
  let depth = 0;
  for (let e: TimelineEntry | undefined = entry; e?.undoOf; e = entryAt(state, e.undoOf[0])) depth++;
  return depth;
}

/** Can this entry be undone now: a person's change (not an automation's), of an undoable type, in effect? */
export function isUndoable(state: TimelineState, entry: TimelineEntry): boolean {
  return (
    entry.eventId !== null &&
    isUndoableType(entry.type) &&
    !isSystemActor(entry.actor) &&
    undoneByOf(state, entry) === undefined
  );
}

/**
 * An entry's description with the current names; an undo is described by what it undid (`Undid: Edited contact
 * “Ana”`, a redo `Redid: ...`) with its own change lines.
 */
export function describeTimelineEntry(state: TimelineState, entry: TimelineEntry): Described {
  const own = describeEntry(entry, state.names);
  if (!entry.undoOf) return own;
  let original: TimelineEntry | undefined = entry;
  while (original?.undoOf) original = entryAt(state, original.undoOf[0]);
  const depth = undoDepth(state, entry);
  return describeUndo(
    depth % 2 === 1 ? 'undo' : 'redo',
    original && describeEntry(original, state.names),
    own,
  );
}

/** Paging of a timeline. */
export interface TimelineParams {
  offset?: number;
  limit?: number;
}

/** A record's timeline, newest first: `total` entries, one page of them described. */
export function timelineOf(
  state: TimelineState,
  kind: string,
  id: string,
  params: TimelineParams = {},
): { total: number; items: TimelineItem[] } {
  const list = own(state.lists, recordKey(kind, id)) ?? [];
  const offset = Math.max(0, Math.floor(params.offset ?? 0));
  const limit = Math.max(0, Math.floor(params.limit ?? 50));
  const page = list
    .slice()
    .reverse()
    .slice(offset, offset + limit);
  const items = page.flatMap((n) => {
    const entry = own(state.entries, String(n));
    if (!entry) return [];
    const [srcKind = '', ...rest] = entry.src.split(':');
    return [
      {
        at: isoOf(entry.ts),
        actor: entry.actor,
        causedBy: entry.causedBy,
        eventId: entry.eventId,
        kind: srcKind,
        id: rest.join(':'),
        type: entry.type,
        ...describeTimelineEntry(state, entry),
        ...undoMarks(state, entry),
      },
    ];
  });
  return { total: list.length, items };
}

/** The undo fields of a timeline item. */
function undoMarks(
  state: TimelineState,
  entry: TimelineEntry,
): Pick<TimelineItem, 'undoable' | 'undoneBy' | 'undoOf'> {
  const undoneBy = undoneByOf(state, entry)?.eventId;
  const undoOf = entryAt(state, entry.undoOf?.[0])?.eventId;
  return {
    undoable: isUndoable(state, entry),
    ...(undoneBy ? { undoneBy } : {}),
    ...(undoOf ? { undoOf } : {}),
  };
}
