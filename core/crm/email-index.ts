/**
 * The e-mail index: which live contact uses which address, so that creating or editing a contact can be refused
 * with the id of the contact that already has the address (the aggregate cannot look into other streams).
 * @module
 */
import type { Projection, StoredEvent } from '../es/index.js';
import { CONTACT } from './domain/index.js';

/** `address -> contact id`, plus each contact's addresses (to unindex them on change). */
export interface EmailIndexState {
  byEmail: Record<string, string>;
  byContact: Record<string, string[]>;
  /** Addresses of trashed or merged-away contacts, given back on restore or unmerge. */
  hidden?: Record<string, string[]>;
}

function set(state: EmailIndexState, id: string, emails: readonly string[]): void {
  for (const e of state.byContact[id] ?? []) if (state.byEmail[e] === id) delete state.byEmail[e];
  if (emails.length === 0) delete state.byContact[id];
  else state.byContact[id] = [...emails];
  for (const e of emails) state.byEmail[e] ??= id;
}

function hide(state: EmailIndexState, id: string): void {
  set(state, id, []);
}

/**
 * A contact's addresses count while it is live or archived; a trashed, merged-away or forgotten contact frees them
 * (restoring it takes them back where still free).
 */
export const emailIndexProjection: Projection<EmailIndexState> = {
  name: 'crm-email-index',
  subscriptions: [CONTACT],
  initialState: () => ({ byEmail: {}, byContact: {} }),
  apply(state, e: StoredEvent) {
    const data = (e.event.data ?? {}) as Record<string, unknown>;
    const id = e.streamId;
    switch (e.event.type) {
      case 'ContactCreated':
        set(state, id, (data.emails as string[] | undefined) ?? []);
        break;
      case 'ContactUpdated':
      case 'ContactMergedFrom':
      case 'ContactUnmergedFrom': {
        const change = (data.changes as Record<string, { to?: unknown }> | undefined)?.emails;
        if (change && Array.isArray(change.to)) {
          state.hidden ??= {};
          if (!state.hidden[id]) set(state, id, change.to as string[]);
          else state.hidden[id] = change.to as string[];
        }
        break;
      }
      case 'ContactTrashed':
      case 'ContactMergedInto': {
        state.hidden ??= {};
        state.hidden[id] = state.byContact[id] ?? [];
        hide(state, id);
        break;
      }
      case 'ContactRestored':
      case 'ContactUnmerged': {
        const emails = state.hidden?.[id];
        if (emails) {
          delete state.hidden![id];
          set(state, id, emails);
        }
        break;
      }
      case 'ContactForgotten':
        hide(state, id);
        if (state.hidden) delete state.hidden[id];
        break;
    }
    return state;
  },
};

/** The live contact other than `self` that uses one of `emails`, if any. */
export function findDuplicateEmail(
  state: EmailIndexState,
  emails: readonly string[],
  self?: string,
): { contactId: string; email: string } | null {
  for (const raw of emails) {
    const email = raw.trim().toLowerCase();
    const owner = Object.prototype.hasOwnProperty.call(state.byEmail, email)
      ? state.byEmail[email]
      : undefined;
    if (owner !== undefined && owner !== self) return { contactId: owner, email };
  }
  return null;
}
