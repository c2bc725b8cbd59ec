/**
 * The inputs of a record's custom fields, one per definition and of its type: a text box, a number, a date, a
 * select of a choice field's options, a checkbox. Shown in the contact and company forms.
 * @module
 */
import type { FieldDefinition } from '../../../../core/crm/domain/custom-field-values.js';
import { Field } from '../ui/Field.js';
import { inputValue, type CustomFieldForm } from './custom-field-form.js';

/** Props of {@link CustomFieldInputs}. */
export interface CustomFieldInputsProps {
  definitions: readonly FieldDefinition[];
  values: CustomFieldForm;
  onChange(values: CustomFieldForm): void;
  /** Messages by field id (see `customFieldErrors`). */
  errors?: Readonly<Record<string, string>>;
}

/** The input of one field. */
function CustomFieldInput({
  def,
  value,
  onChange,
  error,
}: {
  def: FieldDefinition;
  value: string | boolean;
  onChange(value: string | boolean): void;
  error: string | undefined;
}) {
  if (def.fieldType === 'checkbox') {
    return (
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={value === true}
            aria-invalid={error ? true : undefined}
            onChange={(e) => onChange(e.target.checked)}
          />{' '}
          {def.label}
        </label>
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <Field label={def.label} error={error}>
      {(ids) =>
        def.fieldType === 'choice' ? (
          <select {...ids} value={text} onChange={(e) => onChange(e.target.value)}>
            <option value="">—</option>
            {/* A value no longer among the options stays selectable, so opening the form does not drop it. */}
            {text !== '' && !def.options.includes(text) && <option value={text}>{text}</option>}
            {def.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...ids}
            type={def.fieldType}
            step={def.fieldType === 'number' ? 'any' : undefined}
            value={text}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

/** The custom fields of a form, in a fieldset; nothing when the kind has none. */
export function CustomFieldInputs({ definitions, values, onChange, errors = {} }: CustomFieldInputsProps) {
  if (definitions.length === 0) return null;
  return (
    <fieldset className="custom-fields">
      <legend>Custom fields</legend>
      {definitions.map((def) => (
        <CustomFieldInput
          key={def.fieldId}
          def={def}
          value={inputValue(def, values)}
          error={errors[def.fieldId]}
          onChange={(v) => onChange({ ...values, [def.fieldId]: v })}
        />
      ))}
    </fieldset>
  );
}
