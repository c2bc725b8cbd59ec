/**
 * The app shell: sidebar navigation, the current section, and a status bar.
 * @module
 */
import { Sidebar } from './components/Sidebar.js';
import { StatusBar } from './components/StatusBar.js';
import { useRoute } from './hooks/useRoute.js';
import { ComingSoon } from './pages/ComingSoon.js';
import { ContactsPage } from './pages/ContactsPage.js';
import { Dashboard } from './pages/Dashboard.js';
import { TransportContext } from './hooks/useTransport.js';
import type { Transport } from './transport/transport.js';

/** The whole UI over one transport. */
export function App({ transport }: { transport: Transport }) {
  const route = useRoute();
  return (
    <TransportContext.Provider value={transport}>
      <div className="app">
        <Sidebar current={route} />
        <main className="content">
          {route === 'dashboard' && <Dashboard />}
          {route === 'contacts' && <ContactsPage />}
          {route === 'companies' && <ComingSoon title="Companies" />}
          {route === 'deals' && <ComingSoon title="Deals" />}
          {route === 'tasks' && <ComingSoon title="Tasks" />}
        </main>
        <StatusBar />
      </div>
    </TransportContext.Provider>
  );
}
