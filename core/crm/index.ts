/**
 * # core/crm: the CRM domain on core/es
 *
 * Everything the Eventfold CRM knows about contacts, companies, deals, pipelines, tasks, notes, activities and
 * custom fields, in plain Node. The shells (Electron main, the browser-mode host) talk only to the backend facade
 * `createCrmBackend(dataDir)`: `execute(command)`, `query(query)`, `subscribe(listener)`, `close()`.
 *
 * - **Write side** (`domain/`): one aggregate per record kind; zod-validated commands; events that record what
 *   changed field by field (`{from, to}`), so history shows old and new values.
 * - **Read side** (`read/`): projections for the lists with search, the pipeline board, tasks and reminders, the
 *   dashboard, tags, timelines and global search; any of them as of a past date (`asOf`).
 * - **Workflows** (`workflows.ts`): deal won -> follow-up task, stage removed -> deals reassigned, contacts
 *   merged -> their records re-pointed.
 * - **Contract** (`contract-commands.ts`, `contract-queries.ts`): every command and query with its input schema,
 *   the validation of untrusted input from the renderer.
 * - **Extensions** (`extension.ts`, `extensions.ts`): the features that span records (merge, forget, undo,
 *   import/export, bulk edit, trash, favorites, reminders, attachments, demo data) bring their own commands,
 *   queries, aggregates and projections.
 *
 * ## Quick start
 * ```ts
 * import { createCrmBackend } from './core/crm/index.js';
 *
 * const crm = await createCrmBackend('./crm-data');
 * const created = await crm.execute({ command: 'CreateContact', input: { firstName: 'Zoë', emails: ['zoe@example.com'] } });
 * const found = await crm.query({ query: 'contact.list', params: { q: 'zoe' } });
 * console.log(created.ok, found.ok && (found.value as { total: number }).total); // true 1
 * await crm.close();
 * ```
 *
 * ## Key types
 * | type | what it is |
 * |---|---|
 * | {@link createCrmBackend} | opens the CRM on a data folder; returns an {@link OpenCrmBackend} |
 * | {@link CrmBackend} | `execute`, `query`, `subscribe`, `close`: all a shell needs; results never throw |
 * | {@link CommandRequest} / {@link QueryRequest} | `{command, input, commandId?, expectedVersion?}` / `{query, params}` |
 * | {@link BackendResult} | `{ok: true, value}` or `{ok: false, error: {kind, code, message, details}}` |
 * | {@link CrmContract} | command and query names with their zod schemas (`crmContract()`) |
 * | {@link CrmExtension} | one cross-record feature: its commands, queries, aggregates, projections, workflows |
 *
 * @module
 */
export type {
  BackendError,
  BackendErrorKind,
  BackendResult,
  ChangeNotification,
  CommandRequest,
  CrmBackend,
  QueryRequest,
} from './backend.js';
export {
  createCrmBackend,
  CRM_START_FIRST,
  crmContract,
  crmProjections,
  type CrmBackendOptions,
  type CrmContract,
  type OpenCrmBackend,
} from './crm-backend.js';
export {
  BACKEND_FIELDS,
  domainCommandSpecs,
  INTERNAL_COMMANDS,
  type DomainCommandSpec,
} from './contract-commands.js';
export {
  projectionQueries,
  recordGetParams,
  type ProjectionQuerySpec,
  type QueryContext,
} from './contract-queries.js';
export { queryContext, timelineEvents } from './timeline-events.js';
export { emailIndexProjection, findDuplicateEmail, type EmailIndexState } from './email-index.js';
export { forgetContact, forgetContactInput, forgetExtension, type ForgetResult } from './forget.js';
export {
  dataExportExtension,
  exportAllData,
  importAllData,
  type DataExportResult,
  type DataImportResult,
} from './data-export.js';
export {
  benchShape,
  DEMO_SIZES,
  demoCommands,
  demoExtension,
  loadDemo,
  type DemoOptions,
  type DemoShape,
} from './demo/index.js';
export { linkedTo, linkIndexProjection, type LinkIndexState } from './link-index.js';
export { mergeExtension, MERGE_COMMANDS, type MergeResult } from './merge.js';
export { transferExtension } from './transfer/index.js';
/** CSV and vCard import/export: parsers and writers, column mapping, the import and export shapes (`transfer.parseCsv`, ...). */
export * as transfer from './transfer/index.js';
export {
  nextReminder,
  REMINDER_COMMANDS,
  remindersExtension,
  type NextReminder,
  type ReminderCommandResult,
} from './reminders.js';
export {
  attachmentAggregate,
  attachmentsExtension,
  attachmentsOf,
  attachmentsProjection,
  eraseAttachments,
  sanitizeFileName,
  type AttachmentChunk,
  type AttachmentRow,
  type AttachmentsState,
} from './attachments.js';
export { MAX_ATTACHMENT_BYTES, MAX_CHUNK_BYTES } from './attachment-uploads.js';
export {
  extensionCommand,
  extensionQuery,
  type CrmExtension,
  type CrmRuntime,
  type ExtensionCommand,
  type ExtensionQuery,
} from './extension.js';
export { crmExtensions } from './extensions.js';
export {
  bulkEdit,
  bulkEditInput,
  bulkExtension,
  MAX_BULK_IDS,
  type BulkAction,
  type BulkEditResult,
} from './bulk.js';
export {
  FAVORITE_COMMANDS,
  favoriteList,
  favoritesAggregate,
  favoritesExtension,
  type FavoriteRef,
  type FavoriteRow,
} from './favorites.js';
export {
  MAX_NAME_IDS,
  recordName,
  recordNames,
  recordNamesParams,
  type RecordNameItem,
  type RecordNames,
  type RecordNamesParams,
} from './record-names.js';
export {
  companyPurgeUnlink,
  dealUnlink,
  emptyTrash,
  TRASH_COMMANDS,
  trashExtension,
  trashList,
  trashProjection,
  type EmptyTrashResult,
  type PurgedRecords,
  type TrashRow,
} from './trash.js';
export { crmWorkflows, dealFollowUp, mergeRepoint, stageRemoval } from './workflows.js';
export {
  UNDO_KINDS,
  UNDO_SCHEMAS,
  undoCommandsProjection,
  undoExtension,
  type UndoKind,
  type UndoResult,
  type UndoTarget,
} from './undo.js';
export * from './domain/index.js';
/** The read models and their query functions (`read.queryContacts`, `read.boardOf`, ...). */
export * as read from './read/index.js';
