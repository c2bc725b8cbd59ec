/**
 * One task in a list: a checkbox to complete or reopen it, the record it is linked to, its due date and
 * priority, reschedule and delete.
 * @module
 */
import { useState } from 'react';
import type { TaskRow } from '../../../../core/crm/read/tasks.js';
import { LinkedRecordLink } from '../../components/record/LinkedRecordLink.js';
import type { LinkedNames } from '../../components/record/record-names.js';
import { FormError } from '../../components/ui/FormError.js';
import { useCommand } from '../../hooks/useCommand.js';
import { describeDue, dueOf } from './task-time.js';

/**
 * A task row with its actions; `today` words the due date ("Today", "Tomorrow"); `names` names the linked
 * record (looked up by the list, for all its rows at once).
 */
export function TaskItem({ task, today, names }: { task: TaskRow; today: Date; names: LinkedNames }) {
  const command = useCommand();
  const [rescheduling, setRescheduling] = useState(false);
  const [date, setDate] = useState(task.due?.date ?? '');
  const [time, setTime] = useState(task.due?.time ?? '');
  const done = task.completedAt !== null;

  async function reschedule(): Promise<void> {
    const result = await command.run('RescheduleTask', { id: task.id, due: dueOf(date, time) });
    if (result.ok) setRescheduling(false);
  }

  return (
    <li className={`task priority-${task.priority}${done ? ' done' : ''}`}>
      <div className="task-main">
        <input
          type="checkbox"
          checked={done}
          disabled={command.busy}
          aria-label={done ? `Reopen ${task.title}` : `Complete ${task.title}`}
          onChange={() => void command.run(done ? 'ReopenTask' : 'CompleteTask', { id: task.id })}
        />
        <span className="task-title">{task.title}</span>
        {task.link && <LinkedRecordLink link={task.link} names={names} />}
        <span className="task-due">{describeDue(task.due, today)}</span>
        <span className="task-priority">{task.priority}</span>
        {!done && (
          <button type="button" onClick={() => setRescheduling((r) => !r)} aria-expanded={rescheduling}>
            Reschedule
          </button>
        )}
        <button
          type="button"
          className="danger"
          disabled={command.busy}
          aria-label={`Delete ${task.title}`}
          onClick={() => void command.run('TrashTask', { id: task.id })}
        >
          Delete
        </button>
      </div>
      {rescheduling && (
        <form
          className="task-reschedule"
          aria-label={`Reschedule ${task.title}`}
          onSubmit={(e) => {
            e.preventDefault();
            void reschedule();
          }}
        >
          <label>
            New date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <label>
            Time <input type="time" value={time} onChange={(e) => setTime(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={command.busy}>
            Save date
          </button>
        </form>
      )}
      <FormError error={command.error} />
    </li>
  );
}
