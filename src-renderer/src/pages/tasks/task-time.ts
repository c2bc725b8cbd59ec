/**
 * Time for the Tasks section: the `now` the task queries group by (with the local UTC offset, since due dates
 * are local), due dates from form inputs, and how a due date reads.
 * @module
 */
import type { Due } from '../../../../core/crm/domain/task.js';

/** The params `task.list` and `reminder.due` take. */
export interface NowParams {
  now: string;
  utcOffsetMinutes: number;
}

/**
 * `date` as query params, cut to the minute: the params are compared by their JSON, so a value that changed
 * every millisecond would re-run the query on every render.
 */
export function nowParams(date: Date): NowParams {
  const minute = new Date(Math.floor(date.getTime() / 60_000) * 60_000);
  // getTimezoneOffset is minutes *behind* UTC (UTC+1 gives -60); the backend wants minutes ahead.
  return { now: minute.toISOString(), utcOffsetMinutes: -minute.getTimezoneOffset() || 0 };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The local day of `date` as `YYYY-MM-DD` (what a date input holds). */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local day `days` after `date`'s. */
export function addDays(date: Date, days: number): string {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
  return localDay(d);
}

/** A due date from a date input and an optional time input (`''` = none); `null` when there is no date. */
export function dueOf(date: string, time: string): Due | null {
  if (date.trim() === '') return null;
  return { date: date.trim(), time: time.trim() === '' ? null : time.trim() };
}

/** How a due date reads next to a task: "Today", "Tomorrow 09:30", "Yesterday", or "2026-12-24 18:00". */
export function describeDue(due: Due | null, today: Date): string {
  if (!due) return 'No due date';
  const names: Record<string, string> = {
    [localDay(today)]: 'Today',
    [addDays(today, 1)]: 'Tomorrow',
    [addDays(today, -1)]: 'Yesterday',
  };
  const day = names[due.date] ?? due.date;
  return due.time ? `${day} ${due.time}` : day;
}
