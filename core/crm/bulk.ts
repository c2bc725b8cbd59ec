/**
 * Bulk edit: one action (tag, untag, assign, archive, unarchive, delete, restore) on many records of one kind at
 * once. Each record gets its own contract command, run through the same path as the UI's, so every rule and
 * every refusal is the one the record would give alone; a refused record is reported and the others go on.
 * Each record's command id is derived from the request's command id and the record id, so a retried bulk edit
 * (after a crash, a timeout) changes nothing twice; one correlation id ties the whole operation together.
 * @module
 */
import { z } from 'zod';
import { DomainError, newEventId, type AnyAggregate } from '../es/index.js';
import type { CommandRequest } from './backend.js';
import { companyAggregate, contactAggregate, idSchema, LIMITS, type ContactFields } from './domain/index.js';
import { extensionCommand, type CrmExtension, type CrmRuntime } from './extension.js';
import { own } from './read/util.js';

/** At most this many ids per request (keeps a request far below the shell's 1 MB limit). */
export const MAX_BULK_IDS = 1000;
/** How many records are edited at a time (different records commit concurrently, sharing disk syncs). */
const PARALLEL = 8;

const tag = z
  .string()
  .trim()
  .min(1, 'Enter a tag.')
  .max(LIMITS.tag, `A tag has at most ${LIMITS.tag} characters.`);

/** The action of a bulk edit. */
export const bulkActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('addTag'), tag }).strict(),
  z.object({ type: z.literal('removeTag'), tag }).strict(),
  /** `owner: null` unassigns. */
  z
    .object({ type: z.literal('assign'), owner: z.string().trim().min(1).max(LIMITS.name).nullable() })
    .strict(),
  z.object({ type: z.literal('archive') }).strict(),
  z.object({ type: z.literal('unarchive') }).strict(),
  /** Out of the trash. */
  z.object({ type: z.literal('restore') }).strict(),
  /** Into the trash (emptying it is `EmptyTrash`). */
  z.object({ type: z.literal('delete') }).strict(),
]);
/** The action of a bulk edit. */
export type BulkAction = z.infer<typeof bulkActionSchema>;

/** Input of the contract's `BulkEdit`. */
export const bulkEditInput = z
  .object({
    kind: z.enum(['contact', 'company', 'deal', 'task']),
    ids: z.array(idSchema).min(1).max(MAX_BULK_IDS),
    action: bulkActionSchema,
  })
  .strict();
/** Input of `BulkEdit`. */
export type BulkEditInput = z.infer<typeof bulkEditInput>;
type Kind = BulkEditInput['kind'];

/** What a bulk edit did. */
export interface BulkEditResult {
  /** Records now in the requested state (changed, or already so). */
  done: number;
  /** Of those, the records this request changed. */
  changed: number;
  /** Records that refused, with the reason each would give alone. */
  failed: { id: string; code: string; message: string }[];
}

/** Which actions each kind supports: the domain command that does it (tags and owner through the update). */
const SUPPORTED: Readonly<Record<Kind, readonly BulkAction['type'][]>> = {
  contact: ['addTag', 'removeTag', 'assign', 'archive', 'unarchive', 'restore', 'delete'],
  company: ['addTag', 'removeTag', 'archive', 'unarchive', 'restore', 'delete'],
  deal: ['assign', 'restore', 'delete'],
  task: ['restore', 'delete'],
};

const LIFECYCLE: Readonly<Record<string, string>> = {
  archive: 'Archive',
  unarchive: 'Unarchive',
  restore: 'Restore',
  delete: 'Trash',
};

const TAGGED: Readonly<Record<string, AnyAggregate>> = {
  contact: contactAggregate,
  company: companyAggregate,
};

const capital = (kind: string): string => kind.charAt(0).toUpperCase() + kind.slice(1);

/**
 * The contract command that applies `action` to `kind/id`, or `null` when the record is in that state already.
 * Tags are read from the record's current state: an update carries the whole new tag list.
 */
async function commandFor(
  rt: CrmRuntime,
  kind: Kind,
  id: string,
  action: BulkAction,
): Promise<Omit<CommandRequest, 'commandId'> | null> {
  const prefix = capital(kind);
  const lifecycle = own(LIFECYCLE, action.type);
  if (lifecycle) return { command: `${lifecycle}${prefix}`, input: { id } };
  if (action.type === 'assign')
    return { command: `Update${prefix}`, input: { id, fields: { owner: action.owner } } };
  if (action.type !== 'addTag' && action.type !== 'removeTag') return null;
  const aggregate = TAGGED[kind]!;
  if (!rt.store.has(kind, id)) throw new DomainError('NOT_FOUND', `There is no ${kind} ${id}.`, { kind, id });
  const state = (await rt.store.get(aggregate, id).state()) as { fields: Pick<ContactFields, 'tags'> };
  const tags = state.fields.tags;
  const key = action.tag.toLowerCase();
  const has = tags.some((t) => t.toLowerCase() === key);
  if (action.type === 'addTag' && has) return null;
  if (action.type === 'removeTag' && !has) return null;
  const next = action.type === 'addTag' ? [...tags, action.tag] : tags.filter((t) => t.toLowerCase() !== key);
  return { command: `Update${prefix}`, input: { id, fields: { tags: next } } };
}

/** Runs a bulk edit (see the module comment). */
export async function bulkEdit(
  rt: CrmRuntime,
  input: BulkEditInput,
  commandId: string | undefined,
): Promise<BulkEditResult> {
  const { kind, action } = input;
  if (!SUPPORTED[kind].includes(action.type)) {
    throw new DomainError(
      'INVALID_BULK_ACTION',
      `A ${kind} cannot be changed with "${action.type}" (it has ${SUPPORTED[kind].join(', ')}).`,
      { kind, action: action.type, supported: SUPPORTED[kind] },
    );
  }
  const base = commandId ?? newEventId();
  const ids = [...new Set(input.ids)];
  const result: BulkEditResult = { done: 0, changed: 0, failed: [] };
  const failures = new Map<string, { code: string; message: string }>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        const request = await commandFor(rt, kind, id, action);
        if (request === null) {
          result.done++;
          continue;
        }
        // Derived per record: a retry finds each record's command already executed.
        const r = await rt.execute({ ...request, commandId: `bulk:${base}:${id}` });
        if (!r.ok) {
          failures.set(id, { code: r.error.code, message: r.error.message });
          continue;
        }
        result.done++;
        const value = r.value as { events: string[]; duplicate: boolean };
        if (value.events.length > 0 && !value.duplicate) result.changed++;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        failures.set(id, { code: err.code, message: err.message });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, worker));
  // In the order the ids were given, whatever order the workers finished in.
  for (const id of ids) {
    const f = failures.get(id);
    if (f) result.failed.push({ id, ...f });
  }
  return result;
}

/** `BulkEdit {kind, ids, action}`, as a command of the contract. */
export const bulkExtension: CrmExtension = {
  commands: {
    BulkEdit: extensionCommand(bulkEditInput, (rt, input, request) => bulkEdit(rt, input, request.commandId)),
  },
};
