/**
 * Custom field values in the record forms: what the inputs hold (text for text, number, date and choice fields,
 * a boolean for checkboxes), how stored values fill them, and the `customFields` of the create and update
 * commands (an update sends only the fields that changed, `null` to clear one). Pure, so it is tested alone.
 * @module
 */
import type { CustomFieldValue, FieldDefinition } from '../../../../core/crm/domain/custom-field-values.js';
import type { BackendError } from '../../../../src-preload/api.js';
import { fieldMessages } from '../../errors.js';
import { formatDate } from '../../format.js';

/** A record's stored custom field values, by field id (absent = no value). */
export type StoredCustomFields = Readonly<Record<string, CustomFieldValue>>;

/** What the custom field inputs hold, by field id (absent = the input is empty or unchecked). */
export type CustomFieldForm = Record<string, string | boolean>;

/** The form of stored values: numbers as text, the rest as they are. */
export function customFieldForm(stored: StoredCustomFields = {}): CustomFieldForm {
  return Object.fromEntries(
    Object.entries(stored).map(([id, v]) => [id, typeof v === 'number' ? String(v) : v]),
  );
}

/** What input `def` shows for the form value (an empty text, or unchecked, when there is none). */
export function inputValue(def: FieldDefinition, form: CustomFieldForm): string | boolean {
  const v = form[def.fieldId];
  if (def.fieldType === 'checkbox') return v === true;
  return typeof v === 'string' ? v : '';
}

/**
 * The value a form input stands for, as the commands take it, or `null` for "no value": blank text, an unchecked
 * box. A number that does not parse is sent as typed, so the backend's message ("… must be a number") explains it.
 */
export function valueOfInput(
  def: FieldDefinition,
  input: string | boolean | undefined,
): CustomFieldValue | null {
  if (def.fieldType === 'checkbox') return input === true ? true : null;
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') return null;
  if (def.fieldType === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

/** A stored value in the same terms as {@link valueOfInput} (an unchecked box is no value). */
function storedValue(def: FieldDefinition, stored: StoredCustomFields): CustomFieldValue | null {
  const v = Object.hasOwn(stored, def.fieldId) ? stored[def.fieldId] : undefined;
  return v === undefined || (def.fieldType === 'checkbox' && v !== true) ? null : v;
}

/** The `customFields` of a create command: the fields that have a value (`{}` when none has). */
export function createCustomFields(
  defs: readonly FieldDefinition[],
  form: CustomFieldForm,
): { customFields?: Record<string, CustomFieldValue> } {
  const out: Record<string, CustomFieldValue> = {};
  for (const def of defs) {
    const v = valueOfInput(def, form[def.fieldId]);
    if (v !== null) out[def.fieldId] = v;
  }
  return Object.keys(out).length > 0 ? { customFields: out } : {};
}

/**
 * The `customFields` of an update command: only the defined fields whose value the form changed, `null` for the
 * ones it clears (`{}` when nothing changed). Values of removed fields are left alone.
 */
export function changedCustomFields(
  defs: readonly FieldDefinition[],
  stored: StoredCustomFields,
  form: CustomFieldForm,
): { customFields?: Record<string, CustomFieldValue | null> } {
  const out: Record<string, CustomFieldValue | null> = {};
  for (const def of defs) {
    const next = valueOfInput(def, form[def.fieldId]);
    if (next !== storedValue(def, stored)) out[def.fieldId] = next;
  }
  return Object.keys(out).length > 0 ? { customFields: out } : {};
}

/** A stored value as the detail view shows it: Yes/No, a local date, the number or text; `—` for none. */
export function formatCustomField(def: FieldDefinition, value: CustomFieldValue | undefined): string {
  if (def.fieldType === 'checkbox') return value === true ? 'Yes' : 'No';
  if (value === undefined || value === '') return '—';
  if (def.fieldType === 'date' && typeof value === 'string') return formatDate(value);
  if (typeof value === 'number') return value.toLocaleString();
  return String(value);
}

/**
 * The validation messages of `error` by custom field id (from the paths `customFields.<id>`). A value refused
 * by the domain (wrong type, unknown field) is a form-level message that names the field's label.
 */
export function customFieldErrors(error: BackendError | null): Record<string, string> {
  if (!error) return {};
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldMessages(error))) {
    const m = /^customFields\.([^.]+)/.exec(path);
    if (m?.[1]) out[m[1]] = out[m[1]] ? `${out[m[1]]} ${message}` : message;
  }
  return out;
}
