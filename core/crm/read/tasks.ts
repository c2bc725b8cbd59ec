/**
 * The tasks read model: open tasks grouped overdue / today / upcoming / no date relative to a `now` given to the
 * query (never read at apply time), completed tasks, tasks by linked record, and reminders due.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import type { ContactEvent } from '../domain/contact.js';
import { applyChanges } from '../domain/changes.js';
import type { Due, Priority, TaskEvent, TaskFields } from '../domain/task.js';
import type { LinkedRecord } from '../domain/validation.js';
import { type Dict, domainEvent, own, put } from './util.js';

/** One task as the lists show it. */
export interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  priority: Priority;
  link: LinkedRecord | null;
  due: Due | null;
  /** ISO instant, `null` while open. */
  completedAt: string | null;
  /** ISO instant the reminder is snoozed to, or `null`. */
  snoozedUntil: string | null;
  /** The reminder was dismissed (until a snooze, reschedule or completion). */
  reminderDismissed: boolean;
  trashed: boolean;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  updatedAt: number;
}

/** The tasks state (JSON). */
export interface TasksState {
  tasks: Dict<TaskRow>;
  /** Ids of tasks erased with a forgotten contact. */
  gone: Dict<1>;
}

/** When "now" is, for grouping and reminders. */
export interface NowParams {
  /** The current instant (ISO 8601). */
  now: string;
  /** The user's offset from UTC in minutes (e.g. 60 for UTC+1) at `now`; due dates and times are local. Default 0. */
  utcOffsetMinutes?: number;
}

/** Open and completed tasks, grouped. */
export interface TaskGroups {
  /** Due before now (a date-only task is overdue from the next day), oldest due first. */
  overdue: TaskRow[];
  /** Due later today, earliest first (date-only tasks after timed ones). */
  today: TaskRow[];
  /** Due after today, earliest first. */
  upcoming: TaskRow[];
  /** Open, without a due date, newest first. */
  noDate: TaskRow[];
  /** Completed, most recently completed first. */
  completed: TaskRow[];
}

const PRIORITY_ORDER: Readonly<Record<Priority, number>> = { high: 0, medium: 1, low: 2 };

function fieldsOf(t: TaskRow): TaskFields {
  return { title: t.title, description: t.description, priority: t.priority, link: t.link };
}

function applyTask(state: TasksState, e: StoredEvent): void {
  const ev = domainEvent<TaskEvent>(e);
  const ts = e.event.ts;
  if (own(state.gone, e.streamId)) return;
  if (ev.type === 'TaskCreated') {
    const { due, ...fields } = ev.data;
    const row: TaskRow = {
      id: e.streamId,
      ...fields,
      due,
      completedAt: null,
      snoozedUntil: null,
      reminderDismissed: false,
      trashed: false,
      createdAt: ts,
      updatedAt: ts,
    };
    put(state.tasks, row.id, row);
    return;
  }
  const t = own(state.tasks, e.streamId);
  if (!t) return;
  switch (ev.type) {
    case 'TaskUpdated':
      Object.assign(t, applyChanges(fieldsOf(t), ev.data.changes));
      break;
    case 'TaskCompleted':
      Object.assign(t, { completedAt: ev.data.at, snoozedUntil: null, reminderDismissed: false });
      break;
    case 'TaskReopened':
      t.completedAt = null;
      break;
    case 'TaskRescheduled':
      Object.assign(t, { due: ev.data.due.to, snoozedUntil: null, reminderDismissed: false });
      break;
    case 'TaskReminderSnoozed':
      Object.assign(t, { snoozedUntil: ev.data.until, reminderDismissed: false });
      break;
    case 'TaskReminderDismissed':
      t.reminderDismissed = true;
      break;
    case 'TaskTrashed':
    case 'TaskRestored':
      t.trashed = ev.type === 'TaskTrashed';
      break;
    default:
      return;
  }
  t.updatedAt = ts;
}

/**
 * A forgotten contact takes its tasks with it (the erasure deletes their streams too, so a rebuild would not
 * see them either); later events of those tasks are ignored.
 */
function applyContact(state: TasksState, e: StoredEvent): void {
  if (domainEvent<ContactEvent>(e).type !== 'ContactForgotten') return;
  for (const t of Object.values(state.tasks)) {
    if (t.link?.kind === 'contact' && t.link.id === e.streamId) {
      delete state.tasks[t.id];
      put(state.gone, t.id, 1);
    }
  }
}

/** The tasks projection (subscribes to contacts only to erase the tasks of forgotten ones). */
export const tasksProjection: Projection<TasksState> = {
  name: 'crm-tasks',
  subscriptions: ['task', 'contact'],
  initialState: () => ({ tasks: {}, gone: {} }),
  apply(state, e) {
    if (e.aggregateType === 'task') applyTask(state, e);
    else if (e.aggregateType === 'contact') applyContact(state, e);
    return state;
  },
};

/** `now` in the user's local time: the day (`YYYY-MM-DD`) and the time of day (`HH:MM`). */
function localNow(params: NowParams): { day: string; time: string } {
  const local = new Date(Date.parse(params.now) + (params.utcOffsetMinutes ?? 0) * 60_000).toISOString();
  return { day: local.slice(0, 10), time: local.slice(11, 16) };
}

/** The instant (ms) a due date and time means (local midnight when there is no time). */
export function dueInstant(due: Due, utcOffsetMinutes = 0): number {
  return Date.parse(`${due.date}T${due.time ?? '00:00'}:00Z`) - utcOffsetMinutes * 60_000;
}

function byDue(a: TaskRow, b: TaskRow): number {
  const da = a.due ? `${a.due.date} ${a.due.time ?? '99:99'}` : '';
  const db = b.due ? `${b.due.date} ${b.due.time ?? '99:99'}` : '';
  if (da !== db) return da < db ? -1 : 1;
  return PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || (a.id < b.id ? -1 : 1);
}

function byNewest(key: (t: TaskRow) => string | number): (a: TaskRow, b: TaskRow) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? 1 : ka > kb ? -1 : a.id < b.id ? -1 : 1;
  };
}

function group(rows: readonly TaskRow[], params: NowParams): TaskGroups {
  const { day, time } = localNow(params);
  const out: TaskGroups = { overdue: [], today: [], upcoming: [], noDate: [], completed: [] };
  for (const t of rows) {
    if (t.trashed) continue;
    if (t.completedAt !== null) out.completed.push(t);
    else if (t.due === null) out.noDate.push(t);
    else if (t.due.date < day || (t.due.date === day && t.due.time !== null && t.due.time < time)) {
      out.overdue.push(t);
    } else if (t.due.date === day) out.today.push(t);
    else out.upcoming.push(t);
  }
  out.overdue.sort(byDue);
  out.today.sort(byDue);
  out.upcoming.sort(byDue);
  out.noDate.sort(byNewest((t) => t.createdAt));
  out.completed.sort(byNewest((t) => t.completedAt ?? ''));
  return out;
}

/** Every task (not trashed), grouped relative to `now`. */
export function taskGroups(state: TasksState, params: NowParams): TaskGroups {
  return group(Object.values(state.tasks), params);
}

/** The tasks linked to one record, grouped relative to `now`. */
export function tasksFor(state: TasksState, link: LinkedRecord, params: NowParams): TaskGroups {
  const rows = Object.values(state.tasks).filter((t) => t.link?.kind === link.kind && t.link.id === link.id);
  return group(rows, params);
}

/** The tasks in the trash, most recently changed first. */
export function trashedTasks(state: TasksState): TaskRow[] {
  return Object.values(state.tasks)
    .filter((t) => t.trashed)
    .sort(byNewest((t) => t.updatedAt));
}

/** A reminder to show: the task and when it fell due (ISO instant). */
export interface Reminder {
  task: TaskRow;
  at: string;
}

/**
 * When a task's reminder is (ms): the snooze time if snoozed, else the due date and time (local midnight for a
 * date-only task); `null` when it has none (trashed, done, no due date, dismissed).
 */
export function reminderInstant(task: TaskRow, utcOffsetMinutes = 0): number | null {
  if (task.trashed || task.completedAt !== null || task.due === null || task.reminderDismissed) return null;
  return task.snoozedUntil !== null ? Date.parse(task.snoozedUntil) : dueInstant(task.due, utcOffsetMinutes);
}

/** The reminders due at `now`: those whose {@link reminderInstant} is at or before `now`. Oldest first. */
export function remindersDue(state: TasksState, params: NowParams): Reminder[] {
  const now = Date.parse(params.now);
  const out: Reminder[] = [];
  for (const task of Object.values(state.tasks)) {
    const at = reminderInstant(task, params.utcOffsetMinutes);
    if (at !== null && at <= now) out.push({ task, at: new Date(at).toISOString() });
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.task.id < b.task.id ? -1 : 1));
}
