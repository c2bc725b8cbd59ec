/**
 * The sidebar: the app's name and one link per section.
 * @module
 */
import { SECTIONS, type Section } from '../hooks/useRoute.js';

const LABELS: Record<Section, string> = {
  dashboard: 'Dashboard',
  contacts: 'Contacts',
  companies: 'Companies',
  deals: 'Deals',
  tasks: 'Tasks',
  search: 'Search',
  import: 'Import / export',
  trash: 'Trash',
  settings: 'Settings',
};

/** The navigation; `current` is marked with `aria-current="page"`. */
export function Sidebar({ current }: { current: Section }) {
  return (
    <aside className="sidebar">
      <div className="brand">Eventfold CRM</div>
      <nav aria-label="Sections">
        <ul>
          {SECTIONS.map((route) => (
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
