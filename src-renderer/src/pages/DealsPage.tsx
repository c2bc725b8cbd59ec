/**
 * Deals.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';

/** The Deals section. */
export function DealsPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Deals</h1>
    </section>
  );
}
