/**
 * The contact list's view state (search, tag, which contacts, sort, page) and the `contact.list` params it
 * asks for. Pure, so paging and filter rules are tested without a browser.
 * @module
 */

/** Which contacts the list shows: the active ones, the archived ones, or those in the trash. */
export type ContactShow = 'active' | 'archived' | 'trash';

/** A sort order the list offers. */
export type ContactSort = 'name' | 'updatedAt' | 'createdAt';

/** The list's view state. */
export interface ContactListView {
  q: string;
  /** `''`: any tag. */
  tag: string;
  show: ContactShow;
  sort: ContactSort;
  /** 0-based page. */
  page: number;
}

/** Rows per page (the query pages with offset/limit, so 100,000 contacts cost one page each time). */
export const PAGE_SIZE = 50;

/** The view a fresh list starts in. */
export function initialListView(): ContactListView {
  return { q: '', tag: '', show: 'active', sort: 'name', page: 0 };
}

/** The `contact.list` params of `view`. */
export function contactListParams(view: ContactListView): Record<string, unknown> {
  const params: Record<string, unknown> = {
    sort: view.sort,
    dir: view.sort === 'name' ? 'asc' : 'desc',
    offset: view.page * PAGE_SIZE,
    limit: PAGE_SIZE,
    archived: view.show === 'archived' ? 'only' : 'hide',
    trash: view.show === 'trash' ? 'only' : 'hide',
  };
  const q = view.q.trim();
  if (q !== '') params.q = q.slice(0, 200);
  if (view.tag !== '') params.tag = view.tag;
  return params;
}

/** `view` with `change` applied; any change but the page goes back to the first page. */
export function updateView(view: ContactListView, change: Partial<ContactListView>): ContactListView {
  return { ...view, ...change, page: change.page ?? 0 };
}

/** The number of pages for `total` rows (at least 1). */
export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** "1–50 of 1,234" for `page` of `total` rows. */
export function rangeLabel(page: number, rowsOnPage: number, total: number): string {
  if (total === 0) return '0 contacts';
  const from = page * PAGE_SIZE + 1;
  return `${from.toLocaleString('en')}–${(from + rowsOnPage - 1).toLocaleString('en')} of ${total.toLocaleString('en')}`;
}

/** What the list says when it has no rows: nothing yet, nothing matching, or an empty archive or trash. */
export function emptyMessage(view: ContactListView): string {
  if (view.q.trim() !== '' || view.tag !== '') return 'No contacts match. Try another search or tag.';
  if (view.show === 'archived') return 'No archived contacts.';
  if (view.show === 'trash') return 'The trash has no contacts.';
  return 'No contacts yet. Add the first one.';
}

/**
 * Where the keyboard focus moves in a list of `count` rows from `current` on `key` (ArrowUp/Down, Home, End),
 * or `null` for a key the list does not handle.
 */
export function nextRowIndex(current: number, key: string, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowDown') return Math.min(count - 1, current + 1);
  if (key === 'ArrowUp') return Math.max(0, current - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}
