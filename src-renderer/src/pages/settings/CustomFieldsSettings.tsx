/**
 * Settings > Custom fields: the typed fields of contacts, companies and deals (add, rename, remove).
 * The definitions are one settings aggregate per kind, read with the `customField.list` query.
 * @module
 */
import { useState, type FormEvent } from 'react';
import type { FieldDefinition, FieldType } from '../../../../core/crm/domain/custom-field-values.js';
import { ConfirmButton } from '../../components/ui/ConfirmButton.js';
import { Field, TextField } from '../../components/ui/Field.js';
import { FormError } from '../../components/ui/FormError.js';
import { fieldMessages } from '../../errors.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { idFromLabel, parseOptions } from './ids.js';

/** The kinds of record that have custom fields, with their names. */
const KINDS = [
  ['contact', 'Contacts'],
  ['company', 'Companies'],
  ['deal', 'Deals'],
] as const;
type Kind = (typeof KINDS)[number][0];

const TYPES: readonly (readonly [FieldType, string])[] = [
  ['text', 'Text'],
  ['number', 'Number'],
  ['date', 'Date'],
  ['choice', 'Choice'],
  ['checkbox', 'Checkbox'],
];

/** What `customField.list {kind}` answers: the live definitions and the ids of removed ones (never reused). */
interface FieldList {
  fields: FieldDefinition[];
  removed: string[];
}

/** Error codes that mean "that id is taken": the form then tries the next free one. */
const ID_TAKEN = new Set(['FIELD_ALREADY_DEFINED', 'FIELD_ID_REMOVED']);

function AddFieldForm({
  kind,
  list,
  onAdded,
}: {
  kind: Kind;
  list: FieldList | undefined;
  onAdded(label: string): void;
}) {
  const command = useCommand();
  const [label, setLabel] = useState('');
  const [fieldType, setFieldType] = useState<FieldType>('text');
  const [options, setOptions] = useState('');
  const errors = command.error ? fieldMessages(command.error) : {};

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const taken = [...(list?.fields.map((f) => f.fieldId) ?? []), ...(list?.removed ?? [])];
    const input = {
      id: kind,
      label,
      fieldType,
      ...(fieldType === 'choice' ? { options: parseOptions(options) } : {}),
    };
    // The list may be stale (or unavailable): on "id taken", try the next id a few times.
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await command.run('DefineCustomField', { ...input, fieldId: idFromLabel(label, taken) });
      if (result.ok) {
        onAdded(label.trim());
        setLabel('');
        setFieldType('text');
        setOptions('');
        return;
      }
      if (!ID_TAKEN.has(result.error.code)) return;
      taken.push(idFromLabel(label, taken));
    }
  }

  return (
    <form className="form settings-form" aria-label="New custom field" onSubmit={(e) => void submit(e)}>
      <div className="form-row">
        <TextField
          label="Field label"
          value={label}
          onChange={setLabel}
          error={errors.label}
          maxLength={100}
        />
        <Field label="Type" error={errors.fieldType}>
          {(ids) => (
            <select {...ids} value={fieldType} onChange={(e) => setFieldType(e.target.value as FieldType)}>
              {TYPES.map(([t, name]) => (
                <option key={t} value={t}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {fieldType === 'choice' && (
        <Field label="Options (one per line or comma-separated)" error={errors.options}>
          {(ids) => (
            <textarea {...ids} rows={3} value={options} onChange={(e) => setOptions(e.target.value)} />
          )}
        </Field>
      )}
      <FormError error={command.error} />
      <button type="submit" className="primary" disabled={command.busy}>
        Add field
      </button>
    </form>
  );
}

function FieldRow({ kind, field }: { kind: Kind; field: FieldDefinition }) {
  const command = useCommand();
  const [renaming, setRenaming] = useState(false);
  const [label, setLabel] = useState(field.label);
  const typeName = TYPES.find(([t]) => t === field.fieldType)?.[1] ?? field.fieldType;
  return (
    <li>
      {renaming ? (
        <form
          className="inline-form"
          aria-label={`Rename ${field.label}`}
          onSubmit={(e) => {
            e.preventDefault();
            void command
              .run('RenameCustomField', { id: kind, fieldId: field.fieldId, label })
              .then((r) => r.ok && setRenaming(false));
          }}
        >
          <input
            aria-label="New label"
            value={label}
            maxLength={100}
            onChange={(e) => setLabel(e.target.value)}
          />
          <button type="submit" className="primary" disabled={command.busy}>
            Save
          </button>
          <button type="button" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <span className="setting-name">{field.label}</span>
          <span className="setting-meta">
            {typeName}
            {field.options.length > 0 && `: ${field.options.join(', ')}`}
          </span>
          <button type="button" onClick={() => setRenaming(true)} aria-label={`Rename ${field.label}`}>
            Rename
          </button>
          <ConfirmButton
            label="Remove"
            ariaLabel={`Remove ${field.label}`}
            question={`Remove the field ${field.label}? Its values stay in the records’ history.`}
            confirmLabel="Remove field"
            disabled={command.busy}
            onConfirm={() => void command.run('RemoveCustomField', { id: kind, fieldId: field.fieldId })}
          />
        </>
      )}
      <FormError error={command.error} />
    </li>
  );
}

/** The custom fields section of Settings. */
export function CustomFieldsSettings() {
  const [kind, setKind] = useState<Kind>('contact');
  const [notice, setNotice] = useState('');
  const list = useQuery<FieldList>('customField.list', { kind });
  const kindName = KINDS.find(([k]) => k === kind)?.[1] ?? kind;
  return (
    <section className="settings-section" aria-labelledby="custom-fields-title">
      <h2 id="custom-fields-title">Custom fields</h2>
      <div role="tablist" aria-label="Record kind" className="tabs">
        {KINDS.map(([k, name]) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={k === kind}
            onClick={() => {
              setKind(k);
              setNotice('');
            }}
          >
            {name}
          </button>
        ))}
      </div>
      {list.error?.code === 'UNKNOWN_QUERY' ? (
        // Until the backend has the query, fields can be added but not listed.
        <p className="muted">This version cannot list the fields yet; the fields you add are saved.</p>
      ) : (
        list.error && (
          <p role="alert" className="error">
            Could not load the fields: {list.error.message}
          </p>
        )
      )}
      {list.data && list.data.fields.length === 0 && (
        <p className="empty">{kindName} have no custom fields yet.</p>
      )}
      {list.data && list.data.fields.length > 0 && (
        <ul className="settings-list" aria-label={`Custom fields of ${kindName.toLowerCase()}`}>
          {list.data.fields.map((f) => (
            <FieldRow key={f.fieldId} kind={kind} field={f} />
          ))}
        </ul>
      )}
      <AddFieldForm
        key={kind}
        kind={kind}
        list={list.data}
        onAdded={(label) => setNotice(`Added the field ${label}.`)}
      />
      <p role="status" className="notice">
        {notice}
      </p>
    </section>
  );
}
