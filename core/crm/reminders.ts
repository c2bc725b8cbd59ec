/**
 * Reminders: tasks with a due date produce reminders the shell turns into OS notifications.
 *
 * A reminder is not a record of its own: it is the task's reminder time (core/crm/read/tasks.ts
 * `reminderInstant`), so its history is the task's (the timeline shows "Snoozed the reminder of ..." and
 * "Dismissed the reminder of ..."). The user can
 * - **snooze** it: `SnoozeReminder {taskId, until | minutes}` -> `TaskReminderSnoozed`; it comes back at `until`;
 * - **dismiss** it: `DismissReminder {taskId}` -> `TaskReminderDismissed`; no reminder until the task is snoozed,
 *   rescheduled, or completed and reopened;
 * - mark the task **done**: the existing `CompleteTask {id}`.
 *
 * Queries: `reminder.due {now, utcOffsetMinutes?}` (the reminders due at `now`, in contract-queries.ts) and
 * `reminder.next {now, utcOffsetMinutes?}` -> `{at, taskId}` (the first reminder after `now`, or nulls), which is
 * what a scheduler sets its timer with (src-main/service/reminder-scheduler.ts).
 * @module
 */
import { z } from 'zod';
import { DomainError } from '../es/index.js';
import type { ProjectionQuerySpec } from './contract-queries.js';
import { idSchema, isoDateTimeSchema, taskAggregate, type TaskCommand } from './domain/index.js';
import { extensionCommand, type CrmExtension, type CrmRuntime } from './extension.js';
import { reminderInstant, tasksProjection, type NowParams, type TasksState } from './read/tasks.js';

/** Longest snooze by `minutes`: 30 days. */
export const MAX_SNOOZE_MINUTES = 30 * 24 * 60;

/** Input schemas of the reminder commands of the contract. */
export const REMINDER_COMMANDS = {
  /** Snooze the reminder of `taskId` to `until` (an ISO instant) or for `minutes` from now; give exactly one. */
  SnoozeReminder: z
    .object({
      taskId: idSchema,
      until: isoDateTimeSchema.optional(),
      minutes: z.number().int().min(1).max(MAX_SNOOZE_MINUTES).optional(),
    })
    .strict()
    .refine((i) => (i.until === undefined) !== (i.minutes === undefined), {
      message: 'Give either until (a date and time) or minutes, not both.',
    }),
  /** Dismiss the reminder of `taskId` (the task stays open). */
  DismissReminder: z.object({ taskId: idSchema }).strict(),
};

/** Params of `reminder.next` (same as `reminder.due`). */
export const reminderNextParams = z
  .object({
    now: z.string().datetime({ offset: true }),
    utcOffsetMinutes: z.number().int().min(-900).max(900).optional(),
  })
  .strict();

/** The first reminder strictly after `now`: its instant (ISO) and task, or `null`s when none is planned. */
export interface NextReminder {
  at: string | null;
  taskId: string | null;
}

/** What a reminder command did. */
export interface ReminderCommandResult {
  taskId: string;
  /** The events written (empty when nothing changed, e.g. dismissing a dismissed reminder). */
  events: string[];
  version: number;
  position: number;
}

/** The first reminder after `params.now` (see {@link NextReminder}). */
export function nextReminder(state: TasksState, params: NowParams): NextReminder {
  const now = Date.parse(params.now);
  let best: { at: number; taskId: string } | null = null;
  for (const task of Object.values(state.tasks)) {
    const at = reminderInstant(task, params.utcOffsetMinutes);
    if (at === null || at <= now) continue;
    if (!best || at < best.at || (at === best.at && task.id < best.taskId)) best = { at, taskId: task.id };
  }
  return best ? { at: new Date(best.at).toISOString(), taskId: best.taskId } : { at: null, taskId: null };
}

async function onTask(
  rt: CrmRuntime,
  taskId: string,
  command: TaskCommand,
  commandId: string | undefined,
): Promise<ReminderCommandResult> {
  if (!rt.store.has(taskAggregate.type, taskId))
    throw new DomainError('NOT_FOUND', `There is no task ${taskId}.`, { id: taskId });
  const r = await rt.store.execute(taskAggregate, taskId, command, rt.ctx, {
    ...(commandId !== undefined ? { commandId } : {}),
    waitForProjections: true,
  });
  return { taskId, events: r.events.map((e) => e.type), version: r.version, position: r.position };
}

/** Snooze and dismiss as contract commands, and the `reminder.next` query. */
export const remindersExtension: CrmExtension = {
  commands: {
    SnoozeReminder: extensionCommand(REMINDER_COMMANDS.SnoozeReminder, (rt, input, request) => {
      const until = input.until ?? new Date(Date.now() + (input.minutes ?? 0) * 60_000).toISOString();
      return onTask(rt, input.taskId, { type: 'SnoozeTaskReminder', until }, request.commandId);
    }),
    DismissReminder: extensionCommand(REMINDER_COMMANDS.DismissReminder, (rt, input, request) =>
      onTask(rt, input.taskId, { type: 'DismissTaskReminder' }, request.commandId),
    ),
  },
  projectionQueries: {
    'reminder.next': {
      params: reminderNextParams,
      projection: tasksProjection,
      run: ((state: TasksState, params: NowParams) =>
        nextReminder(state, params)) as ProjectionQuerySpec['run'],
    },
  },
};
