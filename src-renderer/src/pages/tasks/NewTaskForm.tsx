/**
 * The "New task" form: title, due date and time, priority, and the record it is linked to (if any).
 * @module
 */
import { useState, type FormEvent } from 'react';
import type { Priority } from '../../../../core/crm/domain/task.js';
import { LinkPicker, linkOf, type LinkChoice } from '../../components/record/LinkPicker.js';
import { Field, TextField } from '../../components/ui/Field.js';
import { FormError } from '../../components/ui/FormError.js';
import { fieldMessages } from '../../errors.js';
import { useCommand } from '../../hooks/useCommand.js';
import { dueOf, localDay } from './task-time.js';

/** The priorities in the order the picker lists them. */
export const PRIORITIES: readonly Priority[] = ['low', 'medium', 'high'];

/** Creates a task; calls `onSaved` with its title once the backend accepted it. */
export function NewTaskForm({ onSaved, onCancel }: { onSaved(title: string): void; onCancel(): void }) {
  const command = useCommand();
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(() => localDay(new Date()));
  const [time, setTime] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const [link, setLink] = useState<LinkChoice>({ kind: '', id: '' });
  const [linkMissing, setLinkMissing] = useState(false);
  const errors = command.error ? fieldMessages(command.error) : {};

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const linked = linkOf(link);
    setLinkMissing(link.kind !== '' && !linked);
    if (link.kind !== '' && !linked) return;
    const result = await command.run('CreateTask', {
      title,
      priority,
      due: dueOf(date, time),
      ...(linked ? { link: linked } : {}),
    });
    if (result.ok) onSaved(title.trim());
  }

  return (
    <form className="form" aria-label="New task" onSubmit={(e) => void submit(e)}>
      <TextField
        label="Title"
        value={title}
        onChange={setTitle}
        error={errors.title}
        autoFocus
        maxLength={200}
      />
      <div className="form-row">
        <TextField label="Due date" type="date" value={date} onChange={setDate} error={errors['due.date']} />
        <Field label="Time" error={errors['due.time']}>
          {(ids) => <input {...ids} type="time" value={time} onChange={(e) => setTime(e.target.value)} />}
        </Field>
        <Field label="Priority" error={errors.priority}>
          {(ids) => (
            <select {...ids} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p[0]!.toUpperCase() + p.slice(1)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <LinkPicker
        value={link}
        onChange={setLink}
        error={linkMissing ? 'Pick the record, or link to nothing.' : (errors.link ?? errors['link.id'])}
      />
      <FormError error={command.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={command.busy}>
          Save task
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
