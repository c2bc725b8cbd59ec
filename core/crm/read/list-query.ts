/**
 * The list query shared by the contact and company lists: search through the word index, visibility filters
 * (archived, trash, merged), field filters, sort and paging. Pure functions of the state.
 * @module
 */
import type { LifecycleOp } from '../domain/lifecycle.js';
import { queryWords } from './normalize.js';
import { type Dict, own } from './util.js';
import { searchIds, type WordIndex } from './word-index.js';

/** What every list row has for searching, sorting and visibility. */
export interface ListRow {
  id: string;
  /** Folded name, the `name` sort key. */
  sortName: string;
  /** The row's search key (see `searchKey`). */
  key: string;
  archived: boolean;
  trashed: boolean;
  /** Unix seconds of the first event. */
  createdAt: number;
  /** Unix seconds of the last event that changed the row. */
  updatedAt: number;
}

/** How a lifecycle flag filters: hide flagged rows (the default), show only them, or ignore the flag. */
export type FlagFilter = 'hide' | 'only' | 'include';

/** Sort orders of the lists. */
export type ListSort = 'name' | 'updatedAt' | 'createdAt';

/** Parameters every list query takes. */
export interface ListParams {
  /** Search text: every word must prefix a word of the name, e-mail, company, domain or tags. */
  q?: string;
  /** Rows carrying this tag (case- and diacritics-insensitive). */
  tag?: string;
  /** Default `'hide'`. */
  archived?: FlagFilter;
  /** Default `'hide'`; `'only'` is the trash view. */
  trash?: FlagFilter;
  /** Default `'name'`. */
  sort?: ListSort;
  /** Default `'asc'` for name, `'desc'` for dates. */
  dir?: 'asc' | 'desc';
  /** Default 0. */
  offset?: number;
  /** Default 50. */
  limit?: number;
}

/** A page of a list. */
export interface Page<R> {
  /** Rows matching the query and filters (before paging). */
  total: number;
  rows: R[];
}

/** Sets the visibility flag a lifecycle event changes (archive/unarchive: `archived`; trash/restore: `trashed`). */
export function applyLifecycleFlag(row: { archived: boolean; trashed: boolean }, op: LifecycleOp): void {
  if (op === 'archive' || op === 'unarchive') row.archived = op === 'archive';
  else row.trashed = op === 'trash';
}

/** Does a row pass a lifecycle flag filter? */
export function passes(flag: boolean, filter: FlagFilter = 'hide'): boolean {
  return filter === 'include' || (filter === 'only') === flag;
}

function compareRows(sort: ListSort): (a: ListRow, b: ListRow) => number {
  const byId = (a: ListRow, b: ListRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (sort === 'name') {
    return (a, b) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : byId(a, b));
  }
  return (a, b) => a[sort] - b[sort] || byId(a, b);
}

/**
 * Sorted row orders, cached outside the state (which stays plain JSON) per rows object and revision: a list query
 * over many rows then filters an already sorted array instead of sorting 100,000 rows each time.
 */
const orderCache = new WeakMap<object, { rev: number; orders: Partial<Record<ListSort, ListRow[]>> }>();

function sortedRows<R extends ListRow>(rows: Dict<R>, rev: number, sort: ListSort): R[] {
  let cached = orderCache.get(rows);
  if (!cached || cached.rev !== rev) {
    cached = { rev, orders: {} };
    orderCache.set(rows, cached);
  }
  const order = (cached.orders[sort] ??= Object.values(rows).sort(compareRows(sort)));
  return order as R[];
}

/** Above this many search candidates, walking the cached sorted order beats sorting the candidates. */
const SORT_CANDIDATES_MAX = 2_000;

/**
 * Runs a list query: the word index narrows the rows when there is a search text, then `keep` (the list's own
 * filters) and the lifecycle filters apply, then sort and paging. Ties sort by id, so pages are stable. `rev` is
 * the state's revision (bumped by every applied event): with it, large results reuse a cached sorted order.
 */
export function queryList<R extends ListRow>(
  rows: Dict<R>,
  index: WordIndex,
  params: ListParams,
  keep: (row: R) => boolean = () => true,
  rev?: number,
): Page<R> {
  const query = queryWords(params.q ?? '');
  const ids = searchIds(index, query, (id) => own(rows, id)?.key, rev);
  const sort = params.sort ?? 'name';
  const dir = params.dir ?? (sort === 'name' ? 'asc' : 'desc');
  const visible = (row: R | undefined): row is R =>
    row !== undefined &&
    passes(row.archived, params.archived) &&
    passes(row.trashed, params.trash) &&
    keep(row);
  let matched: R[];
  if (rev !== undefined && (ids === null || ids.length > SORT_CANDIDATES_MAX)) {
    const wanted = ids === null ? null : new Set(ids);
    matched = sortedRows(rows, rev, sort).filter(
      (row) => (wanted === null || wanted.has(row.id)) && visible(row),
    );
    if (dir === 'desc') matched.reverse();
  } else {
    matched = (ids ?? Object.keys(rows)).map((id) => own(rows, id)).filter(visible);
    const cmp = compareRows(sort);
    matched.sort(dir === 'asc' ? cmp : (a, b) => cmp(b, a));
  }
  const offset = Math.max(0, Math.floor(params.offset ?? 0));
  const limit = Math.max(0, Math.floor(params.limit ?? 50));
  return { total: matched.length, rows: matched.slice(offset, offset + limit) };
}
