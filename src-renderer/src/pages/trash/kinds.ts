/**
 * How the trash names kinds of record, and where a restored record can be opened.
 * @module
 */
import type { TrashKind } from '../../../../core/crm/trash.js';
import { hrefOf } from '../../hooks/useRoute.js';

/** Each kind's name in the trash list, in filter order. */
export const TRASH_KINDS: readonly (readonly [TrashKind, string])[] = [
  ['contact', 'Contact'],
  ['company', 'Company'],
  ['deal', 'Deal'],
  ['task', 'Task'],
  ['note', 'Note'],
  ['activity', 'Activity'],
];

/** The name of `kind` ("Contact"). */
export function kindName(kind: TrashKind): string {
  return TRASH_KINDS.find(([k]) => k === kind)?.[1] ?? kind;
}

/** The page a restored record opens on, when its kind has one. */
export function restoredHref(kind: TrashKind, id: string): string | null {
  if (kind === 'contact') return hrefOf('contacts', id);
  if (kind === 'company') return hrefOf('companies', id);
  if (kind === 'deal') return hrefOf('deals', id);
  if (kind === 'task') return hrefOf('tasks');
  return null;
}

/** "system:demo" -> "demo", "user:local" -> "you": who deleted a record, in words. */
export function actorName(actor: string | null): string {
  if (actor === null) return '';
  if (actor.startsWith('user:')) return actor === 'user:local' ? 'you' : actor.slice(5);
  if (actor.startsWith('system:')) return `automatic (${actor.slice(7)})`;
  return actor;
}
