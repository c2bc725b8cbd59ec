/**
 * Picks the record a task (or another linked item) belongs to: its kind, then the record by name.
 * @module
 */
import { Field } from '../ui/Field.js';
import type { RecordKind, RecordLink } from './record-inputs.js';
import { RecordPicker } from './RecordPicker.js';

const KINDS: readonly (readonly [RecordKind, string])[] = [
  ['contact', 'Contact'],
  ['company', 'Company'],
  ['deal', 'Deal'],
];

/** What {@link LinkPicker} holds: a kind (or none) and the record's id (`''` until one is picked). */
export interface LinkChoice {
  kind: RecordKind | '';
  id: string;
}

/** The link a choice stands for, or `null` when no record is picked. */
export function linkOf(choice: LinkChoice): RecordLink | null {
  return choice.kind !== '' && choice.id !== '' ? { kind: choice.kind, id: choice.id } : null;
}

/** A kind select and, once a kind is chosen, a type-ahead picker of that kind. */
export function LinkPicker({
  value,
  onChange,
  error,
}: {
  value: LinkChoice;
  onChange(value: LinkChoice): void;
  error?: string | undefined;
}) {
  const kindName = KINDS.find(([k]) => k === value.kind)?.[1];
  return (
    <div className="form-row">
      <Field label="Linked to" error={kindName ? undefined : error}>
        {(ids) => (
          <select
            {...ids}
            value={value.kind}
            onChange={(e) => onChange({ kind: e.target.value as LinkChoice['kind'], id: '' })}
          >
            <option value="">Nothing</option>
            {KINDS.map(([k, name]) => (
              <option key={k} value={k}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value.kind !== '' && kindName && (
        <RecordPicker
          key={value.kind}
          kind={value.kind}
          label={kindName}
          value={value.id}
          onChange={(id) => onChange({ ...value, id })}
          error={error}
          placeholder={`Type a ${kindName.toLowerCase()} name`}
        />
      )}
    </div>
  );
}
