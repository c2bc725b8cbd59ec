/**
 * The link index: which task, note and activity points at which record (for erasure, which must find a contact's
 * notes and activities without reading every stream).
 * @module
 */
import type { Projection, StoredEvent } from '../es/index.js';
import { ACTIVITY, NOTE, TASK } from './domain/index.js';

/** `"<kind>/<id>"` of a linking record -> the record it links to. */
export interface LinkIndexState {
  links: Record<string, { kind: string; id: string }>;
}

const CREATED = new Set(['TaskCreated', 'NoteCreated', 'ActivityLogged']);
const EDITED = new Set(['TaskUpdated', 'NoteEdited', 'ActivityEdited']);

/** Follows the `link` of every task, note and activity. */
export const linkIndexProjection: Projection<LinkIndexState> = {
  name: 'crm-link-index',
  subscriptions: [TASK, NOTE, ACTIVITY],
  initialState: () => ({ links: {} }),
  apply(state, e: StoredEvent) {
    const d = (e.event.data ?? {}) as { link?: unknown; changes?: { link?: { to?: unknown } } };
    let link: unknown;
    if (CREATED.has(e.event.type)) link = d.link;
    else if (EDITED.has(e.event.type) && d.changes?.link) link = d.changes.link.to;
    else return state;
    const key = `${e.aggregateType}/${e.streamId}`;
    if (link && typeof link === 'object') state.links[key] = link as { kind: string; id: string };
    else delete state.links[key];
    return state;
  },
};

/** The tasks, notes and activities linked to `kind/id`, as `{type, id}` streams. */
export function linkedTo(state: LinkIndexState, kind: string, id: string): { type: string; id: string }[] {
  const out: { type: string; id: string }[] = [];
  for (const [key, link] of Object.entries(state.links)) {
    if (link.kind !== kind || link.id !== id) continue;
    const slash = key.indexOf('/');
    out.push({ type: key.slice(0, slash), id: key.slice(slash + 1) });
  }
  return out;
}
