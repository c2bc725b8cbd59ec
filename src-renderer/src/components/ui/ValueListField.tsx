/**
 * A field holding several values of one kind (a contact's e-mails, its phones): one input per value, a button
 * to add another and one to remove each, under one label and one error message.
 * @module
 */
import { useId } from 'react';

/** Props of {@link ValueListField}. */
export interface ValueListFieldProps {
  /** The group's label ("E-mails"); each input is labelled "<itemLabel> 1", "<itemLabel> 2", ... */
  label: string;
  /** The label of one value ("E-mail"). */
  itemLabel: string;
  values: string[];
  onChange(values: string[]): void;
  error?: string | undefined;
  type?: 'text' | 'email' | 'tel';
  /** At most this many inputs. */
  max?: number;
}

/** A labelled list of inputs with add and remove buttons. */
export function ValueListField({
  label,
  itemLabel,
  values,
  onChange,
  error,
  type = 'text',
  max = 20,
}: ValueListFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const set = (i: number, value: string) => onChange(values.map((v, j) => (j === i ? value : v)));
  return (
    <fieldset className="field value-list" aria-describedby={error ? errorId : undefined}>
      <legend>{label}</legend>
      {values.map((value, i) => (
        <div className="value-list-row" key={i}>
          <input
            type={type}
            aria-label={values.length === 1 ? itemLabel : `${itemLabel} ${i + 1}`}
            value={value}
            onChange={(e) => set(i, e.target.value)}
            {...(error ? { 'aria-invalid': true } : {})}
          />
          {values.length > 1 && (
            <button
              type="button"
              className="icon"
              aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`}
              onClick={() => onChange(values.filter((_, j) => j !== i))}
            >
              ×
            </button>
          )}
        </div>
      ))}
      {values.length < max && (
        <button type="button" className="link" onClick={() => onChange([...values, ''])}>
          Add {itemLabel.toLowerCase()}
        </button>
      )}
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
