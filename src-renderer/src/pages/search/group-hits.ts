/**
 * Search results grouped by kind of record, and where each hit leads.
 * @module
 */
import type { SearchHit, SearchKind } from '../../../../core/crm/read/search.js';
import { hrefOf } from '../../hooks/useRoute.js';

/** The kinds in the order the results show them, with their heading. */
export const KIND_HEADINGS: readonly (readonly [SearchKind, string])[] = [
  ['contact', 'Contacts'],
  ['company', 'Companies'],
  ['deal', 'Deals'],
  ['note', 'Notes'],
];

/** One group of hits. */
export interface HitGroup {
  kind: SearchKind;
  heading: string;
  hits: SearchHit[];
}

/** `hits` grouped by kind (best first within a group, as the backend ranked them); empty groups left out. */
export function groupHits(hits: readonly SearchHit[]): HitGroup[] {
  return KIND_HEADINGS.map(([kind, heading]) => ({
    kind,
    heading,
    hits: hits.filter((h) => h.kind === kind),
  })).filter((g) => g.hits.length > 0);
}

const SECTION_OF = { contact: 'contacts', company: 'companies', deal: 'deals' } as const;

/** The page of a hit's record; `null` for notes, which have no page of their own. */
export function hitHref(hit: Pick<SearchHit, 'kind' | 'id'>): string | null {
  const section = hit.kind === 'note' ? undefined : SECTION_OF[hit.kind];
  return section ? hrefOf(section, hit.id) : null;
}
