/**
 * Custom field values: the typed field definitions, and the helpers every record with custom fields uses:
 * {@link validateCustomFieldValues} (given the definitions as an argument, since `decide` is pure), the
 * per-field diff and apply of values, and the update payload shared by contacts, companies and deals.
 * @module
 */
import { z } from 'zod';
import { DomainError } from '../../es/errors.js';
import { type Change, type Changes, diff, isEmpty, own, sameValue } from './changes.js';
import { idSchema, isIsoDate, LIMITS, requiredText, uniqueIgnoringCase } from './validation.js';

/** The value types a custom field can have. */
export const fieldTypeSchema = z.enum(['text', 'number', 'date', 'choice', 'checkbox']);
/** A custom field's value type. */
export type FieldType = z.infer<typeof fieldTypeSchema>;

/** At most this many custom fields per kind of record. */
export const MAX_FIELDS = 100;
const MAX_OPTIONS = 200;

/** The options of a choice field: 1 to 100 characters each, at most 200, duplicates (ignoring case) dropped. */
export const optionsSchema = z
  .array(requiredText('an option', 100))
  .max(MAX_OPTIONS, `A choice field has at most ${MAX_OPTIONS} options.`)
  .transform(uniqueIgnoringCase);

/** One field definition, as the validator receives it. `options` is empty unless `fieldType` is `choice`. */
export const fieldDefinitionSchema = z
  .object({
    fieldId: idSchema,
    label: requiredText('a label', 100),
    fieldType: fieldTypeSchema,
    options: optionsSchema.default([]),
  })
  .strict();
/** A custom field definition. */
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;

/** Definitions as passed in other aggregates' commands (looked up by the backend). */
export const fieldDefinitionsSchema = z.array(fieldDefinitionSchema).max(MAX_FIELDS);

/** A stored custom field value (text and dates are strings, choices the option's text). */
export type CustomFieldValue = string | number | boolean;
/** A record's custom field values by field id (absent = no value). */
export type CustomFieldValues = Record<string, CustomFieldValue>;
/** The custom field changes of an update, by field id (`null` = no value). */
export type CustomFieldChanges = Record<string, Change<CustomFieldValue | null>>;

/** Custom field values in a command: by field id; `null` clears a value. Checked by {@link validateCustomFieldValues}. */
export const customFieldInputSchema = z
  .record(idSchema, z.union([z.string().max(LIMITS.summary), z.number(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= MAX_FIELDS, `At most ${MAX_FIELDS} custom field values.`);

function invalidValue(def: FieldDefinition, expected: string): DomainError {
  return new DomainError('INVALID_CUSTOM_FIELD_VALUE', `${def.label} must be ${expected}.`, {
    fieldId: def.fieldId,
    fieldType: def.fieldType,
  });
}

/** Checks one value against its definition; returns it normalized (trimmed text; an empty text is no value). */
function checkValue(def: FieldDefinition, value: unknown): CustomFieldValue | null {
  if (value === null) return null;
  switch (def.fieldType) {
    case 'text':
      if (typeof value !== 'string') throw invalidValue(def, 'a text');
      return value.trim() === '' ? null : value.trim();
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidValue(def, 'a number');
      return value;
    case 'date':
      if (typeof value !== 'string' || !isIsoDate(value)) throw invalidValue(def, 'a date as YYYY-MM-DD');
      return value;
    case 'choice':
      if (typeof value !== 'string' || !def.options.includes(value)) {
        throw invalidValue(def, `one of: ${def.options.join(', ')}`);
      }
      return value;
    case 'checkbox':
      if (typeof value !== 'boolean') throw invalidValue(def, 'checked or unchecked (true or false)');
      return value;
  }
}

/**
 * Validates custom field values against a kind's definitions (passed in: the caller's `decide` is pure).
 * Returns the normalized values, `null` for the ones to clear. Throws `UNKNOWN_CUSTOM_FIELD` for an id that is
 * not defined (or was removed) and `INVALID_CUSTOM_FIELD_VALUE` for a value of the wrong type.
 */
export function validateCustomFieldValues(
  definitions: readonly FieldDefinition[],
  values: Readonly<Record<string, unknown>>,
): Record<string, CustomFieldValue | null> {
  const out: Record<string, CustomFieldValue | null> = {};
  for (const [fieldId, value] of Object.entries(values)) {
    const def = definitions.find((d) => d.fieldId === fieldId);
    if (!def) {
      throw new DomainError(
        'UNKNOWN_CUSTOM_FIELD',
        `There is no custom field "${fieldId}" for this kind of record.`,
        {
          fieldId,
          known: definitions.map((d) => d.fieldId),
        },
      );
    }
    out[fieldId] = checkValue(def, value);
  }
  return out;
}

/** The custom field changes a patch makes (only values that differ); empty when nothing changes. */
export function diffCustomFields(
  current: CustomFieldValues,
  patch: Record<string, CustomFieldValue | null>,
): CustomFieldChanges {
  const out: CustomFieldChanges = {};
  for (const [fieldId, to] of Object.entries(patch)) {
    const from = own(current, fieldId) ?? null;
    if (!sameValue(from, to)) out[fieldId] = { from, to };
  }
  return out;
}

/** Applies custom field changes (a `to` of `null` removes the value). */
export function applyCustomFieldChanges(
  current: CustomFieldValues,
  changes: CustomFieldChanges | undefined,
): CustomFieldValues {
  const next = { ...current };
  for (const [fieldId, change] of Object.entries(changes ?? {})) {
    if (change.to === null) delete next[fieldId];
    else next[fieldId] = change.to;
  }
  return next;
}

/** The values of a new record (from a create command): validated and without the cleared (`null`) ones. */
export function initialCustomFields(command: {
  customFields?: Record<string, unknown>;
  customFieldDefinitions?: readonly FieldDefinition[];
}): CustomFieldValues {
  const out: CustomFieldValues = {};
  const values = validateCustomFieldValues(command.customFieldDefinitions ?? [], command.customFields ?? {});
  for (const [id, v] of Object.entries(values)) {
    if (v !== null) out[id] = v;
  }
  return out;
}

/**
 * The custom-field part of another aggregate's create and update commands: the values, and the definitions of
 * the record kind, which the backend reads from this aggregate and passes in (required whenever values are given:
 * without them every value is refused with `UNKNOWN_CUSTOM_FIELD`).
 */
export const customFieldCommandShape = {
  customFields: customFieldInputSchema.optional(),
  customFieldDefinitions: fieldDefinitionsSchema.optional(),
};

/** The custom field changes of an update command: validated against the definitions, only real changes. */
export function customFieldPatch(
  current: CustomFieldValues,
  command: { customFields?: Record<string, unknown>; customFieldDefinitions?: readonly FieldDefinition[] },
): CustomFieldChanges {
  return diffCustomFields(
    current,
    validateCustomFieldValues(command.customFieldDefinitions ?? [], command.customFields ?? {}),
  );
}

/** The payload of a record's update event: the changed fields, and the changed custom values when there are any. */
export interface UpdatePayload<F> {
  changes: Changes<F>;
  customFields?: CustomFieldChanges;
}

/**
 * The update event payload of a record with custom fields, or `null` when the command changes nothing (so no
 * event is written). One implementation for contacts, companies and deals.
 */
export function updatePayload<F extends object>(
  fields: F,
  customFields: CustomFieldValues,
  command: {
    fields: Partial<F>;
    customFields?: Record<string, unknown>;
    customFieldDefinitions?: readonly FieldDefinition[];
  },
): UpdatePayload<F> | null {
  const changes = diff(fields, command.fields);
  const custom = customFieldPatch(customFields, command);
  if (isEmpty(changes) && isEmpty(custom)) return null;
  return isEmpty(custom) ? { changes } : { changes, customFields: custom };
}
