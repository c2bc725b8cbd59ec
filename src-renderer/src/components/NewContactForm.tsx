/**
 * The "New contact" form: sends `contact.create` and shows the backend's validation or domain error.
 * @module
 */
import { useId, useState, type FormEvent } from 'react';
import type { BackendError } from '../../../src-preload/api.js';
import { fieldMessages } from '../errors.js';
import { useTransport } from '../hooks/useTransport.js';

/** Props of {@link NewContactForm}. */
export interface NewContactFormProps {
  onSaved(name: string): void;
  onCancel(): void;
}

/** The form; the name field has focus when it opens. */
export function NewContactForm({ onSaved, onCancel }: NewContactFormProps) {
  const transport = useTransport();
  const ids = useId();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<BackendError | null>(null);
  const messages = error ? fieldMessages(error) : {};
  const [saving, setSaving] = useState(false);
  // One id per form: a double submit (or a retry after a lost answer) creates the contact once.
  const [commandId] = useState(() => crypto.randomUUID());

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSaving(true);
    const input: Record<string, string> = { name };
    if (email.trim() !== '') input.email = email;
    const result = await transport.api.execute({ command: 'contact.create', input, commandId });
    setSaving(false);
    if (result.ok) onSaved(name.trim());
    else setError(result.error);
  }

  return (
    <form className="form" aria-label="New contact" noValidate onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input
          id={`${ids}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          required
          maxLength={200}
          aria-invalid={messages.name ? true : undefined}
          aria-describedby={messages.name ? `${ids}-name-error` : undefined}
        />
        {messages.name && (
          <span id={`${ids}-name-error`} className="field-error" role="alert">
            {messages.name}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-email`}>Email</label>
        <input
          id={`${ids}-email`}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          maxLength={320}
          aria-invalid={messages.email ? true : undefined}
          aria-describedby={messages.email ? `${ids}-email-error` : undefined}
        />
        {messages.email && (
          <span id={`${ids}-email-error`} className="field-error" role="alert">
            {messages.email}
          </span>
        )}
      </div>
      {messages[''] && (
        <p role="alert" className="error">
          {messages['']}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save contact'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
