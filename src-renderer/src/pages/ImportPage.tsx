/**
 * Import and export.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';

/** The Import and export section. */
export function ImportPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Import and export</h1>
    </section>
  );
}
