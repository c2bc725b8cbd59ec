/**
 * Display names of records of any kind, for features that list records of several kinds (favorites, the trash),
 * and `record.names`, the name lookup of pickers.
 *
 * `recordName` reads the timeline read model, which already names every contact, company, deal, task, note and
 * activity for its descriptions (and drops the names of forgotten and purged records), so no second copy of
 * every name is kept. `record.names` reads the global search read model: it has each contact's, company's and
 * deal's title with its folded words, the lifecycle flags and a word index, so a prefix search costs one index
 * lookup, not a scan.
 * @module
 */
import { z } from 'zod';
import type { AggregateStore } from '../es/index.js';
import { idSchema } from './domain/index.js';
import { foldText, matchesKey, queryWords } from './read/normalize.js';
import type { SearchEntry, SearchState } from './read/search.js';
import { timelineProjection, type TimelineState } from './read/timeline.js';
import { own, recordKey } from './read/util.js';
import { searchIds } from './read/word-index.js';

/** The current display name of `kind/id`, or `null` when it has none (unknown, forgotten or purged). */
export function recordName(store: AggregateStore, kind: string, id: string): string | null {
  const names = store.projection<TimelineState>(timelineProjection).state.names;
  return own(names, recordKey(kind, id)) ?? null;
}

/** At most this many `ids` per `record.names` request. */
export const MAX_NAME_IDS = 200;

/** Params of `record.names`. */
export const recordNamesParams = z
  .object({
    kind: z.enum(['contact', 'company', 'deal']),
    /** Every word must prefix a word of the name (case and diacritics folded, like search). */
    q: z.string().max(200).optional(),
    /** Resolve these records (in this order), trashed ones included: the names of a picker's current value. */
    ids: z.array(idSchema).max(MAX_NAME_IDS).optional(),
    /** Default 20 (with `ids`: all of them). */
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

/** Params of `record.names`. */
export type RecordNamesParams = z.input<typeof recordNamesParams>;

/** One record of a picker. */
export interface RecordNameItem {
  id: string;
  name: string;
  /** Present (true) when the record is archived. */
  archived?: true;
  /** Present (true) when the record is in the trash (only records asked for by id are). */
  trashed?: true;
}

/** The answer of `record.names`. */
export interface RecordNames {
  items: RecordNameItem[];
}

/** Names sorted by folded name per kind, cached per state and revision (the state stays plain JSON). */
const byName = new WeakMap<object, { rev: number; kinds: Partial<Record<string, SearchEntry[]>> }>();

function sortedEntries(state: SearchState, kind: string): SearchEntry[] {
  const rev = state.rev ?? 0;
  let cached = byName.get(state.entries);
  if (!cached || cached.rev !== rev) byName.set(state.entries, (cached = { rev, kinds: {} }));
  return (cached.kinds[kind] ??= Object.values(state.entries)
    .filter((e) => e.kind === kind)
    .map((e) => ({ e, k: foldText(e.title) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.e.id < b.e.id ? -1 : 1))
    .map((x) => x.e));
}

function item(e: SearchEntry): RecordNameItem {
  return {
    id: e.id,
    name: e.title,
    ...(e.archived ? { archived: true } : {}),
    ...(e.trashed ? { trashed: true } : {}),
  };
}

/**
 * Names for a picker: the records of `kind` whose name every word of `q` prefixes, by name (archived ones
 * flagged; trashed and merged-away ones left out), or, with `ids`, those records in the order given (trashed
 * ones included, unknown, purged and forgotten ids left out; `q`, when given, still filters).
 */
export function recordNames(state: SearchState, params: z.infer<typeof recordNamesParams>): RecordNames {
  const query = queryWords(params.q ?? '');
  const matches = (e: SearchEntry | undefined): e is SearchEntry =>
    e !== undefined && e.kind === params.kind && matchesKey(e.titleKey, query);
  if (params.ids) {
    const seen = new Set<string>();
    const items: RecordNameItem[] = [];
    for (const id of params.ids) {
      const e = own(state.entries, recordKey(params.kind, id));
      if (seen.has(id) || !matches(e)) continue;
      seen.add(id);
      items.push(item(e));
    }
    return { items: items.slice(0, params.limit ?? MAX_NAME_IDS) };
  }
  const limit = params.limit ?? 20;
  const visible = (e: SearchEntry | undefined): e is SearchEntry => matches(e) && !e.trashed && !e.merged;
  const items: RecordNameItem[] = [];
  if (query.length === 0) {
    for (const e of sortedEntries(state, params.kind)) {
      if (items.length === limit) break;
      if (visible(e)) items.push(item(e));
    }
    return { items };
  }
  // The word index narrows to the records with a word starting with the longest query word (name, e-mail, tags):
  // only those are checked against the name.
  const keys = searchIds(state.index, query, (k) => own(state.entries, k)?.key, state.rev) ?? [];
  const found = keys
    .map((k) => own(state.entries, k))
    .filter(visible)
    .map((e) => ({ e, k: foldText(e.title) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.e.id < b.e.id ? -1 : 1));
  return { items: found.slice(0, limit).map((x) => item(x.e)) };
}
