/**
 * Names of linked records as lists show them: the distinct ids of a list's links, per kind, for one
 * `record.names {kind, ids}` query each (not one per row); how a name reads (archived, in the trash, unknown,
 * loading); and the detail page a link opens. Pure, so it is tested alone.
 * @module
 */
import type { RecordNameItem } from '../../../../core/crm/record-names.js';
import { hrefOf, type Section } from '../../hooks/useRoute.js';

/** The kinds `record.names` names. */
export const NAMED_KINDS = ['contact', 'company', 'deal'] as const;

/** A kind `record.names` names. */
export type NamedKind = (typeof NAMED_KINDS)[number];

/** At most this many ids per `record.names` request (`MAX_NAME_IDS` of core/crm/record-names.ts). */
export const MAX_NAME_IDS = 200;

/** What the names are looked up for: a link to a record of any kind (`task`, `note`… have no names here). */
export interface NamedLink {
  kind: string;
  id: string;
}

const SECTION_OF: Readonly<Record<NamedKind, Section>> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
};

const KIND_LABEL: Readonly<Record<NamedKind, string>> = {
  contact: 'Contact',
  company: 'Company',
  deal: 'Deal',
};

function isNamed(kind: string): kind is NamedKind {
  return (NAMED_KINDS as readonly string[]).includes(kind);
}

/**
 * The distinct ids of `links` per named kind: the first {@link MAX_NAME_IDS} of each in list order (what is
 * shown first), then sorted, so a list that only reorders asks the same query again.
 */
export function namedLinkIds(links: Iterable<NamedLink | null | undefined>): Record<NamedKind, string[]> {
  const out: Record<NamedKind, Set<string>> = { contact: new Set(), company: new Set(), deal: new Set() };
  for (const link of links) {
    if (!link || !isNamed(link.kind)) continue;
    const ids = out[link.kind];
    if (ids.size < MAX_NAME_IDS) ids.add(link.id);
  }
  return {
    contact: [...out.contact].sort(),
    company: [...out.company].sort(),
    deal: [...out.deal].sort(),
  };
}

/** The key of a record in a names map. */
export function nameKey(kind: string, id: string): string {
  return `${kind}/${id}`;
}

/** A name with its state: `Acme (archived)`, `Acme (in the trash)`. */
export function nameOf(item: RecordNameItem): string {
  return item.trashed ? `${item.name} (in the trash)` : item.archived ? `${item.name} (archived)` : item.name;
}

/** A looked-up record's name: its {@link nameOf}, `(unknown)` once the answer lacks it, `…` until it comes. */
export function displayName(item: RecordNameItem | undefined, loaded: boolean): string {
  return item ? nameOf(item) : loaded ? '(unknown)' : '…';
}

/** The names found, by {@link nameKey}, and whether every kind's answer came. */
export interface LinkedNames {
  byKey: ReadonlyMap<string, RecordNameItem>;
  loaded: boolean;
}

/** The names map of `record.names` answers (one per kind; `undefined` while that one loads). */
export function linkedNames(
  answers: Readonly<Record<NamedKind, readonly RecordNameItem[] | undefined>>,
): LinkedNames {
  const byKey = new Map<string, RecordNameItem>();
  for (const kind of NAMED_KINDS)
    for (const item of answers[kind] ?? []) byKey.set(nameKey(kind, item.id), item);
  return { byKey, loaded: NAMED_KINDS.every((k) => answers[k] !== undefined) };
}

/** How a link reads in a list: its kind, the record's name, and the detail page (`null` for unnamed kinds). */
export function linkView(
  link: NamedLink,
  names: LinkedNames,
): { kindLabel: string; name: string; href: string | null } {
  if (!isNamed(link.kind)) return { kindLabel: link.kind, name: link.id, href: null };
  return {
    kindLabel: KIND_LABEL[link.kind],
    name: displayName(names.byKey.get(nameKey(link.kind, link.id)), names.loaded),
    href: hrefOf(SECTION_OF[link.kind], link.id),
  };
}
