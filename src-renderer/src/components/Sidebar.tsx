/**
 * The sidebar: the app's name and one link per section.
 * @module
 */
import { ROUTES, type Route } from '../hooks/useRoute.js';

const LABELS: Record<Route, string> = {
  dashboard: 'Dashboard',
  contacts: 'Contacts',
  companies: 'Companies',
  deals: 'Deals',
  tasks: 'Tasks',
};

/** The navigation; `current` is marked with `aria-current="page"`. */
export function Sidebar({ current }: { current: Route }) {
  return (
    <aside className="sidebar">
      <div className="brand">Eventfold CRM</div>
      <nav aria-label="Sections">
        <ul>
          {ROUTES.map((route) => (
            <li key={route}>
              <a href={`#/${route}`} aria-current={route === current ? 'page' : undefined}>
                {LABELS[route]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </aside>
  );
}
