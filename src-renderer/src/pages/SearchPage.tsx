/**
 * Search.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';

/** The Search section. */
export function SearchPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Search</h1>
    </section>
  );
}
