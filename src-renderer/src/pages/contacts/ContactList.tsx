/**
 * The contact list: live search as you type, tag filter, sort, active / archived / trash, one page of rows at a
 * time (the query pages, so 100,000 contacts cost 50 rows), keyboard navigation (`/` focuses the search, arrows
 * move between rows, Enter opens one).
 * @module
 */
import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';
import { Field } from '../../components/ui/Field.js';
import { useQuery } from '../../hooks/useQuery.js';
import { hrefOf } from '../../hooks/useRoute.js';
import {
  contactListParams,
  emptyMessage,
  nextRowIndex,
  pageCount,
  rangeLabel,
  updateView,
  type ContactListView,
  type ContactShow,
  type ContactSort,
} from './list-view.js';
import '../../components/ui/record-view.css';
import '../../contacts.css';

/** One row of `contact.list` (the fields the list shows). */
export interface ContactListRow {
  id: string;
  displayName: string;
  email: string | null;
  companyName: string | null;
  title: string | null;
  tags: string[];
  archived: boolean;
  trashed: boolean;
}

/** Props of {@link ContactList}. */
export interface ContactListProps {
  view: ContactListView;
  onView(view: ContactListView): void;
}

/** Focuses `input` when `/` is pressed outside a text field (the app-wide "search" key). */
function useSlashFocus(input: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [input]);
}

/** The list with its toolbar and pager. */
export function ContactList({ view, onView }: ContactListProps) {
  const contacts = useQuery<{ total: number; rows: ContactListRow[] }>(
    'contact.list',
    contactListParams(view),
  );
  const tags = useQuery<{ tag: string; contacts: number }[]>('tag.list');
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useSlashFocus(search);
  const change = (c: Partial<ContactListView>) => onView(updateView(view, c));

  const rows = contacts.data?.rows ?? [];
  const total = contacts.data?.total ?? 0;
  const pages = pageCount(total);
  const tagOptions = (tags.data ?? []).filter((t) => t.contacts > 0);
  // Past the last page (rows were deleted meanwhile, elsewhere too): show the last one instead.
  const pastEnd = contacts.data !== undefined && view.page >= pages && view.page > 0;
  useEffect(() => {
    if (pastEnd) onView({ ...view, page: pages - 1 });
  }, [pastEnd, pages, view, onView]);

  const onRowKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const links = [...(list.current?.querySelectorAll<HTMLAnchorElement>('a.row-link') ?? [])];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = nextRowIndex(at, e.key, links.length);
    if (next === null) return;
    e.preventDefault();
    links[next]?.focus();
  };

  return (
    <>
      <div className="list-toolbar" role="search">
        <Field label="Search contacts">
          {(ids) => (
            <input
              {...ids}
              ref={search}
              type="search"
              value={view.q}
              maxLength={200}
              placeholder="Name, e-mail, company or tag  ( / )"
              onChange={(e) => change({ q: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') {
                  e.preventDefault();
                  list.current?.querySelector<HTMLAnchorElement>('a.row-link')?.focus();
                } else if (e.key === 'Escape') change({ q: '' });
              }}
            />
          )}
        </Field>
        <Field label="Tag">
          {(ids) => (
            <select {...ids} value={view.tag} onChange={(e) => change({ tag: e.target.value })}>
              <option value="">Any tag</option>
              {tagOptions.map((t) => (
                <option key={t.tag} value={t.tag}>
                  {t.tag} ({t.contacts})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Show">
          {(ids) => (
            <select
              {...ids}
              value={view.show}
              onChange={(e) => change({ show: e.target.value as ContactShow })}
            >
              <option value="active">Active</option>
              <option value="archived">Archived</option>
              <option value="trash">Trash</option>
            </select>
          )}
        </Field>
        <Field label="Sort by">
          {(ids) => (
            <select
              {...ids}
              value={view.sort}
              onChange={(e) => change({ sort: e.target.value as ContactSort })}
            >
              <option value="name">Name</option>
              <option value="updatedAt">Recently changed</option>
              <option value="createdAt">Recently added</option>
            </select>
          )}
        </Field>
      </div>

      {contacts.error && (
        <p role="alert" className="error">
          Could not load the contacts: {contacts.error.message}
        </p>
      )}
      {contacts.data && rows.length === 0 && <p className="empty">{emptyMessage(view)}</p>}
      {rows.length > 0 && (
        <ul className="contact-list" aria-label="Contacts" ref={list} onKeyDown={onRowKey}>
          {rows.map((c) => (
            <li key={c.id}>
              <a className="row-link" href={hrefOf('contacts', c.id)}>
                <span className="contact-name">{c.displayName}</span>
                <span className="contact-email">{c.email ?? ''}</span>
                <span className="contact-company">{c.companyName ?? ''}</span>
                <span className="contact-tags">
                  {c.tags.map((t) => (
                    <span className="tag" key={t}>
                      {t}
                    </span>
                  ))}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      <nav className="pager" aria-label="Pages">
        <span aria-live="polite">{contacts.data ? rangeLabel(view.page, rows.length, total) : ''}</span>
        {pages > 1 && (
          <>
            <button type="button" disabled={view.page === 0} onClick={() => change({ page: view.page - 1 })}>
              Previous
            </button>
            <span>
              Page {view.page + 1} of {pages.toLocaleString('en')}
            </span>
            <button
              type="button"
              disabled={view.page + 1 >= pages}
              onClick={() => change({ page: view.page + 1 })}
            >
              Next
            </button>
          </>
        )}
      </nav>
    </>
  );
}
