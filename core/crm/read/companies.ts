/**
 * The company list read model: one compact row per company, its number of (active) contacts, a word index for
 * search, and the list query.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import { applyChanges } from '../domain/changes.js';
import type { Address, CompanyEvent, CompanyFields, CompanySize } from '../domain/company.js';
import type { ContactEvent } from '../domain/contact.js';
import { lifecycleOpOf } from '../domain/lifecycle.js';
import { applyLifecycleFlag, type ListParams, type ListRow, type Page, queryList } from './list-query.js';
import { foldText, searchKey } from './normalize.js';
import { type Dict, domainEvent, own, put } from './util.js';
import { reindex, type WordIndex } from './word-index.js';

/** One company in the list. */
export interface CompanyRow extends ListRow {
  name: string;
  domain: string | null;
  industry: string | null;
  size: CompanySize | null;
  address: Address | null;
  tags: string[];
  /** Folded tags, for the tag filter. */
  tagKeys: string[];
}

/** A company row as the query returns it: with its number of contacts. */
export interface CompanyListRow extends CompanyRow {
  /** Contacts linked to it that are not trashed, merged away or forgotten. */
  contactCount: number;
}

/** What the company list remembers of a contact: only its link and whether it counts. */
interface Member {
  companyId: string | null;
  active: boolean;
  trashed: boolean;
  merged: boolean;
}

/** The company list state (JSON). */
export interface CompaniesState {
  /** Bumped by every applied event (keys the query's sorted-order cache). */
  rev: number;
  rows: Dict<CompanyRow>;
  index: WordIndex;
  members: Dict<Member>;
  /** Active contacts per company id. */
  contactCounts: Dict<number>;
}

/** Filters of the company list, besides the common ones. */
export interface CompanyListParams extends ListParams {
  industry?: string;
  size?: CompanySize;
}

function fieldsOf(row: CompanyRow): CompanyFields {
  const { name, domain, industry, size, address, tags } = row;
  return { name, domain, industry, size, address, tags };
}

function refresh(state: CompaniesState, row: CompanyRow, fields: CompanyFields, ts: number): void {
  const oldKey = row.key;
  row.name = fields.name;
  row.sortName = foldText(fields.name);
  row.domain = fields.domain;
  row.industry = fields.industry;
  row.size = fields.size;
  row.address = fields.address;
  row.tags = fields.tags;
  row.tagKeys = fields.tags.map(foldText);
  row.key = searchKey([fields.name, fields.domain, fields.industry, fields.address?.city, ...fields.tags]);
  row.updatedAt = ts;
  reindex(state.index, row.id, oldKey, row.key);
}

function applyCompany(state: CompaniesState, e: StoredEvent): void {
  const ev = domainEvent<CompanyEvent>(e);
  const ts = e.event.ts;
  if (ev.type === 'CompanyCreated') {
    const row: CompanyRow = {
      id: e.streamId,
      sortName: '',
      key: '',
      archived: false,
      trashed: false,
      createdAt: ts,
      updatedAt: ts,
      name: '',
      domain: null,
      industry: null,
      size: null,
      address: null,
      tags: [],
      tagKeys: [],
    };
    put(state.rows, row.id, row);
    const { customFields: _custom, ...fields } = ev.data;
    refresh(state, row, fields, ts);
    return;
  }
  const row = own(state.rows, e.streamId);
  if (!row) return;
  const op = lifecycleOpOf('Company', ev.type);
  if (op) {
    applyLifecycleFlag(row, op);
    row.updatedAt = ts;
  } else if (ev.type === 'CompanyUpdated') {
    refresh(state, row, applyChanges(fieldsOf(row), ev.data.changes), ts);
  }
}

function count(state: CompaniesState, m: Member | undefined, delta: number): void {
  if (!m || !m.active || m.companyId === null) return;
  const n = (own(state.contactCounts, m.companyId) ?? 0) + delta;
  if (n === 0) delete state.contactCounts[m.companyId];
  else put(state.contactCounts, m.companyId, n);
}

function applyContact(state: CompaniesState, e: StoredEvent): void {
  const ev = domainEvent<ContactEvent>(e);
  const before = own(state.members, e.streamId);
  let after: Member | undefined;
  if (ev.type === 'ContactCreated') {
    after = { companyId: ev.data.companyId, trashed: false, merged: false, active: true };
  } else if (!before) {
    return;
  } else {
    after = { ...before };
    const op = lifecycleOpOf('Contact', ev.type);
    if (op === 'trash' || op === 'restore') after.trashed = op === 'trash';
    else if (ev.type === 'ContactMergedInto' || ev.type === 'ContactUnmerged') {
      after.merged = ev.type === 'ContactMergedInto';
    } else if (
      ev.type === 'ContactUpdated' ||
      ev.type === 'ContactMergedFrom' ||
      ev.type === 'ContactUnmergedFrom'
    ) {
      const change = ev.data.changes.companyId;
      if (change) after.companyId = change.to;
    } else if (ev.type === 'ContactForgotten') after = undefined;
    else return;
  }
  count(state, before, -1);
  if (after) {
    after.active = !after.trashed && !after.merged;
    put(state.members, e.streamId, after);
  } else delete state.members[e.streamId];
  count(state, after, 1);
}

/** The company list projection (subscribes to companies, and to contacts for the contact counts). */
export const companiesProjection: Projection<CompaniesState> = {
  name: 'crm-companies',
  subscriptions: ['company', 'contact'],
  initialState: () => ({ rev: 0, rows: {}, index: {}, members: {}, contactCounts: {} }),
  apply(state, e) {
    state.rev++;
    if (e.aggregateType === 'company') applyCompany(state, e);
    else if (e.aggregateType === 'contact') applyContact(state, e);
    return state;
  },
};

/** The company list: search (`q` over name, domain, industry, city, tags), filters, sort and paging, with contact counts. */
export function queryCompanies(state: CompaniesState, params: CompanyListParams = {}): Page<CompanyListRow> {
  const tag = params.tag === undefined ? undefined : foldText(params.tag);
  const industry = params.industry === undefined ? undefined : foldText(params.industry);
  const page = queryList(
    state.rows,
    state.index,
    params,
    (row) =>
      (tag === undefined || row.tagKeys.includes(tag)) &&
      (industry === undefined || foldText(row.industry ?? '') === industry) &&
      (params.size === undefined || row.size === params.size),

    state.rev,
  );
  return {
    total: page.total,
    rows: page.rows.map((row) => ({ ...row, contactCount: own(state.contactCounts, row.id) ?? 0 })),
  };
}
