/**
 * The notes on a record: add one, read them newest first, delete one (to the trash).
 * @module
 */
import { useState, type FormEvent } from 'react';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { formatInstant } from '../../format.js';
import { fieldMessages } from '../../errors.js';
import { Field } from '../ui/Field.js';
import { FormError } from '../ui/FormError.js';
import { linksTo, noteInput, type RecordLink } from './record-inputs.js';
import { useLinkedIds } from './useLinkedIds.js';

interface NoteRecord {
  state: {
    life: { trashed: boolean };
    fields: { body: string; link: { kind: string; id: string } };
  };
}

/** One note, read from its own record (the timeline keeps only a clipped copy of the text). */
function NoteItem({ id, at, record }: { id: string; at: string; record: RecordLink }) {
  const note = useQuery<NoteRecord>('record.get', { kind: 'note', id });
  const trash = useCommand();
  const s = note.data?.state;
  if (!s || s.life.trashed || !linksTo(s.fields.link, record)) return null;
  return (
    <li className="note">
      <p className="note-body">{s.fields.body}</p>
      <time className="muted" dateTime={at}>
        {formatInstant(at)}
      </time>
      <button
        type="button"
        className="small"
        aria-label="Delete note"
        disabled={trash.busy}
        onClick={() => void trash.run('TrashNote', { id })}
      >
        Delete
      </button>
      <FormError error={trash.error} />
    </li>
  );
}

/** The notes panel of `record`. */
export function NotesPanel({ record }: { record: RecordLink }) {
  const ids = useLinkedIds(record, 'note');
  const [body, setBody] = useState('');
  const add = useCommand();
  const bodyError = add.error ? fieldMessages(add.error).body : undefined;

  async function onSubmit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const result = await add.run('CreateNote', noteInput(body, record));
    if (result.ok) setBody('');
  }

  return (
    <section className="panel" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      <form aria-label="Add a note" onSubmit={(e) => void onSubmit(e)}>
        <Field label="New note" error={bodyError}>
          {(a) => (
            <textarea
              {...a}
              rows={3}
              maxLength={100_000}
              value={body}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
        </Field>
        {bodyError === undefined && <FormError error={add.error} />}
        <button type="submit" disabled={add.busy}>
          Add note
        </button>
      </form>
      {ids && ids.length === 0 && <p className="empty">No notes yet.</p>}
      <ul className="notes" aria-label="Notes">
        {(ids ?? []).map((n) => (
          <NoteItem key={n.id} id={n.id} at={n.at} record={record} />
        ))}
      </ul>
    </section>
  );
}
