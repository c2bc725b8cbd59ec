/**
 * The contact list read model: one compact row per contact (with its company's name, kept in sync on rename),
 * a word index for search, and the list query (search, filters, sort, paging).
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import { applyChanges } from '../domain/changes.js';
import type { CompanyEvent } from '../domain/company.js';
import type { ContactEvent, ContactFields } from '../domain/contact.js';
import { lifecycleOpOf } from '../domain/lifecycle.js';
import { applyLifecycleFlag, type ListParams, type ListRow, type Page, queryList } from './list-query.js';
import { foldText, searchKey } from './normalize.js';
import { type Dict, domainEvent, own, put } from './util.js';
import { reindex, type WordIndex } from './word-index.js';

/** One contact in the list. */
export interface ContactRow extends ListRow {
  firstName: string;
  lastName: string | null;
  /** First and last name. */
  displayName: string;
  /** The primary (first) e-mail, or `null`. */
  email: string | null;
  /** Every e-mail (searchable). */
  emails: string[];
  /** The primary (first) phone, or `null`. */
  phone: string | null;
  phones: string[];
  title: string | null;
  companyId: string | null;
  /** The company's current name (`null` when there is no company or it is unknown). */
  companyName: string | null;
  tags: string[];
  /** Folded tags, for the tag filter. */
  tagKeys: string[];
  owner: string | null;
  /** The id of the contact it was merged into (hidden from the list while set), or `null`. */
  mergedInto: string | null;
}

/** The contact list state (JSON). */
export interface ContactsState {
  /** Bumped by every applied event (keys the query's sorted-order cache). */
  rev: number;
  rows: Dict<ContactRow>;
  /** Company names by id (companies are subscribed to keep `companyName` in sync). */
  companyNames: Dict<string>;
  index: WordIndex;
}

/** Filters of the contact list, besides the common ones. */
export interface ContactListParams extends ListParams {
  companyId?: string;
  owner?: string;
  /** Also show contacts merged into another one (default: hidden). */
  includeMerged?: boolean;
}

function fieldsOf(row: ContactRow): ContactFields {
  const { firstName, lastName, emails, phones, title, companyId, tags, owner } = row;
  return { firstName, lastName, emails, phones, title, companyId, tags, owner };
}

/** Re-derives the computed columns and the search key of a row from its fields, and re-indexes it. */
function refresh(state: ContactsState, row: ContactRow, fields: ContactFields, ts: number): void {
  const oldKey = row.key;
  row.firstName = fields.firstName;
  row.lastName = fields.lastName;
  row.displayName = [fields.firstName, fields.lastName].filter(Boolean).join(' ');
  row.sortName = foldText(row.displayName);
  row.emails = fields.emails;
  row.email = fields.emails[0] ?? null;
  row.phones = fields.phones;
  row.phone = fields.phones[0] ?? null;
  row.title = fields.title;
  row.companyId = fields.companyId;
  row.companyName = fields.companyId === null ? null : (own(state.companyNames, fields.companyId) ?? null);
  row.tags = fields.tags;
  row.tagKeys = fields.tags.map(foldText);
  row.owner = fields.owner;
  row.key = searchKey([row.displayName, ...row.emails, row.companyName, ...row.tags]);
  row.updatedAt = ts;
  reindex(state.index, row.id, oldKey, row.key);
}

function emptyRow(id: string, ts: number): ContactRow {
  return {
    id,
    sortName: '',
    key: '',
    archived: false,
    trashed: false,
    createdAt: ts,
    updatedAt: ts,
    firstName: '',
    lastName: null,
    displayName: '',
    email: null,
    emails: [],
    phone: null,
    phones: [],
    title: null,
    companyId: null,
    companyName: null,
    tags: [],
    tagKeys: [],
    owner: null,
    mergedInto: null,
  };
}

function applyContact(state: ContactsState, e: StoredEvent): void {
  const ev = domainEvent<ContactEvent>(e);
  const ts = e.event.ts;
  if (ev.type === 'ContactCreated') {
    const row = emptyRow(e.streamId, ts);
    put(state.rows, row.id, row);
    const { customFields: _custom, ...fields } = ev.data;
    refresh(state, row, fields, ts);
    return;
  }
  const row = own(state.rows, e.streamId);
  if (!row) return;
  const op = lifecycleOpOf('Contact', ev.type);
  if (op) {
    applyLifecycleFlag(row, op);
    row.updatedAt = ts;
    return;
  }
  switch (ev.type) {
    case 'ContactUpdated':
    case 'ContactMergedFrom':
    case 'ContactUnmergedFrom':
      refresh(state, row, applyChanges(fieldsOf(row), ev.data.changes), ts);
      return;
    case 'ContactMergedInto':
      row.mergedInto = ev.data.targetId;
      row.updatedAt = ts;
      return;
    case 'ContactUnmerged':
      row.mergedInto = null;
      row.updatedAt = ts;
      return;
    case 'ContactForgotten':
      reindex(state.index, row.id, row.key, '');
      delete state.rows[row.id];
      return;
  }
}

function applyCompany(state: ContactsState, e: StoredEvent): void {
  const ev = domainEvent<CompanyEvent>(e);
  let name: string | undefined;
  if (ev.type === 'CompanyCreated') name = ev.data.name;
  else if (ev.type === 'CompanyUpdated') name = ev.data.changes.name?.to;
  if (name === undefined) return;
  put(state.companyNames, e.streamId, name);
  if (ev.type === 'CompanyCreated') return;
  for (const row of Object.values(state.rows)) {
    if (row.companyId === e.streamId) refresh(state, row, fieldsOf(row), row.updatedAt);
  }
}

/** The contact list projection (subscribes to contacts, and to companies for their names). */
export const contactsProjection: Projection<ContactsState> = {
  name: 'crm-contacts',
  subscriptions: ['contact', 'company'],
  initialState: () => ({ rev: 0, rows: {}, companyNames: {}, index: {} }),
  apply(state, e) {
    state.rev++;
    if (e.aggregateType === 'contact') applyContact(state, e);
    else if (e.aggregateType === 'company') applyCompany(state, e);
    return state;
  },
};

/**
 * The contact list: search (`q`: every word prefixes a word of the name, an e-mail, the company name or a tag,
 * ignoring case and diacritics), filters (`tag`, `companyId`, `owner`, archived, trash, merged), sort and paging.
 */
export function queryContacts(state: ContactsState, params: ContactListParams = {}): Page<ContactRow> {
  const tag = params.tag === undefined ? undefined : foldText(params.tag);
  return queryList(
    state.rows,
    state.index,
    params,
    (row) =>
      (params.includeMerged === true || row.mergedInto === null) &&
      (tag === undefined || row.tagKeys.includes(tag)) &&
      (params.companyId === undefined || row.companyId === params.companyId) &&
      (params.owner === undefined || row.owner === params.owner),

    state.rev,
  );
}

/** One contact's row, or `undefined` (unknown or forgotten). */
export function contactRow(state: ContactsState, id: string): ContactRow | undefined {
  return own(state.rows, id);
}
