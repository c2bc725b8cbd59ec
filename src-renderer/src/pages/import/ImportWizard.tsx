/**
 * Importing a file: choose a CSV or vCard file, preview it with the guessed (editable) column mapping and its
 * duplicates, choose what to do with them, import it in chunks with a progress bar, see what it did.
 * @module
 */
import { useState, type ChangeEvent } from 'react';
import type { ImportPreview } from '../../../../core/crm/transfer/import-rows.js';
import type { ColumnMapping, ImportKind } from '../../../../core/crm/transfer/mapping.js';
import { FormError } from '../../components/ui/FormError.js';
import { useQuery } from '../../hooks/useQuery.js';
import { fileRow, kindFor, readImportFile, withTarget, type ImportFile } from './import-file.js';
import { MappingTable } from './MappingTable.js';
import { PreviewRows } from './PreviewRows.js';
import { useImportRun, type OnDuplicate } from './useImportRun.js';

/** The backend previews at most this many rows at a time. */
const PREVIEW_ROWS = 500;

const DUPLICATE_CHOICES: readonly (readonly [OnDuplicate, string])[] = [
  ['skip', 'Skip them'],
  ['update', 'Update the existing records with the file’s values'],
  ['create', 'Create new records anyway'],
];

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsText(file);
  });
}

function Preview({
  file,
  kind,
  importId,
  onDone,
}: {
  file: ImportFile;
  kind: ImportKind;
  importId: string;
  onDone(): void;
}) {
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [onDuplicate, setOnDuplicate] = useState<OnDuplicate>('skip');
  const preview = useQuery<ImportPreview>('import.preview', {
    kind,
    headers: file.headers,
    rows: file.rows.slice(0, PREVIEW_ROWS),
    firstRow: fileRow(0),
    ...(mapping ? { mapping } : {}),
  });
  const { run, start } = useImportRun();
  const shown = mapping ?? preview.data?.mapping;
  const counts = preview.data?.counts;

  return (
    <>
      {preview.error && (
        <p role="alert" className="error">
          Could not preview the file: {preview.error.message}
        </p>
      )}
      {shown && (
        <section aria-labelledby="mapping-title">
          <h3 id="mapping-title">Columns</h3>
          <MappingTable
            kind={kind}
            headers={file.headers}
            sample={file.rows[0] ?? []}
            mapping={shown}
            onChange={(i, target) => setMapping(withTarget(shown, i, target))}
          />
        </section>
      )}
      {preview.data && counts && (
        <section aria-labelledby="preview-title">
          <h3 id="preview-title">Preview</h3>
          <p role="status" aria-label="Preview counts">
            {file.rows.length > PREVIEW_ROWS ? `Of the first ${PREVIEW_ROWS} rows: ` : ''}
            {counts.new} new, {counts.duplicate} duplicate{counts.duplicate === 1 ? '' : 's'},{' '}
            {counts.invalid} invalid
            {counts.blank > 0 ? `, ${counts.blank} blank` : ''}
            {preview.data.companiesToCreate.length > 0
              ? `; creates ${preview.data.companiesToCreate.length} compan${preview.data.companiesToCreate.length === 1 ? 'y' : 'ies'}`
              : ''}
            .
          </p>
          <PreviewRows rows={preview.data.rows} />
          {counts.duplicate > 0 && (
            <fieldset className="duplicate-choice">
              <legend>Rows that are already in the CRM</legend>
              {DUPLICATE_CHOICES.map(([value, label]) => (
                <label key={value}>
                  <input
                    type="radio"
                    name="on-duplicate"
                    value={value}
                    checked={onDuplicate === value}
                    onChange={() => setOnDuplicate(value)}
                  />{' '}
                  {label}
                </label>
              ))}
            </fieldset>
          )}
          {!run.finished && (
            <button
              type="button"
              className="primary"
              disabled={run.running || !shown}
              onClick={() => shown && void start({ importId, file, kind, mapping: shown, onDuplicate })}
            >
              {run.running
                ? 'Importing…'
                : `Import ${file.rows.length} row${file.rows.length === 1 ? '' : 's'}`}
            </button>
          )}
        </section>
      )}
      {(run.running || run.sent > 0) && (
        <div className="import-progress">
          <progress aria-label="Import progress" value={run.sent} max={Math.max(1, run.total)} />
          <span>
            {run.sent} of {run.total} rows
          </span>
        </div>
      )}
      <FormError error={run.error} />
      {run.finished && (
        <section aria-labelledby="result-title" className="import-result">
          <h3 id="result-title">Done</h3>
          <p role="status" aria-label="Import result">
            {run.totals.created} created, {run.totals.updated} updated, {run.totals.skipped} skipped,{' '}
            {run.totals.failed.length} failed
            {run.totals.companiesCreated > 0 ? ` (and ${run.totals.companiesCreated} companies created)` : ''}
            .
          </p>
          {run.totals.failed.length > 0 && (
            <ul className="import-failures" aria-label="Rows that failed">
              {run.totals.failed.slice(0, 50).map((f) => (
                <li key={f.row}>
                  Row {f.row}: {f.message}
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={onDone}>
            Import another file
          </button>
        </section>
      )}
    </>
  );
}

/** The import part of the Import / export section. */
export function ImportWizard() {
  const [chosenKind, setChosenKind] = useState<ImportKind>('contact');
  const [file, setFile] = useState<{ file: ImportFile; importId: string } | null>(null);
  const [readError, setReadError] = useState('');
  const [inputKey, setInputKey] = useState(0);

  async function choose(e: ChangeEvent<HTMLInputElement>): Promise<void> {
    const picked = e.target.files?.[0];
    setReadError('');
    if (!picked) return setFile(null);
    try {
      const parsed = readImportFile(picked.name, await readText(picked));
      if (parsed.headers.length === 0 || parsed.rows.length === 0) {
        setFile(null);
        setReadError(`${picked.name} has no rows to import.`);
        return;
      }
      // One import id per chosen file: every chunk of it, and any retry, uses it.
      setFile({ file: parsed, importId: `imp-${crypto.randomUUID()}` });
    } catch (err) {
      setFile(null);
      setReadError(`Could not read ${picked.name}: ${(err as Error).message}`);
    }
  }

  const kind = file ? kindFor(file.file, chosenKind) : chosenKind;
  return (
    <section className="settings-section" aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <div className="form-row">
        <div className="field">
          <label htmlFor="import-kind">Import as</label>
          <select
            id="import-kind"
            value={kind}
            disabled={file?.file.format === 'vcard'}
            onChange={(e) => setChosenKind(e.target.value as ImportKind)}
          >
            <option value="contact">Contacts</option>
            <option value="company">Companies</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="import-file">CSV or vCard file</label>
          <input
            key={inputKey}
            id="import-file"
            type="file"
            accept=".csv,.tsv,.txt,.vcf,.vcard,text/csv,text/vcard"
            onChange={(e) => void choose(e)}
          />
        </div>
      </div>
      {readError && (
        <p role="alert" className="error">
          {readError}
        </p>
      )}
      {file && (
        <p className="muted">
          {file.file.name}: {file.file.rows.length} row{file.file.rows.length === 1 ? '' : 's'},{' '}
          {file.file.headers.length} column{file.file.headers.length === 1 ? '' : 's'}
        </p>
      )}
      {file && (
        <Preview
          key={`${file.importId}:${kind}`}
          file={file.file}
          kind={kind}
          importId={file.importId}
          onDone={() => {
            setFile(null);
            setInputKey((k) => k + 1);
          }}
        />
      )}
    </section>
  );
}
