/**
 * Settings > Data: where the data folder is, a full export of all data, and demo data for an empty CRM.
 * @module
 */
import { useState } from 'react';
import { FormError } from '../../components/ui/FormError.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';

/** What `app.info` answers. */
interface AppInfo {
  version: string;
  dataDir: string;
}

function ExportAll() {
  const command = useCommand();
  const [done, setDone] = useState<{ path: string; events: number; streams: number } | null>(null);
  return (
    <div className="setting-block">
      <h3>Export all data</h3>
      <p className="muted">
        Every event of every record, as JSON lines, into the data folder’s exports/ folder.
      </p>
      <button
        type="button"
        disabled={command.busy}
        onClick={() =>
          void command.run('ExportAllData', {}).then((r) => {
            if (r.ok) setDone(r.value as { path: string; events: number; streams: number });
          })
        }
      >
        {command.busy ? 'Exporting…' : 'Export all data'}
      </button>
      <FormError error={command.error} />
      <p role="status" className="notice">
        {done && (
          <>
            Exported {done.events} events of {done.streams} records to{' '}
            <code className="path">{done.path}</code>
          </>
        )}
      </p>
    </div>
  );
}

function DemoData() {
  const command = useCommand();
  const [notice, setNotice] = useState('');
  return (
    <div className="setting-block">
      <h3>Demo data</h3>
      <p className="muted">
        About 100 made-up contacts, companies, deals and tasks, to try the app. Only for an empty CRM.
      </p>
      <button
        type="button"
        disabled={command.busy}
        onClick={() =>
          void command.run('LoadDemoData', {}).then((r) => {
            if (r.ok)
              setNotice(`Loaded the demo data (${(r.value as { created: number }).created} records).`);
          })
        }
      >
        {command.busy ? 'Loading…' : 'Load demo data'}
      </button>
      <FormError error={command.error} />
      <p role="status" className="notice">
        {notice}
      </p>
    </div>
  );
}

/** The data section of Settings. */
export function DataSettings() {
  const info = useQuery<AppInfo>('app.info');
  return (
    <section className="settings-section" aria-labelledby="data-title">
      <h2 id="data-title">Data</h2>
      <div className="setting-block">
        <h3>Data folder</h3>
        {info.data && (
          <p>
            <code className="path" aria-label="Data folder">
              {info.data.dataDir}
            </code>{' '}
            <span className="muted">(version {info.data.version})</span>
          </p>
        )}
        {info.error && (
          <p role="alert" className="error">
            {info.error.message}
          </p>
        )}
      </div>
      <ExportAll />
      <DemoData />
    </section>
  );
}
