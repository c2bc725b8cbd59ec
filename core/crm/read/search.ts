/**
 * Global search across contacts, companies, deals and notes: one entry per record with a title, a text for
 * snippets, a search key (same normalization as the lists) and a word index; results carry their kind and a score.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import { lifecycleOpOf } from '../domain/lifecycle.js';
import { applyLifecycleFlag } from './list-query.js';
import { clip } from './format.js';
import { foldText, keyWords, queryWords, searchKey } from './normalize.js';
import { type Dict, own, put, recordKey } from './util.js';
import { reindex, searchIds, type WordIndex } from './word-index.js';

/** The kinds of record the global search finds. */
export type SearchKind = 'contact' | 'company' | 'deal' | 'note';

/** Longest text kept per entry for snippets (a note's first characters). */
const MAX_SNIPPET_SOURCE = 1_000;
/** Longest search key per entry (the words of very long notes beyond it are not searchable). */
const MAX_KEY = 8_000;

/** One searchable record. */
export interface SearchEntry {
  kind: SearchKind;
  id: string;
  title: string;
  /** Searchable fields of the entry, besides its title. */
  fields: Dict<string[]>;
  /** Text snippets are cut from (note body, contact e-mails, ...), at most 1,000 characters. */
  text: string;
  titleKey: string;
  key: string;
  archived: boolean;
  trashed: boolean;
  merged: boolean;
  /** Unix seconds. */
  updatedAt: number;
}

/** The global search state (JSON). */
export interface SearchState {
  entries: Dict<SearchEntry>;
  index: WordIndex;
  /** Note key -> the record key it is on (to erase a forgotten contact's notes). */
  noteLinks: Dict<string>;
  /** Keys of erased records (a forgotten contact and its notes): their later events are ignored. */
  gone: Dict<1>;
  /** Bumped by every applied event (keys caches of derived orders, such as `record.names`); absent in old checkpoints. */
  rev?: number;
}

/** A search hit. */
export interface SearchHit {
  kind: SearchKind;
  id: string;
  title: string;
  /** Up to about 120 characters around the first match (or the start of the text). */
  snippet: string;
  /** Higher is better: 3 per query word matching a title word exactly, 2 a title word's start, 1 elsewhere. */
  score: number;
  archived: boolean;
}

/** Global search parameters. */
export interface SearchParams {
  q: string;
  /** Only these kinds (default: all). */
  kinds?: readonly SearchKind[];
  /** Include records in the trash (default: no; merged-away contacts are never shown). */
  includeTrashed?: boolean;
  /** Default 20. */
  limit?: number;
}

type Data = Record<string, unknown>;

/** How each kind's events map onto an entry: the fields that make its title, text and key. */
const SHAPES: Readonly<
  Record<SearchKind, { record: string; title: (f: Dict<unknown>) => string; text: string[]; keyed: string[] }>
> = {
  contact: {
    record: 'Contact',
    title: (f) => [f.firstName, f.lastName].filter((x) => typeof x === 'string' && x !== '').join(' '),
    text: ['emails', 'title'],
    keyed: ['emails', 'tags', 'title'],
  },
  company: {
    record: 'Company',
    title: (f) => String(f.name ?? ''),
    text: ['domain', 'industry'],
    keyed: ['domain', 'tags'],
  },
  deal: { record: 'Deal', title: (f) => String(f.title ?? ''), text: [], keyed: [] },
  note: {
    record: 'Note',
    title: (f) => clip(String(f.body ?? '').replace(/\s+/g, ' '), 60),
    text: ['body'],
    keyed: ['body'],
  },
};

const TITLE_FIELDS = ['firstName', 'lastName', 'name', 'title', 'body'];

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * Applies new field values (a creation's, or a change set's `to`s) to an entry: it keeps them cut to 1,000
 * characters, but its search key is made from the full values (a long note stays searchable to {@link MAX_KEY}).
 */
function refresh(state: SearchState, entry: SearchEntry, values: Data): void {
  const shape = SHAPES[entry.kind];
  const full = { ...entry.fields, ...keptFields(entry.kind, values) };
  entry.fields = Object.fromEntries(
    Object.entries(full).map(([k, v]) => [k, v.map((x) => clip(x, MAX_SNIPPET_SOURCE))]),
  );
  const old = entry.key;
  entry.title = shape.title(titleSource(entry.fields));
  entry.text = clip(shape.text.flatMap((f) => entry.fields[f] ?? []).join(' · '), MAX_SNIPPET_SOURCE);
  entry.titleKey = searchKey([entry.title]);
  const key = searchKey([entry.title, ...shape.keyed.flatMap((f) => full[f] ?? [])]);
  entry.key = key.length <= MAX_KEY ? key : key.slice(0, key.lastIndexOf(' ', MAX_KEY));
  reindex(state.index, recordKey(entry.kind, entry.id), old, entry.key);
}

/** The fields an entry keeps (only what it searches and shows): from a creation or a change set. */
function keptFields(kind: SearchKind, values: Data): Dict<string[]> {
  const shape = SHAPES[kind];
  const out: Dict<string[]> = {};
  for (const f of new Set([...TITLE_FIELDS, ...shape.text, ...shape.keyed])) {
    if (f in values) out[f] = strings(values[f]);
  }
  return out;
}

function titleSource(fields: Dict<string[]>): Dict<unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, k === 'emails' || k === 'tags' ? v : (v[0] ?? null)]),
  );
}

function erase(state: SearchState, key: string): void {
  const entry = own(state.entries, key);
  if (entry) reindex(state.index, key, entry.key, '');
  delete state.entries[key];
  delete state.noteLinks[key];
  put(state.gone, key, 1);
}

function apply(state: SearchState, e: StoredEvent): void {
  const kind = e.aggregateType as SearchKind;
  const shape = own(SHAPES, kind);
  if (!shape) return;
  const key = recordKey(kind, e.streamId);
  if (own(state.gone, key)) return;
  const type = e.event.type;
  const d = (e.event.data ?? {}) as Data;
  if (type === `${shape.record}Created`) {
    const entry: SearchEntry = {
      kind,
      id: e.streamId,
      title: '',
      fields: {},
      text: '',
      titleKey: '',
      key: '',
      archived: false,
      trashed: false,
      merged: false,
      updatedAt: e.event.ts,
    };
    put(state.entries, key, entry);
    refresh(state, entry, d);
    if (kind === 'note') setNoteLink(state, key, d.link);
    return;
  }
  const entry = own(state.entries, key);
  if (!entry) return;
  entry.updatedAt = e.event.ts;
  const op = lifecycleOpOf(shape.record, type);
  if (op) applyLifecycleFlag(entry, op);
  else if (type === 'ContactMergedInto' || type === 'ContactUnmerged')
    entry.merged = type === 'ContactMergedInto';
  else if (type === 'ContactForgotten') {
    for (const [note, on] of Object.entries(state.noteLinks)) if (on === key) erase(state, note);
    erase(state, key);
  } else if (d.changes && typeof d.changes === 'object') {
    const changes = d.changes as Record<string, { to: unknown }>;
    const to = Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.to]));
    if (Object.keys(keptFields(kind, to)).length > 0) refresh(state, entry, to);
    if (kind === 'note' && 'link' in to) setNoteLink(state, key, to.link);
  }
}

function setNoteLink(state: SearchState, noteKey: string, link: unknown): void {
  const l = link as { kind?: unknown; id?: unknown } | null;
  if (l && typeof l.kind === 'string' && typeof l.id === 'string') {
    const on = recordKey(l.kind, l.id);
    if (own(state.gone, on)) erase(state, noteKey);
    else put(state.noteLinks, noteKey, on);
  }
}

/** The global search projection. */
export const searchProjection: Projection<SearchState> = {
  name: 'crm-search',
  subscriptions: ['contact', 'company', 'deal', 'note'],
  initialState: () => ({ entries: {}, index: {}, noteLinks: {}, gone: {} }),
  apply(state, e) {
    state.rev = (state.rev ?? 0) + 1;
    apply(state, e);
    return state;
  },
};

function score(entry: SearchEntry, query: readonly string[]): number {
  const title = keyWords(entry.titleKey);
  let total = 0;
  for (const q of query) {
    if (title.includes(q)) total += 3;
    else if (title.some((w) => w.startsWith(q))) total += 2;
    else total += 1;
  }
  return total;
}

/** A snippet of `text` around the first word a query word starts (folded comparison), about 120 characters. */
export function snippet(text: string, query: readonly string[]): string {
  const re = /[\p{L}\p{N}]+/gu;
  let at = -1;
  for (let m = re.exec(text); m && at < 0; m = re.exec(text)) {
    const w = foldText(m[0]);
    if (query.some((q) => w.startsWith(q))) at = m.index;
  }
  if (at < 0) return clip(text, 120);
  const start = Math.max(0, at - 40);
  const out = text.slice(start, start + 120);
  return `${start > 0 ? '…' : ''}${out}${start + 120 < text.length ? '…' : ''}`;
}

/** Searches every kind: hits with every query word prefixing a word of the record, best score first. */
export function searchAll(state: SearchState, params: SearchParams): { total: number; hits: SearchHit[] } {
  const query = queryWords(params.q);
  const ids = searchIds(state.index, query, (k) => own(state.entries, k)?.key, state.rev) ?? [];
  const hits: { entry: SearchEntry; score: number; order: string }[] = [];
  for (const k of ids) {
    const entry = own(state.entries, k);
    if (!entry || entry.merged || (entry.trashed && params.includeTrashed !== true)) continue;
    if (params.kinds && !params.kinds.includes(entry.kind)) continue;
    hits.push({ entry, score: score(entry, query), order: entry.kind + entry.id });
  }
  hits.sort(
    (a, b) => b.score - a.score || b.entry.updatedAt - a.entry.updatedAt || (a.order < b.order ? -1 : 1),
  );
  const limit = Math.max(0, Math.floor(params.limit ?? 20));
  // Snippets only for the hits shown: a one-letter query matches most records.
  const shown = hits.slice(0, limit).map(({ entry, score }) => ({
    kind: entry.kind,
    id: entry.id,
    title: entry.title,
    snippet: snippet(entry.text || entry.title, query),
    score,
    archived: entry.archived,
  }));
  return { total: hits.length, hits: shown };
}
