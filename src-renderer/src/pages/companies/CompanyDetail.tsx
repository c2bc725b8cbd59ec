/**
 * One company (`#/companies/<id>`): its fields, edit, archive / restore / trash, its contacts and deals, and the
 * record panels (timeline, notes, activities, tasks).
 * @module
 */
import { useState } from 'react';
import type { CompanyState } from '../../../../core/crm/domain/company.js';
import type { ContactRow } from '../../../../core/crm/read/contacts.js';
import type { Page } from '../../../../core/crm/read/list-query.js';
import { RecordPanels } from '../../components/RecordPanels.js';
import { CustomFieldFacts } from '../../components/record/CustomFieldFacts.js';
import { RecordDeals } from '../../components/record/RecordDeals.js';
import { FormError } from '../../components/ui/FormError.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { hrefOf } from '../../hooks/useRoute.js';
import { CompanyForm } from './CompanyForm.js';

interface CompanyRecord {
  id: string;
  version: number;
  state: CompanyState;
}

/** The detail view of company `id`. */
export function CompanyDetail({ id }: { id: string }) {
  const record = useQuery<CompanyRecord>('record.get', { kind: 'company', id });
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState('');
  const action = useCommand();

  if (record.error)
    return (
      <section className="page">
        <p role="alert" className="error">
          {record.error.message}
        </p>
        <a href={hrefOf('companies')}>Back to companies</a>
      </section>
    );
  if (!record.data) return <p className="empty">Loading…</p>;
  const { state, version } = record.data;
  const { fields, life } = state;
  const address = fields.address
    ? [
        fields.address.street,
        fields.address.postalCode,
        fields.address.city,
        fields.address.region,
        fields.address.country,
      ]
        .filter((p) => p)
        .join(', ')
    : '';

  async function act(command: string, done: string): Promise<void> {
    const r = await action.run(command, { id }, { expectedVersion: version });
    if (r.ok) setNotice(done);
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={hrefOf('companies')}>Companies</a>
      </nav>
      <header className="page-header">
        <h1 id="page-title">
          {fields.name}
          {life.archived && <span className="badge">Archived</span>}
          {life.trashed && <span className="badge">In trash</span>}
        </h1>
        <div className="actions">
          {!life.trashed && !editing && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {!life.trashed &&
            (life.archived ? (
              <button
                type="button"
                onClick={() => void act('UnarchiveCompany', 'Restored from the archive.')}
              >
                Unarchive
              </button>
            ) : (
              <button type="button" onClick={() => void act('ArchiveCompany', 'Archived.')}>
                Archive
              </button>
            ))}
          {life.trashed ? (
            <button type="button" onClick={() => void act('RestoreCompany', 'Restored from the trash.')}>
              Restore
            </button>
          ) : (
            <button
              type="button"
              className="danger"
              onClick={() => void act('TrashCompany', 'Moved to the trash.')}
            >
              Delete
            </button>
          )}
        </div>
      </header>
      <p role="status" className="notice">
        {notice}
      </p>
      <FormError error={action.error} />
      {editing ? (
        <CompanyForm
          editing={{ id, version, fields, customFields: state.customFields }}
          onSaved={() => {
            setEditing(false);
            setNotice('Saved.');
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <dl className="facts">
          <dt>Domain</dt>
          <dd>{fields.domain ?? '—'}</dd>
          <dt>Industry</dt>
          <dd>{fields.industry ?? '—'}</dd>
          <dt>Size</dt>
          <dd>{fields.size ? `${fields.size} people` : '—'}</dd>
          <dt>Address</dt>
          <dd>{address || '—'}</dd>
          <dt>Tags</dt>
          <dd>{fields.tags.length > 0 ? fields.tags.join(', ') : '—'}</dd>
          <CustomFieldFacts kind="company" values={state.customFields} />
        </dl>
      )}
      <CompanyContacts companyId={id} />
      <RecordDeals companyId={id} />
      <RecordPanels kind="company" id={id} />
    </section>
  );
}

/** The contacts linked to the company (the contact list filtered by company on the backend). */
function CompanyContacts({ companyId }: { companyId: string }) {
  const contacts = useQuery<Page<ContactRow>>('contact.list', { companyId, archived: 'include', limit: 100 });
  const rows = contacts.data?.rows;
  return (
    <section className="panel" aria-labelledby="company-contacts">
      <h2 id="company-contacts">Contacts{contacts.data ? ` (${contacts.data.total})` : ''}</h2>
      {rows && rows.length === 0 && <p className="empty">No contacts at this company.</p>}
      {rows && rows.length > 0 && (
        <ul className="plain-list" aria-label="Contacts of this company">
          {rows.map((c) => (
            <li key={c.id}>
              <a href={hrefOf('contacts', c.id)}>{c.displayName}</a>
              {c.title && <span className="muted"> · {c.title}</span>}
              {c.email && <span className="muted"> · {c.email}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
