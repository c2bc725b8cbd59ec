/**
 * One contact (`#/contacts/<id>`): its fields, the actions on it (edit, archive / unarchive, delete to the
 * trash / restore, pin, merge with a duplicate, unmerge), its deals and the record panels (tasks, notes,
 * activities, timeline). Kept live: another window's change re-reads it.
 * @module
 */
import { useState } from 'react';
import { RecordPanels } from '../../components/RecordPanels.js';
import { CustomFieldFacts } from '../../components/record/CustomFieldFacts.js';
import { RecordDeals } from '../../components/record/RecordDeals.js';
import type { StoredCustomFields } from '../../components/record/custom-field-form.js';
import { FormError } from '../../components/ui/FormError.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { hrefOf } from '../../hooks/useRoute.js';
import { useTransport } from '../../hooks/useTransport.js';
import type { ContactFieldsView } from './contact-form.js';
import { ContactForm, type ContactSnapshot } from './ContactForm.js';
import { MergeDialog } from './MergeDialog.js';
import '../../components/ui/record-view.css';
import '../../contacts.css';

/** What `record.get {kind: 'contact'}` returns. */
interface ContactRecord {
  id: string;
  version: number;
  state: {
    life: { archived: boolean; trashed: boolean };
    fields: ContactFieldsView;
    customFields: StoredCustomFields;
    mergedInto: string | null;
  };
}

/** The name of a company by id (its own record), or nothing while it loads. */
function CompanyName({ id }: { id: string }) {
  const company = useQuery<{ state: { fields: { name: string } } }>('record.get', { kind: 'company', id });
  return (
    <a href={hrefOf('companies', id)}>{company.data?.state.fields.name ?? (company.error ? id : '…')}</a>
  );
}

/** A list of values on one line each, or a dash. */
function Values({ values, href }: { values: string[]; href?: (v: string) => string }) {
  if (values.length === 0) return <>—</>;
  return (
    <>
      {values.map((v, i) => (
        <div key={i}>{href ? <a href={href(v)}>{v}</a> : v}</div>
      ))}
    </>
  );
}

/** The detail view of contact `id`. */
export function ContactDetail({ id }: { id: string }) {
  const record = useQuery<ContactRecord>('record.get', { kind: 'contact', id });
  const favorites = useQuery<{ rows: { kind: string; id: string }[] }>('favorite.list');
  const action = useCommand();
  const transport = useTransport();
  const [editing, setEditing] = useState<ContactSnapshot | null>(null);
  const [merging, setMerging] = useState(false);
  const [notice, setNotice] = useState('');

  if (record.error) {
    return (
      <section className="page" aria-labelledby="page-title">
        <h1 id="page-title">Contact not found</h1>
        <p role="alert" className="error">
          {record.error.kind === 'not_found' ? 'There is no such contact.' : record.error.message}
        </p>
        <a href={hrefOf('contacts')}>Back to all contacts</a>
      </section>
    );
  }
  if (!record.data) return <p aria-busy="true">Loading…</p>;

  const { state } = record.data;
  const { fields, life } = state;
  const name = [fields.firstName, fields.lastName].filter(Boolean).join(' ');
  const pinned = (favorites.data?.rows ?? []).some((f) => f.kind === 'contact' && f.id === id);
  const snapshot = (): ContactSnapshot => ({
    id,
    fields: record.data!.state.fields,
    customFields: record.data!.state.customFields,
    version: record.data!.version,
  });

  async function act(command: string, input: Record<string, unknown>, done: string): Promise<void> {
    setNotice('');
    const result = await action.run(command, input);
    if (result.ok) setNotice(done);
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <p>
        <a href={hrefOf('contacts')}>← All contacts</a>
      </p>
      <header className="record-header">
        <div>
          <h1 id="page-title">
            {name}
            {life.archived && <span className="badge">Archived</span>}
            {life.trashed && <span className="badge">In the trash</span>}
          </h1>
          {fields.title && <p className="muted">{fields.title}</p>}
        </div>
        {!editing && state.mergedInto === null && (
          <div className="actions" role="group" aria-label="Contact actions">
            {!life.trashed && (
              <button type="button" className="primary" onClick={() => setEditing(snapshot())}>
                Edit
              </button>
            )}
            {!life.trashed && (
              <button
                type="button"
                disabled={action.busy}
                onClick={() =>
                  void (life.archived
                    ? act('UnarchiveContact', { id }, `Restored ${name} from the archive.`)
                    : act('ArchiveContact', { id }, `Archived ${name}.`))
                }
              >
                {life.archived ? 'Unarchive' : 'Archive'}
              </button>
            )}
            {life.trashed ? (
              <button
                type="button"
                disabled={action.busy}
                onClick={() => void act('RestoreContact', { id }, `Restored ${name} from the trash.`)}
              >
                Restore
              </button>
            ) : (
              <button
                type="button"
                className="danger"
                disabled={action.busy}
                onClick={() => void act('TrashContact', { id }, `Moved ${name} to the trash.`)}
              >
                Delete
              </button>
            )}
            {!life.trashed && (
              <button
                type="button"
                aria-pressed={pinned}
                disabled={action.busy}
                onClick={() =>
                  void (pinned
                    ? act('UnpinRecord', { kind: 'contact', id }, `Unpinned ${name}.`)
                    : act('PinRecord', { kind: 'contact', id }, `Pinned ${name}.`))
                }
              >
                {pinned ? 'Unpin' : 'Pin'}
              </button>
            )}
            {!life.trashed && !life.archived && (
              <button type="button" onClick={() => setMerging(true)}>
                Merge…
              </button>
            )}
          </div>
        )}
      </header>
      <p role="status" className="notice">
        {notice}
      </p>
      <FormError error={action.error} />
      {state.mergedInto !== null && (
        <div className="dialog" role="note">
          <p>
            This contact was merged into <ContactLink id={state.mergedInto} />.
          </p>
          <button
            type="button"
            disabled={action.busy}
            onClick={() => void act('UnmergeContacts', { sourceId: id }, `Unmerged ${name}.`)}
          >
            Unmerge
          </button>
        </div>
      )}
      {merging && (
        <MergeDialog
          target={{ id, name }}
          onDone={(message) => {
            setMerging(false);
            setNotice(message);
          }}
          onCancel={() => setMerging(false)}
        />
      )}
      {editing ? (
        <ContactForm
          key={editing.version}
          editing={editing}
          onSaved={(_, saved) => {
            setEditing(null);
            setNotice(`Saved ${saved}.`);
          }}
          onCancel={() => setEditing(null)}
          onReload={() => {
            // Read it now (the live copy may not have caught up yet), then reopen the form on it.
            void transport.api.query({ query: 'record.get', params: { kind: 'contact', id } }).then((r) => {
              if (!r.ok) return;
              const latest = r.value as ContactRecord;
              setEditing({
                id,
                fields: latest.state.fields,
                customFields: latest.state.customFields,
                version: latest.version,
              });
            });
          }}
        />
      ) : (
        <dl className="record-fields" aria-label="Contact details">
          <dt>E-mails</dt>
          <dd>
            <Values values={fields.emails} href={(e) => `mailto:${e}`} />
          </dd>
          <dt>Phones</dt>
          <dd>
            <Values values={fields.phones} />
          </dd>
          <dt>Title</dt>
          <dd>{fields.title ?? '—'}</dd>
          <dt>Company</dt>
          <dd>{fields.companyId ? <CompanyName id={fields.companyId} /> : '—'}</dd>
          <dt>Tags</dt>
          <dd>
            {fields.tags.length === 0
              ? '—'
              : fields.tags.map((t) => (
                  <span className="tag" key={t}>
                    {t}
                  </span>
                ))}
          </dd>
          {fields.owner && (
            <>
              <dt>Owner</dt>
              <dd>{fields.owner}</dd>
            </>
          )}
          <CustomFieldFacts kind="contact" values={state.customFields} />
        </dl>
      )}
      <RecordDeals contactId={id} />
      <RecordPanels kind="contact" id={id} />
    </section>
  );
}

/** A link to a contact, named by its record. */
function ContactLink({ id }: { id: string }) {
  const c = useQuery<ContactRecord>('record.get', { kind: 'contact', id });
  const f = c.data?.state.fields;
  return <a href={hrefOf('contacts', id)}>{f ? [f.firstName, f.lastName].filter(Boolean).join(' ') : id}</a>;
}
