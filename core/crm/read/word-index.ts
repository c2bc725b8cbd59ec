/**
 * A prefix-searchable word index, JSON-serializable: folded word -> set of row ids (a plain object with value 1).
 * Used by every list with search so that a query does not scan all rows.
 * @module
 */
import { keyWords, matchesKey } from './normalize.js';
import { type Dict, own, put } from './util.js';

/** word -> ids of the rows whose search key has that word. */
export type WordIndex = Dict<Dict<1>>;

/**
 * How many ids each word's dict holds, counted once per dict and then kept by {@link reindex}. Whether a dict is
 * empty cannot be asked cheaply: after a `delete` it is in dictionary mode, and `for...in` (like `Object.keys`)
 * lists every key first (20 ms for a word of 100,000 ids, on every contact update that drops such a word).
 */
const sizes = new WeakMap<Dict<1>, number>();

function sizeOf(ids: Dict<1>): number {
  let n = sizes.get(ids);
  if (n === undefined) {
    n = 0;
    for (const _ in ids) n++;
    sizes.set(ids, n);
  }
  return n;
}

/** Re-indexes row `id` from its old search key to its new one (`''` for none: added or removed). */
export function reindex(index: WordIndex, id: string, oldKey: string, newKey: string): void {
  if (oldKey === newKey) return;
  const next = new Set(keyWords(newKey));
  for (const w of keyWords(oldKey)) {
    if (next.has(w)) continue;
    const ids = own(index, w);
    if (!ids || !Object.hasOwn(ids, id)) continue;
    const left = sizeOf(ids) - 1;
    delete ids[id];
    if (left === 0) delete index[w];
    else sizes.set(ids, left);
  }
  for (const w of next) {
    let ids = own(index, w);
    if (!ids) {
      ids = {};
      sizes.set(ids, 0);
      put(index, w, ids);
    }
    if (Object.hasOwn(ids, id)) continue;
    const n = sizeOf(ids);
    put(ids, id, 1);
    sizes.set(ids, n + 1);
  }
}

/** The sorted words of an index at a revision (see {@link wordsStartingWith}). */
const sortedWords = new WeakMap<WordIndex, { rev: number; words: string[] | null }>();

/**
 * The words of `index` that start with `prefix`. With the index's revision `rev`, the words are sorted once the
 * index has been queried twice at the same revision, and later queries take the prefix's range by binary search
 * (every e-mail address adds a word: 100,000 contacts have well over 100,000). While the index keeps changing (an
 * import), each query scans instead of sorting again.
 */
function wordsStartingWith(index: WordIndex, prefix: string, rev?: number): string[] {
  if (rev !== undefined) {
    const cached = sortedWords.get(index);
    if (cached?.rev === rev) {
      const words = (cached.words ??= Object.keys(index).sort());
      let lo = 0;
      let hi = words.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (words[mid]! < prefix) lo = mid + 1;
        else hi = mid;
      }
      const out: string[] = [];
      for (let i = lo; i < words.length && words[i]!.startsWith(prefix); i++) out.push(words[i]!);
      return out;
    }
    sortedWords.set(index, { rev, words: null });
  }
  return Object.keys(index).filter((w) => w.startsWith(prefix));
}

/**
 * The ids that may match a query (its words, longest first): those with a word starting with the longest query
 * word. `null` for an empty query (every row). Check each candidate's key with `matchesKey` afterwards. `rev`, the
 * index's revision, lets repeated queries use a sorted word list.
 */
export function candidates(index: WordIndex, query: readonly string[], rev?: number): string[] | null {
  const first = query[0];
  if (first === undefined) return null;
  const out = new Set<string>();
  for (const w of wordsStartingWith(index, first, rev)) {
    for (const id in index[w]) out.add(id);
  }
  return [...out];
}

/** The ids whose key matches every query word, in no particular order (or `null`: no query, all rows). */
export function searchIds(
  index: WordIndex,
  query: readonly string[],
  keyOf: (id: string) => string | undefined,
  rev?: number,
): string[] | null {
  const ids = candidates(index, query, rev);
  if (ids === null) return null;
  return ids.filter((id) => {
    const key = keyOf(id);
    return key !== undefined && matchesKey(key, query);
  });
}
