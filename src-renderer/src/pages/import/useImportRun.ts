/**
 * Sends a file's rows to `ImportRows` in chunks, one after another, keeping the progress and the running totals.
 * Each chunk's command id is derived from the import id and the chunk's index, so retrying an import that broke
 * off re-sends the chunks already done harmlessly.
 * @module
 */
import { useCallback, useState } from 'react';
import type { BackendError } from '../../../../src-preload/api.js';
import { chunkRows } from '../../../../core/crm/transfer/csv.js';
import type { ColumnMapping, ImportKind } from '../../../../core/crm/transfer/mapping.js';
import { useTransport } from '../../hooks/useTransport.js';
import { addChunk, fileRow, NO_TOTALS, type ImportFile, type ImportTotals } from './import-file.js';

/** What to do with a row whose record exists already. */
export type OnDuplicate = 'skip' | 'update' | 'create';

/** The state of an import run. */
export interface ImportRun {
  /** Rows sent so far, of `total`. */
  sent: number;
  total: number;
  running: boolean;
  /** Set once every chunk is done. */
  finished: boolean;
  totals: ImportTotals;
  error: BackendError | null;
}

const IDLE: ImportRun = {
  sent: 0,
  total: 0,
  running: false,
  finished: false,
  totals: NO_TOTALS,
  error: null,
};

/** Runs imports; `start` resolves when the last chunk is answered (or one failed). */
export function useImportRun(): {
  run: ImportRun;
  start(p: {
    importId: string;
    file: ImportFile;
    kind: ImportKind;
    mapping: ColumnMapping;
    onDuplicate: OnDuplicate;
  }): Promise<void>;
  reset(): void;
} {
  const transport = useTransport();
  const [run, setRun] = useState<ImportRun>(IDLE);

  const start = useCallback(
    async ({
      importId,
      file,
      kind,
      mapping,
      onDuplicate,
    }: {
      importId: string;
      file: ImportFile;
      kind: ImportKind;
      mapping: ColumnMapping;
      onDuplicate: OnDuplicate;
    }) => {
      const chunks = chunkRows(file.rows);
      let totals = NO_TOTALS;
      let sent = 0;
      setRun({ ...IDLE, total: file.rows.length, running: true });
      for (const [i, rows] of chunks.entries()) {
        const result = await transport.api.execute({
          command: 'ImportRows',
          commandId: `ImportRows:${importId}:${i}`,
          input: {
            importId,
            kind,
            headers: file.headers,
            mapping,
            rows,
            firstRow: fileRow(sent),
            onDuplicate,
          },
        });
        if (!result.ok) {
          setRun({
            sent,
            total: file.rows.length,
            running: false,
            finished: false,
            totals,
            error: result.error,
          });
          return;
        }
        totals = addChunk(totals, result.value as ImportTotals);
        sent += rows.length;
        setRun({ sent, total: file.rows.length, running: true, finished: false, totals, error: null });
      }
      setRun({ sent, total: file.rows.length, running: false, finished: true, totals, error: null });
    },
    [transport],
  );

  return { run, start, reset: useCallback(() => setRun(IDLE), []) };
}
