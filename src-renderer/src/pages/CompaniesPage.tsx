/**
 * Companies.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';

/** The Companies section. */
export function CompaniesPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Companies</h1>
    </section>
  );
}
