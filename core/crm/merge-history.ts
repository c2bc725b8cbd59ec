/**
 * The merge history: which contact absorbed which (ever, unmerged or not), which contact is merged into which now,
 * and which task, note or activity ever pointed at a contact. Erasure (forget.ts) needs all three without reading
 * every stream: a merge copies the duplicate's personal data into the kept contact's log, and moves the
 * duplicate's notes to it (where an unmerge leaves them).
 * @module
 */
import type { Projection, StoredEvent } from '../es/index.js';
import { ACTIVITY, CONTACT, NOTE, TASK } from './domain/index.js';

/** The state of {@link mergeHistoryProjection} (ids only: no personal data). */
export interface MergeHistoryState {
  /** Source contact id -> the contacts whose log has a `ContactMergedFrom` of it (unmerged since or not). */
  absorbedBy: Record<string, string[]>;
  /** Source contact id -> the contact it is merged into now. */
  mergedInto: Record<string, string>;
  /** Contact id -> the tasks, notes and activities (`type/id`) that were ever linked to it. */
  everLinked: Record<string, string[]>;
}

const CREATED = new Set(['TaskCreated', 'NoteCreated', 'ActivityLogged']);
const EDITED = new Set(['TaskUpdated', 'NoteEdited', 'ActivityEdited']);

function addTo(record: Record<string, string[]>, key: string, value: string): void {
  const list = Object.hasOwn(record, key) ? record[key]! : (record[key] = []);
  if (!list.includes(value)) list.push(value);
}

/** Follows merges and unmerges of contacts and the links of tasks, notes and activities. */
export const mergeHistoryProjection: Projection<MergeHistoryState> = {
  name: 'crm-merge-history',
  subscriptions: [CONTACT, TASK, NOTE, ACTIVITY],
  initialState: () => ({ absorbedBy: {}, mergedInto: {}, everLinked: {} }),
  apply(state, e: StoredEvent) {
    const d = (e.event.data ?? {}) as {
      sourceId?: unknown;
      targetId?: unknown;
      link?: unknown;
      changes?: { link?: { to?: unknown } };
    };
    const type = e.event.type;
    if (e.aggregateType === CONTACT) {
      if (type === 'ContactMergedFrom' && typeof d.sourceId === 'string')
        addTo(state.absorbedBy, d.sourceId, e.streamId);
      else if (type === 'ContactMergedInto' && typeof d.targetId === 'string')
        state.mergedInto[e.streamId] = d.targetId;
      else if (type === 'ContactUnmerged' || type === 'ContactForgotten') delete state.mergedInto[e.streamId];
      return state;
    }
    let link: unknown;
    if (CREATED.has(type)) link = d.link;
    else if (EDITED.has(type) && d.changes?.link) link = d.changes.link.to;
    else return state;
    const l = link as { kind?: unknown; id?: unknown } | null | undefined;
    if (l && l.kind === CONTACT && typeof l.id === 'string')
      addTo(state.everLinked, l.id, `${e.aggregateType}/${e.streamId}`);
    return state;
  },
};
