/**
 * The tasks linked to a record: open ones (overdue first), completed ones, a checkbox to complete or reopen
 * each, and a small form to add one with an optional due date and time.
 * @module
 */
import { useState, type FormEvent } from 'react';
import { fieldMessages } from '../../errors.js';
import { formatDate } from '../../format.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { Field, TextField } from '../ui/Field.js';
import { FormError } from '../ui/FormError.js';
import { nowParams, taskInput, type RecordLink } from './record-inputs.js';

interface TaskRowView {
  id: string;
  title: string;
  priority: 'low' | 'medium' | 'high';
  due: { date: string; time: string | null } | null;
  completedAt: string | null;
}

interface TaskGroupsView {
  overdue: TaskRowView[];
  today: TaskRowView[];
  upcoming: TaskRowView[];
  noDate: TaskRowView[];
  completed: TaskRowView[];
}

/** One task with its complete / reopen checkbox. */
function TaskItem({ task, overdue }: { task: TaskRowView; overdue: boolean }) {
  const toggle = useCommand();
  const done = task.completedAt !== null;
  return (
    <li className={`task${done ? ' done' : ''}${overdue ? ' overdue' : ''}`}>
      <label>
        <input
          type="checkbox"
          checked={done}
          disabled={toggle.busy}
          onChange={() => void toggle.run(done ? 'ReopenTask' : 'CompleteTask', { id: task.id })}
        />{' '}
        {task.title}
      </label>
      {task.due && (
        <span className="muted">
          {' '}
          · {overdue ? 'overdue, ' : ''}due {formatDate(task.due.date)}
          {task.due.time ? ` ${task.due.time}` : ''}
        </span>
      )}
      {task.priority === 'high' && <span className="badge">High</span>}
      <FormError error={toggle.error} />
    </li>
  );
}

/** The tasks panel of `record`. */
export function TasksPanel({ record }: { record: RecordLink }) {
  // "Now" is fixed per visit: a query's params must not change on every render.
  const [now] = useState(() => nowParams());
  const tasks = useQuery<TaskGroupsView>('task.forRecord', { ...record, ...now });
  const [form, setForm] = useState({ title: '', dueDate: '', dueTime: '' });
  const add = useCommand();
  const errors = add.error ? fieldMessages(add.error) : {};
  const g = tasks.data;
  const open = g ? [...g.overdue, ...g.today, ...g.upcoming, ...g.noDate] : [];
  const overdue = new Set(g?.overdue.map((t) => t.id));

  async function onSubmit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const result = await add.run('CreateTask', taskInput(form, record));
    if (result.ok) setForm({ title: '', dueDate: '', dueTime: '' });
  }

  return (
    <section className="panel" aria-labelledby="tasks-title">
      <h2 id="tasks-title">Tasks</h2>
      {tasks.error && (
        <p role="alert" className="error">
          Could not load the tasks: {tasks.error.message}
        </p>
      )}
      {g && open.length === 0 && g.completed.length === 0 && <p className="empty">No tasks yet.</p>}
      {open.length > 0 && (
        <ul className="tasks" aria-label="Open tasks">
          {open.map((t) => (
            <TaskItem key={t.id} task={t} overdue={overdue.has(t.id)} />
          ))}
        </ul>
      )}
      {g && g.completed.length > 0 && (
        <details>
          <summary>Completed ({g.completed.length})</summary>
          <ul className="tasks" aria-label="Completed tasks">
            {g.completed.map((t) => (
              <TaskItem key={t.id} task={t} overdue={false} />
            ))}
          </ul>
        </details>
      )}
      <form aria-label="Add a task" onSubmit={(e) => void onSubmit(e)}>
        <TextField
          label="New task"
          value={form.title}
          maxLength={200}
          onChange={(title) => setForm((f) => ({ ...f, title }))}
          error={errors.title}
        />
        <div className="form-row">
          <TextField
            label="Due date"
            type="date"
            value={form.dueDate}
            onChange={(dueDate) => setForm((f) => ({ ...f, dueDate }))}
            error={errors['due.date']}
          />
          <Field label="Due time" error={errors['due.time']}>
            {(a) => (
              <input
                {...a}
                type="time"
                value={form.dueTime}
                onChange={(e) => setForm((f) => ({ ...f, dueTime: e.target.value }))}
              />
            )}
          </Field>
        </div>
        {errors.title === undefined && <FormError error={add.error} />}
        <button type="submit" disabled={add.busy}>
          Add task
        </button>
      </form>
    </section>
  );
}
