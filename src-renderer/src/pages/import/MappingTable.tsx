/**
 * The column mapping of an import: one row per column of the file, with a sample value and the field it feeds
 * (guessed by the backend, editable here).
 * @module
 */
import { targetsOf, type ColumnMapping, type ImportKind } from '../../../../core/crm/transfer/mapping.js';
import { targetLabel } from './import-file.js';

/** Props of {@link MappingTable}. */
export interface MappingTableProps {
  kind: ImportKind;
  headers: string[];
  /** The first data row, shown as an example of each column. */
  sample: string[];
  mapping: ColumnMapping;
  onChange(index: number, target: string | null): void;
}

/** The editable mapping. */
export function MappingTable({ kind, headers, sample, mapping, onChange }: MappingTableProps) {
  // The kind's fields, plus the custom fields the backend's guess used (it knows their definitions).
  const targets = [
    ...targetsOf(kind),
    ...new Set(mapping.filter((t): t is string => t?.startsWith('custom:') ?? false)),
  ];
  return (
    <table className="import-table" aria-label="Column mapping">
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Example</th>
          <th scope="col">Imports as</th>
        </tr>
      </thead>
      <tbody>
        {headers.map((header, i) => (
          <tr key={i}>
            <th scope="row">{header || `(column ${i + 1})`}</th>
            <td className="muted">{sample[i] ?? ''}</td>
            <td>
              <select
                aria-label={`Import column ${header || i + 1} as`}
                value={mapping[i] ?? ''}
                onChange={(e) => onChange(i, e.target.value === '' ? null : e.target.value)}
              >
                <option value="">(ignore)</option>
                {targets.map((t) => (
                  <option key={t} value={t}>
                    {targetLabel(t)}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
