/**
 * Tag counts across contacts and companies. Tags are grouped ignoring case and diacritics (the first spelling
 * seen is shown); trashed, merged-away and forgotten records do not count, archived ones do.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import type { CompanyEvent } from '../domain/company.js';
import type { ContactEvent } from '../domain/contact.js';
import { lifecycleOpOf } from '../domain/lifecycle.js';
import { foldText } from './normalize.js';
import { type Dict, domainEvent, own, put, recordKey } from './util.js';

/** A tag and how many contacts and companies carry it. */
export interface TagCount {
  tag: string;
  contacts: number;
  companies: number;
}

/** What the tag counts keep of each record. */
interface Tagged {
  tags: string[];
  hidden: boolean;
  trashed: boolean;
  merged: boolean;
}

/** The tag counts state (JSON). */
export interface TagsState {
  /** By record key (`contact:<id>`, `company:<id>`). */
  records: Dict<Tagged>;
  /** By folded tag. */
  counts: Dict<TagCount>;
}

function count(state: TagsState, kind: 'contacts' | 'companies', r: Tagged | undefined, delta: number): void {
  if (!r || r.hidden) return;
  for (const tag of r.tags) {
    const key = foldText(tag);
    const c = own(state.counts, key) ?? { tag, contacts: 0, companies: 0 };
    c[kind] += delta;
    if (c.contacts === 0 && c.companies === 0) delete state.counts[key];
    else put(state.counts, key, c);
  }
}

function next(
  before: Tagged | undefined,
  ev: ContactEvent | CompanyEvent,
  record: 'Contact' | 'Company',
): Tagged | undefined | null {
  if (ev.type === 'ContactCreated' || ev.type === 'CompanyCreated') {
    return { tags: ev.data.tags, hidden: false, trashed: false, merged: false };
  }
  if (!before) return null;
  const after = { ...before };
  const op = lifecycleOpOf(record, ev.type);
  if (op === 'trash' || op === 'restore') after.trashed = op === 'trash';
  else if (ev.type === 'ContactMergedInto' || ev.type === 'ContactUnmerged') {
    after.merged = ev.type === 'ContactMergedInto';
  } else if (
    ev.type === 'ContactUpdated' ||
    ev.type === 'ContactMergedFrom' ||
    ev.type === 'ContactUnmergedFrom' ||
    ev.type === 'CompanyUpdated'
  ) {
    const change = ev.data.changes.tags;
    if (!change) return null;
    after.tags = change.to;
  } else if (ev.type === 'ContactForgotten') return undefined;
  else return null;
  after.hidden = after.trashed || after.merged;
  return after;
}

/** The tag counts projection. */
export const tagsProjection: Projection<TagsState> = {
  name: 'crm-tags',
  subscriptions: ['contact', 'company'],
  initialState: () => ({ records: {}, counts: {} }),
  apply(state, e: StoredEvent) {
    const isContact = e.aggregateType === 'contact';
    if (!isContact && e.aggregateType !== 'company') return state;
    const key = recordKey(e.aggregateType, e.streamId);
    const before = own(state.records, key);
    const after = next(before, domainEvent(e), isContact ? 'Contact' : 'Company');
    if (after === null) return state; // nothing that changes tags
    const kind = isContact ? 'contacts' : 'companies';
    count(state, kind, before, -1);
    if (after) put(state.records, key, after);
    else delete state.records[key];
    count(state, kind, after, 1);
    return state;
  },
};

/** Every tag with its counts, most used first, then alphabetically (folded). */
export function tagCounts(state: TagsState): TagCount[] {
  return Object.entries(state.counts)
    .sort(([ka, a], [kb, b]) => b.contacts + b.companies - (a.contacts + a.companies) || (ka < kb ? -1 : 1))
    .map(([, c]) => ({ ...c }));
}
