/**
 * The sidebar: the app's name, a global search box (Ctrl/Cmd+K focuses it, Enter searches) and one link per
 * section.
 * @module
 */
import { useEffect, useRef, useState } from 'react';
import { navigate, SECTIONS, type Section } from '../hooks/useRoute.js';
import { isSearchShortcut } from '../pages/search/shortcut.js';

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

function GlobalSearch() {
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!isSearchShortcut(e)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <form
      role="search"
      aria-label="Global search"
      className="global-search"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) navigate('search', undefined, { q: q.trim() });
      }}
    >
      <input
        ref={input}
        type="search"
        aria-label="Search everything"
        aria-keyshortcuts="Control+K Meta+K"
        placeholder="Search…  (Ctrl+K)"
        maxLength={200}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
    </form>
  );
}

/** The navigation; `current` is marked with `aria-current="page"`. */
export function Sidebar({ current }: { current: Section }) {
  return (
    <aside className="sidebar">
      <div className="brand">Eventfold CRM</div>
      <GlobalSearch />
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
