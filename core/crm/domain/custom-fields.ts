/**
 * Custom fields: the settings aggregate that defines typed fields per record kind (one instance per kind, its id
 * is the kind: `custom-fields/contact`). Other aggregates check values with `validateCustomFieldValues`
 * (./custom-field-values.ts); `decide` is pure, so their commands carry the definitions, which the backend reads
 * from this aggregate's state (`fields`).
 * @module
 */
import { z } from 'zod';
import type { Aggregate, DomainEvent } from '../../es/aggregate.js';
import { DomainError } from '../../es/errors.js';
import { type Change, sameValue } from './changes.js';
import { type FieldDefinition, fieldTypeSchema, MAX_FIELDS, optionsSchema } from './custom-field-values.js';
import { idSchema, parseCommandWith, requiredText } from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const CUSTOM_FIELDS = 'custom-fields';

/** Zod schema of every custom-fields command (used by `parseCommand` and by `decide`). */
export const customFieldsCommandSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('DefineCustomField'),
        fieldId: idSchema,
        label: requiredText('a label', 100),
        fieldType: fieldTypeSchema,
        options: optionsSchema.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('RenameCustomField'),
        fieldId: idSchema,
        label: requiredText('a label', 100),
      })
      .strict(),
    z
      .object({
        type: z.literal('ChangeCustomFieldOptions'),
        fieldId: idSchema,
        options: optionsSchema.refine((o) => o.length > 0, {
          message: 'A choice field needs at least one option.',
          params: { code: 'CHOICE_OPTIONS_REQUIRED' },
        }),
      })
      .strict(),
    z.object({ type: z.literal('RemoveCustomField'), fieldId: idSchema }).strict(),
  ])
  .superRefine((c, ctx) => {
    if (c.type !== 'DefineCustomField') return;
    if (c.fieldType === 'choice' && (c.options ?? []).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'A choice field needs at least one option.',
        params: { code: 'CHOICE_OPTIONS_REQUIRED' },
      });
    }
    if (c.fieldType !== 'choice' && (c.options ?? []).length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'Only a choice field has options.',
        params: { code: 'OPTIONS_NOT_ALLOWED' },
      });
    }
  });

/**
 * A custom-fields command: `DefineCustomField`, `RenameCustomField`, `ChangeCustomFieldOptions` (choice fields
 * only; values already stored that are no longer an option stay in history and fail validation on their next
 * edit), `RemoveCustomField` (values stay in the records' history; the id cannot be reused).
 */
export type CustomFieldsCommand = z.input<typeof customFieldsCommandSchema>;

/** The events of the custom-fields aggregate. */
export type CustomFieldsEvent =
  | DomainEvent<'CustomFieldDefined', FieldDefinition>
  | DomainEvent<'CustomFieldRenamed', { fieldId: string; label: Change<string> }>
  | DomainEvent<'CustomFieldOptionsChanged', { fieldId: string; options: Change<string[]> }>
  | DomainEvent<'CustomFieldRemoved', { fieldId: string }>;

/** The field definitions of one record kind. */
export interface CustomFieldsState {
  /** The live definitions, in definition order: pass these to {@link validateCustomFieldValues}. */
  fields: FieldDefinition[];
  /** Ids of removed fields (never reused, so old values in history keep their meaning). */
  removed: string[];
}

function findField(state: CustomFieldsState, fieldId: string): FieldDefinition {
  const def = state.fields.find((f) => f.fieldId === fieldId);
  if (!def) {
    throw new DomainError('UNKNOWN_CUSTOM_FIELD', `There is no custom field "${fieldId}".`, {
      fieldId,
      known: state.fields.map((f) => f.fieldId),
    });
  }
  return def;
}

function assertLabelFree(state: CustomFieldsState, label: string, exceptId?: string): void {
  const taken = state.fields.find(
    (f) => f.fieldId !== exceptId && f.label.toLowerCase() === label.toLowerCase(),
  );
  if (taken) {
    throw new DomainError('DUPLICATE_FIELD_LABEL', `There is already a field named "${taken.label}".`, {
      fieldId: taken.fieldId,
    });
  }
}

function decide(state: CustomFieldsState, input: CustomFieldsCommand): CustomFieldsEvent[] {
  const command = parseCommandWith(customFieldsCommandSchema, input);
  switch (command.type) {
    case 'DefineCustomField': {
      if (state.fields.some((f) => f.fieldId === command.fieldId)) {
        throw new DomainError('FIELD_ALREADY_DEFINED', `The field "${command.fieldId}" is already defined.`, {
          fieldId: command.fieldId,
        });
      }
      if (state.removed.includes(command.fieldId)) {
        throw new DomainError(
          'FIELD_ID_REMOVED',
          `The id "${command.fieldId}" belonged to a removed field; choose another id.`,
          { fieldId: command.fieldId },
        );
      }
      if (state.fields.length >= MAX_FIELDS) {
        throw new DomainError('TOO_MANY_FIELDS', `A kind of record has at most ${MAX_FIELDS} custom fields.`);
      }
      assertLabelFree(state, command.label);
      const { fieldId, label, fieldType } = command;
      return [
        { type: 'CustomFieldDefined', data: { fieldId, label, fieldType, options: command.options ?? [] } },
      ];
    }
    case 'RenameCustomField': {
      const def = findField(state, command.fieldId);
      if (def.label === command.label) return [];
      assertLabelFree(state, command.label, def.fieldId);
      return [
        {
          type: 'CustomFieldRenamed',
          data: { fieldId: def.fieldId, label: { from: def.label, to: command.label } },
        },
      ];
    }
    case 'ChangeCustomFieldOptions': {
      const def = findField(state, command.fieldId);
      if (def.fieldType !== 'choice') {
        throw new DomainError(
          'NOT_A_CHOICE_FIELD',
          `${def.label} is not a choice field: it has no options.`,
          {
            fieldId: def.fieldId,
          },
        );
      }
      if (sameValue(def.options, command.options)) return [];
      return [
        {
          type: 'CustomFieldOptionsChanged',
          data: { fieldId: def.fieldId, options: { from: def.options, to: command.options } },
        },
      ];
    }
    case 'RemoveCustomField':
      findField(state, command.fieldId);
      return [{ type: 'CustomFieldRemoved', data: { fieldId: command.fieldId } }];
  }
}

function evolve(state: CustomFieldsState, event: CustomFieldsEvent): CustomFieldsState {
  switch (event.type) {
    case 'CustomFieldDefined':
      return { ...state, fields: [...state.fields, event.data] };
    case 'CustomFieldRenamed':
      return {
        ...state,
        fields: state.fields.map((f) =>
          f.fieldId === event.data.fieldId ? { ...f, label: event.data.label.to } : f,
        ),
      };
    case 'CustomFieldOptionsChanged':
      return {
        ...state,
        fields: state.fields.map((f) =>
          f.fieldId === event.data.fieldId ? { ...f, options: event.data.options.to } : f,
        ),
      };
    case 'CustomFieldRemoved':
      return {
        fields: state.fields.filter((f) => f.fieldId !== event.data.fieldId),
        removed: [...state.removed, event.data.fieldId],
      };
    default:
      return state;
  }
}

/** The custom-fields settings aggregate (one instance per record kind). */
export const customFieldsAggregate: Aggregate<CustomFieldsState, CustomFieldsCommand, CustomFieldsEvent> = {
  type: CUSTOM_FIELDS,
  initialState: () => ({ fields: [], removed: [] }),
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(customFieldsCommandSchema, input),
};
