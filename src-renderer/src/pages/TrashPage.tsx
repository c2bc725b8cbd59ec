/**
 * Trash: every deleted record, newest first, with Restore; "Empty trash" deletes them for good after a
 * confirmation.
 * @module
 */
import { useState } from 'react';
import type { EmptyTrashResult, TrashKind, TrashRow } from '../../../core/crm/trash.js';
import { ConfirmButton } from '../components/ui/ConfirmButton.js';
import { FormError } from '../components/ui/FormError.js';
import { formatInstant } from '../format.js';
import { useCommand } from '../hooks/useCommand.js';
import { useQuery } from '../hooks/useQuery.js';
import type { Route } from '../hooks/useRoute.js';
import { actorName, kindName, restoredHref, TRASH_KINDS } from './trash/kinds.js';
import './trash/trash.css';

function TrashItem({ row, onRestored }: { row: TrashRow; onRestored(row: TrashRow): void }) {
  const command = useCommand();
  const name = row.name || '(no name)';
  return (
    <tr>
      <td>{kindName(row.kind)}</td>
      <td className="trash-name">{name}</td>
      <td>
        {formatInstant(row.trashedAt)}
        {row.trashedBy && <span className="muted"> by {actorName(row.trashedBy)}</span>}
      </td>
      <td>
        <button
          type="button"
          disabled={command.busy}
          aria-label={`Restore ${name}`}
          onClick={() =>
            void command
              .run('RestoreRecord', { kind: row.kind, id: row.id })
              .then((r) => r.ok && onRestored(row))
          }
        >
          Restore
        </button>
        <FormError error={command.error} />
      </td>
    </tr>
  );
}

/** The Trash section. */
export function TrashPage({ route: _route }: { route: Route }) {
  const [kind, setKind] = useState<TrashKind | ''>('');
  const trash = useQuery<{ total: number; rows: TrashRow[] }>('trash.list', kind ? { kind } : {});
  const empty = useCommand();
  const [notice, setNotice] = useState<{ text: string; href?: string | null }>({ text: '' });
  const rows = trash.data?.rows ?? [];

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Trash</h1>
        {rows.length > 0 && (
          <ConfirmButton
            label="Empty trash"
            question={
              kind
                ? `Delete the ${rows.length} ${kindName(kind).toLowerCase()} record(s) in the trash for good?`
                : `Delete all ${rows.length} records in the trash for good? This cannot be undone.`
            }
            confirmLabel="Delete for good"
            disabled={empty.busy}
            onConfirm={() =>
              void empty.run('EmptyTrash', kind ? { kind } : {}).then((r) => {
                if (r.ok) {
                  const n = (r.value as EmptyTrashResult).purged.length;
                  setNotice({ text: `Deleted ${n} record${n === 1 ? '' : 's'} for good.` });
                  // The purge notifies before its streams are gone: read the list again now.
                  trash.reload();
                }
              })
            }
          />
        )}
      </header>
      <p className="muted">Deleted records wait here with their links; restoring one brings it back whole.</p>
      <label className="inline-label">
        Show{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as TrashKind | '')}>
          <option value="">Everything</option>
          {TRASH_KINDS.map(([k, name]) => (
            <option key={k} value={k}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <FormError error={empty.error} />
      <p role="status" className="notice">
        {notice.text} {notice.href && <a href={notice.href}>Open it</a>}
      </p>
      {trash.error && (
        <p role="alert" className="error">
          Could not load the trash: {trash.error.message}
        </p>
      )}
      {trash.data && rows.length === 0 && <p className="empty">The trash is empty.</p>}
      {rows.length > 0 && (
        <table className="trash-table" aria-label="Deleted records">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">Deleted</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <TrashItem
                key={`${row.kind}/${row.id}`}
                row={row}
                onRestored={(r) =>
                  setNotice({ text: `Restored ${r.name || 'the record'}.`, href: restoredHref(r.kind, r.id) })
                }
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
