/**
 * The reminders due now, as a banner above the task lists (each with the record its task is linked to): snooze
 * each for a while, mark it done, or dismiss it.
 * @module
 */
import type { Reminder } from '../../../../core/crm/read/tasks.js';
import { LinkedRecordLink, useLinkedNames } from '../../components/record/LinkedRecordLink.js';
import type { LinkedNames } from '../../components/record/record-names.js';
import { FormError } from '../../components/ui/FormError.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import type { NowParams } from './task-time.js';

/** How long "Snooze" puts a reminder off. */
const SNOOZE_MINUTES = 60;

function ReminderItem({ reminder, names }: { reminder: Reminder; names: LinkedNames }) {
  const command = useCommand();
  const { task } = reminder;
  return (
    <li>
      <span className="reminder-title">{task.title}</span>
      {task.link && <LinkedRecordLink link={task.link} names={names} />}
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
  const names = useLinkedNames((reminders.data ?? []).map((r) => r.task.link));
  if (!reminders.data || reminders.data.length === 0) return null;
  return (
    <section className="reminders" aria-label="Reminders" role="region">
      <h2>Reminders</h2>
      <ul>
        {reminders.data.map((r) => (
          <ReminderItem key={r.task.id} reminder={r} names={names} />
        ))}
      </ul>
    </section>
  );
}
