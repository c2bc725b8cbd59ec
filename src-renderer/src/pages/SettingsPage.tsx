/**
 * Settings.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';

/** The Settings section. */
export function SettingsPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Settings</h1>
    </section>
  );
}
