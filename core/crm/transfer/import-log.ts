/**
 * The record of imports: an `record-import` aggregate per import (its chunks' counts, whether it was reverted) and
 * the `crm-imports` read model, which lists the imports and remembers which records each one touched (every
 * event an import causes carries its id in `meta.import_id`), so that a revert knows what to take back.
 * Only counts and record ids are kept here: no personal data, so forgetting a contact needs nothing from it.
 * @module
 */
import { z } from 'zod';
import { DomainError, type Aggregate, type DomainEvent, type Projection } from '../../es/index.js';
import { idSchema, parseCommandWith } from '../domain/validation.js';
import { type Dict, isoOf, own, put } from '../read/util.js';

/** The aggregate type of imports (folder under `streams/`). */
export const RECORD_IMPORT = 'record-import';

/** The `meta` key that tags every event an import caused with the import's id. */
export const IMPORT_META_KEY = 'import_id';

/** The `meta` key of the events a revert caused (the reverted import's id). */
export const REVERT_META_KEY = 'reverts_import';

/** What one chunk of an import did. */
export interface ChunkCounts {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** What a revert did. */
export interface RevertCounts {
  /** Records the import created, now in the trash. */
  trashed: number;
  /** Records whose overwritten values were put back. */
  restored: number;
  /** Fields left as they are because they were changed again after the import (`contact/<id>.title`, ...). */
  kept: string[];
}

const countsSchema = z
  .object({
    rows: z.number().int().min(0),
    created: z.number().int().min(0),
    updated: z.number().int().min(0),
    skipped: z.number().int().min(0),
    failed: z.number().int().min(0),
  })
  .strict();

const importCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('RecordImportChunk'),
      kind: z.enum(['contact', 'company']),
      counts: countsSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('MarkImportReverted'),
      trashed: z.number().int().min(0),
      restored: z.number().int().min(0),
      kept: z.array(z.string()),
    })
    .strict(),
]);

/** A command of the import aggregate (sent by the transfer extension only, never by a caller). */
export type ImportCommand = z.input<typeof importCommandSchema>;

/** The events of an import. */
export type ImportEvent =
  | DomainEvent<'ImportChunkRecorded', { kind: 'contact' | 'company'; counts: ChunkCounts }>
  | DomainEvent<'ImportReverted', RevertCounts>;

/** The state of one import. */
export interface ImportState {
  kind: 'contact' | 'company' | null;
  reverted: boolean;
}

/** The import aggregate: refuses chunks of another kind than the first, and anything after a revert. */
export const importAggregate: Aggregate<ImportState, ImportCommand, ImportEvent> = {
  type: RECORD_IMPORT,
  initialState: () => ({ kind: null, reverted: false }),
  decide(state, input, ctx) {
    const command = parseCommandWith(importCommandSchema, input);
    if (state.reverted) {
      throw new DomainError(
        'IMPORT_REVERTED',
        'This import was reverted: start a new import to import these rows again.',
        { importId: ctx.id },
      );
    }
    if (command.type === 'MarkImportReverted') {
      const { type: _type, ...data } = command;
      return [{ type: 'ImportReverted', data }];
    }
    if (state.kind !== null && state.kind !== command.kind) {
      throw new DomainError(
        'IMPORT_KIND_MISMATCH',
        `This import is an import of ${state.kind === 'contact' ? 'contacts' : 'companies'}: use a new import id for ${command.kind === 'contact' ? 'contacts' : 'companies'}.`,
        { importId: ctx.id, kind: state.kind },
      );
    }
    return [{ type: 'ImportChunkRecorded', data: { kind: command.kind, counts: command.counts } }];
  },
  evolve(state, e) {
    if (e.type === 'ImportChunkRecorded') return { ...state, kind: e.data.kind };
    if (e.type === 'ImportReverted') return { ...state, reverted: true };
    return state;
  },
  parseCommand: (input) => parseCommandWith(importCommandSchema, input),
};

/** One import in `import.list`. */
export interface ImportSummary extends ChunkCounts {
  importId: string;
  kind: 'contact' | 'company';
  /** Chunks recorded. */
  chunks: number;
  /** ISO instant of the first chunk. */
  startedAt: string;
  /** Global position of the first chunk: orders imports started within the same second. */
  startedSeq: number;
  /** ISO instant of the last chunk. */
  updatedAt: string;
  status: 'imported' | 'reverted';
  /** ISO instant of the revert, `null` unless reverted. */
  revertedAt: string | null;
  /** What the revert did, `null` unless reverted. */
  revert: RevertCounts | null;
}

/** The imports read model (JSON). */
export interface ImportsState {
  imports: Dict<ImportSummary>;
  /** Per import id: the streams (`<type>/<id>`) its events touched. */
  records: Dict<Dict<1>>;
}

/** The imports read model: the list of imports and the records each touched. */
export const importsProjection: Projection<ImportsState> = {
  name: 'crm-imports',
  subscriptions: [RECORD_IMPORT, 'contact', 'company', 'note'],
  // 2: startedSeq.
  version: 2,
  initialState: () => ({ imports: {}, records: {} }),
  apply(state, e) {
    if (e.aggregateType !== RECORD_IMPORT) {
      const importId = e.event.meta?.[IMPORT_META_KEY];
      if (typeof importId !== 'string') return state;
      let records = own(state.records, importId);
      if (!records) put(state.records, importId, (records = {}));
      put(records, e.stream, 1);
      return state;
    }
    const ev = e.event as unknown as ImportEvent;
    const at = isoOf(e.event.ts);
    let row = own(state.imports, e.streamId);
    if (ev.type === 'ImportChunkRecorded') {
      row ??= {
        importId: e.streamId,
        kind: ev.data.kind,
        chunks: 0,
        rows: 0,
        created: 0,
        updated: 0,
        skipped: 0,
        failed: 0,
        startedAt: at,
        startedSeq: e.seq,
        updatedAt: at,
        status: 'imported',
        revertedAt: null,
        revert: null,
      };
      row.chunks++;
      for (const k of ['rows', 'created', 'updated', 'skipped', 'failed'] as const)
        row[k] += ev.data.counts[k];
      row.updatedAt = at;
      put(state.imports, e.streamId, row);
    } else if (ev.type === 'ImportReverted' && row) {
      row.status = 'reverted';
      row.revertedAt = at;
      row.revert = ev.data;
    }
    return state;
  },
};

/** Params of `import.list`. */
export const importListParams = z.object({}).strict();

/** `import.list`: every import, newest first (event times are whole seconds: ties go by global position). */
export function importList(state: ImportsState): { imports: ImportSummary[] } {
  const imports = Object.values(state.imports).sort((a, b) =>
    a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.startedSeq - a.startedSeq,
  );
  return { imports };
}

/** The streams (`<type>/<id>`) an import's events touched. */
export function importedStreams(state: ImportsState, importId: string): string[] {
  return Object.keys(own(state.records, importId) ?? {});
}

/** Ids of imports are record ids. */
export const importIdSchema = idSchema;
