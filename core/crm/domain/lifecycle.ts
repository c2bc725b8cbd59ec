/**
 * The lifecycle every CRM record shares: created once, optionally archived (hidden from lists, still whole) and
 * trashed (deleted, restorable with its links). One implementation of the rules, used by every aggregate.
 * @module
 */
import type { DomainEvent } from '../../es/aggregate.js';
import { DomainError } from '../../es/errors.js';
import { own } from './changes.js';

/** Where a record is in its life. `trashed` and `archived` are independent: restoring from trash keeps archived. */
export interface Lifecycle {
  created: boolean;
  archived: boolean;
  trashed: boolean;
}

/** The lifecycle of a record with no events. */
export function initialLifecycle(): Lifecycle {
  return { created: false, archived: false, trashed: false };
}

/** The lifecycle operations that have a command and an event in (some) aggregates. */
export type LifecycleOp = 'archive' | 'unarchive' | 'trash' | 'restore';

/** Refuses a create on a record that already exists (`ALREADY_EXISTS`). */
export function assertNew(life: Lifecycle, kind: string, id: string): void {
  if (life.created) {
    throw new DomainError('ALREADY_EXISTS', `This ${kind} already exists (${id}); edit it instead.`, {
      kind,
      id,
    });
  }
}

/** Refuses any command but create on a record that was never created (`NOT_FOUND`). */
export function assertExists(life: Lifecycle, kind: string, id: string): void {
  if (!life.created) throw new DomainError('NOT_FOUND', `There is no ${kind} ${id}.`, { kind, id });
}

/** Refuses edits unless the record exists, is not in the trash (`IN_TRASH`) and not archived (`ARCHIVED`). */
export function assertEditable(life: Lifecycle, kind: string, id: string): void {
  assertExists(life, kind, id);
  if (life.trashed) {
    throw new DomainError('IN_TRASH', `This ${kind} is in the trash: restore it first to change it.`, {
      kind,
      id,
    });
  }
  if (life.archived) {
    throw new DomainError('ARCHIVED', `This ${kind} is archived: unarchive it first to change it.`, {
      kind,
      id,
    });
  }
}

/**
 * Decides a lifecycle operation: throws when it is not allowed, returns `false` when the record is already in
 * the requested state (a no-op: nothing to record, so bulk actions can be repeated safely), `true` otherwise.
 */
export function decideLifecycle(life: Lifecycle, op: LifecycleOp, kind: string, id: string): boolean {
  assertExists(life, kind, id);
  switch (op) {
    case 'archive':
    case 'unarchive':
      if (life.trashed) {
        throw new DomainError('IN_TRASH', `This ${kind} is in the trash: restore it first.`, { kind, id });
      }
      return life.archived !== (op === 'archive');
    case 'trash':
      return !life.trashed;
    case 'restore':
      return life.trashed;
  }
}

/** The lifecycle after an operation's event. */
export function evolveLifecycle(life: Lifecycle, op: LifecycleOp): Lifecycle {
  switch (op) {
    case 'archive':
      return { ...life, archived: true };
    case 'unarchive':
      return { ...life, archived: false };
    case 'trash':
      return { ...life, trashed: true };
    case 'restore':
      return { ...life, trashed: false };
  }
}

/** {@link decideLifecycle} as events: one fieldless event of `type`, or none for a no-op. */
export function lifecycleEvents<T extends string>(
  life: Lifecycle,
  op: LifecycleOp,
  kind: string,
  id: string,
  type: T,
): DomainEvent<T, null>[] {
  return decideLifecycle(life, op, kind, id) ? [{ type, data: null }] : [];
}

const SUFFIX_OPS: Readonly<Record<string, LifecycleOp>> = {
  Archived: 'archive',
  Unarchived: 'unarchive',
  Trashed: 'trash',
  Restored: 'restore',
};

/**
 * The lifecycle operation of an event named by the convention `<Record>Archived`, `<Record>Unarchived`,
 * `<Record>Trashed`, `<Record>Restored` (e.g. `lifecycleOpOf('Contact', 'ContactTrashed')` is `'trash'`).
 */
export function lifecycleOpOf(record: string, eventType: string): LifecycleOp | undefined {
  return eventType.startsWith(record) ? own(SUFFIX_OPS, eventType.slice(record.length)) : undefined;
}
