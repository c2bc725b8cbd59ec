/**
 * The Contact aggregate: a person, with field-by-field history, archive, trash, reversible merge and forget.
 * @module
 */
import { z } from 'zod';
import type { Aggregate, DecideContext, DomainEvent } from '../../es/aggregate.js';
import { DomainError } from '../../es/errors.js';
import { applyChanges, type Changes, diff, own, revertible } from './changes.js';
import {
  applyCustomFieldChanges,
  type CustomFieldChanges,
  customFieldCommandShape,
  type CustomFieldValues,
  diffCustomFields,
  initialCustomFields,
  type UpdatePayload,
  updatePayload,
} from './custom-field-values.js';
import {
  assertEditable,
  assertExists,
  assertNew,
  evolveLifecycle,
  initialLifecycle,
  type Lifecycle,
  lifecycleEvents,
  lifecycleOpOf,
} from './lifecycle.js';
import {
  emailSchema,
  idSchema,
  LIMITS,
  optionalText,
  parseCommandWith,
  phoneSchema,
  requiredText,
  tagsSchema,
} from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const CONTACT = 'contact';

/** The editable fields of a contact (what update and merge events change, field by field). */
export interface ContactFields {
  firstName: string;
  lastName: string | null;
  /** E-mail addresses, lower-cased, the first is the primary one. */
  emails: string[];
  /** Phone numbers as typed (whitespace collapsed), the first is the primary one. */
  phones: string[];
  title: string | null;
  /** The company (an id of the company aggregate), or none. */
  companyId: string | null;
  tags: string[];
  /** Who is responsible for the contact (a user name or actor id). */
  owner: string | null;
}

const fieldSchemas = {
  firstName: requiredText('a first name'),
  lastName: optionalText('a last name'),
  emails: z
    .array(emailSchema)
    .max(LIMITS.emails, `A contact has at most ${LIMITS.emails} e-mail addresses.`)
    .transform((list) => [...new Set(list)]),
  phones: z
    .array(phoneSchema)
    .max(LIMITS.phones, `A contact has at most ${LIMITS.phones} phone numbers.`)
    .transform((list) => [...new Set(list)]),
  title: optionalText('a title'),
  companyId: idSchema.nullable(),
  tags: tagsSchema,
  owner: optionalText('an owner'),
};

/** Optional partial fields (for update and for the merge source snapshot). */
const partialFields = z.object(fieldSchemas).partial().strict();

/**
 * What the backend found when it looked for another contact with one of the e-mails of this command. The
 * aggregate cannot search other streams, so the backend does and passes the result; `decide` refuses with
 * `DUPLICATE_EMAIL` (details: `existingContactId`) unless `force` is set.
 */
const duplicateShape = {
  duplicateOf: z.object({ contactId: idSchema, email: emailSchema }).strict().nullable().optional(),
  force: z.boolean().optional(),
};

const scalarFields = ['firstName', 'lastName', 'title', 'companyId', 'owner'] as const;
const listFields = ['emails', 'phones', 'tags'] as const;

/** Zod schema of every contact command (used by `parseCommand` and again by `decide`, so typed callers are checked too). */
export const contactCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('CreateContact'),
      firstName: fieldSchemas.firstName,
      lastName: fieldSchemas.lastName.optional(),
      emails: fieldSchemas.emails.optional(),
      phones: fieldSchemas.phones.optional(),
      title: fieldSchemas.title.optional(),
      companyId: fieldSchemas.companyId.optional(),
      tags: fieldSchemas.tags.optional(),
      owner: fieldSchemas.owner.optional(),
      ...customFieldCommandShape,
      ...duplicateShape,
    })
    .strict(),
  z
    .object({
      type: z.literal('UpdateContact'),
      fields: partialFields,
      ...customFieldCommandShape,
      ...duplicateShape,
    })
    .strict(),
  z.object({ type: z.literal('ArchiveContact') }).strict(),
  z.object({ type: z.literal('UnarchiveContact') }).strict(),
  z.object({ type: z.literal('TrashContact') }).strict(),
  z.object({ type: z.literal('RestoreContact') }).strict(),
  z.object({ type: z.literal('MergeContactInto'), targetId: idSchema }).strict(),
  z
    .object({
      type: z.literal('MergeContactFrom'),
      sourceId: idSchema,
      source: partialFields.extend({
        customFields: z.record(idSchema, z.union([z.string(), z.number(), z.boolean()])).optional(),
      }),
      prefer: z.array(z.enum(scalarFields)).optional(),
    })
    .strict(),
  z.object({ type: z.literal('UnmergeContact') }).strict(),
  z.object({ type: z.literal('UnmergeContactFrom'), sourceId: idSchema }).strict(),
  z.object({ type: z.literal('UnlinkContactCompany'), companyId: idSchema }).strict(),
  z.object({ type: z.literal('ForgetContact') }).strict(),
]);

/**
 * A contact command:
 * - `CreateContact`, `UpdateContact {fields}` (only the fields to change; custom field values with the kind's
 *   definitions; `duplicateOf`/`force` from the backend's duplicate-email lookup);
 * - `ArchiveContact` / `UnarchiveContact`, `TrashContact` / `RestoreContact` (from the trash);
 * - merge, on both sides: `MergeContactInto {targetId}` on the duplicate, `MergeContactFrom {sourceId, source,
 *   prefer}` on the kept contact (`source` is the duplicate's current fields, read by the backend; lists are
 *   united, a scalar is taken from the source when the target has none or it is in `prefer`); undone by
 *   `UnmergeContact` on the duplicate and `UnmergeContactFrom {sourceId}` on the kept contact;
 * - `UnlinkContactCompany {companyId}`: for the process manager that unlinks a deleted company's contacts; works
 *   on archived, trashed and merged contacts too (no dangling link anywhere), a no-op if the contact is not (or
 *   no longer) linked to that company;
 * - `ForgetContact`: erasure; the event carries no personal data and every later command is refused.
 *
 * Cross-record checks are the backend's: that `companyId` and `targetId` exist, that both merge commands are
 * sent together (one correlation id), and the duplicate-email lookup.
 */
export type ContactCommand = z.input<typeof contactCommandSchema>;

/** What a merge changed on the kept contact, remembered so that an unmerge can revert it. */
export interface MergeRecord {
  changes: Changes<ContactFields>;
  customFields: CustomFieldChanges;
}

/** The events of a contact. */
export type ContactEvent =
  | DomainEvent<'ContactCreated', ContactFields & { customFields: CustomFieldValues }>
  | DomainEvent<'ContactUpdated', UpdatePayload<ContactFields>>
  | DomainEvent<'ContactArchived', null>
  | DomainEvent<'ContactUnarchived', null>
  | DomainEvent<'ContactTrashed', null>
  | DomainEvent<'ContactRestored', null>
  | DomainEvent<'ContactMergedInto', { targetId: string }>
  | DomainEvent<'ContactMergedFrom', { sourceId: string } & MergeRecord>
  | DomainEvent<'ContactUnmerged', { targetId: string }>
  | DomainEvent<'ContactUnmergedFrom', { sourceId: string } & MergeRecord & { kept: string[] }>
  | DomainEvent<'ContactForgotten', null>;

/** The state of one contact. */
export interface ContactState {
  life: Lifecycle;
  fields: ContactFields;
  customFields: CustomFieldValues;
  /** Set while this contact is merged into another (it then refuses everything but unmerge and forget). */
  mergedInto: string | null;
  /** The merges this contact absorbed and not yet undone, by source id. */
  merges: Record<string, MergeRecord>;
  /** Erased: no personal data left, every command refused. */
  forgotten: boolean;
}

function emptyFields(): ContactFields {
  return {
    firstName: '',
    lastName: null,
    emails: [],
    phones: [],
    title: null,
    companyId: null,
    tags: [],
    owner: null,
  };
}

function initialState(): ContactState {
  return {
    life: initialLifecycle(),
    fields: emptyFields(),
    customFields: {},
    mergedInto: null,
    merges: {},
    forgotten: false,
  };
}

function assertNoDuplicate(
  command: { duplicateOf?: { contactId: string; email: string } | null; force?: boolean },
  id: string,
): void {
  const dup = command.duplicateOf;
  if (dup && dup.contactId !== id && !command.force) {
    throw new DomainError(
      'DUPLICATE_EMAIL',
      `Another contact already has the e-mail address ${dup.email}. Open it, merge the two, or create anyway.`,
      { existingContactId: dup.contactId, email: dup.email },
    );
  }
}

/** The kept contact's fields after absorbing `source`: lists united, scalars filled or preferred. */
function mergedFields(
  target: ContactFields,
  source: Partial<ContactFields>,
  prefer: readonly string[],
): Partial<ContactFields> {
  const out: Partial<ContactFields> = {};
  for (const key of scalarFields) {
    const value = source[key];
    if (value === undefined || value === null || value === '') continue;
    if (prefer.includes(key) || target[key] === null) Object.assign(out, { [key]: value });
  }
  for (const key of listFields) {
    const extra = (source[key] ?? []).filter(
      (v) => !target[key].some((t) => t.toLowerCase() === v.toLowerCase()),
    );
    if (extra.length > 0) out[key] = [...target[key], ...extra];
  }
  return out;
}

function decide(state: ContactState, input: ContactCommand, ctx: DecideContext): ContactEvent[] {
  const command = parseCommandWith(contactCommandSchema, input);
  if (state.forgotten) {
    throw new DomainError(
      'FORGOTTEN',
      'This contact was forgotten (erased on request): it cannot be used again.',
      {
        id: ctx.id,
      },
    );
  }
  const stillAllowed = ['UnmergeContact', 'ForgetContact', 'UnlinkContactCompany'];
  if (state.mergedInto !== null && !stillAllowed.includes(command.type)) {
    throw new DomainError(
      'MERGED',
      'This contact was merged into another one: edit that one, or unmerge them first.',
      { targetId: state.mergedInto },
    );
  }
  const life = state.life;
  switch (command.type) {
    case 'CreateContact': {
      assertNew(life, CONTACT, ctx.id);
      assertNoDuplicate(command, ctx.id);
      const data = {
        firstName: command.firstName,
        lastName: command.lastName ?? null,
        emails: command.emails ?? [],
        phones: command.phones ?? [],
        title: command.title ?? null,
        companyId: command.companyId ?? null,
        tags: command.tags ?? [],
        owner: command.owner ?? null,
        customFields: initialCustomFields(command),
      };
      return [{ type: 'ContactCreated', data }];
    }
    case 'UpdateContact': {
      assertEditable(life, CONTACT, ctx.id);
      const data = updatePayload(state.fields, state.customFields, command);
      if (!data) return [];
      if (data.changes.emails) assertNoDuplicate(command, ctx.id);
      return [{ type: 'ContactUpdated', data }];
    }
    case 'ArchiveContact':
      return lifecycleEvents(life, 'archive', CONTACT, ctx.id, 'ContactArchived');
    case 'UnarchiveContact':
      return lifecycleEvents(life, 'unarchive', CONTACT, ctx.id, 'ContactUnarchived');
    case 'TrashContact':
      return lifecycleEvents(life, 'trash', CONTACT, ctx.id, 'ContactTrashed');
    case 'RestoreContact':
      return lifecycleEvents(life, 'restore', CONTACT, ctx.id, 'ContactRestored');
    case 'MergeContactInto':
      assertEditable(life, CONTACT, ctx.id);
      if (command.targetId === ctx.id) throw selfMerge();
      return [{ type: 'ContactMergedInto', data: { targetId: command.targetId } }];
    case 'MergeContactFrom': {
      assertEditable(life, CONTACT, ctx.id);
      if (command.sourceId === ctx.id) throw selfMerge();
      if (own(state.merges, command.sourceId)) {
        throw new DomainError(
          'ALREADY_MERGED',
          `Contact ${command.sourceId} is already merged into this one.`,
          {
            sourceId: command.sourceId,
          },
        );
      }
      const { customFields: sourceCustom = {}, ...sourceFields } = command.source;
      const changes = diff(state.fields, mergedFields(state.fields, sourceFields, command.prefer ?? []));
      const missing = Object.fromEntries(
        Object.entries(sourceCustom).filter(([k]) => !Object.hasOwn(state.customFields, k)),
      );
      const customFields = diffCustomFields(state.customFields, missing);
      return [{ type: 'ContactMergedFrom', data: { sourceId: command.sourceId, changes, customFields } }];
    }
    case 'UnmergeContact':
      assertExists(life, CONTACT, ctx.id);
      if (state.mergedInto === null) {
        throw new DomainError('NOT_MERGED', 'This contact is not merged into another one.', { id: ctx.id });
      }
      return [{ type: 'ContactUnmerged', data: { targetId: state.mergedInto } }];
    case 'UnmergeContactFrom': {
      assertEditable(life, CONTACT, ctx.id);
      const merge = own(state.merges, command.sourceId);
      if (!merge) {
        throw new DomainError('NOT_MERGED', `Contact ${command.sourceId} was not merged into this one.`, {
          sourceId: command.sourceId,
        });
      }
      // Only revert what the merge wrote and nobody changed since; list the fields kept for the user.
      const fields = revertible(state.fields, merge.changes);
      const currentCustom = Object.fromEntries(
        Object.keys(merge.customFields).map((k) => [k, own(state.customFields, k) ?? null]),
      );
      const custom = revertible(currentCustom, merge.customFields);
      const kept = [...fields.kept, ...custom.kept.map((k) => `customFields.${k}`)];
      return [
        {
          type: 'ContactUnmergedFrom',
          data: {
            sourceId: command.sourceId,
            changes: fields.revert,
            customFields: custom.revert as CustomFieldChanges,
            kept,
          },
        },
      ];
    }
    case 'UnlinkContactCompany': {
      assertExists(life, CONTACT, ctx.id);
      if (state.fields.companyId !== command.companyId) return [];
      return [{ type: 'ContactUpdated', data: { changes: diff(state.fields, { companyId: null }) } }];
    }
    case 'ForgetContact':
      assertExists(life, CONTACT, ctx.id);
      return [{ type: 'ContactForgotten', data: null }];
  }
}

function selfMerge(): DomainError {
  return new DomainError(
    'CANNOT_MERGE_WITH_ITSELF',
    'A contact cannot be merged with itself: choose another one.',
  );
}

function evolve(state: ContactState, event: ContactEvent): ContactState {
  const op = lifecycleOpOf('Contact', event.type);
  if (op) return { ...state, life: evolveLifecycle(state.life, op) };
  switch (event.type) {
    case 'ContactCreated': {
      const { customFields, ...fields } = event.data;
      return { ...state, life: { ...state.life, created: true }, fields, customFields };
    }
    case 'ContactUpdated':
    case 'ContactMergedFrom':
    case 'ContactUnmergedFrom': {
      const next = {
        ...state,
        fields: applyChanges(state.fields, event.data.changes),
        customFields: applyCustomFieldChanges(state.customFields, event.data.customFields),
      };
      if (event.type === 'ContactMergedFrom') {
        const { changes, customFields } = event.data;
        next.merges = { ...state.merges, [event.data.sourceId]: { changes, customFields } };
      } else if (event.type === 'ContactUnmergedFrom') {
        next.merges = Object.fromEntries(
          Object.entries(state.merges).filter(([k]) => k !== event.data.sourceId),
        );
      }
      return next;
    }
    case 'ContactMergedInto':
      return { ...state, mergedInto: event.data.targetId };
    case 'ContactUnmerged':
      return { ...state, mergedInto: null };
    case 'ContactForgotten':
      // Keep nothing personal, not even in memory: only the fact that it existed and was forgotten.
      return { ...initialState(), life: { created: true, archived: false, trashed: false }, forgotten: true };
    default:
      return state;
  }
}

/** The Contact aggregate definition. */
export const contactAggregate: Aggregate<ContactState, ContactCommand, ContactEvent> = {
  type: CONTACT,
  initialState,
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(contactCommandSchema, input),
};
