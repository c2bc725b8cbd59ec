/**
 * Contacts: the list with its "New contact" form, or one contact's detail view (`#/contacts/<id>`). The list's
 * search, filters and page live here, so they are kept while a contact is opened and closed again.
 * @module
 */
import { useState } from 'react';
import type { Route } from '../hooks/useRoute.js';
import { ContactDetail } from './contacts/ContactDetail.js';
import { ContactForm } from './contacts/ContactForm.js';
import { ContactList } from './contacts/ContactList.js';
import { initialListView } from './contacts/list-view.js';

/** The contacts section. */
export function ContactsPage({ route }: { route: Route }) {
  const [view, setView] = useState(initialListView);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState('');

  if (route.id !== undefined) return <ContactDetail key={route.id} id={route.id} />;

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
        <ContactForm
          onSaved={(_, name) => {
            setAdding(false);
            setNotice(`Saved ${name}.`);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <p role="status" className="notice">
        {notice}
      </p>
      <ContactList view={view} onView={setView} />
    </section>
  );
}
