/**
 * The reminder scheduler: turns the backend's reminders into `notify(reminder)` calls, each once, at its time.
 * Plain Node (no Electron), so it is tested with a real backend and a fake clock; the Electron glue
 * (src-main/electron/notifications.ts) only shows what it is given.
 *
 * How it plans: it asks `reminder.due {now}` and notifies every reminder it has not notified yet, then asks
 * `reminder.next {now}` and sets one timer for that instant. A timer never waits longer than `maxWaitMs`
 * (default a minute), so a wall-clock change or a sleep that timers do not see is caught up within that time;
 * the shell also calls `replan()` on resume from sleep, and `onChange` re-plans when a change notification names
 * the reminder queries (a task created, snoozed, dismissed, completed).
 *
 * Once: a reminder is keyed by task and instant (`taskId@at`); a snooze gives it a new instant, so it fires
 * again then. Keys are kept while the scheduler lives (`stop()` / `start()` keep them) and dropped when the
 * reminder is no longer due. Across an app restart nothing is kept: a reminder still due at launch (neither
 * snoozed, dismissed nor done) is shown once more, on purpose, so an ignored reminder is not lost.
 * @module
 */
import type { BackendResult, ChangeNotification, QueryRequest } from '../../core/crm/backend.js';
import type { Reminder } from '../../core/crm/read/tasks.js';
import type { NextReminder } from '../../core/crm/reminders.js';

/** Time for the scheduler: the wall clock, the user's UTC offset, and timers (which run on elapsed time). */
export interface SchedulerClock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** The user's offset from UTC in minutes at `at` (e.g. 60 for UTC+1): due dates and times are local. */
  utcOffsetMinutes(at: number): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The system clock and Node's timers. */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  utcOffsetMinutes: (at) => -new Date(at).getTimezoneOffset(),
  setTimer: (callback, ms) => {
    const t = setTimeout(callback, ms);
    t.unref(); // a pending reminder must not keep the process alive
    return t;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Options of {@link createReminderScheduler}. */
export interface ReminderSchedulerOptions {
  /** The backend's `query` (it must answer `reminder.due` and `reminder.next`). */
  query(request: QueryRequest): Promise<BackendResult>;
  /** Shows one reminder. A throw or rejection is reported to `onError`; the reminder counts as notified. */
  notify(reminder: Reminder): void | Promise<void>;
  clock?: SchedulerClock;
  /** Longest a timer waits before re-planning (default 60,000 ms). */
  maxWaitMs?: number;
  /** A failed query or notification (the scheduler retries after `maxWaitMs`). */
  onError?(error: unknown): void;
}

/** A running scheduler. */
export interface ReminderScheduler {
  /** Plans now and keeps planning (idempotent). */
  start(): void;
  /** Plans again now (after a change, a resume from sleep, a clock change); resolves when that plan is done. */
  replan(): Promise<void>;
  /** A backend change notification: re-plans when it names a reminder query. */
  onChange(notification: ChangeNotification): void;
  /** Resolves when no plan is running. */
  settled(): Promise<void>;
  /** Cancels the timer; nothing fires until `start()` again. */
  stop(): void;
}

const REMINDER_QUERIES = new Set(['reminder.due', 'reminder.next']);

/** A failed backend result, as an error for `onError`. */
export class ReminderQueryError extends Error {
  constructor(
    readonly query: string,
    readonly code: string,
    message: string,
  ) {
    super(`${query} failed (${code}): ${message}`);
    this.name = 'ReminderQueryError';
  }
}

/** Creates a scheduler (not started): see the module comment. */
export function createReminderScheduler(options: ReminderSchedulerOptions): ReminderScheduler {
  const clock = options.clock ?? systemClock;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const onError = options.onError ?? (() => {});
  const notified = new Set<string>();
  let started = false;
  let timer: unknown = null;
  let running: Promise<void> | null = null;
  let again = false;

  async function ask<T>(query: string, now: number): Promise<T> {
    const r = await options.query({
      query,
      params: { now: new Date(now).toISOString(), utcOffsetMinutes: clock.utcOffsetMinutes(now) },
    });
    if (!r.ok) throw new ReminderQueryError(query, r.error.code, r.error.message);
    return r.value as T;
  }

  function setTimer(ms: number): void {
    if (timer !== null) clock.clearTimer(timer);
    timer = clock.setTimer(
      () => {
        timer = null;
        void replan();
      },
      Math.max(0, Math.min(ms, maxWaitMs)),
    );
  }

  async function planOnce(): Promise<void> {
    try {
      const now = clock.now();
      const due = await ask<Reminder[]>('reminder.due', now);
      const keys = new Set(due.map((r) => `${r.task.id}@${r.at}`));
      for (const key of [...notified]) if (!keys.has(key)) notified.delete(key);
      for (const r of due) {
        const key = `${r.task.id}@${r.at}`;
        if (notified.has(key) || !started) continue;
        notified.add(key);
        try {
          await options.notify(r);
        } catch (err) {
          onError(err);
        }
      }
      const next = await ask<NextReminder>('reminder.next', now);
      if (started) setTimer(next.at === null ? maxWaitMs : Date.parse(next.at) - clock.now());
    } catch (err) {
      onError(err);
      if (started) setTimer(maxWaitMs);
    }
  }

  function replan(): Promise<void> {
    if (!started) return Promise.resolve();
    if (running) {
      // A plan is in flight with what was true when it started: run one more after it.
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await planOnce();
      } while (again && started);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    start() {
      if (started) return;
      started = true;
      void replan();
    },
    replan,
    onChange(notification) {
      if (notification.changed.some((name) => REMINDER_QUERIES.has(name))) void replan();
    },
    settled: () => running ?? Promise.resolve(),
    stop() {
      started = false;
      if (timer !== null) clock.clearTimer(timer);
      timer = null;
    },
  };
}
