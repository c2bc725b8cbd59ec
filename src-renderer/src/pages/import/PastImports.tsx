/**
 * The imports done so far, newest first, each with "Revert" (takes the whole import back as one operation).
 * @module
 */
import { useState } from 'react';
import type { ImportSummary, RevertResult } from '../../../../core/crm/transfer/index.js';
import { ConfirmButton } from '../../components/ui/ConfirmButton.js';
import { FormError } from '../../components/ui/FormError.js';
import { formatInstant } from '../../format.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';

function ImportItem({ item, onReverted }: { item: ImportSummary; onReverted(r: RevertResult): void }) {
  const command = useCommand();
  const what = item.kind === 'contact' ? 'contacts' : 'companies';
  return (
    <tr>
      <td>{formatInstant(item.startedAt)}</td>
      <td>{what}</td>
      <td>
        {item.rows} rows: {item.created} created, {item.updated} updated, {item.skipped} skipped,{' '}
        {item.failed} failed
      </td>
      <td>
        {item.status === 'reverted' ? (
          <span className="muted">Reverted{item.revertedAt ? ` ${formatInstant(item.revertedAt)}` : ''}</span>
        ) : (
          <ConfirmButton
            label="Revert"
            ariaLabel={`Revert the import of ${formatInstant(item.startedAt)}`}
            question={`Take back this import (${item.created} created records go to the trash)?`}
            confirmLabel="Revert import"
            disabled={command.busy}
            onConfirm={() =>
              void command
                .run('RevertImport', { importId: item.importId })
                .then((r) => r.ok && onReverted(r.value as RevertResult))
            }
          />
        )}
        <FormError error={command.error} />
      </td>
    </tr>
  );
}

/** The list of past imports. */
export function PastImports() {
  const list = useQuery<{ imports: ImportSummary[] }>('import.list');
  const [notice, setNotice] = useState('');
  // Newest first, as the backend orders them.
  const imports = list.data?.imports ?? [];
  return (
    <section className="settings-section" aria-labelledby="past-imports-title">
      <h2 id="past-imports-title">Past imports</h2>
      {list.error && (
        <p role="alert" className="error">
          Could not load the imports: {list.error.message}
        </p>
      )}
      {list.data && imports.length === 0 && <p className="empty">No imports yet.</p>}
      {imports.length > 0 && (
        <table className="import-table" aria-label="Past imports">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Of</th>
              <th scope="col">Result</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {imports.map((item) => (
              <ImportItem
                key={item.importId}
                item={item}
                onReverted={(r) =>
                  setNotice(
                    r.alreadyReverted
                      ? 'That import was already reverted.'
                      : `Reverted: ${r.trashed} records moved to the trash, ${r.restored} put back as they were${
                          r.kept.length > 0 ? `, ${r.kept.length} fields kept (changed since)` : ''
                        }.`,
                  )
                }
              />
            ))}
          </tbody>
        </table>
      )}
      <p role="status" className="notice">
        {notice}
      </p>
    </section>
  );
}
