/**
 * Merging a duplicate into the contact shown: find the duplicate by name or e-mail, pick it, merge. The kept
 * contact gains the duplicate's e-mails, phones and tags and its values for empty fields; the duplicate is
 * hidden, its notes, tasks and deals move over, and the merge can be undone ("Unmerge" on the duplicate).
 * @module
 */
import { useId, useState } from 'react';
import { Field } from '../../components/ui/Field.js';
import { FormError } from '../../components/ui/FormError.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import type { ContactListRow } from './ContactList.js';

/** Props of {@link MergeDialog}. */
export interface MergeDialogProps {
  /** The contact kept. */
  target: { id: string; name: string };
  /** Called after the merge with a sentence for the status line. */
  onDone(message: string): void;
  onCancel(): void;
}

/** The merge dialog (inline, with its own search). */
export function MergeDialog({ target, onDone, onCancel }: MergeDialogProps) {
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<ContactListRow | null>(null);
  const command = useCommand();
  const titleId = useId();
  const found = useQuery<{ rows: ContactListRow[] }>('contact.list', { q: q.trim(), limit: 11 });
  const rows = q.trim() === '' ? [] : (found.data?.rows ?? []).filter((r) => r.id !== target.id).slice(0, 10);

  async function merge(): Promise<void> {
    if (!chosen) return;
    const result = await command.run('MergeContacts', { sourceId: chosen.id, targetId: target.id });
    if (result.ok) onDone(`Merged ${chosen.displayName} into ${target.name}.`);
  }

  return (
    <div
      className="dialog"
      role="dialog"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h2 id={titleId}>Merge a duplicate into {target.name}</h2>
      <p className="muted">
        The duplicate’s e-mails, phones and tags are added here, its values fill this contact’s empty fields,
        and its notes, tasks and deals move over. You can unmerge later.
      </p>
      <Field label="Find the duplicate">
        {(ids) => (
          <input
            {...ids}
            type="search"
            autoFocus
            value={q}
            maxLength={200}
            onChange={(e) => {
              setQ(e.target.value);
              setChosen(null);
            }}
          />
        )}
      </Field>
      {q.trim() !== '' && found.data && rows.length === 0 && (
        <p className="empty">No other contact matches.</p>
      )}
      {rows.length > 0 && (
        <ul className="choice-list" aria-label="Matching contacts">
          {rows.map((r) => (
            <li key={r.id}>
              <label>
                <input
                  type="radio"
                  name="merge-source"
                  checked={chosen?.id === r.id}
                  onChange={() => setChosen(r)}
                />{' '}
                {r.displayName} {r.email && <span className="muted">{r.email}</span>}
              </label>
            </li>
          ))}
        </ul>
      )}
      <FormError error={command.error} />
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!chosen || command.busy}
          onClick={() => void merge()}
        >
          {chosen ? `Merge ${chosen.displayName} into ${target.name}` : 'Merge'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
