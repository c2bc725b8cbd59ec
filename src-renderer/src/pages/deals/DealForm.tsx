/**
 * The deal form: a new deal in a pipeline stage, or an edit of an existing deal's fields and custom fields (only
 * the changed ones, at the version it was read). The amount is typed the way the user writes money and sent in
 * minor units.
 * @module
 */
import { useState, type FormEvent } from 'react';
import type { DealFields } from '../../../../core/crm/domain/deal.js';
import type { Stage } from '../../../../core/crm/domain/pipeline.js';
import { CustomFieldInputs } from '../../components/record/CustomFieldInputs.js';
import { RecordPicker } from '../../components/record/RecordPicker.js';
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
import { ContactPicker } from './ContactPicker.js';
import { changedDealFields, createDealInput, dealFieldKey, dealValuesOf } from './deal-values.js';

/** Currencies offered in the list (any ISO 4217 code may be typed). */
const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD', 'BRL', 'SEK', 'PLN'];

/** Props of {@link DealForm}. */
export interface DealFormProps {
  pipelineId: string;
  /** The pipeline's stages (the new deal's stage is picked from them; unused when editing). */
  stages: readonly Stage[];
  editing?: { id: string; version: number; fields: DealFields; customFields: StoredCustomFields };
  onSaved(id: string, title: string): void;
  onCancel(): void;
}

/** The create/edit form of a deal. */
export function DealForm({ pipelineId, stages, editing, onSaved, onCancel }: DealFormProps) {
  const [initial] = useState(() => dealValuesOf(editing?.fields));
  const [values, setValues] = useState(initial);
  const [stageId, setStageId] = useState(stages[0]?.stageId ?? '');
  const [custom, setCustom] = useState(() => customFieldForm(editing?.customFields));
  const definitions = useCustomFields('deal');
  const [local, setLocal] = useState<Record<string, string>>({});
  const save = useCommand();
  const messages: Record<string, string> = { ...local };
  if (save.error)
    for (const [k, m] of Object.entries(fieldMessages(save.error))) messages[dealFieldKey(k)] = m;
  const title = editing ? 'Edit deal' : 'New deal';
  const set = (patch: Partial<typeof values>) => setValues((v) => ({ ...v, ...patch }));

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const built = editing ? changedDealFields(initial, values) : createDealInput(values, pipelineId, stageId);
    if (!built.ok) {
      setLocal({ [built.field]: built.message });
      return;
    }
    setLocal({});
    if (editing && 'fields' in built) {
      const customFields = changedCustomFields(definitions, editing.customFields, custom);
      if (Object.keys(built.fields).length === 0 && !customFields.customFields) return onCancel();
      const r = await save.run(
        'UpdateDeal',
        { id: editing.id, fields: built.fields, ...customFields },
        { expectedVersion: editing.version },
      );
      if (r.ok) onSaved(editing.id, values.title.trim());
    } else if ('input' in built) {
      const r = await save.run('CreateDeal', { ...built.input, ...createCustomFields(definitions, custom) });
      if (r.ok) onSaved((r.value as { id: string }).id, values.title.trim());
    }
  }

  return (
    <form className="form deal-form" aria-label={title} noValidate onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      <TextField
        label="Title"
        value={values.title}
        onChange={(t) => set({ title: t })}
        error={messages.title}
        maxLength={200}
        autoFocus
      />
      <div className="form-row">
        <TextField
          label="Amount"
          value={values.amount}
          onChange={(amount) => set({ amount })}
          error={messages.amount}
          placeholder="1,500.00"
        />
        <Field label="Currency" error={messages.currency}>
          {(ids) => (
            <>
              <input
                {...ids}
                className="currency"
                list={`${ids.id}-list`}
                value={values.currency}
                maxLength={3}
                onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
              />
              <datalist id={`${ids.id}-list`}>
                {COMMON_CURRENCIES.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      {!editing && (
        <Field label="Stage" error={messages.stageId}>
          {(ids) => (
            <select {...ids} value={stageId} onChange={(e) => setStageId(e.target.value)}>
              {stages.map((s) => (
                <option key={s.stageId} value={s.stageId}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <RecordPicker
        kind="company"
        label="Company"
        value={values.companyId}
        onChange={(companyId) => set({ companyId })}
        error={messages.companyId}
        placeholder="No company"
      />
      <ContactPicker
        companyId={values.companyId}
        selected={values.contactIds}
        onChange={(contactIds) => set({ contactIds })}
        error={messages.contactIds}
      />
      <div className="form-row">
        <TextField
          label="Expected close date"
          type="date"
          value={values.expectedCloseDate}
          onChange={(expectedCloseDate) => set({ expectedCloseDate })}
          error={messages.expectedCloseDate}
        />
        <TextField
          label="Owner"
          value={values.owner}
          onChange={(owner) => set({ owner })}
          error={messages.owner}
          maxLength={200}
        />
      </div>
      <CustomFieldInputs
        definitions={definitions}
        values={custom}
        onChange={setCustom}
        errors={customFieldErrors(save.error)}
      />
      <FormError error={save.error} />
      <FormActions saveLabel="Save deal" busy={save.busy} onCancel={onCancel} />
    </form>
  );
}
