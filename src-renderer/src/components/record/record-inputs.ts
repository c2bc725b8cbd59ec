/**
 * The record panels' pure parts: command inputs of their small forms (note, activity, task), the "now" the task
 * queries need, and how actors and timeline entries read. Tested without a browser.
 * @module
 */

/** A kind of record that has a detail view with panels. */
export type RecordKind = 'contact' | 'company' | 'deal';

/** The record a note, activity or task is linked to. */
export interface RecordLink {
  kind: RecordKind;
  id: string;
}

/** The input of `CreateNote`. */
export function noteInput(body: string, link: RecordLink): Record<string, unknown> {
  return { body, link };
}

/** Activity kinds, in the order the form offers them. */
export const ACTIVITY_KINDS = ['call', 'email', 'meeting'] as const;

/** An activity kind. */
export type ActivityKindName = (typeof ACTIVITY_KINDS)[number];

/** A `datetime-local` value (`2026-03-31T09:30`, the user's local time) as an ISO instant; blank: `now`. */
export function localToIso(local: string, now: Date = new Date()): string {
  if (local.trim() === '') return now.toISOString();
  const d = new Date(local);
  // An unparsable value is sent as typed, so the backend's message explains the expected format.
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/** The input of `LogActivity`. */
export function activityInput(
  form: { kind: ActivityKindName; when: string; summary: string },
  link: RecordLink,
  now: Date = new Date(),
): Record<string, unknown> {
  return { kind: form.kind, occurredAt: localToIso(form.when, now), summary: form.summary, link };
}

/** The input of `CreateTask`: a due date (and time) only when given. */
export function taskInput(
  form: { title: string; dueDate: string; dueTime: string },
  link: RecordLink,
): Record<string, unknown> {
  const input: Record<string, unknown> = { title: form.title, link };
  if (form.dueDate.trim() !== '') {
    input.due = { date: form.dueDate.trim(), time: form.dueTime.trim() === '' ? null : form.dueTime.trim() };
  }
  return input;
}

/** The `now` params of task queries, fixed at `at` (a query's params must not change on every render). */
export function nowParams(at: Date = new Date()): { now: string; utcOffsetMinutes: number } {
  return { now: at.toISOString(), utcOffsetMinutes: -at.getTimezoneOffset() };
}

/** Whether `actor` is one of the app's process managers (`system:<name>`), not a person. */
export function isAutomation(actor: string | null): boolean {
  return actor !== null && actor.startsWith('system:');
}

/** Who made a change, for people: "You" for the local user, "Automation" for the app's process managers. */
export function actorLabel(actor: string | null): string {
  if (actor === null) return 'Unknown';
  if (actor === 'user:local') return 'You';
  if (isAutomation(actor)) return `Automation (${actor.slice('system:'.length)})`;
  return actor.replace(/^user:/, '');
}

/** The `datetime-local` value of `d` in local time (the default of the activity form's "When"). */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A timeline line split at its arrow: `Title: CTO -> CEO` -> `{field: 'Title', from: 'CTO', to: 'CEO'}`. */
export function splitChange(line: string): { field: string; from: string; to: string } | null {
  const m = /^([^:]+): (.*) -> (.*)$/s.exec(line);
  return m ? { field: m[1] ?? '', from: m[2] ?? '', to: m[3] ?? '' } : null;
}

/**
 * The distinct `childKind` records in a timeline (`items`, newest first), newest first, each with the time of
 * its oldest entry there (its creation).
 */
export function linkedRecords(
  items: readonly { kind: string; id: string; at: string }[],
  childKind: string,
): { id: string; at: string }[] {
  const out = new Map<string, string>();
  for (const i of items) if (i.kind === childKind) out.set(i.id, i.at);
  return [...out].map(([id, at]) => ({ id, at }));
}

/** Whether a note's or activity's `link` (from its record) still points at `record` (it may have moved). */
export function linksTo(link: { kind: string; id: string } | undefined, record: RecordLink): boolean {
  return link !== undefined && link.kind === record.kind && link.id === record.id;
}
