/**
 * The status bar: connection state, version and data folder.
 * @module
 */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../src-preload/api.js';
import { useConnection } from '../hooks/useConnection.js';
import { useTransport } from '../hooks/useTransport.js';

/** Shows whether live updates arrive and where the data is. */
export function StatusBar() {
  const transport = useTransport();
  const status = useConnection();
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    void transport.api.appInfo().then((r) => {
      if (r.ok) setInfo(r.value);
    });
  }, [transport]);
  return (
    <footer className="status-bar">
      <span role="status" aria-label="Connection" className={`connection ${status}`}>
        {status === 'live' ? 'Live' : 'Reconnecting…'}
      </span>
      <span>{transport.kind === 'web' ? 'Browser mode' : 'Desktop'}</span>
      {info && (
        <>
          <span>v{info.version}</span>
          <span className="data-dir" title={info.dataDir}>
            Data: {info.dataDir}
          </span>
        </>
      )}
    </footer>
  );
}
