/**
 * The reminders due now, as a banner above the task lists: snooze each for a while, mark it done, or dismiss it.
 * @module
 */
import type { Reminder } from '../../../../core/crm/read/tasks.js';
import { FormError } from '../../components/ui/FormError.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import type { NowParams } from './task-time.js';

/** How long "Snooze" puts a reminder off. */
const SNOOZE_MINUTES = 60;

function ReminderItem({ reminder }: { reminder: Reminder }) {
  const command = useCommand();
  const { task } = reminder;
  return (
    <li>
      <span className="reminder-title">{task.title}</span>
      <button
        type="button"
        disabled={command.busy}
        onClick={() => void command.run('SnoozeReminder', { taskId: task.id, minutes: SNOOZE_MINUTES })}
      >
        Snooze 1 h
      </button>
      <button
        type="button"
        className="primary"
        disabled={command.busy}
        onClick={() => void command.run('CompleteTask', { id: task.id })}
      >
        Done
      </button>
      <button
        type="button"
        disabled={command.busy}
        onClick={() => void command.run('DismissReminder', { taskId: task.id })}
      >
        Dismiss
      </button>
      <FormError error={command.error} />
    </li>
  );
}

/** The due reminders at `now`; nothing when there are none. */
export function RemindersBanner({ now }: { now: NowParams }) {
  const reminders = useQuery<Reminder[]>('reminder.due', { ...now });
  if (!reminders.data || reminders.data.length === 0) return null;
  return (
    <section className="reminders" aria-label="Reminders" role="region">
      <h2>Reminders</h2>
      <ul>
        {reminders.data.map((r) => (
          <ReminderItem key={r.task.id} reminder={r} />
        ))}
      </ul>
    </section>
  );
}
