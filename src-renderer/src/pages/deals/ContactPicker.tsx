/**
 * Picks a deal's contacts: the chosen ones, the chosen company's contacts, and the contacts whose name starts
 * with what is typed (`record.names`; nothing loads the whole contact list).
 * @module
 */
import { useId, useState } from 'react';
import type { ContactRow } from '../../../../core/crm/read/contacts.js';
import type { Page } from '../../../../core/crm/read/list-query.js';
import type { RecordNames } from '../../../../core/crm/record-names.js';
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
  const found = useQuery<RecordNames>(
    'record.names',
    q.trim() ? { kind: 'contact', q: q.trim(), limit: 10 } : { kind: 'contact', ids: [] },
  );
  const chosen = useQuery<RecordNames>('record.names', { kind: 'contact', ids: selected });
  const names = new Map<string, string>([
    ...(ofCompany.data?.rows ?? []).map((r) => [r.id, r.displayName] as const),
    ...[...(chosen.data?.items ?? []), ...(found.data?.items ?? [])].map((i) => [i.id, i.name] as const),
  ]);
  const shown = [...new Set([...selected, ...names.keys()])];

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
          {names.get(cid) ?? cid}
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
