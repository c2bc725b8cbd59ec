/**
 * Trash.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';

/** The Trash section. */
export function TrashPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Trash</h1>
    </section>
  );
}
