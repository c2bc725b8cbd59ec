/**
 * The form that creates a contact or edits one: names, several e-mails and phones, title, company, tags, the
 * custom fields defined in Settings. A
 * duplicate e-mail offers to open the existing contact or save anyway; an edit made on a stale form (someone
 * changed the contact meanwhile) says so and offers to reload it.
 * @module
 */
import { useState, type FormEvent } from 'react';
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
import { TextField } from '../../components/ui/Field.js';
import { FormError } from '../../components/ui/FormError.js';
import { FormActions } from '../../components/ui/FormActions.js';
import { ValueListField } from '../../components/ui/ValueListField.js';
import { useCommand } from '../../hooks/useCommand.js';
import { hrefOf } from '../../hooks/useRoute.js';
import {
  changedContactFields,
  contactFieldErrors,
  createContactInput,
  duplicateOf,
  emptyContactForm,
  formFromContact,
  type ContactFieldsView,
} from './contact-form.js';

/** What an edit starts from: the contact's fields and version as read when the form opened. */
export interface ContactSnapshot {
  id: string;
  fields: ContactFieldsView;
  customFields: StoredCustomFields;
  version: number;
}

/** Props of {@link ContactForm}. */
export interface ContactFormProps {
  /** The contact to edit; none: a new contact. */
  editing?: ContactSnapshot;
  /** Called after a save with the contact's id and display name. */
  onSaved(id: string, name: string): void;
  onCancel(): void;
  /** Edit only: re-read the contact after a conflict (the form is opened again on its current fields). */
  onReload?(): void;
}

/** The new-contact or edit-contact form. */
export function ContactForm({ editing, onSaved, onCancel, onReload }: ContactFormProps) {
  const [form, setForm] = useState(() => (editing ? formFromContact(editing.fields) : emptyContactForm()));
  const [custom, setCustom] = useState(() => customFieldForm(editing?.customFields));
  const definitions = useCustomFields('contact');
  const command = useCommand();
  const errors = contactFieldErrors(command.error);
  const duplicate = duplicateOf(command.error);
  const conflict = command.error?.kind === 'conflict';
  const title = editing ? 'Edit contact' : 'New contact';
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  async function save(force = false): Promise<void> {
    const name = [form.firstName.trim(), form.lastName.trim()].filter(Boolean).join(' ');
    if (!editing) {
      const result = await command.run('CreateContact', {
        ...createContactInput(form, force),
        ...createCustomFields(definitions, custom),
      });
      if (result.ok) onSaved((result.value as { id: string }).id, name);
      return;
    }
    const fields = changedContactFields(editing.fields, form);
    const customFields = changedCustomFields(definitions, editing.customFields, custom);
    if (!fields && !customFields.customFields) return onSaved(editing.id, name);
    const result = await command.run(
      'UpdateContact',
      { id: editing.id, fields: fields ?? {}, ...customFields, ...(force ? { force: true } : {}) },
      { expectedVersion: editing.version },
    );
    if (result.ok) onSaved(editing.id, name);
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };

  return (
    <form
      className="form contact-form"
      aria-label={title}
      onSubmit={onSubmit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
      noValidate
    >
      <h2>{title}</h2>
      <div className="form-row">
        <TextField
          label="First name"
          value={form.firstName}
          onChange={(v) => set('firstName', v)}
          error={errors.firstName}
          maxLength={200}
          autoFocus
        />
        <TextField
          label="Last name"
          value={form.lastName}
          onChange={(v) => set('lastName', v)}
          error={errors.lastName}
          maxLength={200}
        />
      </div>
      <ValueListField
        label="E-mails"
        itemLabel="E-mail"
        type="email"
        values={form.emails}
        onChange={(v) => set('emails', v)}
        error={errors.emails}
      />
      <ValueListField
        label="Phones"
        itemLabel="Phone"
        type="tel"
        values={form.phones}
        onChange={(v) => set('phones', v)}
        error={errors.phones}
      />
      <TextField
        label="Title"
        value={form.title}
        onChange={(v) => set('title', v)}
        error={errors.title}
        maxLength={200}
      />
      <RecordPicker
        kind="company"
        label="Company"
        value={form.companyId}
        onChange={(id) => set('companyId', id)}
        error={errors.companyId}
        placeholder="No company"
      />
      <TextField
        label="Tags"
        value={form.tags}
        onChange={(v) => set('tags', v)}
        error={errors.tags}
        placeholder="Comma-separated, e.g. vip, lead"
      />
      <CustomFieldInputs
        definitions={definitions}
        values={custom}
        onChange={setCustom}
        errors={customFieldErrors(command.error)}
      />
      {duplicate && (
        <div role="alert" className="error duplicate">
          <p>{command.error?.message}</p>
          <div className="actions">
            <a href={hrefOf('contacts', duplicate.contactId)}>Open the existing contact</a>
            <button type="button" onClick={() => void save(true)} disabled={command.busy}>
              {editing ? 'Save anyway' : 'Create anyway'}
            </button>
          </div>
        </div>
      )}
      {conflict && (
        <div role="alert" className="error conflict">
          <p>This contact was changed elsewhere since you opened the form; your edit was not saved.</p>
          {onReload && (
            <button type="button" onClick={onReload}>
              Reload the contact
            </button>
          )}
        </div>
      )}
      {errors[''] !== undefined && <FormError error={command.error} />}
      <FormActions saveLabel="Save contact" busy={command.busy} onCancel={onCancel} />
    </form>
  );
}
