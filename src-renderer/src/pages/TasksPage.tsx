/**
 * Tasks: reminders due now, then open tasks grouped overdue / today / upcoming / no date, and the done ones;
 * each names the record it is linked to.
 * @module
 */
import { useState } from 'react';
import type { TaskGroups, TaskRow } from '../../../core/crm/read/tasks.js';
import { useLinkedNames } from '../components/record/LinkedRecordLink.js';
import type { LinkedNames } from '../components/record/record-names.js';
import { useQuery } from '../hooks/useQuery.js';
import type { Route } from '../hooks/useRoute.js';
import { NewTaskForm } from './tasks/NewTaskForm.js';
import { RemindersBanner } from './tasks/RemindersBanner.js';
import { TaskItem } from './tasks/TaskItem.js';
import { nowParams } from './tasks/task-time.js';
import { useNow } from './tasks/useNow.js';
import './tasks/tasks.css';

const GROUPS: readonly (readonly [keyof TaskGroups, string])[] = [
  ['overdue', 'Overdue'],
  ['today', 'Today'],
  ['upcoming', 'Upcoming'],
  ['noDate', 'No due date'],
  ['completed', 'Done'],
];

function TaskGroup({
  heading,
  tasks,
  today,
  names,
}: {
  heading: string;
  tasks: TaskRow[];
  today: Date;
  names: LinkedNames;
}) {
  const id = `tasks-${heading.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="task-group" aria-labelledby={id}>
      <h2 id={id}>
        {heading} <span className="count">{tasks.length}</span>
      </h2>
      <ul className="task-list" aria-label={heading}>
        {tasks.map((t) => (
          <TaskItem key={t.id} task={t} today={today} names={names} />
        ))}
      </ul>
    </section>
  );
}

/** The Tasks section. */
export function TasksPage({ route: _route }: { route: Route }) {
  const now = useNow();
  const params = nowParams(now);
  const groups = useQuery<TaskGroups>('task.list', { ...params });
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState('');
  const empty = groups.data && GROUPS.every(([key]) => groups.data![key].length === 0);
  // The names of every linked record on the page, in one query per kind.
  const names = useLinkedNames(GROUPS.flatMap(([key]) => groups.data?.[key] ?? []).map((t) => t.link));

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Tasks</h1>
        {!adding && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setAdding(true);
              setNotice('');
            }}
          >
            New task
          </button>
        )}
      </header>
      <RemindersBanner now={params} />
      {adding && (
        <NewTaskForm
          onSaved={(title) => {
            setAdding(false);
            setNotice(`Saved ${title}.`);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <p role="status" className="notice">
        {notice}
      </p>
      {groups.error && (
        <p role="alert" className="error">
          Could not load the tasks: {groups.error.message}
        </p>
      )}
      {empty && <p className="empty">No tasks yet. Add the first one.</p>}
      {groups.data &&
        GROUPS.map(([key, heading]) =>
          groups.data![key].length > 0 ? (
            <TaskGroup key={key} heading={heading} tasks={groups.data![key]} today={now} names={names} />
          ) : null,
        )}
    </section>
  );
}
