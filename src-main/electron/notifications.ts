/**
 * Reminders as OS notifications (Electron only; the planning is in service/reminder-scheduler.ts, tested there).
 * Each notification offers **Snooze 10 min** (`SnoozeReminder {taskId, minutes: 10}`) and **Done**
 * (`CompleteTask {id}`); clicking it brings a window to the front. Action buttons exist on macOS only; on Windows
 * and Linux the notification shows the task and a click opens the app.
 * @module
 */
import { Notification } from 'electron';
import type { CrmBackend } from '../../core/crm/backend.js';
import type { Reminder } from '../../core/crm/read/tasks.js';
import type { Logger } from '../../core/log/index.js';
import { createReminderScheduler, type ReminderScheduler } from '../service/reminder-scheduler.js';

/** How long "Snooze" snoozes. */
export const SNOOZE_MINUTES = 10;

/** Options of {@link startReminderNotifications}. */
export interface ReminderNotificationOptions {
  backend: CrmBackend;
  logger: Logger;
  /** Brings a window to the front (a click on the notification). */
  focus(): void;
}

/** Shows one reminder with its Snooze and Done actions wired to the backend. */
function showReminder(reminder: Reminder, options: ReminderNotificationOptions): Notification {
  const { backend, logger } = options;
  const task = reminder.task;
  const n = new Notification({
    title: task.title,
    body: task.description ?? `Due ${task.due ? `${task.due.date} ${task.due.time ?? ''}`.trim() : ''}`,
    actions: [
      { type: 'button', text: `Snooze ${SNOOZE_MINUTES} min` },
      { type: 'button', text: 'Done' },
    ],
  });
  const run = (command: string, input: Record<string, unknown>) =>
    void backend.execute({ command, input }).then((r) => {
      if (!r.ok) logger.warn(`reminder action ${command} failed: ${r.error.message}`, { code: r.error.code });
    });
  n.on('action', (_event, index) => {
    if (index === 0) run('SnoozeReminder', { taskId: task.id, minutes: SNOOZE_MINUTES });
    else if (index === 1) run('CompleteTask', { id: task.id });
  });
  n.on('click', () => options.focus());
  n.show();
  return n;
}

/**
 * Starts the reminder scheduler with OS notifications, re-planning on the backend's change notifications.
 * Returns the scheduler (the shell calls `replan()` on resume from sleep and `stop()` on quit).
 */
export function startReminderNotifications(options: ReminderNotificationOptions): ReminderScheduler & {
  close(): void;
} {
  if (!Notification.isSupported()) options.logger.warn('OS notifications are not supported here');
  // Notifications are kept referenced until closed, or the garbage collector may drop their action handlers.
  const shown = new Set<Notification>();
  const scheduler = createReminderScheduler({
    query: (q) => options.backend.query(q),
    notify: (reminder) => {
      if (!Notification.isSupported()) return;
      const n = showReminder(reminder, options);
      shown.add(n);
      n.on('close', () => shown.delete(n));
    },
    onError: (error) => options.logger.warn('reminders could not be planned', { error: String(error) }),
  });
  const unsubscribe = options.backend.subscribe((n) => scheduler.onChange(n));
  scheduler.start();
  return {
    ...scheduler,
    close() {
      unsubscribe();
      scheduler.stop();
      for (const n of shown) n.close();
      shown.clear();
    },
  };
}
