/**
 * The workload of the `es` suite: a CRM-like contact aggregate (events of ~200-byte lines) and a contact-list
 * projection, shared by `es.bench.ts` and its child process `es-child.ts`.
 * @module
 */
import {
  AggregateStore,
  type Aggregate,
  type DomainEvent,
  type Projection,
  type StoreOptions,
} from '../../core/es/index.js';
import type { Logger } from '../../core/log/index.js';

/** Commands of a contact: create it (an import row), change one field, or save an edit form of several fields. */
export type ContactCommand =
  | { type: 'Create'; name: string; email: string; company: string }
  | { type: 'Update'; field: string; value: string }
  | { type: 'Edit'; fields: Record<string, string> };

export type ContactEvent =
  | DomainEvent<'ContactCreated', { name: string; email: string; company: string }>
  | DomainEvent<'ContactUpdated', { field: string; value: string }>;

export interface Contact {
  name: string;
  email: string;
  company: string;
  rev: number;
  fields: Record<string, string>;
}

/** The contact aggregate: pure, one event per changed field (an `Edit` is one atomic batch). */
export const contact: Aggregate<Contact, ContactCommand, ContactEvent> = {
  type: 'contact',
  initialState: () => ({ name: '', email: '', company: '', rev: 0, fields: {} }),
  decide(_state, cmd) {
    switch (cmd.type) {
      case 'Create':
        return [{ type: 'ContactCreated', data: { name: cmd.name, email: cmd.email, company: cmd.company } }];
      case 'Update':
        return [{ type: 'ContactUpdated', data: { field: cmd.field, value: cmd.value } }];
      case 'Edit':
        return Object.entries(cmd.fields).map(([field, value]) => ({
          type: 'ContactUpdated' as const,
          data: { field, value },
        }));
    }
  },
  evolve(state, e) {
    if (e.type === 'ContactCreated') return { ...state, ...e.data, rev: state.rev + 1 };
    return { ...state, rev: state.rev + 1, fields: { ...state.fields, [e.data.field]: e.data.value } };
  },
};

/** The contact list: count, events seen, and per contact its name and revision. */
export interface ContactList {
  count: number;
  events: number;
  byId: Record<string, { name: string; rev: number }>;
}

export const contactList: Projection<ContactList> = {
  name: 'contact-list',
  subscriptions: ['contact'],
  initialState: () => ({ count: 0, events: 0, byId: {} }),
  apply(s, e) {
    s.events++;
    const data = e.event.data as { name?: string };
    const row = s.byId[e.streamId];
    if (e.event.type === 'ContactCreated') {
      if (!row) s.count++;
      s.byId[e.streamId] = { name: data.name ?? '', rev: (row?.rev ?? 0) + 1 };
    } else if (row) {
      row.rev++;
    }
    return s;
  },
};

/** The id of the `i`-th imported contact. */
export function contactId(i: number): string {
  return `c-${i.toString().padStart(6, '0')}`;
}

/** The creation command of the `i`-th contact (an import row). */
export function createCommand(i: number): ContactCommand {
  return {
    type: 'Create',
    name: `Person ${i}`,
    email: `person${i}@example.com`,
    company: `Company ${i % 997}`,
  };
}

/** A one-field change (what a UI edit sends). */
export function updateCommand(i: number): ContactCommand {
  return { type: 'Update', field: 'email', value: `person${i}.new@example.com` };
}

/** A four-field edit form saved at once: one command, four events in one atomic batch. */
export function editCommand(i: number): ContactCommand {
  return {
    type: 'Edit',
    fields: {
      phone: `+33 6 ${(10_000_000 + i).toString().slice(-8)}`,
      stage: ['lead', 'qualified', 'customer'][i % 3]!,
      owner: `user-${i % 7}`,
      city: `City ${i % 101}`,
    },
  };
}

/** Warnings of a store (snapshots or checkpoints it could not use): the suite fails on them. */
export function collectingLogger(warnings: string[]): Logger {
  return { warn: (message) => void warnings.push(message) };
}

/** Opens a store of contacts with the contact list, default durability (`'group'`, fsync per append). */
export function openContactStore(dir: string, options: StoreOptions = {}): Promise<AggregateStore> {
  // As the CRM opens its store (core/crm/crm-backend.ts): small streams replay instead of writing snapshots.
  const opts = { snapshotMinEvents: 16, ...options };
  return AggregateStore.builder(dir).aggregate(contact).projection(contactList).options(opts).open();
}
