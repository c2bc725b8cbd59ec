/**
 * Exports: the contact and company lists as CSV, the contacts as vCard. The backend answers in pages (so a big
 * list never makes one huge message); they are joined here and saved as one file.
 * @module
 */
import { useState } from 'react';
import type { BackendError } from '../../../../src-preload/api.js';
import type { ExportPage } from '../../../../core/crm/transfer/export.js';
import { FormError } from '../../components/ui/FormError.js';
import { useTransport } from '../../hooks/useTransport.js';
import { downloadText } from './download.js';

interface ExportSpec {
  label: string;
  query: 'export.csv' | 'export.vcard';
  params: Record<string, unknown>;
  type: string;
}

const EXPORTS: readonly ExportSpec[] = [
  { label: 'Contacts as CSV', query: 'export.csv', params: { list: 'contact.list' }, type: 'text/csv' },
  { label: 'Companies as CSV', query: 'export.csv', params: { list: 'company.list' }, type: 'text/csv' },
  { label: 'Contacts as vCard', query: 'export.vcard', params: {}, type: 'text/vcard' },
];

/** The export buttons. */
export function ExportButtons() {
  const transport = useTransport();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [notice, setNotice] = useState('');

  async function run(spec: ExportSpec): Promise<void> {
    setBusy(spec.label);
    setError(null);
    setNotice('');
    const parts: string[] = [];
    let offset: number | null = 0;
    let first: ExportPage | null = null;
    while (offset !== null) {
      const result = await transport.api.query({ query: spec.query, params: { ...spec.params, offset } });
      if (!result.ok) {
        setError(result.error);
        setBusy(null);
        return;
      }
      const page = result.value as ExportPage;
      first ??= page;
      parts.push(page.text);
      offset = page.next;
    }
    setBusy(null);
    if (first) {
      downloadText(first.filename, parts.join(''), spec.type);
      setNotice(`Saved ${first.total} record${first.total === 1 ? '' : 's'} as ${first.filename}.`);
    }
  }

  return (
    <section className="settings-section" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <div className="actions">
        {EXPORTS.map((spec) => (
          <button key={spec.label} type="button" disabled={busy !== null} onClick={() => void run(spec)}>
            {busy === spec.label ? 'Exporting…' : spec.label}
          </button>
        ))}
      </div>
      <FormError error={error} />
      <p role="status" className="notice">
        {notice}
      </p>
    </section>
  );
}
