/**
 * Picks a deal's contacts: the chosen company's contacts first, and a search over all contacts (the backend
 * filters and pages; nothing loads the whole contact list).
 * @module
 */
import { useEffect, useId, useState } from 'react';
import type { ContactRow } from '../../../../core/crm/read/contacts.js';
import type { Page } from '../../../../core/crm/read/list-query.js';
import { useQuery } from '../../hooks/useQuery.js';

/** Props of {@link ContactPicker}. */
export interface ContactPickerProps {
  companyId: string;
  selected: string[];
  onChange(ids: string[]): void;
  error?: string | undefined;
}

/** A checkbox group of contacts with a search field. */
export function ContactPicker({ companyId, selected, onChange, error }: ContactPickerProps) {
  const id = useId();
  const [q, setQ] = useState('');
  const ofCompany = useQuery<Page<ContactRow>>(
    'contact.list',
    companyId ? { companyId, limit: 50 } : { limit: 0 },
  );
  const found = useQuery<Page<ContactRow>>(
    'contact.list',
    q.trim() ? { q: q.trim(), limit: 10 } : { limit: 0 },
  );
  // Names of every contact seen, so a chosen one stays labelled when it leaves the results.
  const [names, setNames] = useState<Record<string, string>>({});
  const rows = [...(ofCompany.data?.rows ?? []), ...(found.data?.rows ?? [])];
  const rowKey = rows.map((r) => r.id).join();
  useEffect(() => {
    if (rows.length === 0) return;
    setNames((n) => ({ ...n, ...Object.fromEntries(rows.map((r) => [r.id, r.displayName])) }));
    // Keyed by the ids shown: the row objects are new on every render.
  }, [rowKey]);
  const shown = [...new Set([...selected, ...rows.map((r) => r.id)])];

  const toggle = (cid: string, on: boolean) =>
    onChange(on ? [...selected, cid] : selected.filter((s) => s !== cid));

  return (
    <fieldset className="contact-picker" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Contacts</legend>
      <input
        type="search"
        aria-label="Find a contact"
        placeholder="Find a contact"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {shown.length === 0 && <p className="muted">No contacts to choose from yet.</p>}
      {shown.map((cid) => (
        <label key={cid} className="check">
          <input
            type="checkbox"
            checked={selected.includes(cid)}
            onChange={(e) => toggle(cid, e.target.checked)}
          />{' '}
          {names[cid] ?? cid}
        </label>
      ))}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
