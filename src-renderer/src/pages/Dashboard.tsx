/**
 * The dashboard: a summary of what is in the CRM.
 * @module
 */
import type { ContactView } from '../contacts.js';
import { useQuery } from '../hooks/useQuery.js';

/** Counts and shortcuts. */
export function Dashboard() {
  const contacts = useQuery<ContactView[]>('contact.list');
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Dashboard</h1>
      <div className="cards">
        <a className="card" href="#/contacts">
          <span className="card-value">{contacts.data ? contacts.data.length : '…'}</span>
          <span className="card-label">Contacts</span>
        </a>
      </div>
    </section>
  );
}
