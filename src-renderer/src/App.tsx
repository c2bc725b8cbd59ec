/**
 * The app shell: sidebar navigation, the current section, and a status bar.
 * @module
 */
import { Sidebar } from './components/Sidebar.js';
import { StatusBar } from './components/StatusBar.js';
import { useRoute } from './hooks/useRoute.js';
import { CompaniesPage } from './pages/CompaniesPage.js';
import { ContactsPage } from './pages/ContactsPage.js';
import { Dashboard } from './pages/Dashboard.js';
import { DealsPage } from './pages/DealsPage.js';
import { ImportPage } from './pages/ImportPage.js';
import { SearchPage } from './pages/SearchPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { TasksPage } from './pages/TasksPage.js';
import { TrashPage } from './pages/TrashPage.js';
import { TransportContext } from './hooks/useTransport.js';
import type { Transport } from './transport/transport.js';

/** The whole UI over one transport. */
export function App({ transport }: { transport: Transport }) {
  const route = useRoute();
  const { section } = route;
  return (
    <TransportContext.Provider value={transport}>
      <div className="app">
        <Sidebar current={section} />
        <main className="content">
          {section === 'dashboard' && <Dashboard />}
          {section === 'contacts' && <ContactsPage route={route} />}
          {section === 'companies' && <CompaniesPage route={route} />}
          {section === 'deals' && <DealsPage route={route} />}
          {section === 'tasks' && <TasksPage route={route} />}
          {section === 'search' && <SearchPage route={route} />}
          {section === 'import' && <ImportPage route={route} />}
          {section === 'trash' && <TrashPage route={route} />}
          {section === 'settings' && <SettingsPage route={route} />}
        </main>
        <StatusBar />
      </div>
    </TransportContext.Provider>
  );
}
