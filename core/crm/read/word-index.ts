/**
 * A prefix-searchable word index, JSON-serializable: folded word -> set of row ids (a plain object with value 1).
 * Used by every list with search so that a query does not scan all rows.
 * @module
 */
import { keyWords, matchesKey } from './normalize.js';
import { type Dict, own, put } from './util.js';

/** word -> ids of the rows whose search key has that word. */
export type WordIndex = Dict<Dict<1>>;

/** Whether a dict has no key, without listing them (a common word has tens of thousands of ids). */
function isEmpty(dict: Dict<1>): boolean {
  for (const _ in dict) return false;
  return true;
}

/** Re-indexes row `id` from its old search key to its new one (`''` for none: added or removed). */
export function reindex(index: WordIndex, id: string, oldKey: string, newKey: string): void {
  if (oldKey === newKey) return;
  const next = new Set(keyWords(newKey));
  for (const w of keyWords(oldKey)) {
    if (next.has(w)) continue;
    const ids = own(index, w);
    if (!ids) continue;
    delete ids[id];
    if (isEmpty(ids)) delete index[w];
  }
  for (const w of next) {
    const ids = own(index, w) ?? {};
    put(ids, id, 1);
    put(index, w, ids);
  }
}

/**
 * The ids that may match a query (its words, longest first): those with a word starting with the longest query
 * word. `null` for an empty query (every row). Check each candidate's key with `matchesKey` afterwards.
 */
export function candidates(index: WordIndex, query: readonly string[]): string[] | null {
  const first = query[0];
  if (first === undefined) return null;
  const out = new Set<string>();
  for (const w of Object.keys(index)) {
    if (!w.startsWith(first)) continue;
    for (const id of Object.keys(index[w] ?? {})) out.add(id);
  }
  return [...out];
}

/** The ids whose key matches every query word, in no particular order (or `null`: no query, all rows). */
export function searchIds(
  index: WordIndex,
  query: readonly string[],
  keyOf: (id: string) => string | undefined,
): string[] | null {
  const ids = candidates(index, query);
  if (ids === null) return null;
  return ids.filter((id) => {
    const key = keyOf(id);
    return key !== undefined && matchesKey(key, query);
  });
}
