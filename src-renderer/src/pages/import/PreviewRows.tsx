/**
 * The first rows of an import preview: what each would become, and which are duplicates or invalid.
 * @module
 */
import type { PreviewRow } from '../../../../core/crm/transfer/import-rows.js';
import { describeDuplicate, recordSummary } from './import-file.js';

/** How many preview rows are shown. */
const SHOWN = 20;

const STATUS: Record<PreviewRow['status'], string> = {
  new: 'New',
  duplicate: 'Duplicate',
  invalid: 'Invalid',
  blank: 'Blank',
};

/** The preview's first rows. */
export function PreviewRows({ rows }: { rows: PreviewRow[] }) {
  return (
    <table className="import-table" aria-label="Preview">
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Status</th>
          <th scope="col">Record</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, SHOWN).map((r) => (
          <tr key={r.row} className={`status-${r.status}`}>
            <td>{r.row}</td>
            <td>{STATUS[r.status]}</td>
            <td>{recordSummary(r.record)}</td>
            <td>
              {[
                ...r.errors,
                ...(r.duplicate ? [describeDuplicate(r.duplicate)] : []),
                ...(r.company && r.company.existingId === null
                  ? [`Creates the company ${r.company.name}`]
                  : []),
              ].join('; ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
