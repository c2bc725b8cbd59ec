/**
 * Tasks.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';

/** The Tasks section. */
export function TasksPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Tasks</h1>
    </section>
  );
}
