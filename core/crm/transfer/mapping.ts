/**
 * Column mapping for imports: which column of a file feeds which field of a contact or company
 * ({@link guessMapping} guesses it from the headers), and {@link mapRow}, which turns one row into the record it
 * would import. Pure functions (the renderer can guess and show a mapping without asking the backend).
 * @module
 */
import type { FieldDefinition } from '../domain/custom-field-values.js';
import { foldText } from '../read/normalize.js';

/** The kinds of record a file can be imported as. */
export type ImportKind = 'contact' | 'company';

/** The fields a contact column can feed. `email`, `phone` and `tags` may be fed by several columns. */
export const CONTACT_TARGETS = [
  'firstName',
  'lastName',
  'fullName',
  'email',
  'phone',
  'title',
  'companyName',
  'tags',
  'notes',
  'owner',
] as const;

/** The fields a company column can feed. `address` is a one-line address (stored as the street). */
export const COMPANY_TARGETS = [
  'name',
  'domain',
  'industry',
  'size',
  'street',
  'city',
  'postalCode',
  'region',
  'country',
  'address',
  'tags',
] as const;

/**
 * Where one column goes: a field of {@link CONTACT_TARGETS} / {@link COMPANY_TARGETS}, `custom:<fieldId>` for a
 * custom field, or `null` (ignored).
 */
export type ColumnTarget = string | null;

/** A mapping: one target per column, in column order. */
export type ColumnMapping = ColumnTarget[];

/** Header words (folded, without spaces, punctuation and digits) for each target. */
const SYNONYMS: Record<ImportKind, Record<string, readonly string[]>> = {
  contact: {
    firstName: ['firstname', 'givenname', 'first', 'forename', 'prenom', 'vorname', 'nombre'],
    lastName: ['lastname', 'surname', 'familyname', 'last', 'nom', 'nachname', 'apellido'],
    fullName: ['name', 'fullname', 'displayname', 'contact', 'contactname', 'fn', 'person'],
    email: [
      'email',
      'emails',
      'emailaddress',
      'mail',
      'emailvalue',
      'primaryemail',
      'workemail',
      'homeemail',
    ],
    phone: [
      'phone',
      'phones',
      'phonenumber',
      'telephone',
      'tel',
      'mobile',
      'mobilephone',
      'cell',
      'cellphone',
      'workphone',
      'homephone',
      'phonevalue',
    ],
    title: ['title', 'jobtitle', 'position', 'role', 'job'],
    companyName: [
      'company',
      'companyname',
      'organization',
      'organisation',
      'org',
      'organizationname',
      'employer',
      'account',
    ],
    tags: ['tags', 'tag', 'labels', 'label', 'categories', 'category', 'groups', 'groupmembership'],
    notes: ['notes', 'note', 'comments', 'comment', 'description'],
    owner: ['owner', 'assignedto', 'accountowner', 'contactowner'],
  },
  company: {
    name: ['name', 'company', 'companyname', 'organization', 'organisation', 'account', 'accountname'],
    domain: ['domain', 'website', 'web', 'url', 'site', 'companydomain', 'homepage'],
    industry: ['industry', 'sector', 'vertical'],
    size: ['size', 'employees', 'headcount', 'companysize', 'numberofemployees', 'employeecount'],
    street: ['street', 'streetaddress', 'addressline', 'address1'],
    city: ['city', 'town', 'locality'],
    postalCode: ['postalcode', 'zip', 'zipcode', 'postcode', 'plz'],
    region: ['region', 'state', 'province', 'county'],
    country: ['country', 'countrycode'],
    address: ['address', 'fulladdress', 'location'],
    tags: ['tags', 'tag', 'labels', 'label', 'categories', 'category'],
  },
};

/** Targets several columns may feed (their values are added up). */
const REPEATABLE = new Set(['email', 'phone', 'tags']);

/** A header as a lookup word: folded, without spaces, punctuation and digits (`E-mail 2` -> `email`). */
function headerWord(header: string): string {
  return foldText(header).replace(/[^a-z]/g, '');
}

/** The targets columns of `kind` may have. */
export function targetsOf(kind: ImportKind): readonly string[] {
  return kind === 'contact' ? CONTACT_TARGETS : COMPANY_TARGETS;
}

/** Is `target` something a column of `kind` can feed, given the kind's custom fields? */
export function isValidTarget(
  kind: ImportKind,
  target: string,
  customFields: readonly FieldDefinition[] = [],
): boolean {
  if (target.startsWith('custom:')) return customFields.some((f) => `custom:${f.fieldId}` === target);
  return targetsOf(kind).includes(target);
}

/**
 * Guesses a mapping from the headers: known names of each field in several languages and export formats (Google,
 * Outlook, Apple, other CRMs), and custom fields by label or id. A field that is not {@link REPEATABLE} takes the
 * first column that matches; columns nothing matches are ignored (`null`).
 *
 * @example guessMapping(['Given Name', 'Family Name', 'E-mail 1 - Value'], 'contact') // ['firstName', 'lastName', 'email']
 */
export function guessMapping(
  headers: readonly string[],
  kind: ImportKind,
  customFields: readonly FieldDefinition[] = [],
): ColumnMapping {
  const taken = new Set<string>();
  return headers.map((header) => {
    const word = headerWord(header);
    const custom = customFields.find((f) => headerWord(f.label) === word || headerWord(f.fieldId) === word);
    let target: string | undefined = custom ? `custom:${custom.fieldId}` : undefined;
    target ??= Object.entries(SYNONYMS[kind]).find(([, words]) => words.includes(word))?.[0];
    if (target === undefined || (taken.has(target) && !REPEATABLE.has(target))) return null;
    taken.add(target);
    return target;
  });
}

/** The contact a row would import (before validation). */
export interface ContactRecord {
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  title: string | null;
  /** The company to link (found by name, or created). */
  companyName: string | null;
  tags: string[];
  /** The text of a note to add to the contact. */
  notes: string | null;
  owner: string | null;
  customFields: Record<string, string | number | boolean>;
}

/** The company a row would import (before validation). */
export interface CompanyRecord {
  name: string | null;
  domain: string | null;
  industry: string | null;
  size: string | null;
  address: {
    street: string | null;
    city: string | null;
    postalCode: string | null;
    region: string | null;
    country: string | null;
  } | null;
  tags: string[];
  customFields: Record<string, string | number | boolean>;
}

/** What one row maps to: the record, or nothing when the row is blank; and the problems found while mapping. */
export interface MappedRow<R> {
  record: R | null;
  errors: string[];
}

/** Splits a list cell (`a, b; c`, or one per line). */
function splitList(cell: string): string[] {
  return cell
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Splits a full name: the last word is the last name (`Jean-Luc de Picard` -> `Jean-Luc de`, `Picard`). */
function splitName(full: string): { first: string; last: string | null } {
  const parts = full.trim().split(/\s+/);
  if (parts.length < 2) return { first: full.trim(), last: null };
  return { first: parts.slice(0, -1).join(' '), last: parts.at(-1)! };
}

const TRUE = /^(true|yes|y|1|x|on|checked|✓|✔)$/i;
const FALSE = /^(false|no|n|0|off|unchecked)$/i;

/** A custom field cell as its typed value, or an error sentence. */
function customValue(
  def: FieldDefinition,
  cell: string,
): { value: string | number | boolean } | { error: string } {
  switch (def.fieldType) {
    case 'number': {
      const n = Number(cell.replace(/\s/g, ''));
      return Number.isFinite(n) ? { value: n } : { error: `${def.label} must be a number (got "${cell}").` };
    }
    case 'checkbox':
      if (TRUE.test(cell)) return { value: true };
      if (FALSE.test(cell)) return { value: false };
      return { error: `${def.label} must be yes or no (got "${cell}").` };
    case 'choice': {
      const option = def.options.find((o) => foldText(o) === foldText(cell));
      return option === undefined
        ? { error: `${def.label} must be one of: ${def.options.join(', ')} (got "${cell}").` }
        : { value: option };
    }
    default:
      return { value: cell };
  }
}

/** The non-empty cells of a row by target, in column order. */
function cellsByTarget(
  mapping: ColumnMapping,
  row: readonly string[],
): { byTarget: Map<string, string[]>; blank: boolean } {
  const byTarget = new Map<string, string[]>();
  let blank = true;
  mapping.forEach((target, i) => {
    const cell = (row[i] ?? '').trim();
    if (cell !== '') blank = false;
    if (target === null || cell === '') return;
    byTarget.set(target, [...(byTarget.get(target) ?? []), cell]);
  });
  return { byTarget, blank };
}

function customValues(
  byTarget: Map<string, string[]>,
  customFields: readonly FieldDefinition[],
  errors: string[],
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const def of customFields) {
    const cell = byTarget.get(`custom:${def.fieldId}`)?.[0];
    if (cell === undefined) continue;
    const v = customValue(def, cell);
    if ('error' in v) errors.push(v.error);
    else out[def.fieldId] = v.value;
  }
  return out;
}

/** Maps one row to the contact it would import; a blank row maps to `null`. Validation is the caller's. */
export function mapContactRow(
  mapping: ColumnMapping,
  row: readonly string[],
  customFields: readonly FieldDefinition[] = [],
): MappedRow<ContactRecord> {
  const { byTarget, blank } = cellsByTarget(mapping, row);
  if (blank) return { record: null, errors: [] };
  const one = (t: string) => byTarget.get(t)?.[0] ?? null;
  const errors: string[] = [];
  let firstName = one('firstName');
  let lastName = one('lastName');
  const full = one('fullName');
  if (firstName === null && full !== null) {
    const split = splitName(full);
    firstName = split.first;
    lastName ??= split.last;
  }
  const record: ContactRecord = {
    firstName,
    lastName,
    emails: (byTarget.get('email') ?? []).flatMap(splitList),
    phones: (byTarget.get('phone') ?? []).flatMap(splitList),
    title: one('title'),
    companyName: one('companyName'),
    tags: (byTarget.get('tags') ?? []).flatMap(splitList),
    notes: one('notes'),
    owner: one('owner'),
    customFields: customValues(byTarget, customFields, errors),
  };
  if (firstName === null) errors.push('This row has no name: map a first name or full name column.');
  return { record, errors };
}

/** Head-count bands of companies, with their upper bounds. */
const SIZE_BANDS: readonly [number, string][] = [
  [1, '1'],
  [10, '2-10'],
  [50, '11-50'],
  [200, '51-200'],
  [500, '201-500'],
  [1000, '501-1000'],
];

/** A size cell as a head-count band: a band as written (`11-50`, `1001+`) or a head count (`35` -> `11-50`). */
export function sizeBand(cell: string): string {
  const compact = cell.replace(/\s/g, '').replace(/[–—]/g, '-');
  const n = Number(compact.replace(/[,.](?=\d{3}\b)/g, ''));
  if (!Number.isInteger(n) || n < 1) return compact;
  return SIZE_BANDS.find(([max]) => n <= max)?.[1] ?? '1001+';
}

/** Maps one row to the company it would import; a blank row maps to `null`. Validation is the caller's. */
export function mapCompanyRow(
  mapping: ColumnMapping,
  row: readonly string[],
  customFields: readonly FieldDefinition[] = [],
): MappedRow<CompanyRecord> {
  const { byTarget, blank } = cellsByTarget(mapping, row);
  if (blank) return { record: null, errors: [] };
  const one = (t: string) => byTarget.get(t)?.[0] ?? null;
  const errors: string[] = [];
  const address = {
    street: one('street') ?? one('address'),
    city: one('city'),
    postalCode: one('postalCode'),
    region: one('region'),
    country: one('country'),
  };
  const size = one('size');
  const record: CompanyRecord = {
    name: one('name'),
    domain: one('domain'),
    industry: one('industry'),
    size: size === null ? null : sizeBand(size),
    address: Object.values(address).some((v) => v !== null) ? address : null,
    tags: (byTarget.get('tags') ?? []).flatMap(splitList),
    customFields: customValues(byTarget, customFields, errors),
  };
  if (record.name === null) errors.push('This row has no company name: map a name column.');
  return { record, errors };
}
