/**
 * The company form: creates a company, or edits one (sending only the changed fields and custom field values,
 * with the version it was read at, so an edit made meanwhile in another window is not silently overwritten).
 * @module
 */
import { useState, type FormEvent } from 'react';
import type { CompanyFields, CompanySize } from '../../../../core/crm/domain/company.js';
import { CustomFieldInputs } from '../../components/record/CustomFieldInputs.js';
import {
  changedCustomFields,
  createCustomFields,
  customFieldErrors,
  customFieldForm,
  type StoredCustomFields,
} from '../../components/record/custom-field-form.js';
import { useCustomFields } from '../../components/record/useCustomFields.js';
import { Field, TextField } from '../../components/ui/Field.js';
import { FormError } from '../../components/ui/FormError.js';
import { FormActions } from '../../components/ui/FormActions.js';
import { fieldMessages } from '../../errors.js';
import { useCommand } from '../../hooks/useCommand.js';
import {
  ADDRESS_PARTS,
  type AddressPart,
  changedFields,
  createInput,
  fieldKey,
  formValuesOf,
} from './company-values.js';

/** The head-count bands (the domain's `companySizeSchema` cannot be bundled: it pulls in Node code). */
const SIZES: readonly CompanySize[] = ['1', '2-10', '11-50', '51-200', '201-500', '501-1000', '1001+'];

const PART_LABELS: Record<AddressPart, string> = {
  street: 'Street',
  city: 'City',
  postalCode: 'Postal code',
  region: 'Region',
  country: 'Country',
};

/** Props of {@link CompanyForm}. */
export interface CompanyFormProps {
  /** The company to edit (its id, version and fields); a new company without it. */
  editing?: { id: string; version: number; fields: CompanyFields; customFields: StoredCustomFields };
  onSaved(id: string, name: string): void;
  onCancel(): void;
}

/** The create/edit form of a company. */
export function CompanyForm({ editing, onSaved, onCancel }: CompanyFormProps) {
  const [initial] = useState(() => formValuesOf(editing?.fields));
  const [values, setValues] = useState(initial);
  const [custom, setCustom] = useState(() => customFieldForm(editing?.customFields));
  const definitions = useCustomFields('company');
  const save = useCommand();
  const messages: Record<string, string> = {};
  if (save.error) for (const [k, m] of Object.entries(fieldMessages(save.error))) messages[fieldKey(k)] = m;
  const title = editing ? 'Edit company' : 'New company';

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (editing) {
      const fields = changedFields(initial, values);
      const customFields = changedCustomFields(definitions, editing.customFields, custom);
      if (Object.keys(fields).length === 0 && !customFields.customFields) return onCancel();
      const r = await save.run(
        'UpdateCompany',
        { id: editing.id, fields, ...customFields },
        { expectedVersion: editing.version },
      );
      if (r.ok) onSaved(editing.id, values.name.trim());
    } else {
      const r = await save.run('CreateCompany', {
        ...createInput(values),
        ...createCustomFields(definitions, custom),
      });
      if (r.ok) onSaved((r.value as { id: string }).id, values.name.trim());
    }
  }

  const set = (patch: Partial<typeof values>) => setValues((v) => ({ ...v, ...patch }));
  return (
    <form className="form company-form" aria-label={title} noValidate onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      <TextField
        label="Name"
        value={values.name}
        onChange={(name) => set({ name })}
        error={messages.name}
        maxLength={200}
        autoFocus
      />
      <TextField
        label="Domain"
        value={values.domain}
        onChange={(domain) => set({ domain })}
        error={messages.domain}
        placeholder="example.com"
        maxLength={253}
      />
      <div className="form-row">
        <TextField
          label="Industry"
          value={values.industry}
          onChange={(industry) => set({ industry })}
          error={messages.industry}
          maxLength={200}
        />
        <Field label="Size" error={messages.size}>
          {(ids) => (
            <select {...ids} value={values.size} onChange={(e) => set({ size: e.target.value })}>
              <option value="">—</option>
              {SIZES.map((s) => (
                <option key={s} value={s}>
                  {s} people
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="address">
        <legend>Address</legend>
        {ADDRESS_PARTS.map((p) => (
          <TextField
            key={p}
            label={PART_LABELS[p]}
            value={values.address[p]}
            onChange={(text) => set({ address: { ...values.address, [p]: text } })}
            error={messages[`address.${p}`]}
            maxLength={p === 'street' ? 500 : 200}
          />
        ))}
      </fieldset>
      <TextField
        label="Tags"
        value={values.tags}
        onChange={(tags) => set({ tags })}
        error={messages.tags}
        placeholder="client, partner"
      />
      <CustomFieldInputs
        definitions={definitions}
        values={custom}
        onChange={setCustom}
        errors={customFieldErrors(save.error)}
      />
      <FormError error={save.error} />
      <FormActions saveLabel="Save company" busy={save.busy} onCancel={onCancel} />
    </form>
  );
}
