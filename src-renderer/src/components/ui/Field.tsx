/**
 * One labelled form field with its error message, wired for screen readers (`aria-invalid`,
 * `aria-describedby`). Every form of the app uses it, so errors look and read the same everywhere.
 * @module
 */
import { useId, type ReactNode } from 'react';

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  /** The message to show under the field, if any (see `fieldMessages` in errors.ts). */
  error?: string | undefined;
  /** Renders the control with the ids it must carry. */
  children(control: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }): ReactNode;
}

/** A label, the control `children` renders, and the field's error. */
export function Field({ label, error, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(error ? { id, 'aria-invalid': true, 'aria-describedby': errorId } : { id })}
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** Props of {@link TextField}. */
export interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'url' | 'number' | 'date' | 'datetime-local' | 'search';
  maxLength?: number;
  autoFocus?: boolean;
  placeholder?: string;
}

/** A {@link Field} with a text input. */
export function TextField({ label, value, onChange, error, type = 'text', ...rest }: TextFieldProps) {
  return (
    <Field label={label} error={error}>
      {(ids) => (
        <input {...ids} {...rest} type={type} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}
