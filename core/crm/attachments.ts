/**
 * Attachments: files on any record, stored content-addressed beside the logs (core/crm/blob-store.ts) and
 * referenced by events of a small `attachment` aggregate (one stream per attachment: record, name, mime, size,
 * sha256).
 *
 * Contract:
 * - `AttachmentUploadChunk {uploadId, index, base64}` -> `{uploadId, chunks, bytes}`: one chunk (≤ 512 KiB) of a
 *   file (see core/crm/attachment-uploads.ts);
 * - `AddAttachment {record: {kind, id}, name, mime?, uploadId | base64, sha256?, id?}` -> the attachment row:
 *   `base64` for a small file in one request, `uploadId` for a chunked one; `sha256`, when given, is checked;
 * - `RemoveAttachment {id}` (to the trash; the file stays) and `RestoreAttachment {id}`;
 * - `attachment.list {kind, id, trash?, asOf?}` -> rows newest first;
 * - `attachment.read {id, offset?, length?}` -> `{id, name, mime, size, offset, length, base64, eof}`, at most
 *   512 KiB a call: a reader asks from offset 0 (which also checks the whole file against its hash) until `eof`.
 *
 * Limits: 100 MiB a file (`ATTACHMENT_TOO_LARGE`). Names are sanitised (no path, no control or reserved
 * characters, ≤ 200 characters). Forgetting a contact destroys the attachment streams of it and of its notes,
 * activities and tasks, and deletes their files unless another attachment has the same content; so does emptying
 * the trash, for the purged records and the notes, activities and tasks deleted with them.
 * @module
 */
import { z } from 'zod';
import { DomainError, newEventId, type Aggregate, type DomainEvent, type Projection } from '../es/index.js';
import {
  assembleUpload,
  assertAttachmentSize,
  base64ChunkSchema,
  dropUpload,
  MAX_CHUNK_BYTES,
  putUploadChunk,
  uploadChunkInput,
  uploadIdSchema,
} from './attachment-uploads.js';
import { deleteBlob, putBlob, readBlob, SHA256_PATTERN, type BlobInfo } from './blob-store.js';
import type { ProjectionQuerySpec } from './contract-queries.js';
import { idSchema, linkedRecordSchema, type LinkedRecord } from './domain/index.js';
import { extensionCommand, extensionQuery, type CrmExtension, type CrmRuntime } from './extension.js';
import type { ForgetResult } from './forget.js';
import { type Dict, own, put } from './read/util.js';
import type { PurgedRecords } from './trash.js';

/** The aggregate type (folder under `streams/`). */
export const ATTACHMENT = 'attachment';

/** Longest attachment name kept. */
export const MAX_NAME_LENGTH = 200;

/**
 * A file name safe to show and to save under on any platform: the last path segment, without control and
 * reserved characters (`<>:"/\|?*`), whitespace collapsed, no leading or trailing dots and spaces, at most
 * {@link MAX_NAME_LENGTH} characters keeping the extension; `attachment` when nothing is left.
 */
export function sanitizeFileName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  let s = last
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (s.length > MAX_NAME_LENGTH) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = s.slice(0, MAX_NAME_LENGTH - ext.length).trimEnd() + ext;
  }
  return s || 'attachment';
}

const mimeSchema = z
  .string()
  .max(100)
  .regex(/^[\w.+-]+\/[\w.+-]+$/, 'Give a media type like application/pdf.')
  .transform((m) => m.toLowerCase());

/** The facts of one attachment. */
export interface AttachmentFacts extends BlobInfo {
  record: LinkedRecord;
  name: string;
  mime: string;
}

/** The state of one attachment (`null` before it was added). */
export type AttachmentState = (AttachmentFacts & { trashed: boolean }) | null;

/** Commands of the attachment aggregate (sent by this module only, after the file is stored). */
export type AttachmentCommand =
  ({ type: 'AddAttachment' } & AttachmentFacts) | { type: 'TrashAttachment' } | { type: 'RestoreAttachment' };

/** Events of an attachment. */
export type AttachmentEvent =
  | DomainEvent<'AttachmentAdded', AttachmentFacts>
  | DomainEvent<'AttachmentTrashed', null>
  | DomainEvent<'AttachmentRestored', null>;

function notFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `There is no attachment ${id}.`, { id });
}

/** The attachment aggregate. */
export const attachmentAggregate: Aggregate<AttachmentState, AttachmentCommand, AttachmentEvent> = {
  type: ATTACHMENT,
  initialState: () => null,
  decide(state, command, ctx) {
    if (command.type === 'AddAttachment') {
      if (state) throw new DomainError('ALREADY_EXISTS', `The attachment ${ctx.id} exists already.`);
      const { type: _type, ...facts } = command;
      return [{ type: 'AttachmentAdded', data: facts }];
    }
    if (!state) throw notFound(ctx.id);
    if (command.type === 'TrashAttachment')
      return state.trashed ? [] : [{ type: 'AttachmentTrashed', data: null }];
    return state.trashed ? [{ type: 'AttachmentRestored', data: null }] : [];
  },
  evolve(state, event) {
    if (event.type === 'AttachmentAdded') return { ...event.data, trashed: false };
    if (!state) return state;
    if (event.type === 'AttachmentTrashed') return { ...state, trashed: true };
    if (event.type === 'AttachmentRestored') return { ...state, trashed: false };
    return state;
  },
};

/** One attachment as lists show it. */
export interface AttachmentRow extends AttachmentFacts {
  id: string;
  trashed: boolean;
  /** Unix seconds. */
  addedAt: number;
  addedBy: string | null;
}

/** The attachments read model (JSON). */
export interface AttachmentsState {
  rows: Dict<AttachmentRow>;
}

/** The attachments read model. */
export const attachmentsProjection: Projection<AttachmentsState> = {
  name: 'crm-attachments',
  subscriptions: [ATTACHMENT],
  initialState: () => ({ rows: {} }),
  apply(state, e) {
    const ev = e.event as unknown as AttachmentEvent;
    if (ev.type === 'AttachmentAdded') {
      const row: AttachmentRow = {
        id: e.streamId,
        ...ev.data,
        trashed: false,
        addedAt: e.event.ts,
        addedBy: e.event.actor ?? null,
      };
      put(state.rows, e.streamId, row);
    } else if (ev.type === 'AttachmentTrashed' || ev.type === 'AttachmentRestored') {
      const row = own(state.rows, e.streamId);
      if (row) row.trashed = ev.type === 'AttachmentTrashed';
    }
    return state;
  },
};

/** Params of `attachment.list`. */
export const attachmentListParams = z
  .object({
    kind: linkedRecordSchema.shape.kind,
    id: idSchema,
    trash: z.enum(['hide', 'only', 'include']).optional(),
    asOf: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

/** The attachments of one record, newest first (trashed ones hidden unless `trash` says otherwise). */
export function attachmentsOf(
  state: AttachmentsState,
  params: Pick<z.infer<typeof attachmentListParams>, 'kind' | 'id' | 'trash'>,
): AttachmentRow[] {
  const trash = params.trash ?? 'hide';
  return Object.values(state.rows)
    .filter((r) => r.record.kind === params.kind && r.record.id === params.id)
    .filter((r) => (trash === 'include' ? true : trash === 'only' ? r.trashed : !r.trashed))
    .sort((a, b) => b.addedAt - a.addedAt || (a.id < b.id ? 1 : -1));
}

/** Input of `AddAttachment`: the file as one `base64` or a finished chunked upload's `uploadId`. */
export const addAttachmentInput = z
  .object({
    id: idSchema.optional(),
    record: linkedRecordSchema,
    name: z.string().max(1000),
    mime: mimeSchema.optional(),
    uploadId: uploadIdSchema.optional(),
    base64: base64ChunkSchema.optional(),
    sha256: z.string().regex(SHA256_PATTERN, 'Give the sha256 in lowercase hex.').optional(),
  })
  .strict()
  .refine((i) => (i.uploadId === undefined) !== (i.base64 === undefined), {
    message: 'Give the file either as base64 or as the uploadId of its chunks, not both.',
  });

/** Params of `attachment.read`. */
export const attachmentReadParams = z
  .object({
    id: idSchema,
    offset: z.number().int().min(0).optional(),
    length: z.number().int().min(1).max(MAX_CHUNK_BYTES).optional(),
  })
  .strict();

/** One chunk of an attachment's file. */
export interface AttachmentChunk {
  id: string;
  name: string;
  mime: string;
  size: number;
  offset: number;
  length: number;
  base64: string;
  /** This chunk reaches the end of the file. */
  eof: boolean;
}

const byId = { id: idSchema };

function rowsOf(rt: CrmRuntime): AttachmentsState {
  return rt.store.projection<AttachmentsState>(attachmentsProjection).state;
}

async function stateOf(rt: CrmRuntime, id: string): Promise<NonNullable<AttachmentState>> {
  if (!rt.store.has(ATTACHMENT, id)) throw notFound(id);
  const state = await rt.store.get(attachmentAggregate, id).state();
  if (!state) throw notFound(id);
  return state;
}

function checksumMismatch(expected: string, blob: BlobInfo): DomainError {
  return new DomainError(
    'ATTACHMENT_CHECKSUM_MISMATCH',
    'The file arrived damaged (its sha256 differs from the one sent). Send it again.',
    { expected, actual: blob.sha256 },
  );
}

async function addAttachment(
  rt: CrmRuntime,
  input: z.infer<typeof addAttachmentInput>,
  commandId: string | undefined,
): Promise<AttachmentRow & { duplicate: boolean }> {
  const id = input.id ?? newEventId();
  // A resent AddAttachment with its id (its upload is gone by then) answers with what it made the first time.
  if (input.id !== undefined && rt.store.has(ATTACHMENT, id)) {
    const row = own(rowsOf(rt).rows, id);
    if (row) return { ...row, duplicate: true };
  }
  const { kind, id: recordId } = input.record;
  if (!rt.store.has(kind, recordId)) {
    throw new DomainError(
      'LINKED_RECORD_NOT_FOUND',
      `There is no ${kind} ${recordId} to attach the file to.`,
      {
        field: 'record',
        kind,
        id: recordId,
      },
    );
  }
  const blob =
    input.base64 !== undefined
      ? await putBlob(rt.dataDir, [Buffer.from(input.base64, 'base64')])
      : await assembleUpload(rt.dataDir, input.uploadId!);
  try {
    // Checked again on the assembled file: chunks may have been replaced meanwhile.
    assertAttachmentSize(blob.size);
    if (input.sha256 !== undefined && input.sha256 !== blob.sha256)
      throw checksumMismatch(input.sha256, blob);
  } catch (err) {
    if (!Object.values(rowsOf(rt).rows).some((r) => r.sha256 === blob.sha256))
      await deleteBlob(rt.dataDir, blob.sha256);
    throw err;
  }
  const facts: AttachmentFacts = {
    record: input.record,
    name: sanitizeFileName(input.name),
    mime: input.mime ?? 'application/octet-stream',
    ...blob,
  };
  await rt.store.execute(attachmentAggregate, id, { type: 'AddAttachment', ...facts }, rt.ctx, {
    ...(commandId !== undefined ? { commandId } : {}),
    waitForProjections: true,
  });
  if (input.uploadId !== undefined) await dropUpload(rt.dataDir, input.uploadId);
  return { ...own(rowsOf(rt).rows, id)!, duplicate: false };
}

async function lifecycle(
  rt: CrmRuntime,
  id: string,
  type: 'TrashAttachment' | 'RestoreAttachment',
  commandId: string | undefined,
): Promise<{ id: string; trashed: boolean; events: string[] }> {
  await stateOf(rt, id);
  const r = await rt.store.execute(attachmentAggregate, id, { type }, rt.ctx, {
    ...(commandId !== undefined ? { commandId } : {}),
    waitForProjections: true,
  });
  return { id, trashed: type === 'TrashAttachment', events: r.events.map((e) => e.type) };
}

async function readAttachment(
  rt: CrmRuntime,
  params: z.infer<typeof attachmentReadParams>,
): Promise<AttachmentChunk> {
  const a = await stateOf(rt, params.id);
  const offset = params.offset ?? 0;
  if (offset > a.size) {
    throw new DomainError(
      'INVALID_RANGE',
      `Offset ${offset} is past the end of the file (${a.size} bytes).`,
      { offset, size: a.size },
    );
  }
  const bytes = await readBlob(rt.dataDir, a, offset, params.length ?? MAX_CHUNK_BYTES, a.name);
  return {
    id: params.id,
    name: a.name,
    mime: a.mime,
    size: a.size,
    offset,
    length: bytes.length,
    base64: bytes.toString('base64'),
    eof: offset + bytes.length >= a.size,
  };
}

/**
 * Erases attachments for good: destroys their streams, rebuilds the read model without them, and deletes each
 * of their files that no remaining attachment (trashed ones included) has. For the forget erasure, and for
 * emptying the trash.
 */
export async function eraseAttachments(rt: CrmRuntime, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const before = rowsOf(rt).rows;
  const hashes = new Set(ids.flatMap((id) => own(before, id)?.sha256 ?? []));
  for (const id of ids) await rt.store.destroyStream(ATTACHMENT, id);
  await rt.store.rebuildProjection(attachmentsProjection);
  await rt.store.flush();
  for (const r of Object.values(rowsOf(rt).rows)) hashes.delete(r.sha256);
  for (const sha of hashes) await deleteBlob(rt.dataDir, sha);
}

/** Erases every attachment (trashed ones too) on one of the records `kind/id` in `records`. */
async function eraseAttachmentsOn(rt: CrmRuntime, records: ReadonlySet<string>): Promise<void> {
  await rt.store.awaitProjections();
  const ids = Object.values(rowsOf(rt).rows)
    .filter((r) => records.has(`${r.record.kind}/${r.record.id}`))
    .map((r) => r.id);
  await eraseAttachments(rt, ids);
}

/** The attachments of the forgotten contact and of the records erased with it. */
function onForget(rt: CrmRuntime, forgotten: ForgetResult): Promise<void> {
  return eraseAttachmentsOn(rt, new Set([`contact/${forgotten.id}`, ...forgotten.erased]));
}

/** The attachments of the records emptied from the trash and of the notes, activities and tasks erased with them. */
function onPurge(rt: CrmRuntime, purged: PurgedRecords): Promise<void> {
  const keys = [
    ...purged.records.map((r) => `${r.kind}/${r.id}`),
    ...purged.erased.map((l) => `${l.type}/${l.id}`),
  ];
  return eraseAttachmentsOn(rt, new Set(keys));
}

/** Attachments, as commands and queries of the contract. */
export const attachmentsExtension: CrmExtension = {
  aggregates: [attachmentAggregate],
  commands: {
    AttachmentUploadChunk: extensionCommand(uploadChunkInput, (rt, input) =>
      putUploadChunk(rt.dataDir, input),
    ),
    AddAttachment: extensionCommand(addAttachmentInput, (rt, input, request) =>
      addAttachment(rt, input, request.commandId),
    ),
    RemoveAttachment: extensionCommand(z.object(byId).strict(), (rt, input, request) =>
      lifecycle(rt, input.id, 'TrashAttachment', request.commandId),
    ),
    RestoreAttachment: extensionCommand(z.object(byId).strict(), (rt, input, request) =>
      lifecycle(rt, input.id, 'RestoreAttachment', request.commandId),
    ),
  },
  projectionQueries: {
    'attachment.list': {
      params: attachmentListParams,
      projection: attachmentsProjection,
      run: ((state: AttachmentsState, params: z.infer<typeof attachmentListParams>) =>
        attachmentsOf(state, params)) as ProjectionQuerySpec['run'],
    },
  },
  queries: {
    'attachment.read': extensionQuery(attachmentReadParams, readAttachment, [ATTACHMENT]),
  },
  onForget,
  onPurge,
};
