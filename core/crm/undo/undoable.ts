/**
 * Which changes can be undone, and how an undo is marked in its events. Shared by the undo commands and the
 * timeline (which shows an entry as undoable, undone, or as an undo itself).
 * @module
 */

/**
 * Event types that have a compensating command (the planner in `compensate.ts` covers exactly these). Not
 * undoable: creating a pipeline (pipelines have no trash), adding or removing a stage (a removed stage id can
 * never come back), snoozing a reminder (there is no "unsnooze"), forgetting a contact (erasure is final).
 */
export const UNDOABLE_EVENT_TYPES = [
  'ContactCreated',
  'ContactUpdated',
  'ContactArchived',
  'ContactUnarchived',
  'ContactTrashed',
  'ContactRestored',
  'ContactMergedInto',
  'ContactMergedFrom',
  'ContactUnmerged',
  'ContactUnmergedFrom',
  'CompanyCreated',
  'CompanyUpdated',
  'CompanyArchived',
  'CompanyUnarchived',
  'CompanyTrashed',
  'CompanyRestored',
  'DealCreated',
  'DealUpdated',
  'DealStageChanged',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealTrashed',
  'DealRestored',
  'TaskCreated',
  'TaskUpdated',
  'TaskCompleted',
  'TaskReopened',
  'TaskRescheduled',
  'TaskTrashed',
  'TaskRestored',
  'NoteCreated',
  'NoteEdited',
  'NoteTrashed',
  'NoteRestored',
  'ActivityLogged',
  'ActivityEdited',
  'ActivityTrashed',
  'ActivityRestored',
  'PipelineRenamed',
  'PipelineStageRenamed',
  'PipelineStagesReordered',
] as const;

/** An event type that can be undone. */
export type UndoableEventType = (typeof UNDOABLE_EVENT_TYPES)[number];

const UNDOABLE: ReadonlySet<string> = new Set(UNDOABLE_EVENT_TYPES);

/** Can an event of this type be undone (given that a person, not an automation, made it)? */
export function isUndoableType(type: string): type is UndoableEventType {
  return UNDOABLE.has(type);
}

/**
 * The `meta` key of a compensating event: the ids of the events it undoes (a merge is two events, on two
 * contacts, undone together). The event's causation id is the first of them.
 */
export const UNDO_OF = 'undo_of';

/** The `meta` key of a compensating event holding the `commandId` of the undo request (its idempotency key). */
export const UNDO_COMMAND = 'undo_command';

/** The ids of the events an event undoes (empty when it is not an undo). */
export function undoTargetsOf(event: { meta?: Record<string, unknown> }): string[] {
  const v = event.meta?.[UNDO_OF];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Is this actor an automation (a process manager or the app's setup) rather than a person? */
export function isSystemActor(actor: string | null | undefined): boolean {
  return typeof actor === 'string' && actor.startsWith('system:');
}
