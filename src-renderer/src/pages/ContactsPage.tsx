/**
 * Contacts: the list (kept live by change notifications) and the "New contact" form.
 * @module
 */
import { useState } from 'react';
import { NewContactForm } from '../components/NewContactForm.js';
import type { ContactView } from '../contacts.js';
import { useQuery } from '../hooks/useQuery.js';
import type { Route } from '../hooks/useRoute.js';

/** The contacts section. */
export function ContactsPage({ route: _route }: { route: Route }) {
  const contacts = useQuery<ContactView[]>('contact.list');
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState('');

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Contacts</h1>
        {!adding && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setAdding(true);
              setNotice('');
            }}
          >
            New contact
          </button>
        )}
      </header>
      {adding && (
        <NewContactForm
          onSaved={(name) => {
            setAdding(false);
            setNotice(`Saved ${name}.`);
            contacts.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <p role="status" className="notice">
        {notice}
      </p>
      {contacts.error && (
        <p role="alert" className="error">
          Could not load the contacts: {contacts.error.message}
        </p>
      )}
      {contacts.data && contacts.data.length === 0 && (
        <p className="empty">No contacts yet. Add the first one.</p>
      )}
      {contacts.data && contacts.data.length > 0 && (
        <ul className="contact-list" aria-label="Contacts">
          {contacts.data.map((c) => (
            <li key={c.id}>
              <span className="contact-name">{c.name}</span>
              {c.email && <span className="contact-email">{c.email}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
