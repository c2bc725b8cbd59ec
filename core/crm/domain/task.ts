/**
 * The Task aggregate: a to-do with a due date (and optional time), a priority and an optional linked record;
 * complete, reopen, reschedule, snooze or dismiss its reminder, trash.
 * @module
 */
import { z } from 'zod';
import type { Aggregate, DecideContext, DomainEvent } from '../../es/aggregate.js';
import { DomainError } from '../../es/errors.js';
import { applyChanges, type Change, type Changes, diff, isEmpty, sameValue } from './changes.js';
import {
  assertEditable,
  assertNew,
  evolveLifecycle,
  initialLifecycle,
  type Lifecycle,
  lifecycleEvents,
  lifecycleOpOf,
} from './lifecycle.js';
import {
  isoDateSchema,
  isoDateTimeSchema,
  LIMITS,
  type LinkedRecord,
  linkedRecordSchema,
  optionalText,
  parseCommandWith,
  requiredText,
  timeSchema,
} from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const TASK = 'task';

/** A task's priority. */
export const prioritySchema = z.enum(['low', 'medium', 'high']);
/** A task's priority. */
export type Priority = z.infer<typeof prioritySchema>;

/** When a task is due: a day, and optionally a time of day (local to the user; `null`: any time that day). */
export const dueSchema = z
  .object({ date: isoDateSchema, time: timeSchema.nullable().optional() })
  .strict()
  .transform((d) => ({ date: d.date, time: d.time ?? null }));
/** When a task is due. */
export type Due = z.infer<typeof dueSchema>;

/** The editable fields of a task (the due date changes through `RescheduleTask`). */
export interface TaskFields {
  title: string;
  description: string | null;
  priority: Priority;
  /** The record the task is about, or none. */
  link: LinkedRecord | null;
}

const fieldSchemas = {
  title: requiredText('a task title'),
  description: optionalText('a description', LIMITS.summary),
  priority: prioritySchema,
  link: linkedRecordSchema.nullable(),
};

/** Zod schema of every task command (used by `parseCommand` and again by `decide`). */
export const taskCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('CreateTask'),
      title: fieldSchemas.title,
      description: fieldSchemas.description.optional(),
      priority: fieldSchemas.priority.optional(),
      link: fieldSchemas.link.optional(),
      due: dueSchema.nullable().optional(),
    })
    .strict(),
  z.object({ type: z.literal('UpdateTask'), fields: z.object(fieldSchemas).partial().strict() }).strict(),
  z.object({ type: z.literal('CompleteTask'), at: isoDateTimeSchema.optional() }).strict(),
  z.object({ type: z.literal('ReopenTask') }).strict(),
  z.object({ type: z.literal('RescheduleTask'), due: dueSchema.nullable() }).strict(),
  z.object({ type: z.literal('SnoozeTaskReminder'), until: isoDateTimeSchema }).strict(),
  z.object({ type: z.literal('DismissTaskReminder') }).strict(),
  z.object({ type: z.literal('TrashTask') }).strict(),
  z.object({ type: z.literal('RestoreTask') }).strict(),
]);

/**
 * A task command: `CreateTask`, `UpdateTask {fields}` (only the fields to change), `CompleteTask {at?}` (default:
 * the command's time), `ReopenTask`, `RescheduleTask {due}` (also cancels a snooze), `SnoozeTaskReminder
 * {until}` (a future instant; open tasks with a due date only), `DismissTaskReminder` (no reminder until the
 * task is snoozed, rescheduled or reopened), `TrashTask` / `RestoreTask`.
 *
 * A reminder is due at `snoozedUntil`, else at the due date and time, unless dismissed; turning that into
 * notifications is the reminders feature's job (core/crm/reminders.ts). The backend checks that `link` points to an existing record.
 */
export type TaskCommand = z.input<typeof taskCommandSchema>;

/** The events of a task. */
export type TaskEvent =
  | DomainEvent<'TaskCreated', TaskFields & { due: Due | null }>
  | DomainEvent<'TaskUpdated', { changes: Changes<TaskFields> }>
  | DomainEvent<'TaskCompleted', { at: string }>
  | DomainEvent<'TaskReopened', null>
  | DomainEvent<'TaskRescheduled', { due: Change<Due | null> }>
  | DomainEvent<'TaskReminderSnoozed', { until: string }>
  | DomainEvent<'TaskReminderDismissed', null>
  | DomainEvent<'TaskTrashed', null>
  | DomainEvent<'TaskRestored', null>;

/** The state of one task. */
export interface TaskState {
  life: Lifecycle;
  fields: TaskFields;
  due: Due | null;
  /** When it was completed (`null` while open). */
  completedAt: string | null;
  /** The instant the reminder was snoozed to (`null`: not snoozed). */
  snoozedUntil: string | null;
  /** The reminder was dismissed (cleared by a snooze, a reschedule, completing or reopening). */
  reminderDismissed: boolean;
}

function initialState(): TaskState {
  return {
    life: initialLifecycle(),
    fields: { title: '', description: null, priority: 'medium', link: null },
    due: null,
    completedAt: null,
    snoozedUntil: null,
    reminderDismissed: false,
  };
}

function decide(state: TaskState, input: TaskCommand, ctx: DecideContext): TaskEvent[] {
  const command = parseCommandWith(taskCommandSchema, input);
  const life = state.life;
  switch (command.type) {
    case 'CreateTask': {
      assertNew(life, TASK, ctx.id);
      const data = {
        title: command.title,
        description: command.description ?? null,
        priority: command.priority ?? 'medium',
        link: command.link ?? null,
        due: command.due ?? null,
      };
      return [{ type: 'TaskCreated', data }];
    }
    case 'UpdateTask': {
      assertEditable(life, TASK, ctx.id);
      const changes = diff(state.fields, command.fields);
      return isEmpty(changes) ? [] : [{ type: 'TaskUpdated', data: { changes } }];
    }
    case 'CompleteTask':
      assertEditable(life, TASK, ctx.id);
      if (state.completedAt !== null) {
        throw new DomainError('TASK_ALREADY_COMPLETED', 'This task is already done.', {
          completedAt: state.completedAt,
        });
      }
      return [{ type: 'TaskCompleted', data: { at: command.at ?? ctx.now.toISOString() } }];
    case 'ReopenTask':
      assertEditable(life, TASK, ctx.id);
      if (state.completedAt === null)
        throw new DomainError('TASK_NOT_COMPLETED', 'This task is not done: it is already open.');
      return [{ type: 'TaskReopened', data: null }];
    case 'RescheduleTask':
      assertEditable(life, TASK, ctx.id);
      return sameValue(state.due, command.due)
        ? []
        : [{ type: 'TaskRescheduled', data: { due: { from: state.due, to: command.due } } }];
    case 'SnoozeTaskReminder':
      assertEditable(life, TASK, ctx.id);
      if (state.completedAt !== null) {
        throw new DomainError('TASK_ALREADY_COMPLETED', 'This task is done: it has no reminder to snooze.');
      }
      if (state.due === null)
        throw new DomainError('NO_DUE_DATE', 'This task has no due date, so no reminder to snooze.');
      if (Date.parse(command.until) <= ctx.now.getTime()) {
        throw new DomainError('SNOOZE_IN_PAST', 'Snooze the reminder to a time in the future.', {
          until: command.until,
        });
      }
      return [{ type: 'TaskReminderSnoozed', data: { until: command.until } }];
    case 'DismissTaskReminder':
      assertEditable(life, TASK, ctx.id);
      if (state.completedAt !== null)
        throw new DomainError('TASK_ALREADY_COMPLETED', 'This task is done: it has no reminder to dismiss.');
      if (state.due === null)
        throw new DomainError('NO_DUE_DATE', 'This task has no due date, so no reminder to dismiss.');
      return state.reminderDismissed ? [] : [{ type: 'TaskReminderDismissed', data: null }];
    case 'TrashTask':
      return lifecycleEvents(life, 'trash', TASK, ctx.id, 'TaskTrashed');
    case 'RestoreTask':
      return lifecycleEvents(life, 'restore', TASK, ctx.id, 'TaskRestored');
  }
}

function evolve(state: TaskState, event: TaskEvent): TaskState {
  const op = lifecycleOpOf('Task', event.type);
  if (op) return { ...state, life: evolveLifecycle(state.life, op) };
  switch (event.type) {
    case 'TaskCreated': {
      const { due, ...fields } = event.data;
      return { ...state, life: { ...state.life, created: true }, fields, due };
    }
    case 'TaskUpdated':
      return { ...state, fields: applyChanges(state.fields, event.data.changes) };
    case 'TaskCompleted':
      return { ...state, completedAt: event.data.at, snoozedUntil: null, reminderDismissed: false };
    case 'TaskReopened':
      return { ...state, completedAt: null };
    case 'TaskRescheduled':
      return { ...state, due: event.data.due.to, snoozedUntil: null, reminderDismissed: false };
    case 'TaskReminderSnoozed':
      return { ...state, snoozedUntil: event.data.until, reminderDismissed: false };
    case 'TaskReminderDismissed':
      return { ...state, reminderDismissed: true };
    default:
      return state;
  }
}

/** The Task aggregate definition. */
export const taskAggregate: Aggregate<TaskState, TaskCommand, TaskEvent> = {
  type: TASK,
  initialState,
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(taskCommandSchema, input),
};
