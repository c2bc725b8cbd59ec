/**
 * Import and export: CSV and vCard import with preview, duplicate detection, idempotent re-runs and revert; CSV
 * export of any list and vCard export of contacts.
 *
 * | name | input | result |
 * |---|---|---|
 * | `import.preview` (query) | {@link importPreviewParams} `{kind, headers, rows ≤ 500, mapping?, firstRow?}` | {@link ImportPreview} |
 * | `ImportRows` (command) | {@link importRowsInput} `{importId, kind, headers, mapping, rows ≤ 500, firstRow?, onDuplicate}` | {@link ImportChunkResult} |
 * | `import.list` (query) | `{}` | `{imports: ImportSummary[]}` ({@link ImportSummary}) |
 * | `RevertImport` (command) | `{importId}` | {@link RevertResult} |
 * | `export.csv` (query) | {@link exportCsvParams} `{list, params?, offset?}` | {@link ExportPage} |
 * | `export.vcard` (query) | {@link exportVcardParams} `{ids?, version?, offset?}` | {@link ExportPage} |
 *
 * A file is parsed by the caller ({@link parseCsv}, {@link parseVCards} + {@link vcardRows}: pure, so the
 * renderer can), previewed, then sent in chunks ({@link chunkRows}) under one `importId`; each chunk's result is
 * the progress. Record ids and command ids derive from each row's content, so the same file imported again
 * (with any import id) creates nothing new.
 * @module
 */
import { extensionCommand, extensionQuery, type CrmExtension } from '../extension.js';
import { exportCsv, exportCsvParams, exportVcard, exportVcardParams } from './export.js';
import {
  importAggregate,
  importList,
  importListParams,
  importsProjection,
  type ImportsState,
} from './import-log.js';
import { importPreviewParams, importRows, importRowsInput, previewImport } from './import-rows.js';
import { revertImport, revertImportInput } from './revert.js';

export * from './csv.js';
export * from './vcard.js';
export * from './mapping.js';
export {
  EXPORT_LISTS,
  EXPORT_PAGE_BYTES,
  decimalAmount,
  exportCsvParams,
  exportVcardParams,
  type ExportPage,
} from './export.js';
export {
  importAggregate,
  importsProjection,
  IMPORT_META_KEY,
  RECORD_IMPORT,
  type ImportSummary,
  type ImportsState,
  type RevertCounts,
} from './import-log.js';
export {
  MAX_CHUNK_ROWS,
  importPreviewParams,
  importRowsInput,
  type Duplicate,
  type ImportChunkResult,
  type ImportPreview,
  type PreviewRow,
} from './import-rows.js';
export { revertImportInput, type RevertResult } from './revert.js';

/** Import and export: CSV and vCard import with preview and revert, CSV and vCard export. */
export const transferExtension: CrmExtension = {
  aggregates: [importAggregate],
  commands: {
    ImportRows: extensionCommand(importRowsInput, (rt, input, request) =>
      importRows(rt, input, request.commandId),
    ),
    RevertImport: extensionCommand(revertImportInput, (rt, input) => revertImport(rt, input.importId)),
  },
  queries: {
    'import.preview': extensionQuery(importPreviewParams, previewImport, [
      'contact',
      'company',
      'custom-fields',
    ]),
    'export.csv': extensionQuery(exportCsvParams, exportCsv, [
      'contact',
      'company',
      'deal',
      'pipeline',
      'task',
    ]),
    'export.vcard': extensionQuery(exportVcardParams, exportVcard, ['contact', 'company']),
  },
  projectionQueries: {
    'import.list': {
      params: importListParams,
      projection: importsProjection,
      run: (state) => importList(state as ImportsState),
    },
  },
};
