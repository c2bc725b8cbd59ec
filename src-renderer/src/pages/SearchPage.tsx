/**
 * Search: one box over contacts, companies, deals and notes; results grouped by kind, each linking to its record.
 * The query lives in the route (`#/search?q=ana`), so the sidebar's box and the back button both work.
 * @module
 */
import { useEffect, useState } from 'react';
import type { SearchHit } from '../../../core/crm/read/search.js';
import { useQuery } from '../hooks/useQuery.js';
import { navigate, type Route } from '../hooks/useRoute.js';
import { groupHits, hitHref } from './search/group-hits.js';
import './search/search.css';

/** How many hits one search shows. */
const LIMIT = 100;

function Results({ q }: { q: string }) {
  const result = useQuery<{ total: number; hits: SearchHit[] }>('search', { q, limit: LIMIT });
  if (result.error)
    return (
      <p role="alert" className="error">
        Could not search: {result.error.message}
      </p>
    );
  if (!result.data) return null;
  const { total, hits } = result.data;
  return (
    <>
      <p role="status" className="search-count">
        {total === 0
          ? `Nothing matches “${q}”.`
          : `${total} result${total === 1 ? '' : 's'}${total > hits.length ? ` (first ${hits.length} shown)` : ''}`}
      </p>
      {groupHits(hits).map((group) => (
        <section key={group.kind} className="search-group" aria-labelledby={`search-${group.kind}`}>
          <h2 id={`search-${group.kind}`}>{group.heading}</h2>
          <ul aria-label={group.heading}>
            {group.hits.map((hit) => {
              const href = hitHref(hit);
              return (
                <li key={hit.id}>
                  {href ? <a href={href}>{hit.title || '(untitled)'}</a> : <span>{hit.title}</span>}
                  {hit.archived && <span className="badge">archived</span>}
                  {hit.snippet && hit.snippet !== hit.title && <span className="snippet">{hit.snippet}</span>}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}

/** The Search section. */
export function SearchPage({ route }: { route: Route }) {
  const q = route.params.q ?? '';
  const [text, setText] = useState(q);
  // Follow the route when the sidebar's box (or history) changes it.
  useEffect(() => setText(q), [q]);

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Search</h1>
      <form
        role="search"
        className="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate('search', undefined, text.trim() ? { q: text.trim() } : {});
        }}
      >
        <label htmlFor="search-page-q">Search everything</label>
        <input
          id="search-page-q"
          type="search"
          value={text}
          maxLength={200}
          placeholder="Name, e-mail, company, deal, note…"
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {q.trim() ? <Results q={q.trim()} /> : <p className="empty">Type a word and press Enter.</p>}
    </section>
  );
}
