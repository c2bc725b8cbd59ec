/**
 * Shown when the page has neither the desktop API nor a browser-mode session token.
 * @module
 */

/** Explains how to open the app. */
export function MissingToken() {
  return (
    <main className="missing-token">
      <h1>Eventfold CRM</h1>
      <p role="alert">
        This page needs the session token. Open the full address printed by <code>npm run web</code>.
      </p>
    </main>
  );
}
